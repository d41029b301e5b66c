"""Lynis results: the report file (``lynis-report.dat``) and the log (``lynis.log``).

The report is ``key=value`` lines; keys ending in ``[]`` repeat. Warnings and suggestions are
``TEST-ID|text|details|solution|``. The hardening index is Lynis' own figure: the hardening
points the host earned divided by the points it could have earned, times 100, rounded down.
The log tells which test earned or lost how many points, which is what tells the hardening
engineer where the index is lost.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One warning or suggestion of the report."""

    id: str
    text: str
    details: str = ""
    solution: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Points:
    """Hardening points of one test, summed over its checks, and what it looked at."""

    id: str
    description: str
    earned: int = 0
    possible: int = 0

    @property
    def lost(self) -> int:
        return self.possible - self.earned


@dataclass
class LynisReport:
    version: str
    hardening_index: int
    tests_performed: int
    tests_executed: list[str]
    tests_skipped: list[str]
    warnings: list[Finding]
    suggestions: list[Finding]
    start: str = ""
    end: str = ""
    os: str = ""
    values: dict[str, str] = field(default_factory=dict)  # every single-valued key
    details: list[str] = field(default_factory=list)  # details[] lines (sysctl, sshd values)


class LynisParseError(ValueError):
    pass


def _split(value: str) -> list[str]:
    return [p for p in value.split("|") if p]


def _finding(value: str) -> Finding:
    parts = value.split("|")
    parts += [""] * (4 - len(parts))
    clean = ["" if p.strip() == "-" else p.strip() for p in parts[:4]]
    return Finding(*clean)


def parse_report(text: str) -> LynisReport:
    """Parse ``lynis-report.dat``; raise LynisParseError if it holds no hardening index
    (an interrupted scan)."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if key.endswith("[]"):
            multi.setdefault(key[:-2], []).append(value)
        else:
            single[key] = value
    if "hardening_index" not in single:
        raise LynisParseError("no hardening_index in the Lynis report (was the scan "
                              "interrupted?)")
    executed = _split(single.get("tests_executed", ""))
    return LynisReport(
        version=single.get("lynis_version", ""),
        hardening_index=int(single["hardening_index"]),
        tests_performed=int(single.get("lynis_tests_done") or len(executed)),
        tests_executed=executed,
        tests_skipped=_split(single.get("tests_skipped", "")),
        warnings=[_finding(v) for v in multi.get("warning", [])],
        suggestions=[_finding(v) for v in multi.get("suggestion", [])],
        start=single.get("report_datetime_start", ""),
        end=single.get("report_datetime_end", ""),
        os=single.get("os_fullname", ""),
        values={k: v for k, v in single.items() if k not in ("tests_executed",
                                                               "tests_skipped")},
        details=multi.get("details", []),
    )


_TEST_RE = re.compile(r"Performing test ID (?P<id>[A-Z]+-\d+) \((?P<desc>.*)\)\s*$")
_POINTS_RE = re.compile(
    r"Hardening: assigned (?:maximum number of hardening points for this item "
    r"\((?P<max>\d+)\)|partial number of hardening points \((?P<got>\d+) of (?P<of>\d+)\))")


def parse_log_points(text: str) -> dict[str, Points]:
    """Hardening points per test from ``lynis.log``, in the order the tests ran."""
    out: dict[str, Points] = {}
    current: Points | None = None
    for line in text.splitlines():
        m = _TEST_RE.search(line)
        if m:
            current = out.setdefault(m["id"], Points(m["id"], m["desc"]))
            continue
        m = _POINTS_RE.search(line)
        if m and current is not None:
            if m["max"] is not None:
                current.earned += int(m["max"])
                current.possible += int(m["max"])
            else:
                current.earned += int(m["got"])
                current.possible += int(m["of"])
    return {k: v for k, v in out.items() if v.possible}


def index_from_points(points: dict[str, Points]) -> int:
    """Lynis' formula: floor(earned x 100 / possible)."""
    possible = sum(p.possible for p in points.values())
    return (sum(p.earned for p in points.values()) * 100 // possible) if possible else 0


def lost_points(points: dict[str, Points]) -> list[dict[str, Any]]:
    """Tests that lost points, most first: where the hardening index is lost."""
    rows = [{"id": p.id, "description": p.description, "earned": p.earned,
             "possible": p.possible, "lost": p.lost} for p in points.values() if p.lost]
    return sorted(rows, key=lambda r: (-r["lost"], r["id"]))
