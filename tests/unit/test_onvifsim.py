"""The ONVIF camera simulator (bilgiislem/onvifsim), driven by the real client (onvif-zeep-async)
and, for what the client hides (HTTP status, replayed nonces), by raw HTTP."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zeep.exceptions
from onvif import ONVIFCamera

from bilgiislem.onvifsim import Simulator, fault, init_camera
from bilgiislem.onvifsim.soap import WSSE, WSU

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    init_camera(tmp_path, "cam1", vendor="hikvision", model="DS-2CD2143G2", firmware="V5.7.3",
                serial="DS0001")
    init_camera(tmp_path, "cam2", vendor="dahua", model="IPC-HFW2431", firmware="V2.8.0",
                serial="DH0002")
    simulator = Simulator(tmp_path, watch_interval=0.05).start()
    yield simulator
    simulator.stop()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def call(sim: Simulator, name: str, user: str, password: str, service: str, op: str,
               params: dict[str, Any] | None = None, *, adjust_time: bool = True) -> Any:
    host, port = sim.address(name)
    cam = ONVIFCamera(host, port, user, password, adjust_time=adjust_time, no_cache=True)
    try:
        await cam.update_xaddrs()
        svc = await (cam.create_devicemgmt_service() if service == "device"
                     else cam.create_media_service())
        return await getattr(svc, op)(params)
    finally:
        await cam.close()


def fault_codes(err: zeep.exceptions.Fault) -> list[str]:
    return [getattr(c, "localname", str(c)) for c in err.subcodes or []]


def refused(coro: Any) -> list[str]:
    with pytest.raises(zeep.exceptions.Fault) as info:
        run(coro)
    return fault_codes(info.value)


# --- raw SOAP, for the HTTP status and the replay check -------------------------------------

def token(user: str, password: str, *, nonce: bytes | None = None,
          created: str | None = None) -> str:
    nonce = nonce or os.urandom(16)
    created = created or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode())
                              .digest()).decode()
    return (f'<wsse:Security xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:UsernameToken>'
            f"<wsse:Username>{user}</wsse:Username><wsse:Password Type=\"http://docs.oasis-open"
            f'.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">'
            f"{digest}</wsse:Password><wsse:Nonce>{base64.b64encode(nonce).decode()}"
            f"</wsse:Nonce><wsu:Created>{created}</wsu:Created></wsse:UsernameToken>"
            "</wsse:Security>")


def post(sim: Simulator, name: str, body: str, header: str = "") -> tuple[int, str]:
    host, port = sim.address(name)
    xml = ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
           'xmlns:tds="http://www.onvif.org/ver10/device/wsdl">'
           f"<s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>")
    req = urllib.request.Request(f"http://{host}:{port}/onvif/device_service",
                                 data=xml.encode(), method="POST",
                                 headers={"Content-Type": "application/soap+xml"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


# --- authentication -------------------------------------------------------------------------

def test_digest_accepted_and_wrong_password_refused(sim):
    info = run(call(sim, "cam1", "admin", "12345", "device", "GetDeviceInformation"))
    assert (info.Manufacturer, info.Model, info.FirmwareVersion, info.SerialNumber) == (
        "HIKVISION", "DS-2CD2143G2", "V5.7.3", "DS0001")
    assert refused(call(sim, "cam1", "admin", "wrong", "device",
                        "GetDeviceInformation")) == ["NotAuthorized"]
    # the other vendor's default is not this camera's
    assert refused(call(sim, "cam1", "admin", "admin", "device",
                        "GetDeviceInformation")) == ["NotAuthorized"]
    assert run(call(sim, "cam2", "admin", "admin", "device", "GetHostname")).Name


def test_fault_is_soap12_with_http_400_and_pre_auth_needs_no_token(sim):
    status, text = post(sim, "cam1", "<tds:GetDeviceInformation/>")
    assert status == 400
    assert "env:Sender" in text and "ter:NotAuthorized" in text
    status, text = post(sim, "cam1", "<tds:GetSystemDateAndTime/>")
    assert status == 200 and "UTCDateTime" in text


def test_replayed_nonce_and_stale_created_are_refused(sim):
    header = token("admin", "12345", nonce=b"0123456789abcdef")
    assert post(sim, "cam1", "<tds:GetHostname/>", header)[0] == 200
    status, text = post(sim, "cam1", "<tds:GetHostname/>", header)
    assert status == 400 and "replayed nonce" in text
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, text = post(sim, "cam1", "<tds:GetHostname/>", token("admin", "12345",
                                                                 created=old))
    assert status == 400 and "device clock" in text


def test_unknown_operation_is_action_not_supported(sim):
    assert refused(call(sim, "cam1", "admin", "12345", "device",
                        "GetWsdlUrl")) == ["ActionNotSupported"]


# --- Set then Get ---------------------------------------------------------------------------

def test_set_get_round_trips(sim):
    async def scenario() -> dict[str, Any]:
        host, port = sim.address("cam1")
        cam = ONVIFCamera(host, port, "admin", "12345", adjust_time=True, no_cache=True)
        try:
            await cam.update_xaddrs()
            dev = await cam.create_devicemgmt_service()
            media = await cam.create_media_service()
            await dev.SetHostname({"Name": "kamera-giris"})
            await dev.SetNTP({"FromDHCP": False, "NTPManual": [
                {"Type": "IPv4", "IPv4Address": "10.10.0.1"},
                {"Type": "DNS", "DNSname": "ntp.belediye.local"}]})
            await dev.SetDNS({"FromDHCP": False, "DNSManual": [
                {"Type": "IPv4", "IPv4Address": "10.10.0.53"}]})
            await dev.SetSystemDateAndTime({"DateTimeType": "NTP", "DaylightSavings": False,
                                            "TimeZone": {"TZ": "<+03>-3"}})
            await dev.CreateUsers({"User": [{"Username": "kayit", "Password": "Kayit1234",
                                             "UserLevel": "User"}]})
            await dev.SetUser({"User": [{"Username": "kayit", "UserLevel": "Operator"}]})
            conf = (await media.GetProfiles())[0].VideoEncoderConfiguration
            conf.Resolution.Width, conf.Resolution.Height = 1920, 1080
            conf.RateControl.FrameRateLimit, conf.RateControl.BitrateLimit = 15, 4096
            conf.H264.GovLength = 30
            await media.SetVideoEncoderConfiguration({"Configuration": conf,
                                                      "ForcePersistence": True})
            return {
                "hostname": (await dev.GetHostname()).Name,
                "ntp": await dev.GetNTP(), "dns": await dev.GetDNS(),
                "time": await dev.GetSystemDateAndTime(),
                "users": {u.Username: u.UserLevel for u in await dev.GetUsers()},
                "encoder": await media.GetVideoEncoderConfiguration(
                    {"ConfigurationToken": conf.token}),
                "uri": await media.GetSnapshotUri({"ProfileToken": "Profile_1"}),
            }
        finally:
            await cam.close()

    got = run(scenario())
    assert got["hostname"] == "kamera-giris"
    assert [h.IPv4Address or h.DNSname for h in got["ntp"].NTPManual] == [
        "10.10.0.1", "ntp.belediye.local"]
    assert [a.IPv4Address for a in got["dns"].DNSManual] == ["10.10.0.53"]
    assert got["time"].DateTimeType == "NTP" and got["time"].TimeZone.TZ == "<+03>-3"
    local, utc = got["time"].LocalDateTime.Time.Hour, got["time"].UTCDateTime.Time.Hour
    assert (local - utc) % 24 == 3
    assert got["users"] == {"admin": "Administrator", "kayit": "Operator"}
    enc = got["encoder"]
    assert (enc.Resolution.Width, enc.Resolution.Height, enc.RateControl.FrameRateLimit,
            enc.RateControl.BitrateLimit, enc.H264.GovLength) == (1920, 1080, 15, 4096, 30)
    assert got["uri"].Uri.endswith("/snapshot.jpg")
    state = json.loads((sim.state_dir / "cam1.json").read_text())
    assert state["hostname"] == "kamera-giris" and state["encoder"]["width"] == 1920
    # the new account works with its password
    assert run(call(sim, "cam1", "kayit", "Kayit1234", "device", "GetHostname")).Name


def test_bad_arguments_are_invalid_arg_faults(sim):
    def media_set(width: int, height: int, token: str = "VideoEncoder_1") -> Any:
        async def go() -> None:
            host, port = sim.address("cam1")
            cam = ONVIFCamera(host, port, "admin", "12345", adjust_time=True, no_cache=True)
            try:
                await cam.update_xaddrs()
                media = await cam.create_media_service()
                conf = await media.GetVideoEncoderConfiguration(
                    {"ConfigurationToken": "VideoEncoder_1"})
                conf.Resolution.Width, conf.Resolution.Height = width, height
                conf.token = token
                await media.SetVideoEncoderConfiguration({"Configuration": conf,
                                                          "ForcePersistence": True})
            finally:
                await cam.close()
        return go()

    assert refused(media_set(1000, 1000)) == ["InvalidArgVal", "ConfigModify"]
    assert refused(media_set(1920, 1080, "nope")) == ["InvalidArgVal", "NoConfig"]
    assert refused(call(sim, "cam1", "admin", "12345", "media",
                        "GetVideoEncoderConfiguration",
                        {"ConfigurationToken": "nope"})) == ["InvalidArgVal", "NoConfig"]
    assert refused(call(sim, "cam1", "admin", "12345", "device", "SetHostname",
                        {"Name": "bad name!"})) == ["InvalidArgVal", "InvalidHostname"]
    assert refused(call(sim, "cam1", "admin", "12345", "device", "CreateUsers",
                        {"User": [{"Username": "admin", "Password": "x12345678",
                                   "UserLevel": "User"}]})) == ["InvalidArgVal",
                                                                "UsernameClash"]
    # the built-in Hikvision admin cannot be deleted; on Dahua it can, but not as the last
    # Administrator
    assert refused(call(sim, "cam1", "admin", "12345", "device", "DeleteUsers",
                        {"Username": ["admin"]})) == ["InvalidArgVal", "FixedUser"]
    assert refused(call(sim, "cam2", "admin", "admin", "device", "DeleteUsers",
                        {"Username": ["admin"]})) == ["InvalidArgVal", "FixedUser"]
    assert refused(call(sim, "cam2", "admin", "admin", "device", "DeleteUsers",
                        {"Username": ["nobody"]})) == ["InvalidArgVal", "UsernameMissing"]
    assert sim.state("cam1")["hostname"] == "HIKVISION-DS0001"  # nothing changed


def test_access_levels(sim):
    run(call(sim, "cam2", "admin", "admin", "device", "CreateUsers", {"User": [
        {"Username": "izleyici", "Password": "Izle12345", "UserLevel": "User"},
        {"Username": "operator", "Password": "Oper12345", "UserLevel": "Operator"}]}))
    # a User reads but sets nothing, and may not list the accounts
    assert run(call(sim, "cam2", "izleyici", "Izle12345", "device", "GetNTP")) is not None
    for op, params in [("SetHostname", {"Name": "x"}), ("GetUsers", None),
                       ("SetNTP", {"FromDHCP": True})]:
        assert refused(call(sim, "cam2", "izleyici", "Izle12345", "device", op,
                            params)) == ["NotAuthorized"]
    enc = run(call(sim, "cam2", "admin", "admin", "media", "GetVideoEncoderConfiguration",
                   {"ConfigurationToken": "VideoEncoder_1"}))
    assert refused(call(sim, "cam2", "izleyici", "Izle12345", "media",
                        "SetVideoEncoderConfiguration",
                        {"Configuration": enc, "ForcePersistence": True})) == ["NotAuthorized"]
    # an Operator configures media but not the system or the accounts
    enc.RateControl.FrameRateLimit = 10
    run(call(sim, "cam2", "operator", "Oper12345", "media", "SetVideoEncoderConfiguration",
             {"Configuration": enc, "ForcePersistence": True}))
    assert sim.state("cam2")["encoder"]["fps"] == 10
    assert refused(call(sim, "cam2", "operator", "Oper12345", "device", "SetHostname",
                        {"Name": "x"})) == ["NotAuthorized"]
    assert refused(call(sim, "cam2", "operator", "Oper12345", "device", "DeleteUsers",
                        {"Username": ["izleyici"]})) == ["NotAuthorized"]


# --- persistence and faults -----------------------------------------------------------------

def test_persistence_across_restart_and_reload_on_disk_change(tmp_path):
    init_camera(tmp_path, "cam", vendor="axis", model="P3245", firmware="10.12.0")
    with Simulator(tmp_path, watch_interval=0.05) as sim:
        port = sim.address("cam")[1]
        run(call(sim, "cam", "root", "pass", "device", "SetHostname", {"Name": "kalici"}))
    with Simulator(tmp_path, watch_interval=0.05) as sim:
        assert sim.address("cam")[1] == port  # the port chosen once is kept
        assert run(call(sim, "cam", "root", "pass", "device", "GetHostname")).Name == "kalici"
        path = tmp_path / "cam.json"
        data = json.loads(path.read_text())
        data["hostname"] = "elle-degisti"
        path.write_text(json.dumps(data))
        assert run(call(sim, "cam", "root", "pass", "device",
                        "GetHostname")).Name == "elle-degisti"


def test_clock_offset_needs_adjust_time(sim):
    sim.fault("cam1", clock_offset=900)
    # without the library's time adjustment the token is "created" 900 s from the device clock
    assert refused(call(sim, "cam1", "admin", "12345", "device", "GetHostname",
                        adjust_time=False)) == ["NotAuthorized"]
    assert run(call(sim, "cam1", "admin", "12345", "device", "GetHostname")).Name
    utc = run(call(sim, "cam1", "admin", "12345", "device", "GetSystemDateAndTime")).UTCDateTime
    device = dt.datetime(utc.Date.Year, utc.Date.Month, utc.Date.Day, utc.Time.Hour,
                         utc.Time.Minute, utc.Time.Second, tzinfo=dt.UTC)
    assert abs((device - dt.datetime.now(dt.UTC)).total_seconds() - 900) < 5


def test_unreachable_and_back(sim):
    host, port = sim.address("cam2")
    sim.fault("cam2", unreachable=True)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, port), timeout=2)
    with pytest.raises(Exception):  # noqa: B017 - aiohttp's connection error, as the client sees it
        run(call(sim, "cam2", "admin", "admin", "device", "GetHostname"))
    assert run(call(sim, "cam1", "admin", "12345", "device", "GetHostname")).Name  # others on
    sim.fault("cam2", unreachable=False)
    assert run(call(sim, "cam2", "admin", "admin", "device", "GetHostname")).Name


def test_fault_command_on_disk_is_picked_up(sim):
    # the factory account is gone (deleted after a new admin was made) ...
    run(call(sim, "cam2", "admin", "admin", "device", "CreateUsers", {"User": [
        {"Username": "bilgiislem", "Password": "Yonetici123", "UserLevel": "Administrator"}]}))
    run(call(sim, "cam2", "bilgiislem", "Yonetici123", "device", "DeleteUsers",
             {"Username": ["admin"]}))
    assert refused(call(sim, "cam2", "admin", "admin", "device",
                        "GetHostname")) == ["NotAuthorized"]
    # ... until someone resets it: the CLI edits the file, the running server reloads it
    subprocess.run([sys.executable, "-m", "bilgiislem.onvifsim", "fault", str(sim.state_dir),
                    "cam2", "--factory-password"], check=True, cwd=REPO, capture_output=True)
    assert run(call(sim, "cam2", "admin", "admin", "device", "GetHostname")).Name
    fault(sim.state_dir, "cam2", unreachable=True)  # the Python API does the same
    deadline = time.monotonic() + 5
    while "cam2" in sim.servers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "cam2" not in sim.servers


# --- images ---------------------------------------------------------------------------------

def _get(url: str, auth: tuple[str, str] | None = None, read: int | None = None
         ) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(
            f"{auth[0]}:{auth[1]}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, dict(resp.headers), resp.read(read) if read else resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), b""


def test_snapshot_and_mjpeg_need_basic_auth(sim):
    host, port = sim.address("cam1")
    base = f"http://{host}:{port}"
    assert _get(f"{base}/snapshot.jpg")[0] == 401
    assert _get(f"{base}/snapshot.jpg", ("admin", "wrong"))[0] == 401
    status, headers, body = _get(f"{base}/snapshot.jpg", ("admin", "12345"))
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert body[:2] == b"\xff\xd8" and body[-2:] == b"\xff\xd9"
    assert _get(f"{base}/mjpeg")[0] == 401
    status, headers, body = _get(f"{base}/mjpeg", ("admin", "12345"), read=2600)
    assert status == 200
    assert headers["Content-Type"].startswith("multipart/x-mixed-replace")
    frames = [part for part in body.split(b"--bilgiislemframe") if b"\xff\xd8" in part]
    assert len(frames) >= 2 and frames[0] != frames[1]  # the picture moves


@pytest.mark.skipif(shutil.which("djpeg") is None, reason="djpeg (libjpeg-turbo-progs) absent")
def test_frames_decode_with_libjpeg(tmp_path):
    for frame in sorted((REPO / "bilgiislem/onvifsim/frames").glob("*.jpg")):
        out = subprocess.run(["djpeg", "-pnm", str(frame)], capture_output=True, check=True)
        assert out.stdout.startswith(b"P5\n160 96\n")
    total = sum(p.stat().st_size for p in (REPO / "bilgiislem/onvifsim/frames").glob("*"))
    assert total < 20_000


# --- the command line, with nothing but the package and the system python3 ------------------

def test_cli_stdlib_only(tmp_path):
    python = shutil.which("python3", path="/usr/bin:/bin") or sys.executable
    root = tmp_path / "root"
    shutil.copytree(REPO / "bilgiislem" / "onvifsim", root / "bilgiislem" / "onvifsim",
                    ignore=shutil.ignore_patterns("__pycache__"))
    state = tmp_path / "state"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)}
    subprocess.run([python, "-B", "-m", "bilgiislem.onvifsim", "init",
                    str(state), "cam", "--listen", f"127.0.0.1:{port}", "--vendor", "uniview",
                    "--model", "IPC2124", "--firmware", "GIPC-B6202", "--serial", "UV123"],
                   check=True, cwd=root, env=env, capture_output=True)
    server = subprocess.Popen([python, "-B", "-m", "bilgiislem.onvifsim", "serve", str(state),
                               "--latency-ms", "5"], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        class Addr:
            state_dir = state

            @staticmethod
            def address(name: str) -> tuple[str, int]:
                return "127.0.0.1", port

        info = run(call(Addr, "cam", "admin", "123456", "device",  # type: ignore[arg-type]
                        "GetDeviceInformation"))
        assert (info.Manufacturer, info.Model, info.SerialNumber) == ("UNIVIEW", "IPC2124",
                                                                      "UV123")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err.decode()
    assert b"1 cameras" in out
