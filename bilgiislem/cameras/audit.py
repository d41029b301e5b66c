"""``cameras.audit``: what is wrong with the cameras, read-only.

Per camera (up to ``concurrency`` at once), findings of these kinds:

- ``unreachable``: no ONVIF answer;
- ``auth-failed``: the project's admin account is refused;
- ``default-credential``: the camera accepts a well-known factory credential; every entry of
  :data:`bilgiislem.cameras.defaults.DEFAULTS` is tried on every camera, whatever its vendor
  (they are public knowledge, so the report names the one that worked);
- ``clock-drift``: the camera's UTC clock differs from this machine's by more than
  ``drift_limit_s`` seconds;
- ``firmware-outdated``: the firmware is older than ``target.min_firmware`` (dotted numeric
  comparison: V5.7.3 < V5.7.10);
- ``config-drift``: the settings differ from the target (the comparison of ``apply --check``:
  NTP, time zone, hostname, DNS, accounts and levels, account passwords by login, encoder);
- ``error``: anything else the camera answered with (a SOAP fault).

The asset data of GetDeviceInformation (manufacturer, model, firmware, serial, hardware id)
is recorded for every camera that answered. A camera without findings is clean.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bilgiislem.cameras import defaults
from bilgiislem.cameras.apply import compare, password_checks
from bilgiislem.cameras.onvif import CameraError, Session, Unreachable
from bilgiislem.cameras.target import CameraTarget, firmware_older

KINDS = ("unreachable", "auth-failed", "default-credential", "clock-drift",
         "firmware-outdated", "config-drift", "error")


@dataclass(frozen=True)
class Finding:
    camera: str
    kind: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"camera": self.camera, "kind": self.kind, "detail": self.detail}


@dataclass
class CameraAudit:
    name: str
    address: str
    vendor: str
    model: str
    reachable: bool = False
    logged_in: bool = False
    drift_s: int | None = None
    default_credential: str | None = None
    asset: dict[str, Any] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "address": self.address, "vendor": self.vendor,
                "model": self.model, "reachable": self.reachable,
                "logged_in": self.logged_in, "drift_s": self.drift_s,
                "default_credential": self.default_credential, "asset": self.asset,
                "changes": self.changes, "clean": self.clean,
                "findings": [f.as_dict() for f in self.findings]}


@dataclass
class AuditReport:
    time: dt.datetime
    drift_limit_s: int
    cameras: list[CameraAudit] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.cameras for f in c.findings]

    @property
    def clean(self) -> list[str]:
        return [c.name for c in self.cameras if c.clean]

    def counts(self) -> dict[str, int]:
        return {k: sum(f.kind == k for f in self.findings) for k in KINDS}

    def as_dict(self) -> dict[str, Any]:
        return {"time": self.time.isoformat(), "drift_limit_s": self.drift_limit_s,
                "cameras_total": len(self.cameras), "cameras_clean": len(self.clean),
                "counts": self.counts(), "findings": [f.as_dict() for f in self.findings],
                "cameras": [c.as_dict() for c in self.cameras]}


async def audit_one(target: CameraTarget, *, now: dt.datetime | None,
                    drift_limit_s: int) -> CameraAudit:
    row = CameraAudit(target.name, f"{target.address}:{target.port}", target.vendor,
                      target.model)

    def finding(kind: str, detail: str) -> None:
        row.findings.append(Finding(target.name, kind, detail))

    session = Session(target, target.admin.username, target.admin.password)
    try:
        await session.connect()
        row.reachable = True
        creds = defaults.unique()
        accepted = await asyncio.gather(*(session.works(c.username, c.password)
                                          for c in creds))
        taken = [c for c, ok in zip(creds, accepted, strict=True) if ok]
        if taken:
            row.default_credential = ", ".join(map(str, taken))
            finding("default-credential",
                    "fabrika parolası kabul ediliyor: " + row.default_credential)
        row.logged_in = await session.works(target.admin.username, target.admin.password)
        if not row.logged_in:
            finding("auth-failed", f"{target.admin.username} hesabıyla giriş reddedildi")
            diff = session.camera.dt_diff if session.camera else None
            if diff is not None:
                row.drift_s = round(diff.total_seconds())
        else:
            state = await session.read()
            row.asset = state["device"]
            if now is None:
                row.drift_s = int(state["utc_offset_s"])
            else:
                device = dt.datetime.fromisoformat(state["device_utc"])
                row.drift_s = round((device - now).total_seconds())
            firmware = str(state["device"].get("firmware") or "")
            if target.min_firmware and firmware_older(firmware, target.min_firmware):
                finding("firmware-outdated",
                        f"yazılım {firmware}, en az {target.min_firmware} olmalı")
            changes = compare(target, state)
            changes += await password_checks(session, target, state.get("users", {}))
            # a built-in account's factory password is the default-credential finding
            changes = [c for c in changes if not c.new.startswith("rastgele")]
            row.changes = [str(c) for c in changes]
            if changes:
                finding("config-drift", "; ".join(row.changes))
        if row.drift_s is not None and abs(row.drift_s) > drift_limit_s:
            finding("clock-drift", f"saat farkı {row.drift_s:+d} sn "
                                   f"(sınır {drift_limit_s} sn)")
    except Unreachable as err:
        finding("unreachable", str(err))
    except CameraError as err:
        finding("error", str(err))
    except Exception as err:
        finding("error", f"{type(err).__name__}: {err}")
    finally:
        await session.close()
    return row


async def audit(targets: Iterable[CameraTarget], *, now: dt.datetime | None = None,
                drift_limit_s: int = 60, concurrency: int = 20) -> AuditReport:
    """Audit every target (results in the targets' order). ``now``: the reference clock for
    the drift (default: this machine's clock at the moment each camera is read)."""
    semaphore = asyncio.Semaphore(max(1, concurrency))
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)

    async def one(target: CameraTarget) -> CameraAudit:
        async with semaphore:
            return await audit_one(target, now=now, drift_limit_s=drift_limit_s)

    rows = await asyncio.gather(*(one(t) for t in targets))
    return AuditReport(started, drift_limit_s, list(rows))


def audit_sync(targets: Iterable[CameraTarget], *, now: dt.datetime | None = None,
               drift_limit_s: int = 60, concurrency: int = 20) -> AuditReport:
    return asyncio.run(audit(targets, now=now, drift_limit_s=drift_limit_s,
                             concurrency=concurrency))
