"""Interface names of devices.yml: a name or a range of its last number."""

from __future__ import annotations

import re

_RANGE = re.compile(r"(?P<head>.*?)(?P<first>\d+)-(?P<last>\d+)$")


def expand(name: str) -> list[str]:
    """'GigabitEthernet1/0/1-3' -> ['GigabitEthernet1/0/1', 'GigabitEthernet1/0/2',
    'GigabitEthernet1/0/3']; a single name -> [name]."""
    m = _RANGE.fullmatch(name)
    if not m:
        return [name]
    first, last = int(m["first"]), int(m["last"])
    return [f"{m['head']}{n}" for n in range(first, last + 1)]
