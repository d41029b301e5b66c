"""``net.push``: bring each device to its intended configuration, or back to where it was.

Per device, in a thread of its own (up to ``workers``):

1. log in and read the running configuration: the **pre-push snapshot**, kept in memory;
2. compute the remediation (:mod:`bilgiislem.netops.compare`); none: ``unchanged``;
3. send it (a multi-line banner alone, then the commands, stopping at the first the device
   refuses), save it (``write memory`` / ``save``), read the running configuration again and
   check that it now matches the intent: ``ok``;
4. on any failure in step 3 (a refused command, a lost session, a failed verification) the
   device is put back to the snapshot, over a new session if the old one is gone: the
   remediation from what it has now to the snapshot is sent, saved and verified:
   ``failed-rolled-back``; if even that fails, ``failed``, and a person must look at it.

A device that cannot be reached or logged in to before anything is sent is ``unreachable`` or
``auth-failed`` and is left as it was. This is the commit-confirm that the vendors without one
lack: no device is left half-configured without it being said. Other devices go on.

Secrets: the commands sent hold them in clear; the run report holds only the masked lines.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from netmiko import BaseConnection

from bilgiislem import ui
from bilgiislem.ansible_run import stamp
from bilgiislem.netops import compare
from bilgiislem.netops.backup import (
    ReadFailure,
    connect,
    describe,
    disconnect,
    running_config,
)
from bilgiislem.netops.targets import Target

Status = Literal["ok", "unchanged", "failed-rolled-back", "failed", "unreachable",
                 "auth-failed"]
STATUSES: tuple[Status, ...] = ("ok", "unchanged", "failed-rolled-back", "failed",
                                "unreachable", "auth-failed")
FAILED: tuple[Status, ...] = ("failed-rolled-back", "failed", "unreachable", "auth-failed")
# what the vendors print when they refuse a configuration line
ERROR_PATTERN = r"^\s*(?:% ?(?:Invalid|Incomplete|Ambiguous|Unknown)|Error:)"


class PushFailure(Exception):
    """Step 3 failed: a refused command, a lost session or a failed verification."""


@dataclass(frozen=True)
class Job:
    """One device and what it should be."""

    target: Target
    intended: str = field(repr=False)  # rendered, secrets in clear


@dataclass
class DeviceResult:
    name: str
    vendor: str
    host: str
    status: Status
    attempts: int  # sessions opened
    duration: float
    change: list[str] = field(default_factory=list)  # the remediation sent, masked
    error: str | None = None
    rollback: list[str] = field(default_factory=list)  # what put it back, masked

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "vendor": self.vendor, "host": self.host,
                "status": self.status, "attempts": self.attempts,
                "duration": round(self.duration, 2), "change": self.change,
                "error": self.error, "rollback": self.rollback}


@dataclass
class PushRun:
    time: dt.datetime
    devices: list[DeviceResult] = field(default_factory=list)
    duration: float = 0.0

    @property
    def failed(self) -> list[DeviceResult]:
        return [d for d in self.devices if d.status in FAILED]

    def counts(self) -> dict[str, int]:
        return {s: sum(d.status == s for d in self.devices) for s in STATUSES}

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "net-push", "time": self.time.isoformat(), "stamp": stamp(self.time),
                "duration": round(self.duration, 2), "ok": not self.failed,
                "counts": self.counts(), "devices": [d.as_dict() for d in self.devices]}


# configuration mode of each Netmiko device type: (enter, leave)
_MODE = {"cisco_ios": ("configure terminal", "end"), "huawei": ("system-view", "return"),
         "hp_procurve": ("configure terminal", "end")}


def send(conn: BaseConnection, change: compare.Remediation, timeout: float) -> None:
    """Send ``change`` and save it; raises on a refused line or a lost session (a reset
    session shows as a read that times out).

    Configuration mode is entered and left here, not by Netmiko: Netmiko's checks look for the
    prompt it saw at login, which is gone once the host name changes (and on Huawei they wait
    seconds for silence); a VRP prompt ends in ``]``, not in the ``#`` Netmiko waits for.
    """
    enter, leave = _MODE[conn.device_type]
    conn.send_command(enter, expect_string=r"[#\]]", read_timeout=timeout)
    mode: dict[str, Any] = {"read_timeout": timeout, "enter_config_mode": False,
                            "exit_config_mode": False, "terminator": r"[#\]]"}
    for banner in change.banners():
        out = conn.send_config_set([banner], cmd_verify=False,
                                   bypass_commands=compare.BANNER.pattern, **mode)
        refused = re.search(ERROR_PATTERN, out, re.M)
        if refused:
            raise PushFailure(f"the device refused the banner: {refused.group(0).strip()}")
    commands = change.commands()
    if commands:
        conn.send_config_set(commands, error_pattern=ERROR_PATTERN, **mode)
    conn.send_command(leave, expect_string=r"[#>]", read_timeout=timeout)
    conn.set_base_prompt()
    conn.save_config()


class _Device:
    """One device's push: its sessions and what they did."""

    def __init__(self, job: Job, timeout: float, retries: int, backoff: float) -> None:
        self.job, self.timeout, self.retries, self.backoff = job, timeout, retries, backoff
        self.vendor = job.target.vendor
        self.attempts = 0

    def session(self) -> BaseConnection:
        """A new session, retrying transient failures (never a refused login)."""
        while True:
            self.attempts += 1
            try:
                return connect(self.job.target, self.timeout)
            except ReadFailure as e:
                if not e.transient or self.attempts > self.retries:
                    raise
            time.sleep(self.backoff * self.attempts)

    def read(self, conn: BaseConnection) -> str:
        return running_config(conn, self.job.target, self.timeout)

    def converge(self, conn: BaseConnection, current: str, wanted: str, *,
                 write_only: bool) -> compare.Remediation:
        """Send what turns ``current`` into ``wanted``, re-read and check; returns what was
        sent. Raises :class:`PushFailure` when the device does not match ``wanted`` then."""
        change = compare.remediation(current, wanted, self.vendor, include_write_only=write_only)
        if change:
            send(conn, change, self.timeout)
        after = self.read(conn)
        left = compare.remediation(after, wanted, self.vendor, include_write_only=False)
        if left:
            raise PushFailure(f"verification failed: {len(left.lines)} line(s) still differ, "
                              f"first: {left.masked()[0].strip()!r}")
        return change


def _push_one(job: Job, *, timeout: float, retries: int, backoff: float) -> DeviceResult:
    t = job.target
    start = time.monotonic()
    dev = _Device(job, timeout, retries, backoff)

    def result(status: Status, **kw: Any) -> DeviceResult:
        return DeviceResult(t.name, t.vendor, t.host, status, dev.attempts,
                            time.monotonic() - start, **kw)

    try:
        conn = dev.session()
    except ReadFailure as e:
        return result("auth-failed" if e.status == "auth-failed" else "unreachable", error=str(e))
    try:
        snapshot = dev.read(conn)
        change = compare.remediation(snapshot, job.intended, t.vendor)
    except Exception as e:  # nothing was sent
        disconnect(conn)
        return result("unreachable", error=f"could not read the configuration: {describe(e)}")
    if not change:
        disconnect(conn)
        return result("unchanged")
    try:
        dev.converge(conn, snapshot, job.intended, write_only=True)
        disconnect(conn)
        return result("ok", change=change.masked())
    except Exception as e:
        disconnect(conn)
        error = describe(e) if not isinstance(e, PushFailure) else str(e)
    # put it back to the snapshot, over a new session
    try:
        conn = dev.session()
        try:
            back = dev.converge(conn, dev.read(conn), snapshot, write_only=False)
        finally:
            disconnect(conn)
    except Exception as e:
        return result("failed", change=change.masked(),
                      error=f"{error}; rollback failed too: {describe(e)}")
    return result("failed-rolled-back", change=change.masked(), error=error,
                  rollback=back.masked())


def push(jobs: Iterable[Job], *, workers: int = 10, timeout: float = 30, retries: int = 2,
         backoff: float = 1.0, now: dt.datetime | None = None) -> PushRun:
    """Push every job's intended configuration (see the module)."""
    jobs = list(jobs)
    if workers < 1 or retries < 0 or timeout <= 0:
        raise ValueError("workers must be >= 1, retries >= 0 and timeout > 0")
    run = PushRun(time=now or dt.datetime.now(dt.UTC).replace(microsecond=0))
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs) or 1)) as pool:
        run.devices = list(pool.map(
            lambda j: _push_one(j, timeout=timeout, retries=retries, backoff=backoff), jobs))
    run.duration = time.monotonic() - start
    return run


def summary(run: PushRun) -> str:
    rows = [[d.name, d.vendor, d.host, d.status, str(len(d.change)), str(d.attempts),
             f"{d.duration:.1f}s", d.error or ""] for d in run.devices]
    counts = ", ".join(f"{n} {s}" for s, n in run.counts().items() if n)
    return (f"Yapılandırma gönderimi / config push: {len(run.devices)} cihaz/devices "
            f"({counts or '-'})\n"
            + ui.table(["cihaz", "vendor", "host", "durum", "satır", "oturum", "süre", "hata"],
                       rows))
