"""The retention policy on a simulated calendar: 400 days of backups, pruned every day like
the repository's timer, must leave exactly the newest n snapshots of each class."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bilgiislem.backup import retention
from bilgiislem.backup.retention import PERIODS, bucket, kept
from bilgiislem.inventory import models

START = datetime(2024, 1, 1)  # a Monday
DAYS = 400
END = START + timedelta(days=DAYS)  # 2025-02-04 00:00


def _fires(t: datetime) -> list[str]:
    """The classes whose systemd timer fires at minute ``t`` (the built-in schedules)."""
    out = []
    if t.minute == 0:
        out.append("hourly")
    if (t.hour, t.minute) == (1, 30):
        out.append("daily")
    if (t.hour, t.minute) == (2, 30) and t.weekday() == 6:
        out.append("weekly")
    if (t.day, t.hour, t.minute) == (1, 3, 30):
        out.append("monthly")
    if (t.day, t.hour, t.minute) == (1, 4, 30) and t.month in (1, 4, 7, 10):
        out.append("quarterly")
    if (t.day, t.hour, t.minute) == (1, 5, 30) and t.month in (1, 7):
        out.append("semiannual")
    return out


def _simulate(keep: dict[str, int]) -> dict[str, list[datetime]]:
    """Run a fake clock in half-hour steps (every schedule fires on :00 or :30); snapshot
    when a timer fires, prune after every day; return the surviving times per class."""
    repo: dict[str, tuple[datetime, str]] = {}
    now = START
    while now < END:
        for cls in _fires(now):
            repo[f"{cls}-{now:%Y%m%dT%H%M}"] = (now, cls)
        now += timedelta(minutes=30)
        if now.hour == 0 and now.minute == 0:  # the repository's nightly prune
            keep_ids = kept(((i, t, c) for i, (t, c) in repo.items()), keep)
            repo = {i: v for i, v in repo.items() if i in keep_ids}
    out: dict[str, list[datetime]] = {c: [] for c in PERIODS}
    for t, c in sorted(repo.values()):
        out[c].append(t)
    return out


def test_built_in_schedules_match_the_simulated_timers() -> None:
    # The simulation fires exactly on the schedules models.py declares.
    assert models.BACKUP_CLASSES == {
        "hourly": ("hourly", 24), "daily": ("*-*-* 01:30", 14),
        "weekly": ("Sun *-*-* 02:30", 8), "monthly": ("*-*-01 03:30", 12),
        "quarterly": ("*-01,04,07,10-01 04:30", 8), "semiannual": ("*-01,07-01 05:30", 4)}
    assert tuple(models.BACKUP_CLASSES) == PERIODS


def test_400_days_with_the_built_in_policy() -> None:
    keep = {c: n for c, (_, n) in models.BACKUP_CLASSES.items()}
    got = _simulate(keep)
    # Expectations from the calendar (2024-01-01 .. 2025-02-03), not from kept().
    assert got["hourly"] == [datetime(2025, 2, 3, h) for h in range(24)]
    assert got["daily"] == (
        [datetime(2025, 1, d, 1, 30) for d in range(21, 32)]
        + [datetime(2025, 2, d, 1, 30) for d in (1, 2, 3)])
    # The last 8 Sundays: 2024-12-15 .. 2025-02-02.
    assert got["weekly"] == [datetime(2024, 12, 15, 2, 30) + timedelta(weeks=w)
                             for w in range(8)]
    assert got["weekly"][-1].strftime("%A %Y-%m-%d") == "Sunday 2025-02-02"
    assert got["monthly"] == (
        [datetime(2024, m, 1, 3, 30) for m in range(3, 13)]
        + [datetime(2025, m, 1, 3, 30) for m in (1, 2)])
    # Fewer quarters and half years have passed than the policy keeps: all of them stay.
    assert got["quarterly"] == [datetime(2024, 1, 1, 4, 30), datetime(2024, 4, 1, 4, 30),
                                datetime(2024, 7, 1, 4, 30), datetime(2024, 10, 1, 4, 30),
                                datetime(2025, 1, 1, 4, 30)]
    assert got["semiannual"] == [datetime(2024, 1, 1, 5, 30), datetime(2024, 7, 1, 5, 30),
                                 datetime(2025, 1, 1, 5, 30)]


def test_400_days_with_short_quarterly_and_semiannual_series() -> None:
    """Smaller counts, as a municipality could set in backups.yml, so that the quarterly and
    semiannual series are pruned too, independently of the monthly one."""
    got = _simulate({"hourly": 6, "daily": 3, "weekly": 2, "monthly": 2, "quarterly": 3,
                     "semiannual": 2})
    assert got["hourly"] == [datetime(2025, 2, 3, h) for h in range(18, 24)]
    assert got["daily"] == [datetime(2025, 2, d, 1, 30) for d in (1, 2, 3)]
    assert got["weekly"] == [datetime(2025, 1, 26, 2, 30), datetime(2025, 2, 2, 2, 30)]
    assert got["monthly"] == [datetime(2025, 1, 1, 3, 30), datetime(2025, 2, 1, 3, 30)]
    # July 2024 is long gone from the monthly series, but the quarterly series keeps its own.
    assert got["quarterly"] == [datetime(2024, 7, 1, 4, 30), datetime(2024, 10, 1, 4, 30),
                                datetime(2025, 1, 1, 4, 30)]
    assert got["semiannual"] == [datetime(2024, 7, 1, 5, 30), datetime(2025, 1, 1, 5, 30)]


def test_newest_snapshot_of_a_bucket_is_kept() -> None:
    snaps = [("a", datetime(2025, 3, 1, 1, 30), "daily"),
             ("b", datetime(2025, 3, 1, 13, 0), "daily"),  # a manual run the same day
             ("c", datetime(2025, 2, 28, 1, 30), "daily")]
    assert kept(snaps, {"daily": 2}) == {"b", "c"}
    assert kept(snaps, {"daily": 1}) == {"b"}


def test_unknown_class_is_kept_and_classes_are_separate() -> None:
    snaps = [("m1", datetime(2025, 1, 1, 3, 30), "monthly"),
             ("m2", datetime(2025, 2, 1, 3, 30), "monthly"),
             ("q1", datetime(2025, 1, 1, 4, 30), "quarterly"),
             ("x", datetime(2020, 1, 1), "manual")]
    # Only the newest monthly survives; the quarterly one is not taken for the monthly count.
    assert kept(snaps, {"monthly": 1, "quarterly": 1}) == {"m2", "q1", "x"}
    # A class the policy does not name is never deleted.
    assert kept(snaps, {"monthly": 1}) == {"m2", "q1", "x"}


def test_keep_larger_than_history() -> None:
    snaps = [(f"d{i}", datetime(2025, 1, 1 + i, 1, 30), "daily") for i in range(5)]
    assert kept(snaps, {"daily": 30}) == {f"d{i}" for i in range(5)}
    assert kept([], {"daily": 3}) == set()


def test_buckets() -> None:
    t = datetime(2024, 12, 30, 13, 45)  # ISO week 1 of 2025
    assert bucket("hourly", t) == (2024, 12, 30, 13)
    assert bucket("daily", t) == (2024, 12, 30)
    assert bucket("weekly", t) == (2025, 1)
    assert bucket("monthly", t) == (2024, 12)
    assert bucket("quarterly", t) == (2024, 4)
    assert bucket("semiannual", t) == (2024, 2)
    assert bucket("semiannual", datetime(2024, 6, 30)) == (2024, 1)
    with pytest.raises(ValueError, match="unknown backup class"):
        bucket("yearly", t)
    with pytest.raises(ValueError, match="1 or more"):
        kept([], {"daily": 0})


def test_stdlib_only() -> None:
    """The repository host imports this file alone: no bilgiislem, no third-party import."""
    text = Path(retention.__file__).read_text(encoding="utf-8")
    imports = [line.split()[1] for line in text.splitlines()
               if line.startswith(("import ", "from "))]
    assert imports == ["__future__", "collections.abc", "datetime"]
