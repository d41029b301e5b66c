"""The ONVIF operations the simulator answers: device management (tds) and media (trt).

Each handler takes the camera, the request element and the Host the client used, changes the
state if it is a Set (the caller saves it), and returns the response element as XML. Access
classes follow ONVIF Core 5.9.4: PRE_AUTH without a token; READ_SYSTEM for every level;
ACTUATE (media configuration) for Operator and Administrator; WRITE_SYSTEM, READ_SYSTEM_SECRET
and UNRECOVERABLE (users) for Administrator only.
"""

from __future__ import annotations

import ipaddress
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from .soap import SoapFault, Xml, child, children, el, invalid_arg, parse_time, text_of
from .state import LEVELS, Camera

Handler = Callable[[Camera, ET.Element, str], str]
PRE_AUTH, READ, ACTUATE, ADMIN = 0, 1, 2, 3
# level -> the highest access class it may use
LEVEL_ACCESS = {"User": READ, "Operator": ACTUATE, "Administrator": ADMIN}
HOSTNAME = re.compile(r"^(?=.{1,63}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")


def _xaddr(host: str, service: str) -> str:
    return f"http://{host}/onvif/{service}"


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def _int(node: ET.Element | None, name: str) -> int:
    value = text_of(node, name)
    try:
        return int(float(value or ""))
    except ValueError as err:
        raise invalid_arg(None, f"{name}: not a number: {value!r}") from err


# --- device ---------------------------------------------------------------------------------

def get_device_information(cam: Camera, req: ET.Element, host: str) -> str:
    i = cam.data["identity"]
    return el("tds:GetDeviceInformationResponse", el("tds:Manufacturer", i["manufacturer"]),
              el("tds:Model", i["model"]), el("tds:FirmwareVersion", i["firmware"]),
              el("tds:SerialNumber", i["serial"]), el("tds:HardwareId", i["hardware_id"]))


def _datetime(tag: str, when: float) -> str:
    t = time.gmtime(when)
    return el(tag, el("tt:Time", el("tt:Hour", t.tm_hour), el("tt:Minute", t.tm_min),
                      el("tt:Second", t.tm_sec)),
              el("tt:Date", el("tt:Year", t.tm_year), el("tt:Month", t.tm_mon),
                 el("tt:Day", t.tm_mday)))


def _tz_offset(tz: str) -> int:
    """Seconds east of UTC of a POSIX TZ string's standard time ("<+03>-3" -> 10800)."""
    m = re.match(r"^(?:<[^>]*>|[A-Za-z]+)([+-]?)(\d{1,2})(?::(\d{2}))?", tz or "")
    if not m:
        return 0
    seconds = int(m.group(2)) * 3600 + int(m.group(3) or 0) * 60
    return seconds if m.group(1) == "-" else -seconds


def get_system_date_and_time(cam: Camera, req: ET.Element, host: str) -> str:
    d, now = cam.data, cam.now()
    return el("tds:GetSystemDateAndTimeResponse", el(
        "tds:SystemDateAndTime", el("tt:DateTimeType", d["datetime_type"]),
        el("tt:DaylightSavings", bool(d["daylight_savings"])),
        el("tt:TimeZone", el("tt:TZ", d["timezone"])),
        _datetime("tt:UTCDateTime", now),
        _datetime("tt:LocalDateTime", now + _tz_offset(d["timezone"]))))


def set_system_date_and_time(cam: Camera, req: ET.Element, host: str) -> str:
    kind = text_of(req, "DateTimeType", "")
    if kind not in ("NTP", "Manual"):
        raise invalid_arg(None, f"DateTimeType must be NTP or Manual, not {kind!r}")
    tz = text_of(child(req, "TimeZone"), "TZ")
    if tz is not None:
        if not re.match(r"^(<[+-]?[A-Za-z0-9]+>|[A-Za-z]{3,})[+-]?\d", tz):
            raise invalid_arg("InvalidTimeZone", f"not a POSIX time zone: {tz!r}")
        cam.data["timezone"] = tz
    utc = child(req, "UTCDateTime")
    if kind == "Manual" and utc is not None:
        t, d = child(utc, "Time"), child(utc, "Date")
        try:
            stamp = parse_time(f"{_int(d, 'Year'):04d}-{_int(d, 'Month'):02d}-"
                               f"{_int(d, 'Day'):02d}T{_int(t, 'Hour'):02d}:"
                               f"{_int(t, 'Minute'):02d}:{_int(t, 'Second'):02d}Z")
        except ValueError as err:
            raise invalid_arg("InvalidDateTime", "invalid UTCDateTime") from err
        cam.data["clock_offset"] = round(stamp - time.time(), 3)
    cam.data["datetime_type"] = kind
    cam.data["daylight_savings"] = _bool(text_of(req, "DaylightSavings"))
    return el("tds:SetSystemDateAndTimeResponse")


def _host_xml(tag: str, address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return el(tag, el("tt:Type", "DNS"), el("tt:DNSname", address))
    kind = "IPv4" if ip.version == 4 else "IPv6"
    return el(tag, el("tt:Type", kind), el(f"tt:{kind}Address", address))


def _host_value(node: ET.Element, dns_allowed: bool = True) -> str:
    kind = text_of(node, "Type", "")
    value = {"IPv4": text_of(node, "IPv4Address"), "IPv6": text_of(node, "IPv6Address"),
             "DNS": text_of(node, "DNSname") if dns_allowed else None}.get(kind or "")
    if not value:
        raise invalid_arg("InvalidIPv4Address", f"no address for type {kind!r}")
    if kind in ("IPv4", "IPv6"):
        try:
            ipaddress.ip_address(value)
        except ValueError as err:
            raise invalid_arg(f"Invalid{kind}Address", f"invalid address {value!r}") from err
    return value


def get_ntp(cam: Camera, req: ET.Element, host: str) -> str:
    ntp = cam.data["ntp"]
    return el("tds:GetNTPResponse", el("tds:NTPInformation", el("tt:FromDHCP", ntp["from_dhcp"]),
              [_host_xml("tt:NTPManual", s) for s in ntp["servers"]]))


def set_ntp(cam: Camera, req: ET.Element, host: str) -> str:
    servers = [_host_value(n) for n in children(req, "NTPManual")]
    cam.data["ntp"] = {"from_dhcp": _bool(text_of(req, "FromDHCP")), "servers": servers}
    return el("tds:SetNTPResponse")


def get_hostname(cam: Camera, req: ET.Element, host: str) -> str:
    return el("tds:GetHostnameResponse", el("tds:HostnameInformation",
              el("tt:FromDHCP", False), el("tt:Name", cam.data["hostname"])))


def set_hostname(cam: Camera, req: ET.Element, host: str) -> str:
    name = text_of(req, "Name", "") or ""
    if not HOSTNAME.match(name):
        raise invalid_arg("InvalidHostname", f"invalid hostname {name!r}")
    cam.data["hostname"] = name
    return el("tds:SetHostnameResponse")


def get_dns(cam: Camera, req: ET.Element, host: str) -> str:
    dns = cam.data["dns"]
    return el("tds:GetDNSResponse", el(
        "tds:DNSInformation", el("tt:FromDHCP", dns["from_dhcp"]),
        [el("tt:SearchDomain", d) for d in dns["search"]],
        [_host_xml("tt:DNSManual", s) for s in dns["servers"]]))


def set_dns(cam: Camera, req: ET.Element, host: str) -> str:
    servers = [_host_value(n, dns_allowed=False) for n in children(req, "DNSManual")]
    search = [(n.text or "").strip() for n in children(req, "SearchDomain")]
    cam.data["dns"] = {"from_dhcp": _bool(text_of(req, "FromDHCP")), "search": search,
                       "servers": servers}
    return el("tds:SetDNSResponse")


def get_users(cam: Camera, req: ET.Element, host: str) -> str:
    return el("tds:GetUsersResponse", [
        el("tds:User", el("tt:Username", u["username"]), el("tt:UserLevel", u["level"]))
        for u in cam.data["users"]])


def _user_args(node: ET.Element, password_needed: bool) -> dict[str, Any]:
    username = text_of(node, "Username", "") or ""
    password = text_of(node, "Password")
    level = text_of(node, "UserLevel", "") or ""
    if not username or len(username) > 32:
        raise invalid_arg("UsernameTooLong" if username else "InvalidArgVal",
                          f"invalid username {username!r}")
    if level not in LEVELS:
        raise invalid_arg("AnonymousNotAllowed" if level == "Anonymous" else None,
                          f"invalid user level {level!r}")
    if password_needed and not password:
        raise invalid_arg("PasswordTooWeak", f"user {username}: a password is required")
    if password is not None and len(password) > 64:
        raise invalid_arg("PasswordTooLong", f"user {username}: password too long")
    return {"username": username, "password": password, "level": level}


def create_users(cam: Camera, req: ET.Element, host: str) -> str:
    new = [_user_args(n, True) for n in children(req, "User")]
    names = [u["username"] for u in new]
    for u in new:
        if cam.user(u["username"]) is not None or names.count(u["username"]) > 1:
            raise invalid_arg("UsernameClash", f"user {u['username']} exists already")
    if len(cam.data["users"]) + len(new) > 32:
        raise SoapFault("Receiver", ["Action", "TooManyUsers"], "too many users")
    cam.data["users"].extend({**u, "fixed": False} for u in new)
    return el("tds:CreateUsersResponse")


def _admins_left(users: list[dict[str, Any]]) -> int:
    return sum(u["level"] == "Administrator" for u in users)


def delete_users(cam: Camera, req: ET.Element, host: str) -> str:
    names = [(n.text or "").strip() for n in children(req, "Username")]
    users = cam.data["users"]
    for name in names:
        user = cam.user(name)
        if user is None:
            raise invalid_arg("UsernameMissing", f"no such user {name!r}")
        if user.get("fixed"):
            raise invalid_arg("FixedUser", f"user {name} is built in and cannot be deleted")
    remaining = [u for u in users if u["username"] not in names]
    if not _admins_left(remaining):
        raise invalid_arg("FixedUser", "cannot delete the last Administrator")
    cam.data["users"] = remaining
    return el("tds:DeleteUsersResponse")


def set_user(cam: Camera, req: ET.Element, host: str) -> str:
    changes = [_user_args(n, False) for n in children(req, "User")]
    users = [dict(u) for u in cam.data["users"]]
    for change in changes:
        user = next((u for u in users if u["username"] == change["username"]), None)
        if user is None:
            raise invalid_arg("UsernameMissing", f"no such user {change['username']!r}")
        if user.get("fixed") and change["level"] != user["level"]:
            raise invalid_arg("FixedUser", f"the level of {user['username']} is fixed")
        user["level"] = change["level"]
        if change["password"]:
            user["password"] = change["password"]
    if not _admins_left(users):
        raise invalid_arg("FixedUser", "the last Administrator cannot be demoted")
    cam.data["users"] = users
    return el("tds:SetUserResponse")


def get_capabilities(cam: Camera, req: ET.Element, host: str) -> str:
    return el("tds:GetCapabilitiesResponse", el(
        "tds:Capabilities",
        el("tt:Device", el("tt:XAddr", _xaddr(host, "device_service"))),
        el("tt:Media", el("tt:XAddr", _xaddr(host, "media_service")),
           el("tt:StreamingCapabilities", el("tt:RTPMulticast", False),
              el("tt:RTP_TCP", True), el("tt:RTP_RTSP_TCP", True)))))


def get_services(cam: Camera, req: ET.Element, host: str) -> str:
    def service(ns: str, path: str) -> str:
        return el("tds:Service", el("tds:Namespace", ns), el("tds:XAddr", _xaddr(host, path)),
                  el("tds:Version", el("tt:Major", 2), el("tt:Minor", 60)))
    return el("tds:GetServicesResponse",
              service("http://www.onvif.org/ver10/device/wsdl", "device_service"),
              service("http://www.onvif.org/ver10/media/wsdl", "media_service"))


def get_scopes(cam: Camera, req: ET.Element, host: str) -> str:
    i = cam.data["identity"]
    items = [("Fixed", "onvif://www.onvif.org/type/video_encoder"),
             ("Fixed", "onvif://www.onvif.org/Profile/Streaming"),
             ("Fixed", f"onvif://www.onvif.org/hardware/{i['model']}"),
             ("Configurable", f"onvif://www.onvif.org/name/{cam.data['hostname']}")]
    return el("tds:GetScopesResponse", [
        el("tds:Scopes", el("tt:ScopeDef", kind), el("tt:ScopeItem", item))
        for kind, item in items])


# --- media ----------------------------------------------------------------------------------

def _encoder_xml(tag: str, enc: dict[str, Any]) -> str:
    return el(tag,
              el("tt:Name", enc["name"]), el("tt:UseCount", 1),
              el("tt:Encoding", enc["encoding"]),
              el("tt:Resolution", el("tt:Width", enc["width"]), el("tt:Height", enc["height"])),
              el("tt:Quality", float(enc["quality"])),
              el("tt:RateControl", el("tt:FrameRateLimit", enc["fps"]),
                 el("tt:EncodingInterval", enc["encoding_interval"]),
                 el("tt:BitrateLimit", enc["bitrate"])),
              el("tt:H264", el("tt:GovLength", enc["gov"]),
                 el("tt:H264Profile", enc["h264_profile"])),
              el("tt:Multicast", el("tt:Address", el("tt:Type", "IPv4"),
                                    el("tt:IPv4Address", "0.0.0.0")),
                 el("tt:Port", 0), el("tt:TTL", 1), el("tt:AutoStart", False)),
              el("tt:SessionTimeout", "PT60S"),
              token=enc["token"])


def _profile_token(cam: Camera, req: ET.Element) -> None:
    token = text_of(req, "ProfileToken")
    if token is not None and token != cam.data["profile"]["token"]:
        raise invalid_arg("NoProfile", f"no profile {token!r}")


def _encoder_token(cam: Camera, req: ET.Element) -> None:
    token = text_of(req, "ConfigurationToken")
    if token is not None and token != cam.data["encoder"]["token"]:
        raise invalid_arg("NoConfig", f"no video encoder configuration {token!r}")


def get_profiles(cam: Camera, req: ET.Element, host: str) -> str:
    p = cam.data["profile"]
    enc = cam.data["encoder"]
    source = el("tt:VideoSourceConfiguration", el("tt:Name", "VideoSource_1"),
                el("tt:UseCount", 1), el("tt:SourceToken", "VideoSource_1"),
                Xml(f'<tt:Bounds x="0" y="0" width="{enc["width"]}" '
                    f'height="{enc["height"]}"/>'),
                token="VideoSourceConfig_1")
    return el("trt:GetProfilesResponse", el(
        "trt:Profiles", el("tt:Name", p["name"]), source,
        _encoder_xml("tt:VideoEncoderConfiguration", enc), token=p["token"], fixed="true"))


def get_video_encoder_configurations(cam: Camera, req: ET.Element, host: str) -> str:
    return el("trt:GetVideoEncoderConfigurationsResponse",
              _encoder_xml("trt:Configurations", cam.data["encoder"]))


def get_video_encoder_configuration(cam: Camera, req: ET.Element, host: str) -> str:
    _encoder_token(cam, req)
    return el("trt:GetVideoEncoderConfigurationResponse",
              _encoder_xml("trt:Configuration", cam.data["encoder"]))


def get_video_encoder_configuration_options(cam: Camera, req: ET.Element, host: str) -> str:
    _encoder_token(cam, req)
    _profile_token(cam, req)
    o = cam.data["options"]

    def rng(tag: str, lo_hi: list[int]) -> str:
        return el(tag, el("tt:Min", lo_hi[0]), el("tt:Max", lo_hi[1]))

    resolutions = [el("tt:ResolutionsAvailable", el("tt:Width", w), el("tt:Height", h))
                   for w, h in o["resolutions"]]
    return el("trt:GetVideoEncoderConfigurationOptionsResponse", el(
        "trt:Options", rng("tt:QualityRange", o["quality"]),
        el("tt:JPEG", resolutions, rng("tt:FrameRateRange", o["fps"]),
           rng("tt:EncodingIntervalRange", [1, 1])),
        el("tt:H264", resolutions, rng("tt:GovLengthRange", o["gov"]),
           rng("tt:FrameRateRange", o["fps"]), rng("tt:EncodingIntervalRange", [1, 1]),
           el("tt:H264ProfilesSupported", "Baseline"), el("tt:H264ProfilesSupported", "Main"),
           el("tt:H264ProfilesSupported", "High"))))


def set_video_encoder_configuration(cam: Camera, req: ET.Element, host: str) -> str:
    conf = child(req, "Configuration")
    if conf is None:
        raise invalid_arg(None, "no Configuration")
    if conf.get("token") != cam.data["encoder"]["token"]:
        raise invalid_arg("NoConfig", f"no video encoder configuration {conf.get('token')!r}")
    o = cam.data["options"]
    enc = dict(cam.data["encoder"])
    encoding = text_of(conf, "Encoding", "") or ""
    if encoding not in o["encodings"]:
        raise invalid_arg("ConfigModify", f"encoding {encoding!r} not supported")
    res = child(conf, "Resolution")
    width, height = _int(res, "Width"), _int(res, "Height")
    if [width, height] not in o["resolutions"]:
        raise invalid_arg("ConfigModify", f"resolution {width}x{height} not supported")
    quality = float(text_of(conf, "Quality", "0") or 0)
    if not o["quality"][0] <= quality <= o["quality"][1]:
        raise invalid_arg("ConfigModify", f"quality {quality} out of range")
    enc.update(encoding=encoding, width=width, height=height, quality=quality,
               name=text_of(conf, "Name", enc["name"]))
    rate = child(conf, "RateControl")
    if rate is not None:
        fps, bitrate = _int(rate, "FrameRateLimit"), _int(rate, "BitrateLimit")
        if not o["fps"][0] <= fps <= o["fps"][1]:
            raise invalid_arg("ConfigModify", f"frame rate {fps} out of range")
        if not o["bitrate"][0] <= bitrate <= o["bitrate"][1]:
            raise invalid_arg("ConfigModify", f"bitrate {bitrate} out of range")
        enc.update(fps=fps, bitrate=bitrate,
                   encoding_interval=_int(rate, "EncodingInterval"))
    h264 = child(conf, "H264")
    if h264 is not None:
        gov = _int(h264, "GovLength")
        if not o["gov"][0] <= gov <= o["gov"][1]:
            raise invalid_arg("ConfigModify", f"GOP length {gov} out of range")
        enc.update(gov=gov, h264_profile=text_of(h264, "H264Profile", enc["h264_profile"]))
    cam.data["encoder"] = enc
    return el("trt:SetVideoEncoderConfigurationResponse")


def _media_uri(tag: str, uri: str) -> str:
    return el(tag, el("trt:MediaUri", el("tt:Uri", uri), el("tt:InvalidAfterConnect", False),
                      el("tt:InvalidAfterReboot", False), el("tt:Timeout", "PT0S")))


def get_stream_uri(cam: Camera, req: ET.Element, host: str) -> str:
    _profile_token(cam, req)
    name = host.rsplit(":", 1)[0]
    return _media_uri("trt:GetStreamUriResponse",
                      f"rtsp://{name}:554/Streaming/Channels/101")


def get_snapshot_uri(cam: Camera, req: ET.Element, host: str) -> str:
    _profile_token(cam, req)
    return _media_uri("trt:GetSnapshotUriResponse", f"http://{host}/snapshot.jpg")


DEVICE: dict[str, tuple[int, Handler, bool]] = {
    # name: (access class, handler, changes state)
    "GetSystemDateAndTime": (PRE_AUTH, get_system_date_and_time, False),
    "GetCapabilities": (PRE_AUTH, get_capabilities, False),
    "GetServices": (PRE_AUTH, get_services, False),
    "GetDeviceInformation": (READ, get_device_information, False),
    "GetHostname": (READ, get_hostname, False),
    "GetDNS": (READ, get_dns, False),
    "GetNTP": (READ, get_ntp, False),
    "GetScopes": (READ, get_scopes, False),
    "GetUsers": (ADMIN, get_users, False),
    "SetSystemDateAndTime": (ADMIN, set_system_date_and_time, True),
    "SetNTP": (ADMIN, set_ntp, True),
    "SetHostname": (ADMIN, set_hostname, True),
    "SetDNS": (ADMIN, set_dns, True),
    "CreateUsers": (ADMIN, create_users, True),
    "DeleteUsers": (ADMIN, delete_users, True),
    "SetUser": (ADMIN, set_user, True),
}
MEDIA: dict[str, tuple[int, Handler, bool]] = {
    "GetProfiles": (READ, get_profiles, False),
    "GetVideoEncoderConfigurations": (READ, get_video_encoder_configurations, False),
    "GetVideoEncoderConfiguration": (READ, get_video_encoder_configuration, False),
    "GetVideoEncoderConfigurationOptions": (READ, get_video_encoder_configuration_options,
                                            False),
    "SetVideoEncoderConfiguration": (ACTUATE, set_video_encoder_configuration, True),
    "GetStreamUri": (READ, get_stream_uri, False),
    "GetSnapshotUri": (READ, get_snapshot_uri, False),
}
SERVICES = {"/onvif/device_service": DEVICE, "/onvif/media_service": MEDIA}
