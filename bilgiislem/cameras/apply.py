"""``cameras.apply``: bring each camera to its :class:`CameraTarget` over ONVIF.

Per camera (up to ``concurrency`` at once; one camera failing never stops the others):

1. log in as the project's admin account (``target.admin``). If the camera refuses it, try
   the vendor's factory credentials (:mod:`bilgiislem.cameras.defaults`); with one that works,
   create the admin account (or, if it exists with another password, set its password and
   level) and continue as the admin. Nothing works: ``auth-failed``; no answer:
   ``unreachable``.
2. read the camera and compare (:func:`compare`): NTP servers, time zone and NTP time mode,
   hostname (the inventory name), DNS servers, accounts and their levels, the first profile's
   video encoder (encoding, resolution, frame rate, bitrate, GOP).
3. passwords cannot be read back: the password of an account the project owns is set when
   the account is created, and again only when a login with the inventory's password fails
   (one GetDeviceInformation per account and run). A built-in account the firmware refuses
   to delete (``defaults.BUILTIN``, e.g. Hikvision ``admin``, Axis ``root``) is kept, but if
   its factory password still works it gets a long random password that is stored nowhere.
   Any other account not in the target is deleted; if the camera refuses, it too gets a
   random password and the result says so.
4. apply the differences, read everything back and compare again (passwords by logging in):
   ``ok`` with the list of changes (field: old → new, never a password), ``unchanged`` when
   there was nothing to do, ``failed`` with the errors and what is still different.

Check mode (``check=True``) reads only (logging in with a factory credential is still tried,
as a read) and reports ``would-change`` with the changes it would make, or ``unchanged``.
"""

from __future__ import annotations

import asyncio
import secrets
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from bilgiislem.cameras import defaults
from bilgiislem.cameras.onvif import (
    AuthRefused,
    CameraError,
    DeviceFault,
    Session,
    Unreachable,
)
from bilgiislem.cameras.target import Account, CameraTarget

Status = Literal["ok", "unchanged", "would-change", "failed", "unreachable", "auth-failed"]
STATUSES: tuple[Status, ...] = ("ok", "unchanged", "would-change", "failed", "unreachable",
                                "auth-failed")
FAILED: tuple[Status, ...] = ("failed", "unreachable", "auth-failed")
ENCODER_FIELDS = ("encoding", "width", "height", "fps", "bitrate_kbps", "gop")
RANDOM_LENGTH = 16  # many cameras refuse longer passwords
ABSENT = "(yok)"
DELETE = "(silinecek)"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass
class CameraResult:
    name: str
    address: str
    vendor: str
    model: str
    status: Status
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    login: str = ""  # which account opened the session: "bilgiislem" or a factory default
    device: dict[str, Any] = field(default_factory=dict)  # GetDeviceInformation
    duration: float = 0.0
    kept: list[str] = field(default_factory=list)  # undeletable accounts, random password

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "address": self.address, "vendor": self.vendor,
                "model": self.model, "status": self.status,
                "changes": [c.as_dict() for c in self.changes], "errors": self.errors,
                "notes": self.notes, "login": self.login, "device": self.device,
                "kept_accounts": self.kept, "duration": round(self.duration, 2)}


def random_password(length: int = RANDOM_LENGTH) -> str:
    """Letters and digits (cameras refuse exotic characters), at least one of each kind."""
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.islower() for c in pw) and any(c.isupper() for c in pw)
                and any(c.isdigit() for c in pw)):
            return pw


def _list(values: Iterable[str]) -> str:
    return ", ".join(values) or ABSENT


def wanted_accounts(target: CameraTarget) -> dict[str, Account]:
    return {a.username: a for a in (target.admin, *target.accounts)}


def compare(target: CameraTarget, state: dict[str, Any]) -> list[Change]:
    """What differs between the camera (``Session.read``) and its target, passwords aside."""
    out: list[Change] = []
    if target.ntp_servers:
        if state["ntp"] != list(target.ntp_servers) or state["ntp_from_dhcp"]:
            out.append(Change("ntp", _list(state["ntp"]), _list(target.ntp_servers)))
        if state["datetime_type"] != "NTP":
            out.append(Change("saat.kaynak", state["datetime_type"], "NTP"))
    if state["timezone"] != target.timezone:
        out.append(Change("saat.dilimi", state["timezone"] or ABSENT, target.timezone))
    if state["hostname"] != target.name:
        out.append(Change("hostname", state["hostname"] or ABSENT, target.name))
    if target.dns_servers and (state["dns"] != list(target.dns_servers)
                               or state["dns_from_dhcp"]):
        out.append(Change("dns", _list(state["dns"]), _list(target.dns_servers)))
    users: dict[str, str] = state.get("users", {})
    for name, account in wanted_accounts(target).items():
        if users.get(name) != account.level:
            out.append(Change(f"hesap.{name}", users.get(name, ABSENT), account.level))
    builtin = defaults.BUILTIN.get(target.vendor, ())
    for name, level in users.items():
        if name not in wanted_accounts(target) and name not in builtin:
            out.append(Change(f"hesap.{name}", level, DELETE))
    enc = state.get("encoder") or {}
    for key in ENCODER_FIELDS:
        want = getattr(target.encoder, key)
        if key == "gop" and target.encoder.encoding != "H264":
            continue
        if enc.get(key) != want:
            out.append(Change(f"kodlayıcı.{key}", str(enc.get(key, ABSENT)), str(want)))
    return out


async def password_checks(session: Session, target: CameraTarget,
                          users: dict[str, str]) -> list[Change]:
    """Accounts of the target whose password the camera refuses, and built-in accounts that
    still take a factory password (the admin's own login is checked by the caller)."""
    probes: list[tuple[Change, Any]] = []
    for account in target.accounts:
        if account.username in users:
            probes.append((Change(f"hesap.{account.username}.parola", "kabul edilmedi",
                                  "envanterdeki parola"),
                           session.works(account.username, account.password)))
    wanted = wanted_accounts(target)
    for name in defaults.BUILTIN.get(target.vendor, ()):
        if name in users and name not in wanted:
            for cred in defaults.DEFAULTS:
                if cred.username == name:
                    probes.append((Change(f"hesap.{name}.parola", "fabrika parolası",
                                          "rastgele (saklanmaz; yerleşik hesap)"),
                                   session.works(cred.username, cred.password)))
    results = await asyncio.gather(*(p for _, p in probes))
    out: list[Change] = []
    for (change, _), ok in zip(probes, results, strict=True):
        refused_inventory = change.old == "kabul edilmedi" and not ok
        factory_works = change.old == "fabrika parolası" and ok
        if (refused_inventory or factory_works) and change not in out:
            out.append(change)
    return out


async def log_in(session: Session, target: CameraTarget, result: CameraResult, *,
                 check: bool) -> bool:
    """Connect ``session`` and log in as the admin, making the admin account from a factory
    login if needed (in check mode the session stays on the factory credential and the
    admin's creation is only recorded as a change). False, with ``result.status`` set, when
    neither works."""
    await session.connect()
    if await session.works(target.admin.username, target.admin.password):
        result.login = target.admin.username
        return True
    for cred in defaults.for_vendor(target.vendor):
        if await session.works(cred.username, cred.password):
            break
    else:
        result.status = "auth-failed"
        result.errors.append(f"{target.admin.username} hesabı ve üreticinin fabrika "
                             "parolaları reddedildi")
        return False
    result.login = f"fabrika: {cred}"
    session.switch(cred.username, cred.password)
    users = await session.users()
    admin = target.admin
    if admin.username in users:
        result.changes.append(Change(f"hesap.{admin.username}.parola", "kabul edilmedi",
                                     "envanterdeki parola"))
        if not check:
            await session.set_user(admin.username, admin.level, admin.password)
    else:
        result.changes.append(Change(f"hesap.{admin.username}", ABSENT, admin.level))
        if not check:
            await session.create_user(admin.username, admin.password, admin.level)
    if not check:
        session.switch(admin.username, admin.password)
        await session.login()
    return True


async def _execute(session: Session, target: CameraTarget, state: dict[str, Any],
                   changes: list[Change], result: CameraResult) -> None:
    fields = {c.field for c in changes}

    async def step(label: str, action: Any) -> None:
        try:
            await action
        except DeviceFault as err:
            result.errors.append(f"{label}: {err}")

    if "ntp" in fields:
        await step("ntp", session.set_ntp(target.ntp_servers))
    if fields & {"saat.kaynak", "saat.dilimi"}:
        await step("saat", session.set_time(target.timezone, bool(target.ntp_servers)))
    if "hostname" in fields:
        await step("hostname", session.set_hostname(target.name))
    if "dns" in fields:
        await step("dns", session.set_dns(target.dns_servers))
    users: dict[str, str] = state.get("users", {})
    for name, account in wanted_accounts(target).items():
        if f"hesap.{name}" in fields:
            if name in users:
                await step(f"hesap {name}", session.set_user(name, account.level))
            else:
                await step(f"hesap {name}", session.create_user(name, account.password,
                                                                 account.level))
        if f"hesap.{name}.parola" in fields and name in users:
            await step(f"hesap {name}", session.set_user(name, account.level,
                                                          account.password))
    for name, level in users.items():
        if name in wanted_accounts(target):
            continue
        if f"hesap.{name}.parola" in fields:  # a built-in account with its factory password
            await step(f"hesap {name}", session.set_user(name, level, random_password()))
            result.notes.append(f"{name}: yerleşik hesap silinemez; fabrika parolası "
                                "rastgele, saklanmayan bir parolayla değiştirildi")
        elif f"hesap.{name}" in fields:
            try:
                await session.delete_user(name)
            except DeviceFault as err:
                if err.not_authorized:
                    result.errors.append(f"hesap {name}: {err}")
                    continue
                await step(f"hesap {name}", session.set_user(name, level, random_password()))
                result.kept.append(name)
                result.notes.append(f"{name}: kamera silmeyi reddetti ({err.reason}); "
                                    "rastgele, saklanmayan bir parola verildi")
    if any(f.startswith("kodlayıcı.") for f in fields):
        await step("kodlayıcı", session.set_encoder(target.encoder))


async def apply_one(target: CameraTarget, *, check: bool) -> CameraResult:
    start = time.monotonic()
    result = CameraResult(target.name, f"{target.address}:{target.port}", target.vendor,
                          target.model, "unchanged")
    session = Session(target, target.admin.username, target.admin.password)
    try:
        if not await log_in(session, target, result, check=check):
            return result
        state = await session.read()
        result.device = state["device"]
        planned = compare(target, state)
        planned += await password_checks(session, target, state.get("users", {}))
        # in check mode after a factory login the admin is already listed
        result.changes += [c for c in planned if c not in result.changes]
        if check:
            result.status = "would-change" if result.changes else "unchanged"
            return result
        if planned:
            await _execute(session, target, state, planned, result)
        after = await session.read()
        left = compare(target, after)
        left += await password_checks(session, target, after.get("users", {}))
        # accounts the camera refused to delete and that got a random password instead
        left = [c for c in left if c.field.removeprefix("hesap.") not in result.kept]
        if left:
            result.errors.append("geri okumada hâlâ farklı: " + "; ".join(map(str, left)))
        if result.errors:
            result.status = "failed"
        else:
            result.status = "ok" if result.changes else "unchanged"
    except Unreachable as err:
        result.status = "unreachable"
        result.errors.append(str(err))
    except AuthRefused as err:
        result.status = "auth-failed"
        result.errors.append(str(err))
    except CameraError as err:
        result.status = "failed"
        result.errors.append(str(err))
    except Exception as err:
        result.status = "failed"
        result.errors.append(f"{type(err).__name__}: {err}")
    finally:
        await session.close()
        result.duration = time.monotonic() - start
    return result


async def apply(targets: Iterable[CameraTarget], *, check: bool, concurrency: int = 20,
                progress: Callable[[CameraResult], None] | None = None) -> list[CameraResult]:
    """Apply (or with ``check``, only compare) every target; results in the targets' order."""
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def one(target: CameraTarget) -> CameraResult:
        async with semaphore:
            result = await apply_one(target, check=check)
        if progress is not None:
            progress(result)
        return result

    return list(await asyncio.gather(*(one(t) for t in targets)))


def apply_sync(targets: Iterable[CameraTarget], *, check: bool, concurrency: int = 20,
               progress: Callable[[CameraResult], None] | None = None) -> list[CameraResult]:
    return asyncio.run(apply(targets, check=check, concurrency=concurrency,
                             progress=progress))


def counts(results: Iterable[CameraResult]) -> dict[str, int]:
    results = list(results)
    return {s: sum(r.status == s for r in results) for s in STATUSES}
