"""Lab end-to-end of Law 5651 legal logging (issue 10): every server forwards over RELP to
srv-log (role log_collector), which files by host and day; lab-tsa is the time-stamp authority
on a host of its own.

What the department and an auditor meet: a counted stream of 10,000 lines survives a restart
of the collector without a line lost while the silent-source watch reports the sender; the day
is sealed, `logs.verify` and plain `openssl ts -verify` / `sha256sum -c` agree; one changed
byte fails the verification naming the file; `logs.who` names the holder of a static address
from the sealed record; the hand-over package verifies on another machine. The content filter
blocks a betting site for a guest on the public Wi-Fi and not for staff, and both queries are
on record; the gateway's connection log has a staff PC's connection."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import tarfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from labtools import INVENTORY, invoke, ssh, ssh_argv

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import Inventory
from bilgiislem.lab import podman

pytestmark = pytest.mark.lab

ARCHIVE = "/var/log/5651-arsiv"
SOURCE = "srv-db"
LINES = 10_000

# Sends LINES numbered messages to the local syslog socket rsyslog reads (not through journald,
# whose rate limit is a separate matter), about 400 a second.
STREAM = """
import socket, sys, time
marker, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for i in range(1, n + 1):
    s.sendto(f"<14>sayim: {marker} {i}".encode(), "/run/systemd/journal/syslog")
    if i % 100 == 0:
        time.sleep(0.25)
"""

# The deployed watch with a one-minute threshold and its own state and alert files, so the
# test does not wait the lab's configured silence (legal_logging.yml) nor touch its state.
WATCH_CONFIG = """
import json
c = json.load(open("/etc/bilgiislem/5651.json"))
c.update(silent_after_minutes=1, sources=["{source}"],
         watch_state="/tmp/e2e-nobet.json", alert_log="/tmp/e2e-uyari.jsonl")
json.dump(c, open("/tmp/e2e-5651.json", "w"))
"""


def _collector(inv: Inventory) -> str:
    return inv.hosts_with_role("log_collector")[0].name


def _count(inv: Inventory, marker: str) -> tuple[int, int]:
    """(distinct sequence numbers, lines) of the marker's stream on the collector."""
    out = subprocess.run(
        [*ssh_argv(inv, _collector(inv)), "sudo", "sh", "-c",
         f"'find /var/log/uzak/{SOURCE} -name sayim.log -exec grep -h {marker} {{}} +'"],
        capture_output=True, text=True, check=False, timeout=120).stdout
    numbers = [line.rsplit(" ", 1)[-1] for line in out.splitlines()]
    return len(set(numbers)), len(numbers)


def test_counted_stream_survives_a_collector_restart_and_silence_is_reported(deployed):
    inv = deployed
    collector = _collector(inv)
    marker = f"e2e5651-{time.time_ns()}"
    assert ssh(inv, collector, "systemctl", "is-active", "bilgiislem-5651-nobet.timer") \
        .strip() == "active"
    ssh(inv, collector, "sudo", "rm", "-f", "/tmp/e2e-nobet.json", "/tmp/e2e-uyari.jsonl")
    ssh(inv, collector, "sudo", "python3", "-c",
        f"'{WATCH_CONFIG.format(source=SOURCE).strip()}'")
    watch = ["sudo", "/usr/local/sbin/bilgiislem-5651", "--config", "/tmp/e2e-5651.json",
             "watch"]
    ssh(inv, collector, *watch)  # the source is heard: no alert
    stream = subprocess.Popen(
        [*ssh_argv(inv, SOURCE), "sudo", "python3", "-c", f"'{STREAM.strip()}'", marker,
         str(LINES)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(5)
        ssh(inv, collector, "sudo", "systemctl", "stop", "rsyslog.service", "syslog.socket")
        stopped = time.monotonic()
        assert stream.wait(timeout=120) == 0, stream.communicate()[1]
        time.sleep(max(0.0, 65 - (time.monotonic() - stopped)))
        alerts = json.loads(ssh(inv, collector, *watch))["uyarilar"]
    finally:
        ssh(inv, collector, "sudo", "systemctl", "start", "rsyslog.service")
    assert [(a["kaynak"], a["olay"]) for a in alerts] == [(SOURCE, "kaynak-sessiz")], alerts
    deadline = time.monotonic() + 180
    while (got := _count(inv, marker))[0] < LINES and time.monotonic() < deadline:
        time.sleep(5)
    assert got[0] == LINES, f"{got[0]} of {LINES} lines arrived ({got[1]} with duplicates)"
    back = json.loads(ssh(inv, collector, *watch))["uyarilar"]
    assert [(a["kaynak"], a["olay"]) for a in back] == [(SOURCE, "kaynak-geri-geldi")]


PC = "lab-pc-merkez-lan"
LEASE: dict[str, str] = {}


def test_pc_gets_a_lease_and_its_row_reaches_the_collector(deployed):
    """A real DHCP client (dhclient) on the town hall's user network asks gw-merkez's Kea for
    an address; it then reaches a server through the gateway, and the lease row arrives at
    the collector as program kea-leases4."""
    inv = deployed
    out = podman.run("exec", PC, "sh", "-c",
                     "ip -4 addr flush dev eth0 && dhclient -1 eth0 && "
                     "ip -4 -o addr show dev eth0 && cat /sys/class/net/eth0/address",
                     check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    ip = re.search(r"inet (10\.10\.10\.\d+)/24", out.stdout)
    assert ip, out.stdout
    mac = out.stdout.split()[-1].lower()
    assert 100 <= int(ip[1].rsplit(".", 1)[1]) <= 199, ip[1]  # from the pool of networks.yml
    ping = podman.run("exec", PC, "ping", "-c", "2", "-W", "2", "10.10.20.10", check=False)
    assert ping.returncode == 0, ping.stdout + ping.stderr
    deadline = time.monotonic() + 90
    while True:
        found = subprocess.run(
            [*ssh_argv(inv, _collector(inv)), "sudo", "grep", "-rhi", mac,
             "/var/log/uzak/gw-merkez"], capture_output=True, text=True, check=False,
            timeout=60)
        if "kea-leases4" in found.stdout or time.monotonic() > deadline:
            break
        time.sleep(3)
    assert f"kea-leases4: {ip[1]},{mac}" in found.stdout.lower(), found.stdout[-2000:]
    LEASE.update(ip=ip[1], mac=mac, at=dt.datetime.now(ZoneInfo(inv.municipality.timezone))
                 .isoformat(timespec="seconds"))


GUEST = "lab-pc-merkez-misafir"
RESOLVER = "gw-merkez"


def _collector_grep(inv: Inventory, pattern: str, path: str, until: str) -> str:
    """grep -rh on the collector until ``until`` is in the output (90 s at most)."""
    deadline = time.monotonic() + 90
    while True:
        out = subprocess.run([*ssh_argv(inv, _collector(inv)), "sudo", "grep", "-rhF",
                              f"'{pattern}'", path], capture_output=True, text=True,
                             check=False, timeout=60).stdout
        if until in out or time.monotonic() > deadline:
            return out
        time.sleep(3)


def test_guest_is_filtered_staff_is_not_and_both_are_on_record(deployed):
    """The content filter (content_filter.yml): a guest on the public Wi-Fi gets its address
    and its resolver from DHCP; a betting site is NXDOMAIN for it and the query and the block
    reach the collector with its address. Staff are not blocked from that list and still find
    the directory; a server network may not use the resolver at all. The gateway's connection
    log (ulogd, conntrack events) records a staff PC's connection through it."""
    inv = deployed
    out = podman.run("exec", GUEST, "sh", "-c",
                     "ip -4 addr flush dev eth0 && dhclient -1 -lf /tmp/misafir.leases eth0 && "
                     "ip -4 -o addr show dev eth0 && cat /tmp/misafir.leases", check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    guest = re.search(r"inet (10\.10\.50\.\d+)/24", out.stdout)
    assert guest, out.stdout
    resolver = "10.10.50.1"
    assert f"option domain-name-servers {resolver};" in out.stdout, out.stdout

    def dig(container: str, server: str, name: str) -> str:
        res = podman.run("exec", container, "dig", "+time=3", "+tries=1", f"@{server}", name,
                         check=False)
        return res.stdout + res.stderr

    blocked = dig(GUEST, resolver, "www.yasadisi-bahis.example")
    assert "status: NXDOMAIN" in blocked, blocked
    assert "status: NXDOMAIN" in dig(GUEST, resolver, "oltalama-ornek.example")
    # Staff: the betting list is not theirs; the directory's names resolve (forwarded to the DC).
    staff = LEASE.get("ip")
    assert staff, "the staff PC's lease test did not run"
    dig(PC, "10.10.10.1", "www.yasadisi-bahis.example")
    dc = inv.hosts_with_role("directory")[0]
    realm = inv.municipality.realm.lower()
    answer = dig(PC, "10.10.10.1", f"{dc.name}.{realm}")
    assert "status: NOERROR" in answer and inv.management_ip(dc) in answer, answer
    # A server network is not a network the resolver serves: the gateway's firewall opens DNS
    # to the served networks only, so dig gets no answer at all (exit 9).
    other = subprocess.run([*ssh_argv(inv, _collector(inv)), "dig", "+time=3", "+tries=1",
                            "@10.10.10.1", "www.yasadisi-bahis.example"],
                           capture_output=True, text=True, check=False, timeout=60)
    assert other.returncode == 9 and "status:" not in other.stdout, other.stdout

    # On record at the collector, with the clients' addresses (program unbound of gw-merkez).
    path = f"/var/log/uzak/{RESOLVER}"
    log = _collector_grep(inv, "yasadisi-bahis.example", path,
                          until=f"{staff} www.yasadisi-bahis.example. A IN")
    assert f"info: {guest[1]} www.yasadisi-bahis.example. A IN" in log, log[-2000:]
    assert re.search(rf"rpz: applied \[kumar-bahis\] \S+ rpz-nxdomain {re.escape(guest[1])}@",
                     log), log[-2000:]
    assert f"info: {staff} www.yasadisi-bahis.example. A IN" in log, log[-2000:]
    assert not re.search(rf"rpz: applied .* {re.escape(staff)}@", log), log[-2000:]

    # The staff PC's connection through the gateway is in its connection log.
    ping = podman.run("exec", PC, "ping", "-c", "1", "-W", "2", "10.10.20.10", check=False)
    assert ping.returncode == 0, ping.stdout + ping.stderr
    flow = f"[NEW] ORIG: SRC={staff} DST=10.10.20.10 PROTO=ICMP"
    log = _collector_grep(inv, flow, path, until=flow)
    assert flow in log, log[-2000:]


def test_seal_verify_who_tamper_and_hand_over(deployed, tmp_path):
    inv = deployed
    collector = _collector(inv)
    tz = ZoneInfo(inv.municipality.timezone)
    today = dt.datetime.now(tz).date()
    tomorrow = today + dt.timedelta(days=1)
    preview = invoke("logs.seal", "--inventory", INVENTORY, "--dry-run")
    assert preview.returncode == 0 and "gün bitmedi" in preview.stdout, preview.stdout[-2000:]
    # The nightly run, as it will happen after midnight.
    res = invoke("logs.seal", "--inventory", INVENTORY, "--now", f"{tomorrow}T00:30:00")
    assert res.returncode == 0, res.stdout[-3000:]
    assert "muhurlendi" in res.stdout and SOURCE in res.stdout
    res = invoke("logs.verify", "--inventory", INVENTORY, "--date", today.isoformat())
    assert res.returncode == 0 and " 0 FAIL" in res.stdout, res.stdout[-3000:]

    # What an auditor runs, with nothing of ours.
    bundle = f"{today}/{SOURCE}"
    plain = ssh(inv, collector, "sudo", "sh", "-c",
                f"'cd {ARCHIVE} && openssl ts -verify -data {bundle}/MANIFEST.sha256 "
                f"-in {bundle}/MANIFEST.tsr -CAfile tsa-ca.pem && "
                f"sha256sum -c {bundle}/MANIFEST.sha256'")
    assert "Verification: OK" in plain and ": FAILED" not in plain, plain

    # The PC's lease is in the day's İç IP Dağıtım Logu of gw-merkez, and the look-up for its
    # address at the time it held it names its MAC (from the sealed record, verified).
    if LEASE:
        # gw-merkez.ek1, ... when the day was sealed before (lines filed after a seal)
        ip_log = ssh(inv, collector, "sudo", "sh", "-c",
                     f"'cat {ARCHIVE}/{today}/gw-merkez*/ic-ip-dagitim.tsv'")
        row = next((line.split("\t") for line in ip_log.splitlines()
                    if line.startswith(LEASE["ip"] + "\t")), None)
        assert row and row[1] == LEASE["mac"] and row[2].startswith(str(today)), ip_log
        res = invoke("logs.who", "--inventory", INVENTORY, "--ip", LEASE["ip"],
                     "--at", LEASE["at"])
        assert res.returncode == 0 and LEASE["mac"] in res.stdout, res.stdout[-2000:]

    # The resolver's query log and the gateway's connection log are sealed with the day.
    sealed = ssh(inv, collector, "sudo", "sh", "-c", f"'ls {ARCHIVE}/{today}/{RESOLVER}*/ham/'")
    assert "unbound.log.gz" in sealed and "ulogd.log.gz" in sealed, sealed

    # Static addresses are in the day's record too; the look-up verifies the day.
    res = invoke("logs.who", "--inventory", INVENTORY, "--ip", "10.10.20.20",
                 "--at", f"{today} 12:00")
    assert res.returncode == 0 and "srv-db" in res.stdout, res.stdout[-2000:]

    # One changed byte: the verification fails and names the file; put back, it passes.
    raw = f"{ARCHIVE}/{bundle}/ham/sayim.log.gz"
    flip = ("'import sys; p=sys.argv[1]; b=bytearray(open(p,\"rb\").read()); "
            "b[len(b)//2]^=1; open(p,\"wb\").write(b)'")
    ssh(inv, collector, "sudo", "python3", "-c", flip, raw)
    try:
        res = invoke("logs.verify", "--inventory", INVENTORY, "--date", today.isoformat())
        assert res.returncode == 1, res.stdout[-3000:]
        assert f"{bundle}/ham/sayim.log.gz: SHA-256 differs" in res.stdout, res.stdout[-3000:]
    finally:
        ssh(inv, collector, "sudo", "python3", "-c", flip, raw)
    assert invoke("logs.verify", "--inventory", INVENTORY).returncode == 0

    # The hand-over package verifies here, on another machine, with openssl and sha256sum.
    res = invoke("logs.export", "--inventory", INVENTORY, "--from", str(today),
                 "--to", str(today))
    assert res.returncode == 0, res.stdout[-3000:]
    [package] = sorted((REPO_ROOT / "evidence" / "legal-log").glob("*-teslim-*.tar.gz"))[-1:]
    with tarfile.open(package) as tar:
        tar.extractall(tmp_path, filter="data")
    assert "openssl ts -verify" in (tmp_path / "OKU-BENI.txt").read_text(encoding="utf-8")
    ts = subprocess.run(["openssl", "ts", "-verify", "-data", f"{bundle}/MANIFEST.sha256",
                         "-in", f"{bundle}/MANIFEST.tsr", "-CAfile", "tsa-ca.pem"],
                        cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ts.returncode == 0, ts.stdout + ts.stderr
    sums = subprocess.run(["sha256sum", "-c", f"{bundle}/MANIFEST.sha256"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    evidence = sorted((REPO_ROOT / "evidence" / "legal-log").glob("*-verify.html"))
    assert evidence and "5651 Kayıt Doğrulama" in Path(evidence[-1]).read_text(encoding="utf-8")
