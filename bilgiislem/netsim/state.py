"""The state of one simulated device, shared by all its sessions, and its files on disk.

``<state-dir>/<name>/`` holds ``ssh_host_ed25519_key`` (made at the first start),
``startup-config`` (what ``write memory``/``save`` wrote, lines the device never shows
included; on RouterOS, what every change left; loaded at every start) and ``running-config``
(a copy of the running configuration, written when a session leaves configuration mode and
when the simulator stops; for debugging only, never read back). At the first start the
vendor's initial configuration (the definition's ``username``/``password`` as its local
account) plus the definition's ``config`` becomes both running and startup configuration.

Logins check the running configuration's local accounts (IOS ``username``, VRP
``local-user``, RouterOS ``/user``): changing the password of an account changes what its next
login needs.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from pathlib import Path

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bilgiislem.netsim.cli import CliSession
from bilgiislem.netsim.config import ConfigTree
from bilgiislem.netsim.device import DeviceSpec
from bilgiislem.netsim.grammar import Grammar
from bilgiislem.netsim.interfaces import expand_ports
from bilgiislem.netsim.ios import IosSession
from bilgiislem.netsim.passwords import verify
from bilgiislem.netsim.routeros import RosSession
from bilgiislem.netsim.vrp import VrpSession

PERSONALITIES: dict[str, type[CliSession]] = {
    "cisco_ios": IosSession, "huawei": VrpSession, "mikrotik_routeros": RosSession}
HOST_KEY = "ssh_host_ed25519_key"
STARTUP = "startup-config"
RUNNING = "running-config"


class DeviceState:
    """A booted device: its resolved definition, configurations, grammars and host key."""

    def __init__(self, spec: DeviceSpec, state_dir: Path) -> None:
        self.spec = spec
        self.personality = PERSONALITIES[spec.vendor]
        self.dir = state_dir / spec.name
        self.lock = threading.RLock()
        self.model = spec.model or self.personality.DEFAULT_MODEL
        self.ports = expand_ports(spec.ports or self.personality.DEFAULT_PORTS)
        self.software = spec.software or self.personality.DEFAULT_SOFTWARE
        self.serial = spec.serial or self.personality.serial_for(spec.name)
        digest = hashlib.sha256(spec.name.encode()).digest()
        self.mac = "00:1e:" + ":".join(f"{b:02x}" for b in digest[:4])
        self.grammars = _grammars(self.personality, tuple(self.ports))
        self.running = ConfigTree()
        self.startup = ""
        self.booted = time.time()
        self.host_key: paramiko.PKey | None = None

    def session(self, *, privileged: bool = True, user: str = "") -> CliSession:
        return self.personality(self, privileged=privileged, user=user)

    def authenticate(self, username: str, password: str) -> bool:
        """Whether the running configuration has the account ``username`` with ``password``."""
        with self.lock:
            account = self.session().account(username)
        return account is not None and verify(account[0], password)

    def login(self, username: str) -> CliSession:
        """A session for ``username``, who has just logged in: privileged or not as the
        account says."""
        with self.lock:
            account = self.session().account(username)
        return self.session(privileged=account is not None and account[1], user=username)

    def boot(self) -> None:
        """Load the startup configuration (making the factory one at the first start)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.host_key = _host_key(self.dir / HOST_KEY)
        startup = self.dir / STARTUP
        first = not startup.exists()
        session = self.session()
        text = session.baseline() + self.spec.config if first else startup.read_text("utf-8")
        with self.lock:
            self.running = ConfigTree()
            try:
                session.load(text)
            except ValueError as e:
                raise ValueError(f"device {self.spec.name}: {e}") from None
            session.add_ports(self.ports)
            self.booted = time.time()
            if first:
                self.save()
            else:
                self.startup = text

    def save(self) -> None:
        """Running configuration → startup configuration (in memory and on disk)."""
        with self.lock:
            self.startup = self.session().render_config(private=True)
            _write(self.dir / STARTUP, self.startup)

    def running_config(self) -> str:
        """The running configuration as the device saves it (no ``show`` header)."""
        with self.lock:
            return self.session().render_config()

    def dump_running(self) -> None:
        with self.lock:
            text = self.session().render_config(private=True)
        _write(self.dir / RUNNING, text)


@functools.cache
def _grammars(personality: type[CliSession], ports: tuple[str, ...]) -> dict[str, Grammar]:
    """Grammars only depend on the vendor and the ports: devices alike share them."""
    return personality.build_grammars(ports)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _host_key(path: Path) -> paramiko.PKey:
    if not path.exists():
        key = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
    return paramiko.Ed25519Key(filename=str(path))
