"""Gather what every asset is, from the asset itself, with the project's real clients.

- servers: ``playbooks/asset-facts.yml`` (Ansible facts and the installed packages, one JSON
  file per host on the controller), read by :func:`server_record`;
- network devices (the switches, routers and firewalls ``net.*`` manage): ``show version`` /
  ``display version`` + ``display esn`` / ``show system`` over SSH with Netmiko, logged in with
  the automation account as ``net.backup`` does, parsed by :func:`parse_device_facts`;
- cameras: ONVIF ``GetDeviceInformation`` with the project's camera account (cameras.apply
  creates it);
- phones: the exchange's provisioning data (pbx.yml; a phone is not asked anything);
- other devices of devices.yml (UPSes, printers, ...): the inventory's data only.

One device failing (unreachable, refused login, an answer that cannot be read) is recorded
with its error and never stops the others.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paramiko
from netmiko.exceptions import NetmikoTimeoutException, ReadException

from bilgiislem import REPO_ROOT, ansible_run
from bilgiislem import secrets as secretsmod
from bilgiislem.assets.records import FAILED, Record, Status, clean
from bilgiislem.cameras import plan as camplan
from bilgiislem.cameras.onvif import CameraError, DeviceFault, Session, Unreachable
from bilgiislem.cameras.target import Account, CameraTarget, Encoder
from bilgiislem.inventory import Inventory, models
from bilgiislem.netops import devices as devmod
from bilgiislem.netops.backup import ReadFailure, connect, describe, disconnect
from bilgiislem.netops.targets import Target

__all__ = ["FAILED", "Record", "Status", "clean", "collect", "parse_device_facts",
           "server_record"]

PLAYBOOK = REPO_ROOT / "playbooks" / "asset-facts.yml"

VENDOR_NAMES = {"cisco_ios": "Cisco", "huawei_vrp": "Huawei", "hp_procurve": "HP",
                "hikvision": "Hikvision", "dahua": "Dahua", "axis": "Axis",
                "uniview": "Uniview", "hanwha": "Hanwha", "yealink": "Yealink",
                "grandstream": "Grandstream"}
# The commands whose output parse_device_facts reads, per inventory vendor.
FACT_COMMANDS: dict[str, tuple[str, ...]] = {
    "cisco_ios": ("show version",),
    "huawei_vrp": ("display version", "display esn"),
    "hp_procurve": ("show system",),
}


# --- servers ---------------------------------------------------------------------------------


def _cpu_models(processor: Any) -> list[str]:
    """The distinct CPU model names in ``ansible_processor`` (index, vendor, model triples on
    x86; other layouts list model names among numbers)."""
    models_: list[str] = []
    for item in processor or []:
        text = clean(item)
        if text is None or text.isdigit() or text in ("GenuineIntel", "AuthenticAMD"):
            continue
        if text not in models_:
            models_.append(text)
    return models_


def _disks(devices: Any) -> list[str]:
    """The physical disks of ``ansible_devices``: "sda 480.00 GB (SAMSUNG MZ7LH480)"."""
    out = []
    for name, dev in sorted((devices or {}).items()):
        if re.match(r"^(loop|ram|dm-|sr|zram|md|nbd|fd)", name) or not isinstance(dev, dict):
            continue
        if str(dev.get("removable", "0")) == "1":
            continue
        size = clean(dev.get("size"))
        if size is None or size.startswith("0.00"):
            continue
        # a PCI vendor id (0x1af4: virtio) says nothing to a reader
        label = " ".join(x for x in (clean(dev.get("vendor")), clean(dev.get("model")))
                         if x and not re.fullmatch(r"0x[0-9a-fA-F]+", x))
        out.append(f"{name} {size}" + (f" ({label})" if label else ""))
    return out


def packages_of(data: dict[str, Any]) -> dict[str, str]:
    """name -> version from package_facts' ``packages`` or, without python3-apt on the host,
    from ``dpkg-query -W`` output (name TAB version per line)."""
    found: dict[str, str] = {}
    for name, versions in (data.get("packages") or {}).items():
        if isinstance(versions, list) and versions:
            found[name] = str(versions[0].get("version", ""))
    for line in str(data.get("dpkg") or "").splitlines():
        name, _, version = line.partition("\t")
        if name.strip() and version.strip():
            found.setdefault(name.strip(), version.strip())
    return found


def server_record(host: models.Host, address: str, data: dict[str, Any]) -> Record:
    """A server's record from what playbooks/asset-facts.yml saved for it."""
    facts = data.get("facts") or {}
    distro = " ".join(x for x in (clean(facts.get("distribution")),
                                  clean(facts.get("distribution_version"))) if x)
    release = clean(facts.get("distribution_release"))
    if distro and release:
        distro += f" ({release})"
    virt_type = clean(facts.get("virtualization_type"))
    virt_role = clean(facts.get("virtualization_role"))
    fqdn = clean(facts.get("fqdn"))
    cores = facts.get("processor_cores")
    sockets = facts.get("processor_count")
    details: dict[str, Any] = {
        "hostname": fqdn if fqdn and "." in fqdn and not fqdn.startswith("localhost")
        else clean(facts.get("hostname")),
        "cpu": ", ".join(_cpu_models(facts.get("processor"))) or None,
        "cpu_sockets": sockets if isinstance(sockets, int) else None,
        "cpu_cores": cores if isinstance(cores, int) else None,
        "vcpus": facts.get("processor_vcpus") if isinstance(facts.get("processor_vcpus"),
                                                            int) else None,
        "memory_mb": facts.get("memtotal_mb") if isinstance(facts.get("memtotal_mb"),
                                                            int) else None,
        "disks": _disks(facts.get("devices")),
        "kernel": clean(facts.get("kernel")),
        "architecture": clean(facts.get("architecture")),
        "virtualization": f"{virt_type} ({virt_role})" if virt_type and virt_role
        else virt_type,
        "bios": clean(facts.get("bios_version")),
        "mac": clean((facts.get("default_ipv4") or {}).get("macaddress")),
    }
    return Record(kind="server", name=host.name, site=host.site, address=address,
                  source="ansible", status="ok", vendor=clean(facts.get("system_vendor")),
                  model=clean(facts.get("product_name")),
                  serial=clean(facts.get("product_serial")), software=distro or None,
                  details=details, packages=packages_of(data))


_ANSIBLE_ERROR = re.compile(r"^(?:fatal|failed): \[(?P<host>[^\]]+)\][^=]*=>\s*(?P<rest>.*)$")


def ansible_error(output: str, host: str) -> str | None:
    """The first error Ansible printed for ``host``: its ``msg`` when there is one."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        m = _ANSIBLE_ERROR.match(line)
        if not m or m["host"] != host:
            continue
        rest = m["rest"].strip()
        try:
            data = json.loads(rest)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("msg"):
            return str(data["msg"]).splitlines()[0]
        # the YAML result format: the fields follow on the next lines, a long msg wrapped
        following = lines[i + 1:i + 60]
        for j, follow in enumerate(following):
            fm = re.match(r"^(\s+)msg:\s*(.+)$", follow)
            if fm:
                parts = [fm[2].strip()]
                for more in following[j + 1:]:
                    if not more.startswith(fm[1] + " "):
                        break
                    parts.append(more.strip())
                return " ".join(parts).strip("'\"")
            if follow and not follow.startswith((" ", "\t")):
                break
        return rest[:200] or None
    return None


def read_servers(inv: Inventory, hosts: list[models.Host] | None = None) -> list[Record]:
    """Run the facts playbook on ``hosts`` (default: every host) and read what each wrote."""
    hosts = list(inv.hosts if hosts is None else hosts)
    if not hosts:
        return []
    limit = ",".join(h.name for h in hosts) if hosts != list(inv.hosts) else None
    with tempfile.TemporaryDirectory(prefix="bilgiislem-varlik-") as tmp:
        result = ansible_run.playbook(PLAYBOOK, inv.root, quiet=True, limit=limit,
                                      extra_vars={"asset_facts_dir": tmp})
        saved = {}
        for path in Path(tmp).glob("*.json"):
            try:
                saved[path.stem] = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
    unreachable = {r.host for r in result.recap if r.unreachable}
    records = []
    for h in hosts:
        address = inv.management_ip(h)
        if h.name in saved:
            try:
                records.append(server_record(h, address, saved[h.name]))
                continue
            except Exception as err:  # an answer this code cannot read: this host only
                error = f"{type(err).__name__}: {err}"
        else:
            error = (ansible_error(result.output, h.name)
                     or ("no answer" if h.name in unreachable
                         else f"ansible-playbook exited {result.returncode}"))
        records.append(Record(kind="server", name=h.name, site=h.site, address=address,
                              source="ansible",
                              status="unreachable" if h.name in unreachable else "failed",
                              error=error))
    return records


# --- network devices -------------------------------------------------------------------------


def _first(pattern: str, text: str) -> str | None:
    m = re.search(pattern, text, re.MULTILINE | re.IGNORECASE)
    return clean(m[1]) if m else None


def parse_device_facts(vendor: str, outputs: dict[str, str]) -> dict[str, str | None]:
    """Model, serial, software and host name from the outputs of FACT_COMMANDS[vendor]."""
    text = "\n".join(outputs.values())
    if vendor == "cisco_ios":
        return {
            "model": _first(r"^Model [Nn]umber\s*:\s*(.+?)\s*$", text)
            or _first(r"^cisco (.+?) \([^)]*\) processor", text),
            "serial": _first(r"^System [Ss]erial [Nn]umber\s*:\s*(\S+)", text)
            or _first(r"^Processor board ID (\S+)", text),
            "software": _first(r"Cisco IOS(?: XE)? Software.*?, Version ([^\s,]+)", text),
            "hostname": _first(r"^(\S+) uptime is", text),
        }
    if vendor == "huawei_vrp":
        version = re.search(r"VRP \(R\) software, Version (\S+) \(([^)]+)\)", text,
                            re.IGNORECASE)
        return {
            "model": _first(r"^HUAWEI (\S+)(?: [A-Za-z ]+?)? uptime is", text),
            "serial": _first(r"^ESN of (?:slot|master|device|chassis)[^:]*:\s*(\S+)", text),
            "software": f"VRP {version[1]} ({version[2]})" if version else None,
            "hostname": None,
        }
    if vendor == "hp_procurve":
        return {
            "model": None,  # "show system" does not say; the inventory's model stands
            "serial": _first(r"Serial Number\s*:\s*(\S+)", text),
            "software": _first(r"Software revision\s*:\s*(\S+)", text),
            "hostname": _first(r"System Name\s*:\s*(\S+)", text),
        }
    raise ValueError(f"no fact commands for vendor {vendor!r}")


def _read_device_once(target: Target, timeout: float) -> dict[str, str]:
    """The FACT_COMMANDS outputs of one device (one attempt). Raises ReadFailure."""
    conn = connect(target, timeout)
    try:
        return {cmd: str(conn.send_command(cmd, read_timeout=timeout))
                for cmd in FACT_COMMANDS[target.vendor]}
    except (NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError,
            ReadException) as e:
        raise ReadFailure("failed", describe(e), transient=True) from e
    finally:
        disconnect(conn)


def read_device(device: models.Device, target: Target, *, timeout: float, retries: int,
                backoff: float = 1.0) -> Record:
    """A network device's record; transient failures retried, a refused login never."""
    record = Record(kind=device.kind, name=device.name, site=device.site, address=device.ip,
                    source="netmiko", status="failed",
                    vendor=VENDOR_NAMES.get(device.vendor, device.vendor), model=device.model)
    attempts = 0
    while True:
        attempts += 1
        try:
            facts = parse_device_facts(device.vendor, _read_device_once(target, timeout))
            break
        except ReadFailure as e:
            failure = e
        except Exception as e:  # an unexpected answer: this device only, no retry
            failure = ReadFailure("failed", f"{type(e).__name__}: {describe(e)}",
                                  transient=False)
        if not failure.transient or attempts > retries:
            record.status, record.error = failure.status, str(failure)
            record.details["attempts"] = attempts
            return record
        time.sleep(backoff * attempts)
    record.status = "ok"
    record.model = facts["model"] or device.model
    record.serial = facts["serial"]
    record.software = facts["software"]
    record.details = {"hostname": facts["hostname"], "attempts": attempts}
    if facts["model"] and facts["model"] != device.model:
        record.details["inventory_model"] = device.model
    if not facts["serial"]:
        record.error = "cihaz seri numarası bildirmedi"
    return record


def read_devices(vault: dict[str, Any], devices: list[models.Device], *,
                 workers: int, timeout: float, retries: int,
                 progress: Callable[[Record], None] | None = None) -> list[Record]:
    """Every network device at once (up to ``workers``), in the order given."""
    def one(device: models.Device) -> Record:
        try:
            target = devmod.target(vault, device)
        except secretsmod.SecretsError as err:
            record = Record(kind=device.kind, name=device.name, site=device.site,
                            address=device.ip, source="netmiko", status="failed",
                            vendor=VENDOR_NAMES.get(device.vendor, device.vendor),
                            model=device.model, error=str(err))
        else:
            record = read_device(device, target, timeout=timeout, retries=retries)
        if progress:
            progress(record)
        return record

    if not devices:
        return []
    with ThreadPoolExecutor(max(1, min(workers, len(devices)))) as pool:
        return list(pool.map(one, devices))


# --- cameras ---------------------------------------------------------------------------------


async def read_camera(camera: models.Camera, password: str | None, *,
                      timeout: float) -> Record:
    """A camera's record from GetDeviceInformation, with the project's camera account."""
    record = Record(kind="camera", name=camera.name, site=camera.site, address=camera.ip,
                    source="onvif", status="failed",
                    vendor=VENDOR_NAMES.get(camera.vendor, camera.vendor), model=camera.model)
    if not password:
        record.error = (f"the vault has no {camplan.ADMIN_PASSWORDS}.{camera.name}: run "
                        "./scripts/invoke secrets, then cameras.apply")
        return record
    admin = Account(camplan.ADMIN_USER, password, "Administrator")
    target = CameraTarget(name=camera.name, address=camera.ip, port=camera.onvif_port,
                          vendor=camera.vendor, model=camera.model, admin=admin, accounts=(),
                          ntp_servers=(), dns_servers=(), timezone="", encoder=Encoder())
    session = Session(target, admin.username, admin.password, timeout=timeout)
    try:
        await session.connect()
        info = await session.call("devicemgmt", "GetDeviceInformation")
    except Unreachable as err:
        record.status, record.error = "unreachable", str(err)
        return record
    except DeviceFault as err:
        record.status = "auth-failed" if err.not_authorized else "failed"
        record.error = (f"{camplan.ADMIN_USER} hesabıyla giriş reddedildi (cameras.apply "
                        "hesabı oluşturur)" if err.not_authorized else str(err))
        return record
    except CameraError as err:
        record.error = str(err)
        return record
    except Exception as err:  # an answer this code cannot read: this camera only
        record.error = f"{type(err).__name__}: {err}"
        return record
    finally:
        await session.close()
    record.status = "ok"
    record.vendor = clean(info.Manufacturer) or record.vendor
    record.model = clean(info.Model) or camera.model
    record.serial = clean(info.SerialNumber)
    record.software = clean(info.FirmwareVersion)
    record.details = {"hardware_id": clean(info.HardwareId), "location": camera.location}
    return record


def read_cameras(cameras: list[models.Camera], vault: dict[str, Any], *, concurrency: int,
                 timeout: float, progress: Callable[[Record], None] | None = None
                 ) -> list[Record]:
    """Every camera, ``concurrency`` at once, in the order given."""
    passwords = vault.get(camplan.ADMIN_PASSWORDS) or {}

    async def main() -> list[Record]:
        semaphore = asyncio.Semaphore(max(1, concurrency))

        async def one(camera: models.Camera) -> Record:
            async with semaphore:
                record = await read_camera(camera, passwords.get(camera.name),
                                           timeout=timeout)
            if progress:
                progress(record)
            return record

        return list(await asyncio.gather(*(one(c) for c in cameras)))

    return asyncio.run(main()) if cameras else []


# --- from the inventory's data ---------------------------------------------------------------


def phone_records(inv: Inventory) -> list[Record]:
    """The phones of pbx.yml, from their provisioning data (nothing is contacted)."""
    if inv.pbx is None:
        return []
    people = {k.sicil_no: k for k in inv.personel}
    out = []
    for ph in inv.pbx.phones:
        person = people.get(ph.sicil_no)
        net = inv.network(ph.network)
        out.append(Record(
            kind="phone", name=ph.mac, site=net.site or "", address=ph.mac, source="pbx.yml",
            status="data", vendor=VENDOR_NAMES.get(ph.vendor, ph.vendor), model=ph.model,
            details={"extension": person.dahili if person else None,
                     "person": f"{person.ad} {person.soyad}" if person else None,
                     "sicil_no": ph.sicil_no, "network": ph.network}))
    return out


def other_device_records(inv: Inventory) -> list[Record]:
    """devices.yml's entries the project does not read (UPSes, printers, access points, ...)."""
    read = {d.name for d in inv.network_devices()}
    return [Record(kind=d.kind, name=d.name, site=d.site, address=d.ip, source="devices.yml",
                   status="data", vendor=VENDOR_NAMES.get(d.vendor, d.vendor), model=d.model)
            for d in inv.devices if d.name not in read]


# --- everything ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What a collection reads: the hosts, the network devices and the cameras."""

    hosts: list[models.Host]
    devices: list[models.Device]
    cameras: list[models.Camera]

    @property
    def total(self) -> int:
        return len(self.hosts) + len(self.devices) + len(self.cameras)


def plan(inv: Inventory) -> Plan:
    return Plan(list(inv.hosts), inv.network_devices(),
                list(inv.cameras.cameras) if inv.cameras else [])


def collect(inv: Inventory, *, workers: int = 10, timeout: float = 30, retries: int = 2,
            progress: Callable[[Record], None] | None = None,
            notice: Callable[[str], None] | None = None) -> list[Record]:
    """Read every asset: servers, network devices, cameras; then the phones and the other
    devices from the inventory. ``notice`` is told what starts; ``progress`` gets each read
    record as it is done."""
    p = plan(inv)
    say = notice or (lambda _message: None)
    try:
        vault = secretsmod.read(inv) if p.devices or p.cameras else {}
        vault_error = None
    except secretsmod.SecretsError as err:
        vault, vault_error = {}, str(err)
    records: list[Record] = []
    if p.hosts:
        say(f"sunucular / servers: {len(p.hosts)} (ansible-playbook "
            f"{PLAYBOOK.relative_to(REPO_ROOT)})")
        for record in read_servers(inv, p.hosts):
            records.append(record)
            if progress:
                progress(record)

    def failed_all(items: Iterable[Record]) -> list[Record]:
        out = []
        for record in items:
            record.status, record.error = "failed", vault_error
            out.append(record)
            if progress:
                progress(record)
        return out

    if p.devices:
        say(f"ağ cihazları / network devices: {len(p.devices)}, {workers} at a time (SSH)")
        if vault_error:
            records += failed_all(Record(kind=d.kind, name=d.name, site=d.site, address=d.ip,
                                         source="netmiko", status="failed",
                                         vendor=VENDOR_NAMES.get(d.vendor, d.vendor),
                                         model=d.model) for d in p.devices)
        else:
            records += read_devices(vault, p.devices, workers=workers, timeout=timeout,
                                    retries=retries, progress=progress)
    records += other_device_records(inv)
    if p.cameras:
        say(f"kameralar / cameras: {len(p.cameras)}, {workers} at a time (ONVIF)")
        if vault_error:
            records += failed_all(Record(kind="camera", name=c.name, site=c.site, address=c.ip,
                                         source="onvif", status="failed",
                                         vendor=VENDOR_NAMES.get(c.vendor, c.vendor),
                                         model=c.model) for c in p.cameras)
        else:
            records += read_cameras(p.cameras, vault, concurrency=workers, timeout=timeout,
                                    progress=progress)
    records += phone_records(inv)
    return records
