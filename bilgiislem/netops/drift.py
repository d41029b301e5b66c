"""``net.plan`` and ``net.drift``: each device's configuration against its intent.

- :func:`plan` compares the intent with the **last backup** (the device's file in the backup
  repository) and touches no device: what ``net.push`` would send, per device.
- :func:`drift` reads every device's **running** configuration now (concurrently, with the
  timeouts and retries of the backup) and compares it: the nightly check that nobody changed a
  device by hand.

Per device: ``in-sync``, ``drift`` (with the masked lines ``net.push`` would send), or why it
could not be compared (``no-backup``, ``unreachable``, ``auth-failed``, ``failed``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bilgiislem import ui
from bilgiislem.ansible_run import stamp
from bilgiislem.netops import compare
from bilgiislem.netops.backup import committed, fetch, head
from bilgiislem.netops.push import Job

Status = Literal["in-sync", "drift", "no-backup", "unreachable", "auth-failed", "failed"]
STATUSES: tuple[Status, ...] = ("in-sync", "drift", "no-backup", "unreachable", "auth-failed",
                                "failed")


@dataclass
class DeviceState:
    name: str
    vendor: str
    host: str
    status: Status
    change: list[str] = field(default_factory=list)  # what net.push would send, masked
    error: str | None = None
    attempts: int = 0
    duration: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "vendor": self.vendor, "host": self.host,
                "status": self.status, "change": self.change, "error": self.error,
                "attempts": self.attempts, "duration": round(self.duration, 2)}


@dataclass
class Comparison:
    kind: Literal["net-plan", "net-drift"]
    time: dt.datetime
    source: str  # where the configurations came from: the backup commit, or "running"
    devices: list[DeviceState] = field(default_factory=list)
    duration: float = 0.0

    @property
    def clean(self) -> bool:
        """Every device was compared and matches its intent."""
        return all(d.status == "in-sync" for d in self.devices)

    def counts(self) -> dict[str, int]:
        return {s: sum(d.status == s for d in self.devices) for s in STATUSES}

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "time": self.time.isoformat(), "stamp": stamp(self.time),
                "source": self.source, "duration": round(self.duration, 2),
                "clean": self.clean, "counts": self.counts(),
                "devices": [d.as_dict() for d in self.devices]}


def _state(job: Job, config: str) -> DeviceState:
    t = job.target
    change = compare.remediation(config, job.intended, t.vendor, include_write_only=False)
    return DeviceState(t.name, t.vendor, t.host, "drift" if change else "in-sync",
                       change=change.masked())


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC).replace(microsecond=0)


def plan(jobs: Iterable[Job], repo: Path, *, now: dt.datetime | None = None) -> Comparison:
    """Intent against the last commit of the backup repository ``repo``; no device is read."""
    jobs = list(jobs)
    known = (repo / ".git").is_dir()
    files = committed(repo, [j.target.file_name for j in jobs]) if known else {}
    commit = head(repo) if known else None
    out = Comparison("net-plan", _now(now), f"{repo} @ {commit or '-'}")
    start = time.monotonic()
    for job in jobs:
        t = job.target
        text = files.get(t.file_name)
        if text is None:
            out.devices.append(DeviceState(
                t.name, t.vendor, t.host, "no-backup",
                error=f"no {t.file_name} in {repo}: run ./scripts/invoke net.backup first"))
        else:
            out.devices.append(_state(job, text))
    out.duration = time.monotonic() - start
    return out


def drift(jobs: Iterable[Job], *, workers: int = 10, timeout: float = 30, retries: int = 2,
          backoff: float = 1.0, now: dt.datetime | None = None) -> Comparison:
    """Intent against every device's running configuration, read now."""
    jobs = list(jobs)
    out = Comparison("net-drift", _now(now), "running")
    start = time.monotonic()

    def one(job: Job) -> DeviceState:
        t = job.target
        f = fetch(t, timeout=timeout, retries=retries, backoff=backoff)
        if f.config is None:
            status: Status = f.status if f.status in ("unreachable", "auth-failed") else "failed"
            return DeviceState(t.name, t.vendor, t.host, status, error=f.error,
                               attempts=f.attempts, duration=f.duration)
        state = _state(job, f.config)
        state.attempts, state.duration = f.attempts, f.duration
        return state

    with ThreadPoolExecutor(max_workers=min(workers, len(jobs) or 1)) as pool:
        out.devices = list(pool.map(one, jobs))
    out.duration = time.monotonic() - start
    return out


def summary(c: Comparison) -> str:
    rows = [[d.name, d.vendor, d.host, d.status, str(len(d.change)), d.error or ""]
            for d in c.devices]
    counts = ", ".join(f"{n} {s}" for s, n in c.counts().items() if n)
    title = "Plan" if c.kind == "net-plan" else "Sapma / drift"
    return (f"{title}: {len(c.devices)} cihaz/devices ({counts or '-'}), kaynak/source "
            f"{c.source}\n"
            + ui.table(["cihaz", "vendor", "host", "durum", "satır", "hata"], rows))
