"""Which snapshots of one backup set's repository to keep, class by class.

Standard library only, and no import from ``bilgiislem``: the role backup_server installs this
very file on the repository host, where a Python 3.11 script imports it to prune. Clients only
append; pruning happens there, with this policy.

A snapshot carries the class it was taken for (hourly, daily, ..., semiannual). Each class is
its own series: for a class kept ``n`` times, its snapshots are grouped by the class's period
(hour, day, ISO week, month, quarter, half year) and the newest snapshot of each of the ``n``
most recent periods is kept. A quarterly snapshot never counts towards the monthly series, so
quarterly and semiannual backups are real, separately kept series. Snapshots of a class the
policy does not name are always kept: nothing is deleted that the policy does not know.

Times are compared as given; pass them all in the same time zone (the repository's local time,
in which the systemd timers fire), all naive or all aware.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

PERIODS = ("hourly", "daily", "weekly", "monthly", "quarterly", "semiannual")


def bucket(cls: str, t: datetime) -> tuple[int, ...]:
    """The period of class ``cls`` that ``t`` falls in, as a sortable tuple."""
    if cls == "hourly":
        return (t.year, t.month, t.day, t.hour)
    if cls == "daily":
        return (t.year, t.month, t.day)
    if cls == "weekly":
        iso = t.isocalendar()
        return (iso.year, iso.week)
    if cls == "monthly":
        return (t.year, t.month)
    if cls == "quarterly":
        return (t.year, (t.month - 1) // 3 + 1)
    if cls == "semiannual":
        return (t.year, 1 if t.month <= 6 else 2)
    raise ValueError(f"unknown backup class {cls!r}; known: {', '.join(PERIODS)}")


def kept(snapshots: Iterable[tuple[str, datetime, str]], keep: Mapping[str, int]) -> set[str]:
    """Ids of the snapshots to keep; ``snapshots`` are (id, time, class) of one repository."""
    for cls, n in keep.items():
        if cls not in PERIODS:
            raise ValueError(f"unknown backup class {cls!r}; known: {', '.join(PERIODS)}")
        if n < 1:
            raise ValueError(f"keep for {cls!r} is {n}; it must be 1 or more")
    result: set[str] = set()
    series: dict[str, list[tuple[datetime, str]]] = {}
    for sid, when, cls in snapshots:
        if cls in keep:
            series.setdefault(cls, []).append((when, sid))
        else:
            result.add(sid)  # a class the policy does not know: never deleted
    for cls, items in series.items():
        seen: set[tuple[int, ...]] = set()
        for when, sid in sorted(items, reverse=True):  # newest first
            b = bucket(cls, when)
            if b in seen:
                continue  # an older snapshot of a period already kept
            if len(seen) == keep[cls]:
                break
            seen.add(b)
            result.add(sid)
    return result
