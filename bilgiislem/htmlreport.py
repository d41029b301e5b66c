"""The Jinja environment of the Turkish HTML evidence reports (audit, backup): autoescaped,
strict about undefined values, with each report's own filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2


def environment(*template_dirs: Path, **filters: Callable[..., Any]) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(list(template_dirs)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters.update(filters)
    return env


def write_record(base: Path, data: dict[str, Any], template: str,
                 *template_dirs: Path) -> Path:
    """An evidence record: ``base``.json for machines and ``base``.html (``template``) for
    people; returns the JSON's path."""
    base.parent.mkdir(parents=True, exist_ok=True)
    path = base.with_suffix(".json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    html = environment(*template_dirs).get_template(template).render(r=data)
    base.with_suffix(".html").write_text(html, encoding="utf-8")
    return path
