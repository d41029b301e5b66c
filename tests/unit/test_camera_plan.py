"""The cameras' plan from inventory/lab (cameras.yml): what each camera must be, what the
recorder gets, and the camera network's isolation on the central gateway."""

from __future__ import annotations

import re

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem import secrets as secretsmod
from bilgiislem.cameras import plan as camplan
from bilgiislem.inventory import Inventory, load
from bilgiislem.vpn import plan as vpnplan

LAB = REPO_ROOT / "inventory" / "lab"
VAULT = {camplan.ADMIN_PASSWORDS: {"kam-giris": "A1", "kam-otopark": "A2"},
         camplan.RECORDER_PASSWORDS: {"kam-giris": "R1", "kam-otopark": "R2"},
         camplan.OPERATOR_PASSWORDS: {"1004": "O4"}}


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load(LAB)


def test_each_camera_gets_the_projects_accounts_time_and_its_class_video(inv) -> None:
    giris, otopark = camplan.targets(inv, VAULT)
    assert (giris.name, giris.address, giris.port, giris.vendor) == (
        "kam-giris", "10.10.40.21", 80, "hikvision")
    assert (giris.admin.username, giris.admin.password, giris.admin.level) == (
        "bilgiislem", "A1", "Administrator")
    # the recorder's account (User) and the one camera operator, Gülşen Doğan (Operator)
    assert [(a.username, a.password, a.level) for a in giris.accounts] == [
        ("kayit", "R1", "User"), ("gulsen.dogan", "O4", "Operator")]
    assert otopark.accounts[0].password == "R2"
    assert giris.ntp_servers == ("10.10.20.10",)  # srv-log, role ntp_server
    assert giris.dns_servers == ()
    assert giris.timezone == "<+03>-3"
    # entrance overridden in cameras.yml; outdoor built in
    e = giris.encoder
    assert (e.width, e.height, e.fps, e.bitrate_kbps, e.gop) == (1280, 720, 10, 2048, 20)
    o = otopark.encoder
    assert (o.width, o.height, o.fps, o.bitrate_kbps, o.gop) == (2560, 1440, 15, 6144, 30)
    assert (giris.min_firmware, otopark.min_firmware) == ("V5.7.3", "V2.800.0000000.25.R")


def test_a_subset_and_an_unknown_name(inv) -> None:
    assert [t.name for t in camplan.targets(inv, VAULT, ["kam-otopark"])] == ["kam-otopark"]
    with pytest.raises(ValueError, match="unknown camera"):
        camplan.targets(inv, VAULT, ["kam-yok"])


def test_leavers_are_no_operators(inv) -> None:
    assert [k.sicil_no for k in camplan.operators(inv)] == ["1004"]


def test_recorder_variables_carry_no_secret(inv) -> None:
    v = camplan.nvr_vars(inv, "srv-nvr")
    assert v["nvr_camera_plan"] == [
        {"name": "kam-giris", "url": "http://10.10.40.21/mjpeg", "user": "kayit",
         "class": "entrance", "retention_days": 30},
        {"name": "kam-otopark", "url": "http://10.10.40.22/mjpeg", "user": "kayit",
         "class": "outdoor", "retention_days": 60}]
    assert v["nvr_viewer_plan"] == [{"username": "gulsen.dogan"}]
    assert v["nvr_viewer_sicil"] == ["1004"]
    assert v["nvr_retention_max_days"] == 90  # the KVKK policy of cameras.yml
    assert v["nvr_server_name"] == "srv-nvr.ornekkoy.bel.tr"
    assert "10.10.40.0/24" not in v["nvr_viewer_networks"]  # never from the cameras
    assert "10.10.10.0/24" in v["nvr_viewer_networks"]
    assert "password" not in repr(v)


def test_default_stream_address_by_vendor(inv) -> None:
    cam = inv.cameras.cameras[0].model_copy(update={"stream_url": None})
    assert camplan.stream_url(cam) == "rtsp://10.10.40.21:554/Streaming/Channels/101"


def test_the_hub_isolates_the_camera_network(inv) -> None:
    plan = vpnplan.build(inv)
    hub = vpnplan.hub_vars(plan, {})
    (guard,) = hub["vpn_firewall_guards"]
    # only the recorder's addresses and the management network open connections to cameras
    assert guard == {"name": "kameralar", "destinations": ["10.10.40.0/24"],
                     "sources": ["10.10.20.60/32", "10.10.40.10/32", "10.10.99.0/24"]}
    zone = hub["vpn_firewall_zones"][0]
    assert zone["name"] == "kameralar" and zone["sources"] == ["10.10.40.0/24"]
    assert [(a["to"], a.get("proto", ""), a.get("ports", "")) for a in zone["allow"]] == [
        ("10.10.20.60/32", "", ""), ("10.10.40.10/32", "", ""), ("10.10.20.10/32", "udp", "123")]
    # the tunnels do not carry the centre's camera network
    assert "10.10.40.0/24" not in plan.central


def test_camera_passwords_suit_cameras() -> None:
    for _ in range(50):
        pw = secretsmod.new_camera_password()
        assert re.fullmatch(r"[A-Za-z0-9]{16}", pw)
        assert re.search("[A-Z]", pw) and re.search("[a-z]", pw) and re.search("[0-9]", pw)


def test_posix_tz_of_other_zones() -> None:
    assert camplan.posix_tz("Europe/Istanbul") == "<+03>-3"
    assert camplan.posix_tz("Europe/Berlin") == "CET-1CEST,M3.5.0,M10.5.0/3"
