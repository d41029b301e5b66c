"""The Jinja environment of the Turkish HTML evidence reports (audit, backup): autoescaped,
strict about undefined values, with each report's own filters."""

from __future__ import annotations

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
