#!/usr/bin/env python3
"""Network backup throughput: ``net.backup`` concurrent against serial, and against RANCID.

One simulator process (``python -m bilgiislem.netsim``) serves ``--devices`` switches, each on
its own port: three in four Cisco IOS, one in four Huawei VRP, each with a realistic
configuration (48 access ports on their VLANs with voice VLAN, port security and BPDU guard,
4 trunk uplinks, 6 VLANs, users, SNMP, syslog, NTP, a management ACL on the vty lines), about
500 lines of running configuration each. Then, in the same run and against the same devices:

1. ``backup()`` serially (``workers=1``) into a fresh git repository;
2. ``backup()`` with ``--workers`` threads into another fresh repository; every device must
   end ``ok`` in both, and both repositories must hold the same files, byte for byte;
3. RANCID (Debian package ``rancid``), if it is installed, on the Cisco devices only: a RANCID
   home of its own in the temporary directory (``rancid.conf`` with ``RCSSYS=git``, a
   ``router.db`` of type ``cisco``, a ``.cloginrc`` with ``add method NAME {ssh:PORT}`` per
   device), timed as ``rancid-run`` with RANCID's default ``PAR_COUNT=5`` and with
   ``PAR_COUNT=--workers``; ``backup()`` is timed on the same Cisco devices at the same
   parallelism. Each RANCID group is set up untimed first (``rancid-cvs``, then a
   ``rancid-run -r`` of a device outside the group, which makes RANCID's "new router" commit
   per device and reads none), so the timed run, like ``backup()`` into a fresh repository,
   reads every device and writes one commit.

The simulator runs in its own process, so the backup's threads do not share its GIL; it still
shares the machine's CPUs with the clients (one process serving every device, as in the unit
tests), so the figures are those of a loaded simulator, not of 200 real switches.

    .venv/bin/python bench/network_backup.py [--devices 200] [--workers 20] [--timeout 30]
                                             [--skip-rancid] [--install-rancid] [--json]

RANCID: ``apt-get install rancid`` (``--install-rancid`` does it, as root or with
``sudo -n``); without it the RANCID part is skipped with a message.

The default run takes about 6 minutes on 2 CPUs: 3 for the serial run (2 of them Netmiko's
huawei driver, which waits for 2 s of silence before it disconnects), 2.5 for RANCID;
``--skip-rancid`` takes about 3.5.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilgiislem.netops import BackupRun, Target, backup
from bilgiislem.netsim import DeviceSpec

USER, PASSWORD = "bilgiislem", "Bench-Otomasyon-1"  # a throwaway login on simulated devices
VLANS = {10: "lan", 20: "ses", 30: "kamera", 99: "yonetim", 100: "sunucu", 200: "misafir"}
RANCID_BIN = Path("/usr/lib/rancid/bin")
RANCID_GROUP_SETUP = 600  # seconds for rancid-cvs and the new router commits of a group


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the simulated devices ---------------------------------------------------------------


def _access_vlan(port: int) -> int:
    return 10 if port <= 36 else 30 if port <= 44 else 200


def ios_config(i: int, site: str) -> str:
    lines = [
        "service password-encryption", "service timestamps log datetime msec localtime",
        "ip domain name yesilyayla.bel.tr", "ip ssh version 2", "aaa new-model",
        "aaa authentication login default local", "aaa authorization exec default local",
        f"username {USER} privilege 15 secret 0 {PASSWORD}",
        "username yedek privilege 15 secret 0 Bench-Yedek-1", "enable secret 0 Bench-Enable-1",
        f"snmp-server location Yesilyayla {site}",
        "snmp-server contact bilgiislem@yesilyayla.bel.tr",
        "snmp-server community Bench-Topluluk RO", "logging host 10.10.99.5",
        "logging trap informational", "ntp server 10.10.99.1", "clock timezone TRT 3 0",
        "lldp run", "errdisable recovery cause bpduguard", "errdisable recovery interval 300",
    ]  # fmt: skip
    for vid, name in VLANS.items():
        lines += [f"vlan {vid}", f" name {site}-{name}"]
    for port in range(1, 49):
        vid = _access_vlan(port)
        lines += [f"interface GigabitEthernet1/0/{port}", f" description Oda {port:02d}",
                  f" switchport access vlan {vid}", " switchport mode access"]
        if vid == 10:
            lines += [" switchport voice vlan 20", " switchport port-security maximum 3",
                      " switchport port-security"]
        lines += [" spanning-tree portfast", " spanning-tree bpduguard enable"]
    for port in range(49, 53):
        lines += [f"interface GigabitEthernet1/0/{port}", " description Omurga baglantisi",
                  " switchport trunk native vlan 99",
                  " switchport trunk allowed vlan 10,20,30,99-100,200", " switchport mode trunk"]
    lines += [
        "interface Vlan99", f" ip address 10.99.{i // 250}.{i % 250 + 1} 255.255.0.0",
        "ip default-gateway 10.99.255.254", "ip access-list standard yonetim",
        " permit 10.10.99.0 0.0.0.255", " deny any log",
    ]  # fmt: skip
    for vty in ("0 4", "5 15"):
        lines += [f"line vty {vty}", " access-class yonetim in", " exec-timeout 10 0",
                  " login local", " transport input ssh"]
    return "\n".join(lines) + "\n"


def vrp_config(i: int, site: str) -> str:
    lines = ["clock timezone TRT add 03:00:00", f"vlan batch {' '.join(map(str, VLANS))}"]
    for vid, name in VLANS.items():
        lines += [f"vlan {vid}", f" description {site}-{name}"]
    lines += ["stp mode rstp", "aaa"]
    for user, password in ((USER, PASSWORD), ("yedek", "Bench-Yedek-1")):
        lines += [f" local-user {user} password irreversible-cipher {password}",
                  f" local-user {user} privilege level 15", f" local-user {user} service-type ssh"]
    lines += [
        f"snmp-agent sys-info location Yesilyayla {site}", "info-center loghost 10.10.99.5",
        "ntp-service unicast-server 10.10.99.1", "acl number 2000",
        " rule 5 permit source 10.10.99.0 0.0.0.255", " rule 10 deny",
    ]  # fmt: skip
    for port in range(1, 49):
        vid = _access_vlan(port)
        lines += [f"interface GigabitEthernet0/0/{port}", f" description Oda {port:02d}",
                  " port link-type access", f" port default vlan {vid}"]
        if vid == 10:
            lines += [" voice-vlan 20 enable", " port-security enable",
                      " port-security max-mac-num 3"]
        lines += [" stp edged-port enable"]
    for port in range(1, 5):
        lines += [f"interface XGigabitEthernet0/0/{port}", " description Omurga baglantisi",
                  " port link-type trunk", " port trunk pvid vlan 99",
                  " port trunk allow-pass vlan 10 20 30 99 to 100 200"]
    lines += [
        "interface Vlanif99", f" ip address 10.98.{i // 250}.{i % 250 + 1} 255.255.0.0",
        "ip route-static 0.0.0.0 0.0.0.0 10.98.255.254", "user-interface vty 0 4",
        " acl 2000 inbound", " idle-timeout 10 0",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def device_specs(n: int) -> list[DeviceSpec]:
    """``n`` switches, every fourth a Huawei, the others Cisco; 48 access ports + 4 uplinks."""
    specs = []
    for i in range(1, n + 1):
        site = f"bina{i:03d}"
        if i % 4 == 0:
            specs.append(DeviceSpec(
                f"sw-{i:03d}-vrp", "huawei", model="S5720-52X-LI-AC",
                ports=["GigabitEthernet0/0/1-48", "XGigabitEthernet0/0/1-4"],
                username=USER, password=PASSWORD, config=vrp_config(i, site),
            ))  # fmt: skip
        else:
            specs.append(DeviceSpec(
                f"sw-{i:03d}-ios", "cisco_ios", model="WS-C2960X-48TS-L",
                ports=["GigabitEthernet1/0/1-52"], username=USER, password=PASSWORD,
                config=ios_config(i, site),
            ))  # fmt: skip
    return specs


@dataclass
class Simulation:
    proc: subprocess.Popen[str]
    targets: list[Target]
    boot: float  # seconds until every device accepted connections


def start_simulator(specs: list[DeviceSpec], work: Path, timeout: float) -> Simulation:
    devices = work / "devices.json"
    devices.write_text(json.dumps([s.to_dict() for s in specs]), encoding="utf-8")
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bilgiislem.netsim", "--devices", str(devices),
         "--state-dir", str(work / "netsim")],
        stdout=subprocess.PIPE, stderr=open(work / "netsim.log", "w"), text=True,  # noqa: SIM115
    )  # fmt: skip
    vendors = {"cisco_ios": "cisco_ios", "huawei": "huawei_vrp"}
    targets = []
    assert proc.stdout is not None
    for line in proc.stdout:  # one {"ready": name, ...} line per device, then silence
        ready = json.loads(line)
        targets.append(Target(ready["ready"], vendors[ready["vendor"]], ready["host"],
                              port=ready["port"], username=USER, password=PASSWORD))
        if len(targets) == len(specs):
            break
        if time.monotonic() - start > timeout:
            break
    if len(targets) != len(specs):
        proc.terminate()
        log = (work / "netsim.log").read_text(encoding="utf-8", errors="replace")
        sys.exit(f"the simulator started {len(targets)} of {len(specs)} devices:\n{log[-3000:]}")
    return Simulation(proc, targets, time.monotonic() - start)


# --- net.backup --------------------------------------------------------------------------


def timed_backup(targets: list[Target], repo: Path, workers: int, timeout: float) -> BackupRun:
    run = backup(targets, repo, workers=workers, timeout=timeout)
    bad = [d for d in run.devices if d.status != "ok"]
    if bad:
        sys.exit(f"backup into {repo} (workers={workers}): {len(bad)} devices not ok, e.g. "
                 f"{bad[0].name}: {bad[0].status} {bad[0].error}")
    return run


def same_files(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.glob("*.cfg"))
    if names != sorted(p.name for p in b.glob("*.cfg")):
        sys.exit(f"{a} and {b} hold different files")
    differ = [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]
    if differ:
        sys.exit(f"{len(differ)} files differ between {a} and {b}, e.g. {differ[0]}")


# --- RANCID ------------------------------------------------------------------------------

RANCID_CONF = """\
TERM=network; export TERM
LC_COLLATE=POSIX; export LC_COLLATE
umask 027
PERL5LIB=/usr/share/perl5/rancid; export PERL5LIB
TMPDIR={home}/tmp; export TMPDIR
BASEDIR={home}; export BASEDIR
PATH={bin}:/usr/bin:/usr/sbin:/bin; export PATH
CVSROOT={home}/CVS; export CVSROOT
LOGDIR={home}/logs; export LOGDIR
RCSSYS=git; export RCSSYS
USER=rancid; export USER
MAILDOMAIN=@localhost; export MAILDOMAIN
SENDMAIL={home}/sendmail
CLOGINRC={home}/cloginrc; export CLOGINRC
PAR_COUNT={par}; export PAR_COUNT
LIST_OF_GROUPS="{group}"; export LIST_OF_GROUPS
"""
# the simulator's port is in .cloginrc; every device name is the simulator's address
SSH_CONFIG = """\
Host *
  HostName {host}
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
"""


def run(cmd: list[str], timeout: float, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``cmd`` in a process group of its own, all of it killed if it outlasts ``timeout``."""
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            err += f"\n(killed after {timeout:g} s)"
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def rancid_missing(install: bool) -> str | None:
    """Why RANCID cannot run here (None: it can), installing it first if asked."""
    if (RANCID_BIN / "rancid-run").exists():
        return None
    if not install:
        return "RANCID is not installed (apt-get install rancid, or run with --install-rancid)"
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"],
                                                 check=False, capture_output=True).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        return "RANCID is not installed, and installing it needs root or sudo without a password"
    say("installing RANCID: apt-get install -y rancid")
    res = subprocess.run([*prefix, "apt-get", "install", "-y", "-q", "rancid"],
                         env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                         check=False, capture_output=True, text=True)
    if res.returncode != 0 or not (RANCID_BIN / "rancid-run").exists():
        return f"apt-get install rancid failed: {res.stderr.strip()[-500:]}"
    return None


def rancid_home(work: Path, targets: list[Target], timeout: float) -> Path:
    """A RANCID installation of its own: login file, ssh config, mail that goes nowhere."""
    home = work / "rancid"
    (home / "tmp").mkdir(parents=True)
    (home / "ssh_config").write_text(SSH_CONFIG.format(host=targets[0].host))
    sendmail = home / "sendmail"  # control_rancid mails the diffs: keep them in a file
    sendmail.write_text(f"#!/bin/sh\ncat >> {home}/mail.txt\n")
    sendmail.chmod(0o755)
    lines = [f"add method {t.name} {{ssh:{t.port}}}" for t in targets]
    lines += [
        f"add sshcmd * {{ssh\\ -F\\ {home}/ssh_config}}",
        f"add user * {{{USER}}}",
        f"add password * {{{PASSWORD}}}",
        "add autoenable * {1}",  # the login lands in privileged exec (host#)
        f"add timeout * {{{timeout:g}}}",
    ]
    cloginrc = home / "cloginrc"
    cloginrc.write_text("\n".join(lines) + "\n")
    cloginrc.chmod(0o600)  # clogin refuses a .cloginrc others can read
    return home


def _conf(home: Path, group: str, par: int) -> Path:
    conf = home / f"{group}.conf"
    conf.write_text(RANCID_CONF.format(home=home, bin=RANCID_BIN, par=par, group=group))
    return conf


def rancid_run(home: Path, group: str, par: int, *args: str, timeout: float) -> float:
    """Seconds ``rancid-run`` took for ``group`` with ``PAR_COUNT=par``."""
    conf = _conf(home, group, par)
    start = time.monotonic()
    res = run([str(RANCID_BIN / "rancid-run"), "-f", str(conf), *args, group], timeout)
    elapsed = time.monotonic() - start
    if res.returncode != 0:
        sys.exit(f"rancid-run {group} failed ({res.returncode}): {res.stdout}{res.stderr}")
    return elapsed


def rancid_group(home: Path, group: str, targets: list[Target], par: int) -> None:
    """A group with every device in it, its "new router" commits made (untimed)."""
    conf = _conf(home, group, par)
    res = run([str(RANCID_BIN / "rancid-cvs"), "-f", str(conf), group], RANCID_GROUP_SETUP)
    if res.returncode != 0:
        sys.exit(f"rancid-cvs {group} failed: {res.stdout}{res.stderr}")
    (home / group / "router.db").write_text("".join(f"{t.name};cisco;up\n" for t in targets))
    # -r with a device not in the group: control_rancid adds the group's devices (one "new
    # router" commit each), then stops before it reads any
    rancid_run(home, group, par, "-r", "not-in-the-group", timeout=RANCID_GROUP_SETUP)


def rancid_result(home: Path, group: str, targets: list[Target]) -> tuple[int, str]:
    """How many devices RANCID saved a whole configuration of, and its log."""
    configs = home / group / "configs"
    saved = 0
    for t in targets:
        path = configs / t.name
        text = path.read_text(errors="replace") if path.exists() else ""
        if re.search(rf"^hostname {re.escape(t.name)}$", text, re.M) and text.endswith("end\n"):
            saved += 1
    logs = sorted((home / "logs").glob(f"{group}.*"))
    return saved, logs[-1].read_text(errors="replace") if logs else ""


def rancid_commands(home: Path, name: str, timeout: float) -> dict[str, list[str]]:
    """The commands of RANCID's ``cisco`` type (``rancid -t cisco``, its login included) the
    simulator accepts, and those it answers with an IOS error."""
    out = home / "probe"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "CLOGINRC": str(home / "cloginrc"),
           "PERL5LIB": "/usr/share/perl5/rancid", "PATH": f"{RANCID_BIN}:{os.environ['PATH']}"}
    run([str(RANCID_BIN / "rancid"), "-d", "-t", "cisco", name], timeout, cwd=out, env=env)
    raw = out / f"{name}.raw"  # what the device printed, kept by -d
    text = raw.read_text(errors="replace").replace("\r", "") if raw.exists() else ""
    parts = re.split(rf"^{re.escape(name)}#(.*)$", text, flags=re.M)
    found: dict[str, list[str]] = {"accepted": [], "rejected": []}
    for i in range(1, len(parts) - 1, 2):
        error = re.search(r"^% (Invalid|Incomplete|Ambiguous)", parts[i + 1], re.M)
        if parts[i].strip():
            found["rejected" if error else "accepted"].append(parts[i].strip())
    return found


# --- the run -----------------------------------------------------------------------------


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    specs = device_specs(args.devices)
    say(f"starting the simulator: {len(specs)} devices")
    sim = start_simulator(specs, work, timeout=600)
    try:
        result = _measure(args, work, sim)
        result["load_after"] = os.getloadavg()[0]
        return result
    finally:
        sim.proc.terminate()
        sim.proc.wait(timeout=30)


def _rate(n: int, seconds: float) -> dict[str, float]:
    return {"devices": n, "seconds": round(seconds, 2), "devices_per_s": round(n / seconds, 2)}


def _measure(args: argparse.Namespace, work: Path, sim: Simulation) -> dict[str, Any]:
    targets, w = sim.targets, args.workers
    result: dict[str, Any] = {
        "cpus": os.cpu_count(), "load_before": os.getloadavg()[0], "workers": w,
        "simulator_boot_s": round(sim.boot, 1),
        "devices": {"total": len(targets),
                    "cisco_ios": sum(t.vendor == "cisco_ios" for t in targets),
                    "huawei_vrp": sum(t.vendor == "huawei_vrp" for t in targets)},
    }  # fmt: skip
    say("warm-up: two devices, untimed")
    timed_backup(targets[:4:3], work / "warmup", 2, args.timeout)

    say(f"net.backup, serial (workers=1), {len(targets)} devices")
    serial = timed_backup(targets, work / "serial", 1, args.timeout)
    say(f"net.backup, concurrent (workers={w}), {len(targets)} devices")
    concurrent = timed_backup(targets, work / "concurrent", w, args.timeout)
    same_files(work / "serial", work / "concurrent")
    lines = [len((work / "serial" / t.file_name).read_text().splitlines()) for t in targets]
    result["config_lines"] = {"min": min(lines), "max": max(lines), "total": sum(lines)}
    result["serial"] = _rate(len(targets), serial.duration)
    result["concurrent"] = _rate(len(targets), concurrent.duration)
    result["speedup"] = round(serial.duration / concurrent.duration, 2)
    result["serial_s_per_device"] = {
        v: round(statistics.mean(d.duration for d in serial.devices if d.vendor == v), 2)
        for v in ("cisco_ios", "huawei_vrp")
    }

    if args.skip_rancid:
        result["rancid"] = {"skipped": "--skip-rancid"}
        return result
    missing = rancid_missing(args.install_rancid)
    if missing:
        result["rancid"] = {"skipped": missing}
        return result
    cisco = [t for t in targets if t.vendor == "cisco_ios"]
    home = rancid_home(work, cisco, args.timeout)
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "rancid"],
                             check=False, capture_output=True, text=True).stdout.strip()
    rancid_out: dict[str, Any] = {"version": version, "runs": []}
    result["rancid"] = rancid_out
    for par in sorted({5, w}):
        group = f"bench{par}"
        say(f"RANCID: setting up group {group} (rancid-cvs, new routers), untimed")
        setup = time.monotonic()
        rancid_group(home, group, cisco, par)
        setup = time.monotonic() - setup
        say(f"RANCID: rancid-run, PAR_COUNT={par}, {len(cisco)} Cisco devices")
        seconds = rancid_run(home, group, par, timeout=max(600, 30 * len(cisco)))
        saved, log = rancid_result(home, group, cisco)
        if saved != len(cisco):
            sys.exit(f"RANCID saved {saved} of {len(cisco)} configurations; its log:\n"
                     f"{log[-3000:]}")
        say(f"net.backup, workers={par}, the same {len(cisco)} Cisco devices")
        ours = timed_backup(cisco, work / f"cisco-{par}", par, args.timeout)
        rancid_out["runs"].append({
            "parallel": par, "rancid": _rate(len(cisco), seconds),
            "net_backup": _rate(len(cisco), ours.duration),
            "ratio": round(seconds / ours.duration, 2), "untimed_setup_s": round(setup, 1),
        })  # fmt: skip
    rancid_out["commands"] = rancid_commands(home, cisco[0].name, timeout=120)
    return result


def report(r: dict[str, Any]) -> str:
    d, lines = r["devices"], r["config_lines"]
    out = [
        f"Backup of {d['total']} simulated switches ({d['cisco_ios']} Cisco IOS, "
        f"{d['huawei_vrp']} Huawei VRP; {lines['min']}-{lines['max']} lines of configuration "
        f"each), one simulator process (booted in {r['simulator_boot_s']} s), {r['cpus']} CPUs",
        "",
        f"{'':<34}{'devices':>8}{'seconds':>10}{'devices/s':>11}",
    ]
    for label, key in (("net.backup serial (workers=1)", "serial"),
                       (f"net.backup concurrent (workers={r['workers']})", "concurrent")):
        x = r[key]
        out.append(f"{label:<34}{x['devices']:>8}{x['seconds']:>10.1f}{x['devices_per_s']:>11.2f}")
    out.append(f"concurrent / serial: {r['speedup']:.2f}x the devices per second; both "
               "repositories hold the same files, byte for byte")
    per = r["serial_s_per_device"]
    out.append(f"serial, seconds per device: Cisco IOS {per['cisco_ios']:.2f}, Huawei VRP "
               f"{per['huawei_vrp']:.2f} (Netmiko's huawei driver waits 2 s of silence when it "
               "disconnects)")
    rancid_r = r["rancid"]
    out.append("")
    if "skipped" in rancid_r:
        out.append(f"RANCID: skipped: {rancid_r['skipped']}")
        out.append(f"Load average {r['load_before']:.1f} at the start, "
                   f"{r['load_after']:.1f} at the end.")
        return "\n".join(out)
    out.append(f"RANCID {rancid_r['version']} (rancid-run, clogin over ssh) against net.backup, "
               "the same Cisco devices, the same parallelism:")
    for run in rancid_r["runs"]:
        for label, key in ((f"RANCID PAR_COUNT={run['parallel']}", "rancid"),
                           (f"net.backup workers={run['parallel']}", "net_backup")):
            x = run[key]
            out.append(f"{label:<34}{x['devices']:>8}{x['seconds']:>10.1f}"
                       f"{x['devices_per_s']:>11.2f}")
        out.append(f"  net.backup is {run['ratio']:.2f}x RANCID's devices per second")
    commands = rancid_r["commands"]
    out.append("RANCID's clogin logs in and RANCID saves every Cisco device. Of its cisco "
               f"type's commands the simulator answers {len(commands['accepted'])}: "
               + ", ".join(commands["accepted"]))
    out.append(f"and rejects {len(commands['rejected'])} with '% Invalid input' (RANCID goes "
               "on without them; its files lack what a real switch prints there): "
               + ", ".join(commands["rejected"]))
    out.append(f"Load average {r['load_before']:.1f} at the start, {r['load_after']:.1f} at "
               "the end: other work on the machine makes these figures noisy.")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--devices", type=int, default=200, help="simulated switches")
    parser.add_argument("--workers", type=int, default=20, help="concurrent backup threads")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per device wait")
    parser.add_argument("--skip-rancid", action="store_true", help="no RANCID comparison")
    parser.add_argument("--install-rancid", action="store_true",
                        help="apt-get install rancid if it is missing (root or sudo -n)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.devices < 4 or args.workers < 1:
        parser.error("--devices must be >= 4 and --workers >= 1")
    work = Path(tempfile.mkdtemp(prefix="bench-network-backup-"))
    try:
        result = measure(args, work)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.json else report(result))


if __name__ == "__main__":
    main()
