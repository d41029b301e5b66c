"""The lab's cameras: one container (``lab-camsim``) runs the project's ONVIF simulator
(``bilgiislem/onvifsim``, mounted read-only) for every camera of cameras.yml, each on its own
address of its camera network, port 80 (ONVIF, and the picture at /mjpeg).

The cameras start as from the factory (the vendor's default account, no NTP, UTC), so
``cameras.apply`` has to do everything a new camera needs. Their state lives inside the
container: a new container is a new set of cameras. The container's default route is the
camera network's gateway, so what a camera answers to another network passes the central
gateway's firewall as it would in a building.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import time
from dataclasses import dataclass

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import Inventory
from bilgiislem.lab import podman
from bilgiislem.lab.network import CONTAINER_PREFIX, NETWORK_PREFIX, NetworkError, _hash

CONTAINER = CONTAINER_PREFIX + "camsim"
MOUNT = "/opt/camsim"  # the repository's bilgiislem package, read-only
STATE = "/var/lib/onvifsim"
READY_TIMEOUT = 60.0
# The firmware each lab camera reports: newer than cameras.yml's minimum for its model, so
# only the faults a test injects are findings.
LAB_FIRMWARE = {"hikvision": "V5.7.15", "dahua": "V2.820.0000000.5.R",
                "axis": "10.12.199", "uniview": "IPC_G6103-B0001P51D1906",
                "hanwha": "2.21.02", "generic": "1.0.0"}


@dataclass(frozen=True)
class CamsimSpec:
    container: str
    image: str
    attachments: tuple[tuple[str, str], ...]  # (podman network, ip): one per camera network
    extra: tuple[tuple[int, str], ...]  # (index of the attachment: ethN, ip/prefix)
    gateway: str  # the first camera network's gateway: the container's default route
    cameras: tuple[tuple[str, str, str, str, int], ...]  # (name, vendor, model, ip, port)
    spec: str = ""

    @property
    def addresses(self) -> list[str]:
        return [c[3] for c in self.cameras]


def plan(inv: Inventory, image_tag: str) -> CamsimSpec | None:
    if inv.cameras is None or not inv.cameras.cameras:
        return None
    nets: list[str] = []
    attachments: list[tuple[str, str]] = []
    extra: list[tuple[int, str]] = []
    gateway = ""
    for c in inv.cameras.cameras:
        net = NETWORK_PREFIX + c.network
        if net not in nets:
            nets.append(net)
            attachments.append((net, c.ip))
            gateway = gateway or (inv.network(c.network).gateway or "")
        else:
            prefix = ipaddress.IPv4Network(inv.network(c.network).cidr).prefixlen
            extra.append((nets.index(net), f"{c.ip}/{prefix}"))
    if not gateway:
        raise NetworkError(f"{inv.root}/networks.yml: the camera networks have no gateway; "
                           "the lab's cameras route through it")
    cams = tuple((c.name, c.vendor, c.model, c.ip, c.onvif_port) for c in inv.cameras.cameras)
    spec = _hash([image_tag, attachments, extra, gateway, cams, LAB_FIRMWARE])
    return CamsimSpec(CONTAINER, image_tag, tuple(attachments), tuple(extra), gateway, cams,
                      spec)


def create(s: CamsimSpec, code: str) -> None:
    lines = [f"ip addr add {ip} dev eth{i}" for i, ip in s.extra]
    lines.append(f"ip route replace default via {s.gateway}")
    for i, (name, vendor, model, ip, port) in enumerate(s.cameras):
        serial = f"LAB{i + 1:06d}"
        lines.append(
            f"test -e {STATE}/{name}.json || python3 -m bilgiislem.onvifsim init {STATE} "
            f"{shlex.quote(name)} --listen {ip}:{port} --vendor {vendor} "
            f"--model {shlex.quote(model)} --firmware {shlex.quote(LAB_FIRMWARE[vendor])} "
            f"--serial {serial}")
    lines.append(f"exec python3 -m bilgiislem.onvifsim serve {STATE}")
    args = ["run", "-d", "--name", s.container, "--hostname", "camsim", "--no-hosts",
            "--init", "--stop-timeout", "2", "--cap-add", "NET_ADMIN,NET_RAW",
            "--label", f"{podman.LABEL}={code}", "--label", f"{podman.SPEC_LABEL}={s.spec}",
            "-v", f"{REPO_ROOT / 'bilgiislem'}:{MOUNT}/bilgiislem:ro",
            "-e", f"PYTHONPATH={MOUNT}"]
    for net, ip in s.attachments:
        args += ["--network", f"{net}:ip={ip}"]
    podman.run(*args, s.image, "/bin/sh", "-c", " && ".join(lines))


def wait(s: CamsimSpec, timeout: float = READY_TIMEOUT) -> None:
    """Until every camera accepts connections on its ONVIF port."""
    deadline = time.monotonic() + timeout
    waiting = [(c[3], c[4]) for c in s.cameras]
    while waiting:
        ip, port = waiting[0]
        try:
            with socket.create_connection((ip, port), timeout=2):
                waiting.pop(0)
                continue
        except OSError:
            pass
        if time.monotonic() > deadline:
            logs = podman.run("logs", "--tail", "20", s.container, check=False).stdout
            raise NetworkError(f"simulated camera {ip}:{port} does not answer after "
                               f"{timeout:g} s; {s.container} says:\n{logs}")
        time.sleep(1)
