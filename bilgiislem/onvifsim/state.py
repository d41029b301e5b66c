"""The state of one simulated camera: a JSON file in the state directory (``NAME.json``),
written on every change (atomically: temporary file + rename) and read again whenever the file
on disk changed, so a test or ``podman exec`` can edit it or use the ``fault`` command."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import zlib
from pathlib import Path
from typing import Any

# vendor: (manufacturer, factory account, its password, factory hostname prefix,
#          whether the factory account is built in: the camera refuses to delete it)
VENDORS: dict[str, tuple[str, str, str, str, bool]] = {
    "hikvision": ("HIKVISION", "admin", "12345", "HIKVISION", True),
    "dahua": ("Dahua", "admin", "admin", "IPC", False),
    "axis": ("AXIS", "root", "pass", "axis", True),
    "uniview": ("UNIVIEW", "admin", "123456", "IPC", False),
    "hanwha": ("Hanwha Vision", "admin", "4321", "SNB", False),
    "generic": ("ONVIF", "admin", "admin", "IPCAM", False),
}
RESOLUTIONS = [(2560, 1440), (1920, 1080), (1280, 720), (704, 576), (640, 360)]
LEVELS = ("Administrator", "Operator", "User")


def factory_state(name: str, *, listen: str, vendor: str, model: str, firmware: str,
                  serial: str, user: str | None = None,
                  password: str | None = None) -> dict[str, Any]:
    """A camera as it leaves the factory: the vendor's default account, a factory hostname,
    no NTP, UTC, a 720p main stream."""
    manufacturer, f_user, f_password, prefix, builtin = VENDORS.get(vendor, VENDORS["generic"])
    return {
        "name": name,
        "listen": listen,
        "vendor": vendor,
        "identity": {"manufacturer": manufacturer, "model": model, "firmware": firmware,
                     "serial": serial, "hardware_id": f"{model}-HW"},
        "hostname": f"{prefix}-{serial[-6:]}",
        "dns": {"from_dhcp": False, "search": [], "servers": []},
        "ntp": {"from_dhcp": False, "servers": []},
        "datetime_type": "Manual",
        "daylight_savings": False,
        "timezone": "UTC0",
        "clock_offset": 0.0,
        "users": [{"username": user or f_user, "password": password or f_password,
                   "level": "Administrator", "fixed": builtin}],
        "profile": {"token": "Profile_1", "name": "mainStream"},
        "encoder": {"token": "VideoEncoder_1", "name": "VideoEncoder_1", "encoding": "H264",
                    "width": 1280, "height": 720, "quality": 4.0, "fps": 25,
                    "encoding_interval": 1, "bitrate": 2048, "gov": 50,
                    "h264_profile": "Main"},
        "options": {"resolutions": [list(r) for r in RESOLUTIONS], "fps": [1, 30],
                    "gov": [1, 400], "bitrate": [32, 16384], "quality": [1, 6],
                    "encodings": ["JPEG", "H264"]},
        "faults": {"unreachable": False},
    }


class Camera:
    """One camera's state, shared by the threads that serve it: hold ``lock`` while reading
    or changing ``data``; call ``refresh()`` first and ``save()`` after a change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.data: dict[str, Any] = {}
        self._sig: tuple[int, int, int] | None = None
        self.nonces: dict[str, float] = {}
        self.refresh(force=True)

    @property
    def name(self) -> str:
        return str(self.data.get("name", self.path.stem))

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def refresh(self, force: bool = False) -> bool:
        """Reload the file if it changed on disk; True when it did."""
        with self.lock:
            sig = self._signature()
            if sig is None or (sig == self._sig and not force):
                return False
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return False  # being written by someone else: next time
            self.data, self._sig = data, sig
            return True

    def save(self) -> None:
        with self.lock:
            write_json(self.path, self.data)
            self._sig = self._signature()

    def now(self) -> float:
        """The camera's clock (UTC, seconds since the epoch)."""
        return time.time() + float(self.data.get("clock_offset", 0.0))

    def user(self, username: str) -> dict[str, Any] | None:
        return next((u for u in self.data["users"] if u["username"] == username), None)

    def seen_nonce(self, nonce: str) -> bool:
        """Remember a nonce for 10 minutes; True when it was seen already (a replay)."""
        now = time.monotonic()
        with self.lock:
            if len(self.nonces) > 5000:
                self.nonces = {n: t for n, t in self.nonces.items() if now - t < 600}
            if nonce in self.nonces and now - self.nonces[nonce] < 600:
                return True
            self.nonces[nonce] = now
            return False


def write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def state_path(state_dir: Path | str, name: str) -> Path:
    return Path(state_dir) / f"{name}.json"


def init_camera(state_dir: Path | str, name: str, *, listen: str = "127.0.0.1:0",
                vendor: str = "generic", model: str = "IPC", firmware: str = "V1.0.0",
                serial: str | None = None, user: str | None = None,
                password: str | None = None) -> Path:
    """Create (or reset to factory state) the camera ``name`` in ``state_dir``."""
    folder = Path(state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = state_path(folder, name)
    serial = serial or f"SN{zlib.crc32(name.encode()):010d}"
    write_json(path, factory_state(name, listen=listen, vendor=vendor, model=model,
                                   firmware=firmware, serial=serial, user=user,
                                   password=password))
    return path


def apply_fault(data: dict[str, Any], *, clock_offset: float | None = None,
                unreachable: bool | None = None, factory_password: bool = False) -> None:
    """Change a camera's state dict as the ``fault`` command does."""
    if clock_offset is not None:
        data["clock_offset"] = float(clock_offset)
    if unreachable is not None:
        data.setdefault("faults", {})["unreachable"] = bool(unreachable)
    if factory_password:
        _, f_user, f_password, _, builtin = VENDORS.get(data.get("vendor", "generic"),
                                                        VENDORS["generic"])
        users = data["users"]
        existing = next((u for u in users if u["username"] == f_user), None)
        if existing is None:
            users.append({"username": f_user, "password": f_password,
                          "level": "Administrator", "fixed": builtin})
        else:
            existing.update(password=f_password, level="Administrator")


def fault(state_dir: Path | str, name: str, **kwargs: Any) -> dict[str, Any]:
    """Inject a fault by editing the camera's file; a running server picks it up."""
    path = state_path(state_dir, name)
    data = json.loads(path.read_text(encoding="utf-8"))
    apply_fault(data, **kwargs)
    write_json(path, data)
    return data


def load(path: Path) -> dict[str, Any]:
    with contextlib.suppress(OSError, ValueError):
        return dict(json.loads(path.read_text(encoding="utf-8")))
    return {}
