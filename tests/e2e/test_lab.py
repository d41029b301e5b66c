"""Lab end-to-end: lab.up → deploy → verify with real clients → deploy again (0 changed) →
deploy --check (0 changed, 0 failed). Run by `./scripts/invoke test` (marker: lab)."""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bilgiislem import REPO_ROOT, lab
from bilgiislem.ansible_run import parse_recap
from bilgiislem.inventory import load
from bilgiislem.lab.manage import ssh_cmd

pytestmark = pytest.mark.lab

INVENTORY = "inventory/lab"
INVOKE = str(Path(sys.executable).parent / "invoke")


def invoke(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run([INVOKE, *args], cwd=REPO_ROOT, env=env, text=True,
                          capture_output=True, check=False, timeout=1200)


@pytest.fixture(scope="module")
def inv():
    return load(REPO_ROOT / INVENTORY)


@pytest.fixture(scope="module")
def fresh_lab(inv):
    """Recreate the containers so the first deploy converges from scratch (image is cached)."""
    lab.down(inv.municipality.code)
    lab.up(inv)
    return inv


def ssh(inv, host: str, *cmd: str) -> str:
    h = next(x for x in inv.hosts if x.name == host)
    key = inv.resolve(inv.connection.private_key_file)
    known = inv.resolve(inv.connection.known_hosts_file)
    res = subprocess.run(ssh_cmd(key, known, inv.connection.user, inv.management_ip(h), *cmd),
                         capture_output=True, text=True, check=True, timeout=60)
    return res.stdout.strip()


def ntp_query(ip: str, timeout: float = 2.0) -> tuple[int, float]:
    """A real SNTP client request (RFC 4330): returns (stratum, server transmit time)."""
    packet = b"\x23" + 47 * b"\0"  # LI=0, VN=4, mode=3 (client)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(packet, (ip, 123))
        data, _ = sock.recvfrom(512)
    stratum = data[1]
    seconds, fraction = struct.unpack("!II", data[40:48])
    return stratum, seconds - 2208988800 + fraction / 2**32


def test_lab_up_is_idempotent(fresh_lab):
    plan = lab.up(fresh_lab)
    assert plan.actions == [], f"second lab.up changed things: {plan.actions}"


def test_first_deploy_converges(fresh_lab):
    res = invoke("deploy", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    recap = parse_recap(res.stdout)
    assert {r.host for r in recap} == {h.name for h in fresh_lab.hosts}
    assert all(r.changed > 0 and r.failed == 0 for r in recap)
    assert "Özet / summary" in res.stdout


def test_hosts_answer_real_clients(fresh_lab):
    inv = fresh_lab
    for h in inv.hosts:
        assert ssh(inv, h.name, "hostname", "-f") == f"{h.name}.{inv.municipality.domain}"
        assert ssh(inv, h.name, "date", "+%Z%z") == "+03+0300"
        assert ssh(inv, h.name, "sh", "-c", "'. /etc/default/locale; echo $LANG'") == \
            "tr_TR.UTF-8"
        # Turkish collation/case data really exists for the locale.
        assert "tr_TR.utf8" in ssh(inv, h.name, "locale", "-a")
        for other in inv.hosts:
            line = ssh(inv, h.name, "getent", "hosts", f"{other.name}.{inv.municipality.domain}")
            assert line.split()[0] == inv.management_ip(other)


def test_ntp_server_serves_time_and_clients_follow_it(fresh_lab):
    inv = fresh_lab
    server = inv.hosts_with_role("ntp_server")[0]
    server_ip = inv.management_ip(server)
    stratum, remote = ntp_query(server_ip)
    assert stratum == 10  # local stratum 10 orphan: the lab has no upstream
    assert abs(remote - time.time()) < 5
    deadline = time.monotonic() + 60
    client = next(h for h in inv.hosts if h.name != server.name)
    tracking = ""
    while time.monotonic() < deadline:
        tracking = ssh(inv, client.name, "chronyc", "-n", "tracking")
        if server_ip in tracking:
            break
        time.sleep(2)
    assert server_ip in tracking, tracking


def test_second_deploy_changes_nothing(fresh_lab):
    res = invoke("deploy", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout[-4000:]
    recap = parse_recap(res.stdout)
    assert recap and all(r.changed == 0 and r.failed == 0 for r in recap), res.stdout[-3000:]


def test_check_mode_on_converged_lab_changes_nothing(fresh_lab):
    res = invoke("deploy", "--inventory", INVENTORY, "--check", "--diff")
    assert res.returncode == 0, res.stdout[-4000:]
    recap = parse_recap(res.stdout)
    assert recap and all(r.changed == 0 and r.failed == 0 for r in recap), res.stdout[-3000:]


def test_invalid_inventory_stops_before_any_host(fresh_lab, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(REPO_ROOT / INVENTORY, broken)
    hosts = broken / "hosts.yml"
    hosts.write_text(hosts.read_text().replace("site: itfaiye", "site: itfaye"))
    evidence = REPO_ROOT / "evidence" / "deploy"
    before = set(evidence.glob("*")) if evidence.is_dir() else set()
    res = invoke("deploy", "--inventory", str(broken))
    assert res.returncode == 2
    assert "hosts.yml:" in res.stderr and "unknown site 'itfaye'" in res.stderr
    assert "PLAY" not in res.stdout  # ansible-playbook never started
    after = set(evidence.glob("*")) if evidence.is_dir() else set()
    assert after == before  # no deploy record: nothing ran


def test_lab_status_reports_running_services(fresh_lab):
    res = invoke("lab.status", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    for h in fresh_lab.hosts:
        row = next(line for line in res.stdout.splitlines() if line.startswith(h.name + " "))
        assert "running" in row and " ok " in row and "chrony" in row
