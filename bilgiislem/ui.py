"""Console output shared by the invoke tasks: progress steps, warnings, tables."""

from __future__ import annotations

import sys
import time

_START = time.monotonic()


def _stamp() -> str:
    elapsed = int(time.monotonic() - _START)
    return f"[{elapsed // 60:02d}:{elapsed % 60:02d}]"


def step(message: str) -> None:
    print(f"{_stamp()} ==> {message}", flush=True)


def info(message: str) -> None:
    print(f"{_stamp()}     {message}", flush=True)


def warn(message: str) -> None:
    print(f"{_stamp()} UYARI/WARNING: {message}", file=sys.stderr, flush=True)


def error(message: str) -> None:
    print(f"HATA/ERROR: {message}", file=sys.stderr, flush=True)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)
