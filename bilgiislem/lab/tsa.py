"""The lab's time-stamp authority (``lab-tsa``): bilgiislem.tsa in a container of its own, at
the address legal_logging.yml's ``tsa.url`` names, never on the log collector. Its keys are
made on the control machine next to the CA certificate the inventory points at
(``tsa.ca_file``), and mounted into the container, so a new container keeps the authority.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bilgiislem import REPO_ROOT, tsa
from bilgiislem.inventory import Inventory
from bilgiislem.lab import podman
from bilgiislem.lab.network import CONTAINER_PREFIX, NETWORK_PREFIX, NetworkError, _hash

CONTAINER = CONTAINER_PREFIX + "tsa"
MOUNT = "/opt/tsa"  # the repository's bilgiislem package, read-only
STATE = "/var/lib/tsa"
READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class TsaSpec:
    container: str
    image: str
    attachments: tuple[tuple[str, str], ...]  # (podman network, ip)
    port: int
    keys: Path  # on the control machine: ca.pem, tsa.pem, keys
    spec: str = ""

    @property
    def addresses(self) -> list[str]:
        return [ip for _, ip in self.attachments]


def plan(inv: Inventory, image_tag: str) -> TsaSpec | None:
    ll = inv.legal_logging
    if ll is None:
        return None
    url = urllib.parse.urlsplit(ll.tsa.url)
    host = url.hostname or ""
    try:
        addr = ipaddress.IPv4Address(host)
    except ValueError:
        raise NetworkError(f"{inv.root}/legal_logging.yml: tsa.url {ll.tsa.url!r}: the lab "
                           "runs its TSA at an address, not a name; use http://<address>:"
                           "<port>/ on a lab network") from None
    net = next((n for n in inv.networks if addr in ipaddress.IPv4Network(n.cidr)), None)
    if net is None:
        raise NetworkError(f"{inv.root}/legal_logging.yml: tsa.url {ll.tsa.url!r}: {addr} is "
                           "on no network of networks.yml; the lab's TSA needs one")
    port = url.port or 80
    keys = inv.resolve(ll.tsa.ca_file).parent
    attachments = ((NETWORK_PREFIX + net.name, str(addr)),)
    spec = _hash([image_tag, attachments, port, str(keys)])
    return TsaSpec(CONTAINER, image_tag, attachments, port, keys, spec)


def create(s: TsaSpec, code: str) -> None:
    tsa.make_authority(s.keys, name="Ornekkoy Lab TSA")
    args = ["run", "-d", "--name", s.container, "--hostname", "tsa", "--no-hosts",
            "--init", "--stop-timeout", "2",
            "--label", f"{podman.LABEL}={code}", "--label", f"{podman.SPEC_LABEL}={s.spec}",
            "-v", f"{REPO_ROOT / 'bilgiislem'}:{MOUNT}/bilgiislem:ro",
            "-v", f"{s.keys}:{STATE}", "-e", f"PYTHONPATH={MOUNT}"]
    for net, ip in s.attachments:
        args += ["--network", f"{net}:ip={ip}"]
    podman.run(*args, s.image, "python3", "-m", "bilgiislem.tsa", "serve", STATE,
               "--port", str(s.port))


def wait(s: TsaSpec, timeout: float = READY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    ip = s.addresses[0]
    while True:
        try:
            with socket.create_connection((ip, s.port), timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                logs = podman.run("logs", "--tail", "20", s.container, check=False).stdout
                raise NetworkError(f"the lab's TSA {ip}:{s.port} does not answer after "
                                   f"{timeout:g} s; {s.container} says:\n{logs}") from None
            time.sleep(1)
