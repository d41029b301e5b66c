"""Lab end-to-end of the cameras and the recorder (issue 9): two cameras of the ONVIF simulator
(lab-camsim, from the factory state that lab.up gives them), srv-nvr recording them (role
nvr), and gw-merkez closing the camera network (10.10.40.0/24).

What the department meets: cameras.apply takes new cameras from their factory password to the
municipality's settings and a second run changes nothing; the audit finds exactly what went
wrong on a camera; the recorder records every camera and only camera operators see the
recordings, each access logged; a user VLAN's workstation cannot reach a camera, the recorder
can, and a camera reaches nothing but the recorder and NTP."""

from __future__ import annotations

import base64
import json
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from labtools import INVENTORY, invoke, ssh

from bilgiislem import REPO_ROOT
from bilgiislem import secrets as secretsmod
from bilgiislem.cameras import plan as camplan
from bilgiislem.inventory import Inventory
from bilgiislem.lab import cameras as labcams
from bilgiislem.lab import podman

pytestmark = pytest.mark.lab

EVIDENCE = REPO_ROOT / "evidence" / "cameras"
WS = "lab-ws-merkez-lan"
GIRIS, OTOPARK = "10.10.40.21", "10.10.40.22"
NVR_WEB = "https://10.10.20.60/"
SRV_LOG, SRV_DB, NVR_SERVER_IP = "10.10.20.10", "10.10.20.20", "10.10.20.60"
CONNECT = ("import socket, sys; s = socket.create_connection((sys.argv[1], int(sys.argv[2])), "
           "timeout=3); s.close()")


def latest(suffix: str) -> dict:
    path = sorted(EVIDENCE.glob(f"*-{suffix}.json"))[-1]
    assert path.with_suffix(".html").is_file()
    return json.loads(path.read_text(encoding="utf-8"))


def tcp(container: str, dst: str, port: int) -> bool:
    return podman.exec_(container, "python3", "-c", CONNECT, dst, str(port),
                        check=False).returncode == 0


def ping(container: str, dst: str) -> bool:
    return podman.exec_(container, "ping", "-c", "2", "-i", "0.3", "-W", "1", dst,
                        check=False).returncode == 0


def fault(camera: str, *args: str) -> None:
    podman.exec_(labcams.CONTAINER, "python3", "-m", "bilgiislem.onvifsim", "fault",
                 labcams.STATE, camera, *args)


@pytest.fixture(scope="module")
def applied(deployed: Inventory) -> Inventory:
    """The lab's cameras configured by a first cameras.apply (from the factory state)."""
    res = invoke("cameras.apply", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    return deployed


def test_apply_takes_factory_cameras_to_the_data_and_then_changes_nothing(applied) -> None:
    first = latest("apply")
    assert {c["name"]: c["status"] for c in first["cameras"]} == {
        "kam-giris": "ok", "kam-otopark": "ok"}
    # new cameras: the project's account did not exist, a factory account let apply in
    assert all(c["changes"] for c in first["cameras"])
    assert all(c["login"] != camplan.ADMIN_USER for c in first["cameras"])
    vault = secretsmod.read(applied)
    for section in camplan.ADMIN_PASSWORDS, camplan.RECORDER_PASSWORDS:
        for pw in vault[section].values():
            assert pw not in json.dumps(first)

    res = invoke("cameras.apply", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    second = latest("apply")
    assert second["changes_total"] == 0
    assert {c["status"] for c in second["cameras"]} == {"unchanged"}
    res = invoke("cameras.apply", "--check", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    assert latest("apply-check")["changes_total"] == 0


def test_audit_finds_exactly_the_camera_whose_clock_went_off(applied) -> None:
    res = invoke("cameras.audit", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    clean = latest("audit")
    assert clean["findings"] == []
    assets = {c["name"]: c for c in clean["cameras"]}
    assert assets["kam-giris"]["asset"]["serial"].startswith("LAB")
    fault("kam-otopark", "--clock-offset", "600")
    try:
        res = invoke("cameras.audit", "--inventory", INVENTORY)
        assert res.returncode == 1, res.stdout + res.stderr
        found = latest("audit")["findings"]
        assert [(f["camera"], f["kind"]) for f in found] == [("kam-otopark", "clock-drift")]
    finally:
        fault("kam-otopark", "--clock-offset", "0")


def test_the_recorder_records_every_camera(applied) -> None:
    deadline = time.monotonic() + 120
    while True:
        sizes = {}
        for cam in ("kam-giris", "kam-otopark"):
            out = ssh(applied, "srv-nvr", "sudo", "find", f"/srv/kayit/{cam}", "-type", "f",
                      "-size", "+1k", "-printf", "'%s\\n'")
            sizes[cam] = [int(x) for x in out.split()]
        if all(sizes.values()):
            break
        assert time.monotonic() < deadline, f"no recording after 120 s: {sizes}"
        time.sleep(5)


def _get(url: str, user: str, password: str) -> int:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    req = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_only_camera_operators_see_the_recordings_and_access_is_logged(applied) -> None:
    password = secretsmod.read(applied)[camplan.OPERATOR_PASSWORDS]["1004"]
    assert _get(NVR_WEB, "gulsen.dogan", password) == 200
    assert _get(NVR_WEB + "kam-giris/", "gulsen.dogan", password) == 200
    assert _get(NVR_WEB, "gulsen.dogan", "yanlis-parola") == 401
    assert _get(NVR_WEB, "sukru.ozturk", password) == 401  # not a camera operator
    log = ssh(applied, "srv-nvr", "sudo", "tail", "-n", "20", "/var/log/nginx/kayit-erisim.log")
    assert "gulsen.dogan" in log and "/kam-giris/" in log


def test_only_the_recorder_reaches_the_cameras(applied) -> None:
    # a workstation of the user VLAN: neither ping nor the camera's web port
    assert not ping(WS, GIRIS)
    assert not tcp(WS, GIRIS, 80)
    # the recorder, from its leg in the camera VLAN
    out = ssh(applied, "srv-nvr", "python3", "-c", f"'{CONNECT}'", GIRIS, "80", "&&",
              "echo", "ok")
    assert out == "ok"
    # a camera: the recorder's server address and NTP's port pass the gateway; a database
    # server and the log collector's other ports do not
    assert tcp(labcams.CONTAINER, NVR_SERVER_IP, 443)
    assert not tcp(labcams.CONTAINER, SRV_DB, 5432)
    assert not tcp(labcams.CONTAINER, SRV_LOG, 514)
    drops = ssh(applied, "gw-merkez", "sudo", "nft", "list", "chain", "inet", "bilgiislem_vpn",
                "forward")
    assert "to kameralar: not an allowed source" in drops


def test_evidence_holds_no_secret(applied) -> None:
    vault = secretsmod.read(applied)
    secrets = [pw for section in secretsmod.CAMERA_SECRETS
               for pw in (vault.get(section) or {}).values()]
    for path in Path(EVIDENCE).glob("*"):
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path
