"""What the drill and the status report share: times, durations, evidence files, tables."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jinja2

from bilgiislem import REPO_ROOT, htmlreport
from bilgiislem.audit.report import TEMPLATES as AUDIT_TEMPLATES

EVIDENCE_DIR = REPO_ROOT / "evidence" / "backup"
TEMPLATES = Path(__file__).with_name("templates")


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time from a result file; naive times are taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def duration(seconds: float | None) -> str:
    """A duration for people: 45 sn, 12 dk 5 sn, 3 sa 20 dk, 2 gün 4 sa."""
    if seconds is None:
        return "—"
    s = round(seconds)
    if s < 60:
        return f"{s} sn"
    if s < 3600:
        return f"{s // 60} dk {s % 60} sn"
    if s < 86400:
        return f"{s // 3600} sa {s % 3600 // 60} dk"
    return f"{s // 86400} gün {s % 86400 // 3600} sa"


def size(n: float | None) -> str:
    if n is None:
        return "—"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}".replace(
                ".", ",")
        value /= 1024
    return f"{n} B"


def tr_time(value: Any) -> str:
    t = parse_time(value)
    return t.astimezone(dt.UTC).strftime("%d.%m.%Y %H:%M UTC") if t else "—"


def read_json_files(paths: list[Path]) -> tuple[list[tuple[Path, dict[str, Any]]], list[str]]:
    """Parsed JSON objects, and a problem line for each file that is not one."""
    out, problems = [], []
    for path in sorted(paths):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: not readable JSON ({exc})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path.name}: not a JSON object")
            continue
        out.append((path, data))
    return out, problems


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def jinja() -> jinja2.Environment:
    return htmlreport.environment(TEMPLATES, AUDIT_TEMPLATES, duration=duration, size=size,
                                  tr_time=tr_time)
