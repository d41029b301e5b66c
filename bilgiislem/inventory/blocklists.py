"""The content filter's block lists: plain text files of domains that content_filter.yml names.

The format is what public lists use (USOM's list of malicious addresses, for instance): one
domain per line, ``#`` starts a comment. A domain blocks itself and every name under it.
Turkish (IDN) domains may be written as they are; they become punycode (``bahis-şirketi.com``
-> ``xn--bahis-irketi-...``). A leading ``*.`` and a trailing dot are accepted and dropped.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path

_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")
# More bad lines than this in one file: the rest are counted, not listed.
MAX_PROBLEMS_PER_FILE = 10


@dataclass(frozen=True)
class LineProblem:
    line: int
    value: str
    message: str
    hint: str


def domain(entry: str) -> tuple[str | None, LineProblem | None]:
    """(the domain in DNS form, None) or (None, the problem) for one entry of a list."""
    value = entry.strip().lower().removeprefix("*.").rstrip(".")
    if "://" in value or "/" in value:
        host = value.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return None, LineProblem(0, entry, f"{entry!r} is a web address, not a domain",
                                 f"write the domain only: {host}" if host else
                                 "write the domain only, e.g. bahis-sitesi.com")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        return None, LineProblem(0, entry, f"{entry!r} is an IP address, not a domain",
                                 "the resolver blocks names; block addresses in the firewall "
                                 "and remove the line here")
    try:
        ascii_name = value.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_name = ""
    labels = ascii_name.split(".")
    if not ascii_name or len(ascii_name) > 253 or not all(_LABEL.fullmatch(x) for x in labels):
        return None, LineProblem(0, entry, f"{entry!r} is not a valid domain name",
                                 "one domain per line: letters, digits, hyphens and dots, "
                                 "e.g. bahis-sitesi.com")
    return ascii_name, None


def read(path: Path) -> tuple[list[str], list[LineProblem], int]:
    """The domains of a list file in file order without repeats, its first problems (line
    numbers from 1) and how many problems there are in all."""
    domains: dict[str, None] = {}
    problems: list[LineProblem] = []
    count = 0
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, raw in enumerate(text.splitlines(), 1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        name, problem = domain(entry)
        if problem is not None:
            count += 1
            if len(problems) < MAX_PROBLEMS_PER_FILE:
                problems.append(LineProblem(number, problem.value, problem.message,
                                            problem.hint))
            continue
        assert name is not None
        domains[name] = None
    return list(domains), problems, count
