"""Lab end-to-end: lab.up → deploy → verify with real clients → deploy again (0 changed) →
deploy --check (0 changed, 0 failed). Run by `./scripts/invoke test` (marker: lab)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from labtools import INVENTORY, inventory_copy, invoke, ssh

from bilgiislem import REPO_ROOT, lab
from bilgiislem.ansible_run import parse_recap, vault_password_file

pytestmark = pytest.mark.lab

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


def test_first_deploy_converges(fresh_lab, first_deploy):
    res = first_deploy
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    recap = parse_recap(res.stdout)
    assert {r.host for r in recap} == {h.name for h in fresh_lab.hosts}
    assert all(r.changed > 0 and r.failed == 0 for r in recap)
    assert "Özet / summary" in res.stdout


def test_hosts_answer_real_clients(deployed):
    inv = deployed
    for h in inv.servers():
        assert ssh(inv, h.name, "hostname", "-f") == f"{h.name}.{inv.municipality.domain}"
        assert ssh(inv, h.name, "date", "+%Z%z") == "+03+0300"
        assert ssh(inv, h.name, "sh", "-c", "'. /etc/default/locale; echo $LANG'") == \
            "tr_TR.UTF-8"
        # Turkish collation/case data really exists for the locale.
        assert "tr_TR.utf8" in ssh(inv, h.name, "locale", "-a")
        for other in inv.hosts:
            line = ssh(inv, h.name, "getent", "hosts", f"{other.name}.{inv.municipality.domain}")
            assert line.split()[0] == inv.management_ip(other)


def test_ntp_server_serves_time_and_clients_follow_it(deployed):
    inv = deployed
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


def _changed_tasks(output: str) -> list[str]:
    """The TASK lines under which a host reported `changed`, to name what is not idempotent."""
    task, changed = "", set()
    for line in output.splitlines():
        if line.startswith(("TASK [", "RUNNING HANDLER [")):
            task = line.rstrip("* ")
        elif line.startswith("changed: ["):
            changed.add(task)
    return sorted(changed)


def test_check_mode_on_converged_lab_changes_nothing(deployed):
    """The preview a sysadmin runs before every change reports nothing to do on the deployed
    lab. (Each role's idempotence - a second apply with 0 changed - is its Molecule
    scenario's; a second full apply of the lab would repeat it at 7 minutes of CI.)"""
    res = invoke("deploy", "--inventory", INVENTORY, "--check", "--diff")
    assert res.returncode == 0, res.stdout[-4000:]
    recap = parse_recap(res.stdout)
    assert recap and all(r.changed == 0 and r.failed == 0 for r in recap), \
        _changed_tasks(res.stdout)


def _login(inv, user: str, key: Path, host: str, *extra: str) -> subprocess.CompletedProcess:
    h = next(x for x in inv.hosts if x.name == host)
    known = inv.resolve(inv.connection.known_hosts_file)
    return subprocess.run(
        ["ssh", "-i", str(key), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
         "-o", f"UserKnownHostsFile={known}", "-o", "StrictHostKeyChecking=yes",
         # sudo has requiretty (role hardening): ask for a terminal, as a person would.
         "-tt", "-o", "ConnectTimeout=10", *extra, f"{user}@{inv.management_ip(h)}",
         "sudo", "-n", "id", "-un"],
        capture_output=True, text=True, check=False, timeout=60)


def test_admin_keys_follow_the_personnel_file(deployed, tmp_path):
    """An admin logs in with the key from personel.yml and gets sudo; when the key is removed
    from the data, the next deploy removes it from the host and the login fails."""
    key = tmp_path / "admin_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e", "-f", str(key)],
                   check=True)
    copy = inventory_copy(tmp_path)
    personel = copy / "personel.yml"
    text = personel.read_text()
    first_key = "      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJypZv"
    assert first_key in text
    personel.write_text(text.replace(
        first_key, f"      - {key.with_suffix('.pub').read_text().strip()}\n{first_key}", 1))
    res = invoke("deploy", "--inventory", str(copy), "--playbook", "common", "--limit", "srv-log")
    assert res.returncode == 0, res.stdout[-4000:]
    login = _login(deployed, "sukru.ozturk", key, "srv-log")
    assert login.returncode == 0 and login.stdout.strip() == "root", login.stderr
    # Passwords are refused outright: the server offers public keys only.
    pw = _login(deployed, "sukru.ozturk", key, "srv-log",
                "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "PubkeyAuthentication=no")
    assert pw.returncode == 255 and "Permission denied (publickey)" in pw.stderr, pw.stderr
    # The admin who left gets no account on a server that never had one; the key is revoked.
    revoked = ssh(deployed, "srv-log", "cat", "/etc/ssh/revoked_keys")
    assert "AAAAC3NzaC1lZDI1NTE5AAAAICT116xG064M7/ClMGdVo0fRYoUydf4vbpQYol1yN/Y+" in revoked
    # Back to the real data: the e2e key is gone from the host.
    res = invoke("deploy", "--inventory", INVENTORY, "--playbook", "common", "--limit", "srv-log")
    assert res.returncode == 0, res.stdout[-4000:]
    login = _login(deployed, "sukru.ozturk", key, "srv-log")
    assert login.returncode == 255 and "Permission denied" in login.stderr, login.stderr


def test_firewall_opens_only_the_services_of_the_host_roles(deployed):
    inv = deployed
    ruleset = ssh(inv, "srv-log", "sudo", "nft", "list", "ruleset")
    assert "policy drop" in ruleset
    for port in ("udp dport 123", "tcp dport 514"):
        assert port in ruleset, ruleset
    assert "dport 5432" not in ruleset and "dport 51820" not in ruleset
    # A real client: the syslog port answers, a port no role opened does not.
    probe = "timeout 3 bash -c 'echo > /dev/tcp/10.10.20.10/{}' && echo open || echo closed"
    assert ssh(inv, "gw-merkez", probe.format(514)) == "open"
    assert ssh(inv, "gw-merkez", probe.format(5432)) == "closed"


def test_a_change_that_cuts_ssh_is_reverted_automatically(deployed, tmp_path):
    """Push a firewall that only admits SSH from a network nobody is on. The guard must
    restore the previous rules by itself and the run must say so."""
    inv = deployed
    target = "gw-itfaiye"

    def ruleset() -> str:  # the VPN table counts its drops; the counts may move meanwhile
        text = ssh(inv, target, "sudo", "nft", "list", "ruleset")
        return re.sub(r"counter packets \d+ bytes \d+", "counter", text)

    before = ruleset()
    extra = tmp_path / "cut-ssh.yml"
    extra.write_text("hardening_nftables_ssh_sources: [192.0.2.0/24]\n"
                     "hardening_guard_revert_after: 40\n"
                     "hardening_guard_confirm_timeout: 15\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    # Run from the repository root with the root ansible.cfg, as AWX does; like AWX's vault
    # credential, the lab's vault password is given on the command line.
    vault_pw = vault_password_file(REPO_ROOT / INVENTORY)
    assert vault_pw is not None and vault_pw.is_file()
    started = time.monotonic()
    res = subprocess.run(
        ["ansible-playbook", "playbooks/hardening.yml", "--limit", target, "-e", f"@{extra}",
         "--vault-password-file", str(vault_pw)],
        cwd=REPO_ROOT, env=env, text=True, capture_output=True, check=False, timeout=600)
    took = time.monotonic() - started
    assert res.returncode != 0, res.stdout[-3000:]
    assert "GERİ ALINDI / REVERTED" in res.stdout, res.stdout[-4000:]
    # Reachable again on its own, with exactly the rules it had before.
    assert ruleset() == before
    assert "192.0.2.0/24" not in before
    status = ssh(inv, target, "sudo", "/usr/local/sbin/bilgiislem-guard", "status")
    assert '"state": "reverted"' in status
    print(f"lockout reverted in {took:.0f} s")
    # The restored state is the converged one: a normal run changes nothing.
    res = invoke("deploy", "--inventory", INVENTORY, "--playbook", "hardening", "--limit", target)
    assert res.returncode == 0, res.stdout[-4000:]
    recap = parse_recap(res.stdout)
    assert recap and all(r.changed == 0 for r in recap), res.stdout[-3000:]


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


def test_lab_status_reports_running_services(deployed):
    res = invoke("lab.status", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    for h in deployed.hosts:
        row = next(line for line in res.stdout.splitlines() if line.startswith(h.name + " "))
        assert "running" in row and " ok " in row
        # the PBX (sysvinit) runs Asterisk; the servers with systemd chrony (role common)
        assert ("asterisk" if h.init_system == "sysvinit" else "chrony") in row, row
