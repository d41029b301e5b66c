"""Waivers (*muafiyetler*): findings the municipality accepts, each with its reason.

The list lives with the hardening role, in ``roles/hardening/waivers.yml``, next to the
settings it explains. Each entry::

    - id: FILE-6310                 # Lynis test id, or OpenSCAP rule id (short or full)
      tool: lynis                   # lynis | openscap
      reason_tr: /var ayrı bölüm değil; konteynerde bölümleme yok.
      reason_en: /var is not a separate partition; containers have no partitions.
      container_only: true          # waive it only on containers (default false)

The file may also be a mapping with the list under ``waivers:``. OpenSCAP ids may be given
with or without the ``xccdf_org.ssgproject.content_rule_`` prefix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from bilgiislem import REPO_ROOT
from bilgiislem.audit.openscap import RULE_PREFIX

DEFAULT_PATH = REPO_ROOT / "roles" / "hardening" / "waivers.yml"
TOOLS = ("lynis", "openscap")


class WaiverError(ValueError):
    pass


@dataclass(frozen=True)
class Waiver:
    id: str
    tool: str
    reason_tr: str
    reason_en: str = ""
    container_only: bool = False

    def applies(self, tool: str, finding_id: str, *, container: bool) -> bool:
        if tool != self.tool or (self.container_only and not container):
            return False
        if tool == "openscap":
            return finding_id.removeprefix(RULE_PREFIX) == self.id.removeprefix(RULE_PREFIX)
        return finding_id == self.id

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse(data: Any, source: str = "waivers") -> list[Waiver]:
    """Waivers from loaded YAML; every problem is reported at once."""
    if data is None:
        return []
    if isinstance(data, dict):
        data = data.get("waivers", [])
    if not isinstance(data, list):
        raise WaiverError(f"{source}: expected a list of waivers (or waivers: [...])")
    out, problems = [], []
    for i, item in enumerate(data):
        where = f"{source}: waiver {i + 1}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping with id, tool, reason_tr")
            continue
        wid, tool = item.get("id"), item.get("tool")
        reason_tr, reason_en = item.get("reason_tr"), item.get("reason_en", "")
        container_only = item.get("container_only", False)
        unknown = sorted(set(item) - {"id", "tool", "reason_tr", "reason_en",
                                      "container_only"})
        if not isinstance(wid, str) or not wid.strip():
            problems.append(f"{where}: 'id' must be a non-empty string")
        if tool not in TOOLS:
            problems.append(f"{where} ({wid}): 'tool' must be one of {', '.join(TOOLS)}")
        if not isinstance(reason_tr, str) or not reason_tr.strip():
            problems.append(f"{where} ({wid}): 'reason_tr' (gerekçe) is required")
        if not isinstance(reason_en, str):
            problems.append(f"{where} ({wid}): 'reason_en' must be a string")
        if not isinstance(container_only, bool):
            problems.append(f"{where} ({wid}): 'container_only' must be true or false")
        if unknown:
            problems.append(f"{where} ({wid}): unknown keys {', '.join(unknown)}")
        if not problems or not any(p.startswith(where) for p in problems):
            out.append(Waiver(str(wid).strip(), str(tool), str(reason_tr).strip(),
                              str(reason_en).strip(), bool(container_only)))
    if problems:
        raise WaiverError("\n".join(problems))
    return out


def load(path: Path = DEFAULT_PATH) -> list[Waiver]:
    """The waivers in ``path``; none if the file does not exist."""
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise WaiverError(f"{path}: not valid YAML: {exc}") from None
    return parse(data, str(path))


def match(waivers: list[Waiver], tool: str, finding_id: str, *,
          container: bool) -> Waiver | None:
    """The first waiver that covers this finding on this host, if any."""
    return next((w for w in waivers if w.applies(tool, finding_id, container=container)), None)
