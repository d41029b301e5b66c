"""Acceptance of ``cameras.apply`` and ``cameras.audit``: 50 simulated cameras of six vendors
(bilgiislem/onvifsim, in-process on 127.0.0.1) driven by the real ONVIF client.

One scenario, in order (the steps build on each other, so it is one test): apply from factory
state, verify by reading back, a second apply changes nothing, check mode on a changed camera
touches nothing, then faults on three cameras (plus one with old firmware) and the audit
finds exactly those.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from bilgiislem.cameras import defaults, report
from bilgiislem.cameras.apply import apply, compare
from bilgiislem.cameras.audit import audit
from bilgiislem.cameras.onvif import Session
from bilgiislem.cameras.target import Account, CameraTarget, Encoder, firmware_older
from bilgiislem.onvifsim import Simulator, init_camera

VENDORS = ["hikvision", "dahua", "axis", "uniview", "hanwha", "generic"]
N = 50
OLD_FIRMWARE = 7  # this camera runs V5.7.3; the others V5.7.10; the minimum is V5.7.4


def make_targets(sim: Simulator) -> list[CameraTarget]:
    operators = (Account("ayse.kaya", "Op3ratorAyse1", "Operator"),
                 Account("mehmet.demir", "Op3ratorMehmet2", "Operator"))
    out = []
    for i in range(N):
        name = f"kam-{i:03d}"
        host, port = sim.address(name)
        out.append(CameraTarget(
            name=name, address=host, port=port, vendor=VENDORS[i % len(VENDORS)],
            model=f"M{i % len(VENDORS)}",
            admin=Account("bilgiislem", f"Adm1nSifre{i:03d}", "Administrator"),
            accounts=(Account("kayit", f"Kay1tSifre{i:03d}", "User"), *operators),
            ntp_servers=("10.20.0.1", "10.20.0.2"), dns_servers=("10.20.0.53",),
            timezone="<+03>-3", encoder=Encoder(), min_firmware="V5.7.4"))
    return out


@pytest.fixture
def fleet(tmp_path: Path):
    for i in range(N):
        init_camera(tmp_path / "state", f"kam-{i:03d}", vendor=VENDORS[i % len(VENDORS)],
                    model=f"M{i % len(VENDORS)}",
                    firmware="V5.7.3" if i == OLD_FIRMWARE else "V5.7.10",
                    serial=f"SN{i:06d}")
    sim = Simulator(tmp_path / "state", watch_interval=0.1).start()
    yield sim, make_targets(sim)
    sim.stop()


def files(sim: Simulator) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(sim.state_dir.glob("*.json"))}


async def read_back(target: CameraTarget) -> dict:
    """What the camera says, read with the client as the project's admin, plus which
    passwords it accepts."""
    async with Session(target, target.admin.username, target.admin.password) as s:
        state = await s.read()
        state["accounts_work"] = [await s.works(a.username, a.password)
                                  for a in (target.admin, *target.accounts)]
        state["defaults_work"] = [str(c) for c in defaults.unique()
                                  if await s.works(c.username, c.password)]
        return state


def test_apply_and_audit_fifty_cameras(fleet, tmp_path):
    sim, targets = fleet
    by_name = {t.name: t for t in targets}

    # 1. from factory state: vendor default login, admin created, everything set
    results = asyncio.run(apply(targets, check=False, concurrency=25))
    assert [r.status for r in results] == ["ok"] * N, [
        (r.name, r.status, r.errors) for r in results if r.status != "ok"]
    for r in results:
        assert r.login.startswith("fabrika: ")
        fields = {c.field for c in r.changes}
        assert {"hesap.bilgiislem", "ntp", "saat.dilimi", "hostname", "dns", "hesap.kayit",
                "kodlayıcı.width"} <= fields
        builtin = defaults.BUILTIN.get(r.vendor, ())
        if builtin:  # kept, but its factory password no longer works
            assert f"hesap.{builtin[0]}.parola" in fields and r.notes
        else:
            assert any(c.field.startswith("hesap.") and c.new == "(silinecek)"
                       for c in r.changes)
    # 2. verified by reading back with the client
    states = asyncio.run(_gather(read_back(t) for t in targets))
    for t, state in zip(targets, states, strict=True):
        assert compare(t, state) == [], t.name
        assert state["hostname"] == t.name and state["timezone"] == "<+03>-3"
        assert state["ntp"] == ["10.20.0.1", "10.20.0.2"] and state["datetime_type"] == "NTP"
        assert state["encoder"]["width"] == 1920 and state["encoder"]["gop"] == 30
        expected = {"bilgiislem", "kayit", "ayse.kaya", "mehmet.demir",
                    *defaults.BUILTIN.get(t.vendor, ())}
        assert set(state["users"]) == expected, t.name
        assert state["accounts_work"] == [True, True, True, True]
        assert state["defaults_work"] == [], t.name
    evidence = tmp_path / "evidence"
    first = report.write_apply(results, check=False, duration=1.0, folder=evidence,
                               meta={"operator": "test"})

    # 3. a second apply changes nothing
    again = asyncio.run(apply(targets, check=False, concurrency=25))
    assert [r.status for r in again] == ["unchanged"] * N
    assert sum(len(r.changes) for r in again) == 0

    # 4. check mode on a changed camera reports and touches nothing
    changed = by_name["kam-004"]
    asyncio.run(_spoil(changed))
    before = files(sim)
    checked = asyncio.run(apply(targets, check=True, concurrency=25))
    assert files(sim) == before
    statuses = {r.name: r.status for r in checked}
    assert statuses.pop("kam-004") == "would-change"
    assert set(statuses.values()) == {"unchanged"}
    spoiled = next(r for r in checked if r.name == "kam-004")
    assert {str(c) for c in spoiled.changes} == {
        "hostname: eski-ad → kam-004", "kodlayıcı.fps: 25 → 15",
        "hesap.misafir: User → (silinecek)", "hesap.kayit.parola: kabul edilmedi → "
        "envanterdeki parola"}
    fixed = asyncio.run(apply([changed], check=False))
    assert fixed[0].status == "ok" and len(fixed[0].changes) == 4

    # 5. faults on exactly three cameras; one more runs old firmware from the start
    hik = "kam-006"  # hikvision: its built-in admin takes 12345 again
    assert by_name[hik].vendor == "hikvision"
    sim.fault(hik, factory_password=True)
    sim.fault("kam-013", clock_offset=600)
    sim.fault("kam-021", unreachable=True)
    result = asyncio.run(audit(targets, concurrency=25))
    found = {(f.camera, f.kind) for f in result.findings}
    assert found == {(hik, "default-credential"), ("kam-013", "clock-drift"),
                     ("kam-021", "unreachable"), (f"kam-{OLD_FIRMWARE:03d}",
                                                  "firmware-outdated")}
    rows = {c.name: c for c in result.cameras}
    assert rows[hik].default_credential == "admin/12345 (hikvision)"
    assert 595 <= rows["kam-013"].drift_s <= 605
    assert not rows["kam-021"].reachable
    assert len(result.clean) == N - 4
    assert rows["kam-030"].asset == {"manufacturer": "HIKVISION", "model": "M0",
                                     "firmware": "V5.7.10", "serial": "SN000030",
                                     "hardware_id": "M0-HW"}
    audit_file = report.write_audit(result, folder=evidence)

    # 6. apply with the faults: the unreachable camera does not stop the others; the skewed
    # clock is no obstacle; the reset camera is fixed again
    final = {r.name: r for r in asyncio.run(apply(targets, check=False, concurrency=25))}
    assert final["kam-021"].status == "unreachable"
    assert final["kam-013"].status == "unchanged"
    assert final[hik].status == "ok"
    assert [str(c) for c in final[hik].changes] == [
        "hesap.admin.parola: fabrika parolası → rastgele (saklanmaz; yerleşik hesap)"]
    assert sum(r.status == "unchanged" for r in final.values()) == N - 2

    # evidence: JSON + HTML, no password anywhere
    for path in (first, audit_file):
        data = json.loads(path.read_text())
        assert data["cameras"]
        html = path.with_suffix(".html").read_text()
        assert "<html lang=\"tr\">" in html
        for text in (path.read_text(), html):
            for t in targets:
                for account in (t.admin, *t.accounts):
                    assert account.password not in text


async def _gather(coros):
    return await asyncio.gather(*coros)


async def _spoil(target: CameraTarget) -> None:
    """Someone changed the camera by hand: hostname, frame rate, an extra account, the
    recorder account's password."""
    async with Session(target, target.admin.username, target.admin.password) as s:
        await s.read()
        await s.set_hostname("eski-ad")
        await s.set_encoder(dataclasses.replace(target.encoder, fps=25))
        await s.create_user("misafir", "Misafir12345", "User")
        await s.set_user("kayit", "User", "BaskaParola1")


def test_auth_failed_and_firmware_compare(tmp_path):
    assert firmware_older("V5.7.3", "V5.7.10") and not firmware_older("V5.7.10", "V5.7.4")
    assert firmware_older("2.800.0000000.25.R", "2.840.0")
    init_camera(tmp_path, "cam", vendor="dahua", model="IPC", firmware="V1",
                user="admin", password="SomeoneElses9")
    with Simulator(tmp_path) as sim:
        host, port = sim.address("cam")
        target = CameraTarget("cam", host, port, "dahua", "IPC",
                              Account("bilgiislem", "Adm1nSifre", "Administrator"), (),
                              ("10.0.0.1",), (), "<+03>-3", Encoder())
        results = asyncio.run(apply([target], check=False))
        assert results[0].status == "auth-failed"
        report_ = asyncio.run(audit([target], now=dt.datetime.now(dt.UTC)))
        assert {f.kind for f in report_.findings} == {"auth-failed"}
        sim.fault("cam", unreachable=True)
        assert asyncio.run(apply([target], check=True))[0].status == "unreachable"
