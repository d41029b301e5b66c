"""lab.up / lab.down / lab.status: the inventory's hosts as podman containers.

Everything the lab creates carries the label ``io.bilgiislem.lab=<municipality code>`` and a
hash of the spec it was made from. ``up`` reconciles what exists with what the inventory
declares: it reuses matching objects, replaces changed ones, removes lab objects the inventory
no longer has, and refuses to touch same-named objects it did not create.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bilgiislem import REPO_ROOT, ui
from bilgiislem import secrets as secretsmod
from bilgiislem.inventory import Inventory
from bilgiislem.lab import cameras as labcams
from bilgiislem.lab import image, podman
from bilgiislem.lab import network as labnet
from bilgiislem.lab import tsa as labtsa
from bilgiislem.netops.devices import AUTOMATION_USER as DEVICE_USER
from bilgiislem.netsim import DeviceSpec

CONTAINER_PREFIX = "lab-"
NETWORK_PREFIX = "lab-"
FACT_CACHE = REPO_ROOT / ".cache" / "facts"
READY_TIMEOUT = 90


class LabError(RuntimeError):
    pass


def _hash(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def bridge_ip(cidr: str) -> str:
    """The lab host's own address on a network: the last usable one."""
    return str(ipaddress.IPv4Network(cidr).broadcast_address - 1)


@dataclass(frozen=True)
class NetSpec:
    name: str
    subnet: str
    gateway: str

    @property
    def spec(self) -> str:
        return _hash([self.subnet, self.gateway])


@dataclass(frozen=True)
class HostSpec:
    name: str
    container: str
    image: str
    attachments: tuple[tuple[str, str], ...]  # (podman network, ip)
    management_ip: str
    all_ips: tuple[str, ...]
    spec: str  # hash of everything the container is created from
    router: bool = False  # a VPN gateway: TUN device and forwarding (labnet.ROUTER_ARGS)
    init: str = "systemd"  # or "sysvinit" (the PBX image)


@dataclass(frozen=True)
class NetsimSpec:
    """The container of the simulated switches (``bilgiislem/netsim``): on each management
    network with the address of its first device, the others' added inside (``ip addr``)."""

    container: str
    image: str
    attachments: tuple[tuple[str, str], ...]  # (podman network, ip)
    extra: tuple[tuple[int, str], ...]  # (index of the attachment: ethN, ip/prefix)
    devices: tuple[dict[str, object], ...] = field(repr=False)  # DeviceSpec dicts
    spec: str = ""

    @property
    def addresses(self) -> list[str]:
        return [str(d["host"]) for d in self.devices]


@dataclass
class Plan:
    code: str
    user: str
    networks: dict[str, NetSpec]
    hosts: list[HostSpec]
    netsim: NetsimSpec | None = None
    camsim: labcams.CamsimSpec | None = None
    tsa: labtsa.TsaSpec | None = None
    appliances: list[labnet.ApplianceSpec] = field(default_factory=list)
    workstations: list[labnet.WorkstationSpec] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def _lab_paths(inv: Inventory) -> tuple[Path, Path]:
    conn = inv.connection
    if conn.user != image.AUTOMATION_USER:
        raise LabError(
            f"{inv.root}/hosts.yml: connection.user is {conn.user!r}, but the lab image's "
            f"automation account is {image.AUTOMATION_USER!r}; use that in a lab inventory"
        )
    if not conn.private_key_file or not conn.known_hosts_file:
        raise LabError(
            f"{inv.root}/hosts.yml: connection.private_key_file and connection.known_hosts_file "
            "must be set for a lab inventory (see inventory/lab/hosts.yml)"
        )
    return inv.resolve(conn.private_key_file), inv.resolve(conn.known_hosts_file)


def preflight(inv: Inventory) -> None:
    """Lab-only rules on top of the schema: the bridge address must be free."""
    problems = []
    for h in inv.hosts:
        for x in h.interfaces:
            reserved = bridge_ip(inv.network(x.network).cidr)
            if x.ip == reserved:
                problems.append(f"{inv.root}/hosts.yml: host {h.name!r} uses {x.ip}, the lab "
                                f"host's own address on {x.network!r}; pick another address")
    for d in inv.network_devices():
        if d.vendor not in NETSIM_VENDORS:
            problems.append(f"{inv.root}/devices.yml: device {d.name!r} is {d.vendor}, which the "
                            f"lab cannot simulate; use {' or '.join(NETSIM_VENDORS)} in a lab")
    _lab_paths(inv)
    if problems:
        raise LabError("\n".join(problems))


# NET_RAW for ping; NET_ADMIN so a host's own nftables firewall (role hardening) and VPN
# interfaces work inside its network namespace.
CAPABILITIES = ("NET_RAW", "NET_ADMIN")


# What the simulator calls the inventory's vendors (the ones it simulates).
NETSIM_VENDORS = {"cisco_ios": "cisco_ios", "huawei_vrp": "huawei"}
NETSIM_CONTAINER = CONTAINER_PREFIX + "netsim"
NETSIM_MOUNT = "/opt/netsim"  # the repository's bilgiislem package, read-only
NETSIM_STATE = "/var/lib/netsim"  # devices.json and each device's saved configuration


def netsim_plan(inv: Inventory, image_tag: str, passwords: dict[str, str]) -> NetsimSpec | None:
    """The simulated switches of the inventory's network devices; ``passwords``: the automation
    account's password per device (from the vault)."""
    chosen = inv.network_devices()
    if not chosen:
        return None
    nets: list[str] = []
    attachments: list[tuple[str, str]] = []
    extra: list[tuple[int, str]] = []
    devices: list[dict[str, object]] = []
    for d in chosen:
        net = NETWORK_PREFIX + d.network
        if net not in nets:
            nets.append(net)
            attachments.append((net, d.ip))
        else:
            prefix = ipaddress.IPv4Network(inv.network(d.network).cidr).prefixlen
            extra.append((nets.index(net), f"{d.ip}/{prefix}"))
        ports = [p.name for p in d.ports] + [m for lag in d.lags for m in lag.members]
        # the simulator's own device format, checked by it before the container starts
        devices.append(DeviceSpec(d.name, NETSIM_VENDORS[d.vendor], host=d.ip, port=22,
                                  username=DEVICE_USER, password=passwords[d.name],
                                  model=d.model, ports=ports).to_dict())
    # the passwords are left out: a vault value never changes once written
    spec = _hash([image_tag, attachments, extra,
                  [{k: v for k, v in d.items() if k != "password"} for d in devices]])
    return NetsimSpec(NETSIM_CONTAINER, image_tag, tuple(attachments), tuple(extra),
                      tuple(devices), spec)


def plan(inv: Inventory, image_tag: str, pbx_image_tag: str = "",
         server_image_tag: str = "") -> Plan:
    """``image_tag``: the base image (simulators, workstations, appliances);
    ``server_image_tag``: the image of the managed servers (the base image when empty);
    ``pbx_image_tag``: the image of hosts with ``init_system: sysvinit`` and of the phones
    (SIPp) on voice networks."""
    nets = {}
    for n in inv.networks:
        name = NETWORK_PREFIX + n.name
        nets[name] = NetSpec(name, n.cidr, bridge_ip(n.cidr))
    runtime = podman.CONTAINERS_CONF.read_text(encoding="utf-8")
    hosts = []
    for h in inv.hosts:
        attachments = tuple((NETWORK_PREFIX + x.network, x.ip) for x in h.interfaces)
        router = bool({"vpn_hub", "vpn_gateway"} & set(h.roles))
        tag = pbx_image_tag if h.init_system == "sysvinit" else (server_image_tag or image_tag)
        spec = _hash([tag, h.name, runtime, CAPABILITIES,
                      [(n, ip, nets[n].spec) for n, ip in attachments]]
                     + ([labnet.ROUTER_ARGS] if router else []))
        hosts.append(HostSpec(h.name, CONTAINER_PREFIX + h.name, tag, attachments,
                              inv.management_ip(h), tuple(x.ip for x in h.interfaces), spec,
                              router, h.init_system))
    appliances = labnet.appliances(inv, image_tag)
    gateways = {ip for h in hosts for ip in h.all_ips} | {
        ip for a in appliances for ip in a.addresses}
    return Plan(inv.municipality.code, inv.connection.user, nets, hosts,
                appliances=appliances,
                workstations=labnet.workstations(inv, image_tag, gateways)
                + labnet.dhcp_clients(inv, image_tag) + labnet.phones(inv, pbx_image_tag))


# ---------------------------------------------------------------------------------------------


def _ensure_ssh_key(key: Path, dry_run: bool) -> None:
    if key.is_file():
        return
    ui.info(f"{'would generate' if dry_run else 'generating'} lab SSH key {key}")
    if dry_run:
        return
    key.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bilgiislem-lab",
                    "-f", str(key)], check=True)


def _ensure_vault_password(inv: Inventory, dry_run: bool) -> None:
    """The lab's vault password (connection.vault_password_file), random, made once (0600).
    The secrets in the lab's vault are generated for this machine only."""
    if not inv.connection.vault_password_file:
        return
    path = inv.resolve(inv.connection.vault_password_file)
    if path.is_file():
        return
    ui.info(f"{'would generate' if dry_run else 'generating'} lab vault password {path}")
    if dry_run:
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(32) + "\n")


def _owned(labels: dict[str, str] | None, code: str) -> bool:
    return (labels or {}).get(podman.LABEL) == code


def up(inv: Inventory, dry_run: bool = False) -> Plan:
    preflight(inv)
    key, known_hosts = _lab_paths(inv)
    verb = "would" if dry_run else "will"
    ui.step(f"lab for {inv.municipality.name} ({len(inv.hosts)} hosts, "
            f"{len(inv.networks)} networks){' [preview]' if dry_run else ''}")
    _ensure_ssh_key(key, dry_run)
    _ensure_vault_password(inv, dry_run)
    tag, _ = image.ensure(ui.info, dry_run)
    server_tag, _ = image.ensure(ui.info, dry_run, image.SERVER)
    pbx_tag = image.ensure(ui.info, dry_run, image.PBX)[0] if needs_pbx_image(inv) else ""
    p = plan(inv, tag, pbx_tag, server_tag)
    p.netsim = netsim_plan(inv, tag, _device_passwords(inv, dry_run))
    p.camsim = labcams.plan(inv, tag)
    p.tsa = labtsa.plan(inv, tag)
    machines: list[HostSpec | NetsimSpec | labcams.CamsimSpec | labtsa.TsaSpec
                   | labnet.ApplianceSpec | labnet.WorkstationSpec] = [
        *p.hosts, *([p.netsim] if p.netsim else []), *([p.camsim] if p.camsim else []),
        *([p.tsa] if p.tsa else []), *p.appliances, *p.workstations]

    all_nets = {n["name"]: n for n in podman.networks()}
    all_ctrs = {c["Names"][0]: c for c in podman.containers()}
    for name in p.networks:
        if name in all_nets and not _owned(all_nets[name].get("labels"), p.code):
            raise LabError(f"a podman network named {name!r} exists that the lab did not "
                           "create; remove or rename it, the lab will not touch it")
    for h in machines:
        if h.container in all_ctrs and not _owned(all_ctrs[h.container].get("Labels"), p.code):
            raise LabError(f"a container named {h.container!r} exists that the lab did not "
                           "create; remove or rename it, the lab will not touch it")
    existing_nets = {k: v for k, v in all_nets.items() if _owned(v.get("labels"), p.code)}
    existing_ctrs = {k: v for k, v in all_ctrs.items() if _owned(v.get("Labels"), p.code)}

    wanted_ctrs = {h.container: h for h in machines}
    remove_ctrs = []
    for name, cur in existing_ctrs.items():
        h = wanted_ctrs.get(name)
        if h is None:
            remove_ctrs.append((name, "no longer in the inventory"))
        elif cur["Labels"].get(podman.SPEC_LABEL) != h.spec:
            remove_ctrs.append((name, "its definition changed"))
        elif cur.get("State") == "running" and not podman.alive(cur):
            # An earlier session's processes end with it; podman's record stays "running".
            remove_ctrs.append((name, "listed as running but its processes are gone"))
    remove_nets = []
    for name, cur in existing_nets.items():
        if name not in p.networks:
            remove_nets.append((name, "no longer in the inventory"))
        elif cur["labels"].get(podman.SPEC_LABEL) != p.networks[name].spec:
            remove_nets.append((name, "its address range changed"))
    # Containers on a network being replaced must be replaced too.
    for name, _why in remove_nets:
        for h in machines:
            if any(n == name for n, _ in h.attachments) and h.container in existing_ctrs \
                    and h.container not in dict(remove_ctrs):
                remove_ctrs.append((h.container, f"network {name} is replaced"))

    for name, why in remove_ctrs:
        p.actions.append(f"remove container {name} ({why})")
        ui.info(f"{verb} remove container {name}: {why}")
        if not dry_run:
            podman.run("rm", "-f", "-t", "2", name)
            (FACT_CACHE / name.removeprefix(CONTAINER_PREFIX)).unlink(missing_ok=True)
            existing_ctrs.pop(name, None)
    for name, why in remove_nets:
        p.actions.append(f"remove network {name} ({why})")
        ui.info(f"{verb} remove network {name}: {why}")
        if not dry_run:
            podman.run("network", "rm", name)
            existing_nets.pop(name, None)

    for name, net in p.networks.items():
        if name in existing_nets:
            continue
        p.actions.append(f"create network {name} {net.subnet}")
        ui.info(f"{verb} create network {name} ({net.subnet}, lab host {net.gateway})")
        if not dry_run:
            podman.run("network", "create", "--disable-dns", "--subnet", net.subnet,
                       "--gateway", net.gateway, "--label", f"{podman.LABEL}={p.code}",
                       "--label", f"{podman.SPEC_LABEL}={net.spec}", name)

    for h in machines:
        cur = existing_ctrs.get(h.container)
        if cur is None:
            p.actions.append(f"create container {h.container}")
            ips = (h.addresses if isinstance(h, (NetsimSpec, labcams.CamsimSpec,
                                                 labtsa.TsaSpec))
                   else [ip for _, ip in h.attachments])
            ui.info(f"{verb} create container {h.container} ({', '.join(ips)})")
            if not dry_run:
                if isinstance(h, NetsimSpec):
                    _create_netsim(h, p, key.parent / "netsim")
                elif isinstance(h, labcams.CamsimSpec):
                    labcams.create(h, p.code)
                elif isinstance(h, labtsa.TsaSpec):
                    labtsa.create(h, p.code)
                elif isinstance(h, labnet.ApplianceSpec):
                    labnet.create_appliance(h, p.code)
                elif isinstance(h, labnet.WorkstationSpec):
                    labnet.create_workstation(h, p.code)
                else:
                    _create(h, p)
        elif cur.get("State") != "running":
            p.actions.append(f"start container {h.container}")
            ui.info(f"{verb} start container {h.container} (was {cur.get('State')})")
            if not dry_run:
                podman.run("start", h.container)
    if dry_run:
        if not p.actions:
            ui.info("nothing to change: the lab matches the inventory")
        return p

    ui.step("waiting for systemd (or sysvinit) and SSH in every container")
    for h in [*p.hosts, *p.appliances]:
        _wait_ready(h.container, getattr(h, "init", "systemd"))
    _install_access(p, key, known_hosts)
    if p.netsim:
        ui.step(f"waiting for the {len(p.netsim.devices)} simulated switches")
        _wait_netsim(p.netsim)
    if p.camsim:
        ui.step(f"waiting for the {len(p.camsim.cameras)} simulated cameras")
        labcams.wait(p.camsim)
    if p.tsa:
        ui.step(f"waiting for the time-stamp authority ({p.tsa.container})")
        labtsa.wait(p.tsa)
    labnet.exempt_bridged_traffic(list(p.networks))
    routers = {ip for h in p.hosts if h.router for ip in h.all_ips} | {
        ip for a in p.appliances for ip in a.addresses}
    labnet.install_routes(labnet.gateway_routes(inv, routers))
    for a in p.appliances:
        ui.step(f"IPsec appliance of {a.site} ({a.container})")
        if labnet.configure_appliance(a, inv):
            p.actions.append(f"configure appliance {a.container}")
    if not p.actions:
        ui.info("nothing changed: the lab already matched the inventory")
    return p


def needs_pbx_image(inv: Inventory) -> bool:
    return any(h.init_system == "sysvinit" for h in inv.hosts) or any(
        n.purpose == "voice" for n in inv.networks)


def _create(h: HostSpec, p: Plan) -> None:
    systemd = ["--systemd=always"] if h.init == "systemd" else []
    args = ["run", "-d", "--name", h.container, "--hostname", h.name,
            *systemd, "--no-hosts", "--stop-timeout", "5",
            "--cap-add", ",".join(CAPABILITIES),
            *(labnet.ROUTER_ARGS if h.router else ()),
            "--label", f"{podman.LABEL}={p.code}",
            "--label", f"{podman.SPEC_LABEL}={h.spec}"]
    for net, ip in h.attachments:
        args += ["--network", f"{net}:ip={ip}"]
    podman.run(*args, h.image, "/sbin/init")


def _device_passwords(inv: Inventory, dry_run: bool) -> dict[str, str]:
    """The automation account's password per network device, generated into the vault if
    missing (a preview reads what is there)."""
    devices = inv.network_devices()
    if not devices:
        return {}
    try:
        if not dry_run:
            secretsmod.ensure(inv)
        known = secretsmod.read(inv).get(secretsmod.NETWORK_PASSWORDS) or {}
    except secretsmod.SecretsError:
        if not dry_run:
            raise
        known = {}
    return {d.name: str(known.get(d.name, "")) for d in devices}


def _create_netsim(n: NetsimSpec, p: Plan, state: Path) -> None:
    """The simulated switches' container: the lab image's Python runs the repository's
    bilgiislem.netsim (mounted read-only); saved configurations persist in ``state``."""
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.rmtree(state / "state", ignore_errors=True)  # a new container: switches as new
    devices = state / "devices.json"
    fd = os.open(devices, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds passwords
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(list(n.devices), fh, indent=2)
    script = "".join(f"ip addr add {ip} dev eth{i} && " for i, ip in n.extra)
    script += (f"exec python3 -m bilgiislem.netsim --devices {NETSIM_STATE}/devices.json "
               f"--state-dir {NETSIM_STATE}/state")
    args = ["run", "-d", "--name", n.container, "--hostname", "netsim", "--no-hosts",
            "--stop-timeout", "5", "--cap-add", "NET_ADMIN",
            "--label", f"{podman.LABEL}={p.code}", "--label", f"{podman.SPEC_LABEL}={n.spec}",
            "-v", f"{REPO_ROOT / 'bilgiislem'}:{NETSIM_MOUNT}/bilgiislem:ro",
            "-v", f"{state}:{NETSIM_STATE}", "-e", f"PYTHONPATH={NETSIM_MOUNT}"]
    for net, ip in n.attachments:
        args += ["--network", f"{net}:ip={ip}"]
    podman.run(*args, n.image, "/bin/sh", "-c", script)


def _wait_netsim(n: NetsimSpec, timeout: float = READY_TIMEOUT) -> None:
    """Until every simulated switch sends its SSH banner."""
    deadline = time.monotonic() + timeout
    waiting = list(n.addresses)
    while waiting:
        ip = waiting[0]
        try:
            with socket.create_connection((ip, 22), timeout=2) as sock:
                sock.settimeout(5)
                if sock.recv(4).startswith(b"SSH-"):
                    waiting.pop(0)
                    continue
        except OSError:
            pass
        if time.monotonic() > deadline:
            logs = podman.run("logs", "--tail", "20", n.container, check=False).stdout
            raise LabError(f"simulated switch {ip} does not answer on SSH after {timeout:g} s; "
                           f"{n.container} says:\n{logs}")
        time.sleep(1)


def _wait_ready(container: str, init: str = "systemd") -> None:
    if init == "sysvinit":  # runlevel 2 reached: sshd runs, with its host keys
        deadline = time.monotonic() + READY_TIMEOUT
        while podman.exec_(container, "sh", "-c", "test -s /etc/ssh/ssh_host_ed25519_key.pub "
                           "&& pidof sshd", check=False).returncode != 0:
            if time.monotonic() > deadline:
                raise LabError(f"{container}: sshd did not start in {READY_TIMEOUT} s")
            time.sleep(1)
        return
    try:
        state = podman.wait_booted(container, READY_TIMEOUT)
    except podman.PodmanError as exc:
        raise LabError(str(exc)) from None
    if state == "degraded":
        failed = podman.exec_(container, "systemctl", "--failed", "--no-legend", "--plain",
                              check=False).stdout.strip()
        ui.warn(f"{container}: systemd is degraded: {failed}")


def _install_access(p: Plan, key: Path, known_hosts: Path) -> None:
    pub = key.with_suffix(".pub").read_bytes()
    authorized = f"/home/{p.user}/.ssh/authorized_keys"
    lines = []
    for h in p.hosts:
        current = podman.exec_(h.container, "cat", authorized, check=False).stdout.encode()
        if current != pub:
            podman.exec_(h.container, "sh", "-c",
                         f"umask 077; cat > {authorized} && chown {p.user}:{p.user} {authorized}",
                         input_data=pub)
        hostkey = podman.exec_(h.container, "cat", "/etc/ssh/ssh_host_ed25519_key.pub").stdout
        keytype, blob = hostkey.split()[:2]
        lines.append(f"{','.join(h.all_ips)} {keytype} {blob}")
    known_hosts.parent.mkdir(parents=True, exist_ok=True)
    known_hosts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for h in p.hosts:
        _wait_ssh(h, p.user, key, known_hosts)


def ssh_cmd(key: Path, known_hosts: Path, user: str, ip: str, *cmd: str) -> list[str]:
    return ["ssh", "-i", str(key), "-o", f"UserKnownHostsFile={known_hosts}",
            "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=5", f"{user}@{ip}", *cmd]


def _wait_ssh(h: HostSpec, user: str, key: Path, known_hosts: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        res = subprocess.run(ssh_cmd(key, known_hosts, user, h.management_ip, "true"),
                             capture_output=True, text=True, check=False)
        if res.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise LabError(f"cannot SSH to {h.name} at {h.management_ip}: {res.stderr.strip()}")
        time.sleep(1)


def down(code: str, dry_run: bool = False, remove_image: bool = False) -> list[str]:
    """Remove the lab's containers and networks (by label), nothing else."""
    verb = "would remove" if dry_run else "removing"
    done = []
    for c in podman.containers():
        if _owned(c.get("Labels"), code):
            name = c["Names"][0]
            ui.info(f"{verb} container {name}")
            done.append(name)
            if not dry_run:
                podman.run("rm", "-f", "-t", "2", name)
                (FACT_CACHE / name.removeprefix(CONTAINER_PREFIX)).unlink(missing_ok=True)
    for n in podman.networks():
        if _owned(n.get("labels"), code):
            ui.info(f"{verb} network {n['name']}")
            done.append(n["name"])
            if not dry_run:
                podman.run("network", "rm", n["name"])
    if not dry_run:
        labnet.remove_nat_exemptions()
    if remove_image:
        for img in [i for r in (image.BASE, image.SERVER, image.PBX) for i in podman.json_out(
                "images", "--format", "json", "--filter", f"reference={r.repository}")]:
            ui.info(f"{verb} image {', '.join(img.get('Names') or [img['Id']])}")
            done.append(img["Id"])
            if not dry_run:
                podman.run("rmi", img["Id"], check=False)
    if not done:
        ui.info("nothing to remove: no lab objects exist")
    return done


# Services that every container runs and that say nothing about what the lab does.
_PLUMBING = ("systemd-", "dbus", "ssh-hostkeys", "user@", "getty", "console-")


@dataclass
class HostStatus:
    name: str
    container_state: str
    addresses: str
    roles: str
    ssh: str
    services: str


def status(inv: Inventory) -> list[HostStatus]:
    key, known_hosts = _lab_paths(inv)
    containers = {c["Names"][0]: c for c in podman.containers()}
    rows = []
    for h in inv.hosts:
        container = CONTAINER_PREFIX + h.name
        cur = containers.get(container)
        state = cur.get("State", "?") if cur else "missing"
        ssh = services = "-"
        if state == "running":
            ok = subprocess.run(
                ssh_cmd(key, known_hosts, inv.connection.user, inv.management_ip(h), "true"),
                capture_output=True, check=False).returncode == 0
            ssh = "ok" if ok else "FAIL"
            if h.init_system == "sysvinit":  # " [ + ]  asterisk"
                out = podman.exec_(container, "service", "--status-all", check=False).stdout
                names = [ln.split("]")[-1].strip() for ln in out.splitlines() if "[ + ]" in ln]
            else:
                out = podman.exec_(container, "systemctl", "list-units", "--type=service",
                                   "--state=running", "--no-legend", "--plain",
                                   check=False).stdout
                names = [ln.split()[0].removesuffix(".service") for ln in out.splitlines()
                         if ln.strip()]
            services = ", ".join(n for n in names if not n.startswith(_PLUMBING)) or "-"
        rows.append(HostStatus(h.name, state, " ".join(x.ip for x in h.interfaces),
                               ",".join(h.roles) or "-", ssh, services))
    return rows


def podman_ready() -> bool:
    return podman.available() and shutil.which("debootstrap") is not None
