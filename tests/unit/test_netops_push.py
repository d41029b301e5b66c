"""net.push and net.drift against the simulator, with the real Netmiko: rendered configurations
converge and stay put; faults end in the right status and a device cut off mid-push ends as it
was before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from bilgiislem import REPO_ROOT
from bilgiislem.netops import compare, drift, push, run
from bilgiislem.netops.push import Job
from bilgiislem.netops.targets import Target
from bilgiislem.netsim import DeviceSpec, Faults, Simulator

GOLDEN = REPO_ROOT / "tests" / "golden" / "netconfig"
IOS = (GOLDEN / "sw-merkez-kat3.cfg").read_text(encoding="utf-8")
VRP = (GOLDEN / "sw-merkez-sunucu.cfg").read_text(encoding="utf-8")
# the golden configurations' automation account, seeded on the simulated switches
USER, PASSWORD = "bilgiislem", "Golden-Otomasyon-1"
IOS_PORTS = ["GigabitEthernet1/0/1-52", "TenGigabitEthernet1/1/1-4"]
VRP_PORTS = ["GigabitEthernet0/0/1-48", "XGigabitEthernet0/0/1-4"]


def spec(name: str, vendor: str, **faults: object) -> DeviceSpec:
    return DeviceSpec(name, "huawei" if vendor == "huawei_vrp" else "cisco_ios",
                      username=USER, password=PASSWORD,
                      ports=VRP_PORTS if vendor == "huawei_vrp" else IOS_PORTS,
                      faults=Faults(**faults))  # type: ignore[arg-type]


def intended(name: str, vendor: str) -> str:
    if vendor == "huawei_vrp":
        return VRP.replace("sysname sw-merkez-sunucu", f"sysname {name}")
    return IOS.replace("hostname sw-merkez-kat3", f"hostname {name}")


def jobs(sim: Simulator, devices: dict[str, str]) -> list[Job]:
    out = []
    for name, vendor in devices.items():
        host, port = sim.addresses[name]
        out.append(Job(Target(name, vendor, host, port=port, username=USER, password=PASSWORD),
                       intended(name, vendor)))
    return out


def running(sim: Simulator, name: str, vendor: str) -> str:
    host, port = sim.addresses[name]
    conn = ConnectHandler(device_type="huawei" if vendor == "huawei_vrp" else "cisco_ios",
                          host=host, port=port, username=USER, password=PASSWORD,
                          conn_timeout=10, auth_timeout=10)
    try:
        command = "display current-configuration" if vendor == "huawei_vrp" else \
            "show running-config"
        return str(conn.send_command(command))
    finally:
        conn.disconnect()


def test_push_converges_and_then_there_is_nothing_to_do(tmp_path: Path) -> None:
    devices = {"sw-a": "cisco_ios", "sw-b": "huawei_vrp"}
    with Simulator([spec(n, v) for n, v in devices.items()], tmp_path / "state") as sim:
        first = push.push(jobs(sim, devices), workers=2, timeout=20, retries=1, backoff=0.2)
        assert {d.name: d.status for d in first.devices} == dict.fromkeys(devices, "ok"), \
            [d.as_dict() for d in first.devices]
        ios = next(d for d in first.devices if d.name == "sw-a")
        assert "username sukru.ozturk privilege 15 secret 0 <gizli>" in ios.change
        assert "Golden" not in json.dumps(first.as_dict())  # no secret in the report
        second = push.push(jobs(sim, devices), workers=2, timeout=20, retries=1)
        assert {d.status for d in second.devices} == {"unchanged"}
        now = drift.drift(jobs(sim, devices), workers=2, timeout=20)
        assert now.clean, now.as_dict()


def test_faults_across_twenty_devices(tmp_path: Path) -> None:
    """17 devices end ok; the one that refuses logins, the one that never answers and the one
    that drops the session mid-push are named, and the last is back where it was."""
    devices = {f"sw-{i:02d}": "cisco_ios" for i in range(1, 17)} | {"sw-17": "huawei_vrp"}
    faulty = {"sw-auth": {"auth_fail": True}, "sw-timeout": {"timeout": True},
              "sw-drop": {"drop_after_config_lines": 40}}
    specs = [spec(n, v) for n, v in devices.items()]
    specs += [spec(n, "cisco_ios", **f) for n, f in faulty.items()]
    everything = devices | dict.fromkeys(faulty, "cisco_ios")
    with Simulator(specs, tmp_path / "state") as sim:
        before = running(sim, "sw-drop", "cisco_ios")
        result = push.push(jobs(sim, everything), workers=20, timeout=15, retries=1,
                           backoff=0.2)
        after = running(sim, "sw-drop", "cisco_ios")
    status = {d.name: d.status for d in result.devices}
    assert status == {**dict.fromkeys(devices, "ok"), "sw-auth": "auth-failed",
                      "sw-timeout": "unreachable", "sw-drop": "failed-rolled-back"}, \
        [d.as_dict() for d in result.devices if d.status != "ok"]
    dropped = next(d for d in result.devices if d.name == "sw-drop")
    assert dropped.rollback and dropped.error
    assert compare.in_sync(after, before, "cisco_ios"), "sw-drop is not back where it was"
    assert {d.name for d in result.failed} == set(faulty)

    record = run.write_evidence({**result.as_dict(), "operator": "test", "git_commit": None,
                                 "git_dirty": False, "inventory": "test"}, tmp_path / "kanit")
    saved = json.loads(record.read_text(encoding="utf-8"))
    assert saved["ok"] is False and saved["counts"]["ok"] == 17
    html = record.with_suffix(".html").read_text(encoding="utf-8")
    for name, turkish in (("sw-auth", "oturum açılamadı"), ("sw-timeout", "erişilemedi"),
                          ("sw-drop", "başarısız, geri alındı")):
        assert name in html and turkish in html


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei_vrp"])
def test_a_refused_line_rolls_the_device_back(tmp_path: Path, vendor: str) -> None:
    refused = "port-security" if vendor == "cisco_ios" else "port-security max-mac-num"
    devices = {"sw-red": vendor}
    with Simulator([spec("sw-red", vendor, reject=[refused])], tmp_path / "state") as sim:
        before = running(sim, "sw-red", vendor)
        result = push.push(jobs(sim, devices), timeout=20, retries=0)
        after = running(sim, "sw-red", vendor)
    (device,) = result.devices
    assert device.status == "failed-rolled-back", device.as_dict()
    assert device.error and "port-security" in device.error
    assert compare.in_sync(after, before, vendor)


def test_the_task_exits_1_when_a_device_failed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """net.push's task body: exit code and evidence (the jobs stand in for the inventory's)."""
    devices = {"sw-ok": "cisco_ios", "sw-auth": "cisco_ios"}
    specs = [spec("sw-ok", "cisco_ios"), spec("sw-auth", "cisco_ios", auth_fail=True)]
    written: list[Path] = []
    original = run.write_evidence

    def write_here(record: dict[str, object]) -> Path:
        written.append(original(record, tmp_path))
        return written[-1]

    with Simulator(specs, tmp_path / "state") as sim:
        monkeypatch.setattr(run, "_jobs", lambda inv, chosen: jobs(sim, devices))
        monkeypatch.setattr(run, "write_evidence", write_here)
        code = run.push(None, "test", [], workers=2, timeout=15, retries=0,  # type: ignore[arg-type]
                        dry_run=False)
        assert code == 1
        assert run.drift(None, "test", [], workers=2, timeout=15, retries=0,  # type: ignore[arg-type]
                         as_json=False) == 1  # sw-auth cannot be read
    record = json.loads(written[0].read_text(encoding="utf-8"))
    assert record["kind"] == "net-push" and record["ok"] is False
    assert {d["name"]: d["status"] for d in record["devices"]} == {"sw-ok": "ok",
                                                                    "sw-auth": "auth-failed"}
