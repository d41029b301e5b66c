"""A thin async wrapper over onvif-zeep-async: one camera, read as a plain dict, and setters.

:class:`Session` connects with ``adjust_time=True``: the library reads the camera's clock
without authentication (GetSystemDateAndTime) and signs every WS-Security UsernameToken with
the camera's time, so a camera whose clock is far off (it refuses tokens "created" too far
from its clock) is still reachable; the drift itself is reported by ``audit``.

Logging in as another account (a factory default, an operator's password check) reuses the
discovered service addresses and clock offset: one request, not a new handshake.

Failures become :class:`Unreachable` (no TCP/HTTP answer, a timeout), :class:`AuthRefused`
(ter:NotAuthorized on the login probe) or :class:`DeviceFault` (any other SOAP fault, with the
device's reason and subcodes).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from typing import Any

import aiohttp
import zeep.exceptions
from onvif import ONVIFCamera, ONVIFError, ONVIFService

from bilgiislem.cameras.target import CameraTarget, Encoder

TIMEOUT_S = 15.0  # per request; real cameras answer in tens of milliseconds


class CameraError(Exception):
    kind = "error"


class Unreachable(CameraError):
    kind = "unreachable"


class AuthRefused(CameraError):
    kind = "auth-failed"


class DeviceFault(CameraError):
    """A SOAP fault: ``reason`` as the device gave it, ``subcodes`` like ['InvalidArgVal',
    'FixedUser']."""

    kind = "fault"

    def __init__(self, operation: str, reason: str, subcodes: list[str]) -> None:
        self.operation, self.reason, self.subcodes = operation, reason, subcodes
        sub = f" [{'/'.join(subcodes)}]" if subcodes else ""
        super().__init__(f"{operation}: {reason}{sub}")

    @property
    def not_authorized(self) -> bool:
        return "NotAuthorized" in self.subcodes


def _subcodes(fault: zeep.exceptions.Fault) -> list[str]:
    out = []
    for code in fault.subcodes or []:
        name = getattr(code, "localname", None) or str(code)
        out.append(name.rsplit("}", 1)[-1].rsplit(":", 1)[-1])
    return out


def _translate(operation: str, err: BaseException) -> CameraError:
    if isinstance(err, CameraError):
        return err
    if isinstance(err, zeep.exceptions.Fault):
        return DeviceFault(operation, str(err.message or "fault"), _subcodes(err))
    if isinstance(err, aiohttp.ClientError | OSError | TimeoutError | asyncio.TimeoutError |
                  zeep.exceptions.TransportError):
        return Unreachable(f"{operation}: {type(err).__name__}: {err}")
    if isinstance(err, ONVIFError):
        cause = err.__cause__
        if cause is not None and not isinstance(cause, ONVIFError):
            return _translate(operation, cause)
        return CameraError(f"{operation}: {err}")
    return CameraError(f"{operation}: {type(err).__name__}: {err}")


def _host(node: Any) -> str:
    field = {"IPv4": "IPv4Address", "IPv6": "IPv6Address", "DNS": "DNSname"}.get(
        str(node.Type), "DNSname")
    return str(getattr(node, field, None) or "")


def _network_host(address: str) -> dict[str, str]:
    if all(part.isdigit() for part in address.split(".")) and address.count(".") == 3:
        return {"Type": "IPv4", "IPv4Address": address}
    return {"Type": "DNS", "DNSname": address}


class Session:
    """One camera; ``username``/``password`` is who the requests are signed as."""

    def __init__(self, target: CameraTarget, username: str, password: str, *,
                 timeout: float = TIMEOUT_S) -> None:
        self.target = target
        self.username, self.password = username, password
        self.timeout = timeout
        self.camera: ONVIFCamera | None = None
        self._services: dict[tuple[str, str, str], ONVIFService] = {}
        self.encoder_config: Any = None  # the raw configuration last read, for Set

    # --- connection ---------------------------------------------------------------------

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        """Clock handshake and service discovery (no login check: see :meth:`login`)."""
        self.camera = ONVIFCamera(self.target.address, self.target.port, self.username,
                                  self.password, adjust_time=True, no_cache=True)
        try:
            await asyncio.wait_for(self.camera.update_xaddrs(), self.timeout * 2)
        except BaseException as err:
            await self.close()
            raise _translate("bağlantı", err) from err

    async def close(self) -> None:
        for service in self._services.values():
            with contextlib.suppress(Exception):  # closing is best-effort
                await service.close()
        self._services.clear()
        if self.camera is not None:
            with contextlib.suppress(Exception):
                await self.camera.close()
            self.camera = None

    async def _service(self, name: str, username: str, password: str) -> ONVIFService:
        key = (name, username, password)
        if key not in self._services:
            assert self.camera is not None, "connect() first"
            xaddr, wsdl, binding = self.camera.get_definition(name)
            service = ONVIFService(xaddr, username, password, wsdl, True, no_cache=True,
                                   dt_diff=self.camera.dt_diff, binding_name=binding,
                                   binding_key=(name, username))
            await service.setup()
            self._services[key] = service
        return self._services[key]

    async def call(self, service: str, operation: str, params: dict[str, Any] | None = None,
                   *, username: str | None = None, password: str | None = None) -> Any:
        svc = await self._service(service, username if username is not None else self.username,
                                  password if password is not None else self.password)
        try:
            return await asyncio.wait_for(getattr(svc, operation)(params), self.timeout)
        except BaseException as err:
            if isinstance(err, asyncio.CancelledError):
                raise
            raise _translate(operation, err) from err

    async def works(self, username: str, password: str) -> bool:
        """Whether the camera accepts this account (GetDeviceInformation, any level)."""
        try:
            await self.call("devicemgmt", "GetDeviceInformation", username=username,
                            password=password)
        except DeviceFault as err:
            if err.not_authorized:
                return False
            raise
        return True

    async def login(self) -> None:
        """Check the session's own account; :class:`AuthRefused` if refused."""
        if not await self.works(self.username, self.password):
            raise AuthRefused(f"{self.target.name}: {self.username} hesabıyla giriş reddedildi")

    def switch(self, username: str, password: str) -> None:
        self.username, self.password = username, password

    # --- reading ------------------------------------------------------------------------

    async def read(self, *, users: bool = True) -> dict[str, Any]:
        """Everything apply and audit compare, as plain data (no passwords: cameras do not
        return them). ``utc_offset_s``: device UTC minus this machine's UTC."""
        calls = [self.call("devicemgmt", op) for op in
                 ("GetDeviceInformation", "GetSystemDateAndTime", "GetHostname", "GetDNS",
                  "GetNTP")]
        calls.append(self.call("media", "GetProfiles"))
        if users:
            calls.append(self.call("devicemgmt", "GetUsers"))
        results = await asyncio.gather(*calls)
        now = dt.datetime.now(dt.UTC)
        info, clock, hostname, dns, ntp, profiles = results[:6]
        utc = clock.UTCDateTime
        device_time = dt.datetime(utc.Date.Year, utc.Date.Month, utc.Date.Day, utc.Time.Hour,
                                  utc.Time.Minute, utc.Time.Second, tzinfo=dt.UTC)
        state: dict[str, Any] = {
            "device": {"manufacturer": info.Manufacturer, "model": info.Model,
                       "firmware": info.FirmwareVersion, "serial": info.SerialNumber,
                       "hardware_id": info.HardwareId},
            "device_utc": device_time.isoformat(),
            "utc_offset_s": round((device_time - now).total_seconds()),
            "datetime_type": str(clock.DateTimeType),
            "timezone": clock.TimeZone.TZ if clock.TimeZone is not None else None,
            "hostname": hostname.Name,
            "dns_from_dhcp": bool(dns.FromDHCP),
            "dns": [str(a.IPv4Address or a.IPv6Address) for a in dns.DNSManual or []],
            "ntp_from_dhcp": bool(ntp.FromDHCP),
            "ntp": [_host(h) for h in ntp.NTPManual or []],
        }
        if users:
            state["users"] = {u.Username: str(u.UserLevel) for u in results[6] or []}
        profile = profiles[0] if profiles else None
        conf = profile.VideoEncoderConfiguration if profile is not None else None
        self.encoder_config = conf
        state["profile_token"] = profile.token if profile is not None else None
        state["encoder"] = None if conf is None else {
            "token": conf.token,
            "encoding": str(conf.Encoding),
            "width": conf.Resolution.Width, "height": conf.Resolution.Height,
            "fps": conf.RateControl.FrameRateLimit if conf.RateControl else None,
            "bitrate_kbps": conf.RateControl.BitrateLimit if conf.RateControl else None,
            "gop": conf.H264.GovLength if conf.H264 else None,
        }
        return state

    async def users(self) -> dict[str, str]:
        return {u.Username: str(u.UserLevel)
                for u in await self.call("devicemgmt", "GetUsers") or []}

    # --- setters ------------------------------------------------------------------------

    async def set_ntp(self, servers: tuple[str, ...]) -> None:
        await self.call("devicemgmt", "SetNTP", {
            "FromDHCP": False, "NTPManual": [_network_host(s) for s in servers]})

    async def set_time(self, timezone: str, ntp: bool) -> None:
        await self.call("devicemgmt", "SetSystemDateAndTime", {
            "DateTimeType": "NTP" if ntp else "Manual", "DaylightSavings": False,
            "TimeZone": {"TZ": timezone}})

    async def set_hostname(self, name: str) -> None:
        await self.call("devicemgmt", "SetHostname", {"Name": name})

    async def set_dns(self, servers: tuple[str, ...]) -> None:
        await self.call("devicemgmt", "SetDNS", {
            "FromDHCP": False, "SearchDomain": [],
            "DNSManual": [{"Type": "IPv4", "IPv4Address": s} for s in servers]})

    async def create_user(self, username: str, password: str, level: str) -> None:
        await self.call("devicemgmt", "CreateUsers", {"User": [
            {"Username": username, "Password": password, "UserLevel": level}]})

    async def set_user(self, username: str, level: str, password: str | None = None) -> None:
        user: dict[str, Any] = {"Username": username, "UserLevel": level}
        if password is not None:
            user["Password"] = password
        await self.call("devicemgmt", "SetUser", {"User": [user]})

    async def delete_user(self, username: str) -> None:
        await self.call("devicemgmt", "DeleteUsers", {"Username": [username]})

    async def set_encoder(self, encoder: Encoder) -> None:
        """Change the first profile's video encoder configuration (read first)."""
        conf = self.encoder_config
        if conf is None:
            raise CameraError("profilde video kodlayıcı yapılandırması yok")
        conf.Encoding = encoder.encoding
        conf.Resolution.Width, conf.Resolution.Height = encoder.width, encoder.height
        if conf.RateControl is None:
            conf.RateControl = {"FrameRateLimit": encoder.fps, "EncodingInterval": 1,
                                "BitrateLimit": encoder.bitrate_kbps}
        else:
            conf.RateControl.FrameRateLimit = encoder.fps
            conf.RateControl.BitrateLimit = encoder.bitrate_kbps
        if encoder.encoding == "H264":
            if conf.H264 is None:
                conf.H264 = {"GovLength": encoder.gop, "H264Profile": "Main"}
            else:
                conf.H264.GovLength = encoder.gop
        await self.call("media", "SetVideoEncoderConfiguration",
                        {"Configuration": conf, "ForcePersistence": True})
