"""One validation problem, located precisely enough that a sysadmin can fix it without searching."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pydantic_core import PydanticCustomError

Loc = tuple[str | int, ...]


def loc_to_path(loc: Loc) -> str:
    """('hosts', 2, 'interfaces', 0, 'ip') -> 'hosts[2].interfaces[0].ip'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Issue:
    file: str  # relative to the inventory directory, e.g. "hosts.yml"
    line: int | None
    path: str  # "hosts[2].interfaces[0].ip"
    value: Any
    message: str
    hint: str

    def format(self, inventory_display: str = "") -> str:
        prefix = f"{inventory_display.rstrip('/')}/" if inventory_display else ""
        where = f"{prefix}{self.file}:{self.line}" if self.line else f"{prefix}{self.file}"
        text = f"{where}: {self.path}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not isinstance(self.value, str | int | float | bool | type(None) | list | dict):
            data["value"] = str(self.value)
        return data


class InventoryError(Exception):
    """Raised with every problem found, so one run shows them all."""

    def __init__(self, issues: list[Issue], inventory_display: str = "") -> None:
        self.issues = issues
        self.inventory_display = inventory_display
        super().__init__(self.report())

    def report(self) -> str:
        lines = [i.format(self.inventory_display) for i in self.issues]
        count = len(self.issues)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found in the inventory; "
                     "nothing was contacted or changed.")
        return "\n".join(lines)


def fail(message: str, hint: str = "") -> PydanticCustomError:
    """Error for use inside pydantic validators; the loader turns it into an Issue."""
    return PydanticCustomError("bilgiislem", message, {"hint": hint})
