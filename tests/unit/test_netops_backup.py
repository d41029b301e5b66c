"""net.backup (bilgiislem/netops): normalisation per vendor, and backups of simulated switches.

The backups drive the netsim simulator (bilgiislem/netsim) with the real Netmiko into a git
repository under ``tmp_path``; git runs without the machine's global configuration, as on a
bare machine. Netmiko's Huawei driver spends ~2 s in ``disconnect`` (it waits for the channel
to go quiet), so every run with the VRP device takes at least that long.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from bilgiislem.netops import MASK, Target, backup, netmiko_type, normalize, show_config_command
from bilgiislem.netops.backup import commit_message, summary
from bilgiislem.netops.normalize import drop_noise, mask_secrets
from bilgiislem.netsim import DeviceSpec, Faults, Simulator

IOS_PORTS = ["GigabitEthernet1/0/1-2"]
VRP_PORTS = ["GigabitEthernet0/0/1-2"]
SECRET = "Cok-Gizli-1"
COMMUNITY = "Bld-RO-2024"


@pytest.fixture(autouse=True)
def bare_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git configuration: no user.name/user.email to commit with."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def target(sim: Simulator, name: str, vendor: str) -> Target:
    args = sim.netmiko_args(name)
    return Target(
        name,
        vendor,
        args["host"],
        port=args["port"],
        username=args["username"],
        password=args["password"],
        secret=args.get("secret"),
    )


def configure(sim: Simulator, name: str, commands: list[str]) -> None:
    """Change a device out of band, with Netmiko's ``send_config_set``."""
    conn = ConnectHandler(**sim.netmiko_args(name), conn_timeout=5, auth_timeout=5)
    try:
        if sim.devices[name].spec.vendor == "huawei":
            # Netmiko's own system-view checks wait for the channel to go quiet (seconds)
            conn.send_command("system-view", expect_string=r"\]")
            conn.send_config_set(commands, enter_config_mode=False, exit_config_mode=False)
            conn.send_command("return", expect_string=r">")
        else:
            conn.send_config_set(commands)
    finally:
        conn.disconnect()


def changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# --- normalisation -----------------------------------------------------------------------

IOS_SAMPLE = """\
Building configuration...\r
\r
Current configuration : 4123 bytes\r
!\r
! Last configuration change at 14:02:11 TRT Mon Mar 4 2024 by otomasyon
! NVRAM config last updated at 14:02:15 TRT Mon Mar 4 2024 by otomasyon
!
version 15.2
service timestamps debug datetime msec
service password-encryption
!
hostname sw-merkez-kat3
!
enable secret 9 $9$mBuH3bSdN3Ab7k$Qq0eZrVQ6rOQpYH7mR1yR3pmZ0wA7a6S1U6ZbV3u0Kc
!
username otomasyon privilege 15 secret 9 $9$2MJBozw/9R/7ok$ZvbZbS9m3sJ8l5o7u5Ph0Pp9sZc
username yedek password 7 0822455D0A16544541
username eski privilege 1 password Duz Metin Parola
aaa new-model
!
key chain OSPF-KEYS
 key 1
  key-string 7 1511021F07257A767B
!
interface GigabitEthernet1/0/1
 description Muhasebe PC   \t
 switchport access vlan 20
 ip ospf message-digest-key 1 md5 7 13061E010803
!
router bgp 65001
 neighbor 10.10.0.2 password 7 045802150C2E
!
snmp-server community Bld-RO-2024 RO 10
snmp-server community Bld-RW-2024 RW 11
snmp-server user nms bilgiislem v3 auth sha AuthPass123 priv aes 128 PrivPass456
snmp-server host 10.10.0.50 version 2c Bld-RO-2024
snmp-server host 10.10.0.51 informs version 3 priv nms
tacacs-server host 10.10.0.20 key 7 104D000A0618
radius-server key 7 02050D480809
tacacs server TAC1
 address ipv4 10.10.0.21
 key 7 060506324F41584B56
crypto isakmp key IsakmpKey55 address 10.20.0.1
!
line con 0
 password 7 094F471A1A0A
line vty 0 4
 login local
 transport input ssh
!
ntp clock-period 36029056
ntp server 10.10.0.1
end


"""
IOS_SECRETS = [
    "$9$mBuH3", "$9$2MJBo", "0822455D0A16544541", "Duz Metin", "Parola", "1511021F07257A767B",
    "13061E010803", "045802150C2E", "Bld-RO-2024", "Bld-RW-2024", "AuthPass123", "PrivPass456",
    "104D000A0618", "02050D480809", "060506324F41584B56", "IsakmpKey55", "094F471A1A0A",
]

VRP_SAMPLE = """\
2024-03-04 14:02:11.123 +03:00
!Software Version V200R019C10SPC500
!Last configuration was updated at 2024-03-04 14:02:11+03:00 by otomasyon
!Last configuration was saved at 2024-03-04 14:05:40+03:00 by otomasyon
#
sysname sw-ek-bina
#
vlan batch 10 20 99
#
hwtacacs-server template tac1
 hwtacacs-server shared-key cipher %^%#O)u9Y1k&N5b$c0!%^%#
#
aaa
 authentication-scheme default
 local-user otomasyon password irreversible-cipher $1a$Vf9{C-:4XD$Lk6Y7tM~2GqD@8b$
 local-user otomasyon privilege level 15
 local-user eski password simple Duz-Parola
#
interface GigabitEthernet0/0/1
 port link-type access
 port default vlan 20
#
ospf 1
 area 0.0.0.0
  authentication-mode md5 1 cipher %^%#OspfKey%^%#
#
snmp-agent
snmp-agent community read cipher %^%#RoCommunity%^%# acl 2000
snmp-agent community write Bld-RW-2024
snmp-agent sys-info version v3
snmp-agent usm-user v3 nms authentication-mode sha cipher %^%#AuthX%^%#
snmp-agent usm-user v3 nms privacy-mode aes128 cipher %^%#PrivX%^%#
snmp-agent usm-user v3 nms2 authentication-mode sha AuthPass123
snmp-agent usm-user v3 nms2 privacy-mode aes128 PrivPass456
#
stelnet server enable
ssh server cipher aes256_ctr aes128_ctr
#
user-interface con 0
 authentication-mode password
 set authentication password cipher $1a$ConPass$
#
return
"""
VRP_SECRETS = [
    "O)u9Y1k", "$1a$Vf9", "Duz-Parola", "OspfKey", "RoCommunity", "Bld-RW-2024", "AuthX",
    "PrivX", "AuthPass123", "PrivPass456", "ConPass",
]

PROCURVE_SAMPLE = """\
Running configuration:

; J9727A Configuration Editor; Created on release #WB.16.10.0009
; Ver #14:01.4f.f8.1d.fb.7f.bf.bb.ff.7c.59.fc.7b.ff.ff.fc.ff.ff.3f.ef:e1
hostname "sw-kutuphane"
module 1 type j9727a
include-credentials
snmp-server community "Bld-RO-2024" operator
snmp-server host 10.10.0.50 community "Bld-RO-2024" trap-level critical
snmpv3 enable
snmpv3 user "nms" auth sha "AuthPass123" priv aes "PrivPass456"
radius-server host 10.10.0.21 key "RadKey-99"
tacacs-server key "TacKey-77"
aaa authentication local-user "otomasyon" group "Level-15" password plaintext "Cok-Gizli-1"
vlan 20
   name "Muhasebe"
   untagged 1-10
   exit
password manager user-name "admin" sha1 "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"
password operator user-name "operator" plaintext "Op-Gizli"
"""
PROCURVE_SECRETS = [
    "Bld-RO-2024", "AuthPass123", "PrivPass456", "RadKey-99", "TacKey-77", "Cok-Gizli-1",
    "5baa61e4c9b9", "Op-Gizli",
]


def test_ios_normalised() -> None:
    out = normalize(IOS_SAMPLE, "cisco_ios")
    for secret in IOS_SECRETS:
        assert secret not in out, secret
    lines = out.splitlines()
    for line in [
        "enable secret 9 <gizli>",
        "username otomasyon privilege 15 secret 9 <gizli>",
        "username yedek password 7 <gizli>",
        "username eski privilege 1 password <gizli>",
        " key 1",  # a key chain's key number, not a secret
        "  key-string 7 <gizli>",
        " description Muhasebe PC",
        " ip ospf message-digest-key 1 md5 7 <gizli>",
        " neighbor 10.10.0.2 password 7 <gizli>",
        "snmp-server community <gizli> RO 10",
        "snmp-server community <gizli> RW 11",
        "snmp-server user nms bilgiislem v3 auth sha <gizli> priv aes 128 <gizli>",
        "snmp-server host 10.10.0.50 version 2c <gizli>",
        "snmp-server host 10.10.0.51 informs version 3 priv nms",  # a v3 user, kept
        "tacacs-server host 10.10.0.20 key 7 <gizli>",
        "radius-server key 7 <gizli>",
        " key 7 <gizli>",
        "crypto isakmp key <gizli> address 10.20.0.1",
        " password 7 <gizli>",
        "ntp server 10.10.0.1",
    ]:
        assert line in lines, line
    assert lines[:3] == ["!", "!", "version 15.2"]  # header, timestamps, blank lines gone
    for noise in ("Building", "Current configuration", "Last configuration", "NVRAM", "clock-per"):
        assert noise not in out
    assert out.endswith("\nend\n")
    assert "\r" not in out
    assert all(line == line.rstrip() for line in lines)


def test_vrp_normalised() -> None:
    out = normalize(VRP_SAMPLE, "huawei_vrp")
    for secret in VRP_SECRETS:
        assert secret not in out, secret
    lines = out.splitlines()
    for line in [
        " hwtacacs-server shared-key cipher <gizli>",
        " local-user otomasyon password irreversible-cipher <gizli>",
        " local-user otomasyon privilege level 15",
        " local-user eski password simple <gizli>",
        "  authentication-mode md5 1 cipher <gizli>",
        "snmp-agent community read cipher <gizli> acl 2000",
        "snmp-agent community write <gizli>",
        "snmp-agent usm-user v3 nms authentication-mode sha cipher <gizli>",
        "snmp-agent usm-user v3 nms privacy-mode aes128 cipher <gizli>",
        "snmp-agent usm-user v3 nms2 authentication-mode sha <gizli>",
        "snmp-agent usm-user v3 nms2 privacy-mode aes128 <gizli>",
        "ssh server cipher aes256_ctr aes128_ctr",  # algorithms, not a secret
        " set authentication password cipher <gizli>",
    ]:
        assert line in lines, line
    assert lines[:2] == ["#", "sysname sw-ek-bina"]
    assert "Software Version" not in out
    assert "Last configuration" not in out
    assert "2024-03-04" not in out
    assert out.endswith("\nreturn\n")


def test_procurve_normalised() -> None:
    out = normalize(PROCURVE_SAMPLE, "hp_procurve")
    for secret in PROCURVE_SECRETS:
        assert secret not in out, secret
    lines = out.splitlines()
    for line in [
        'snmp-server community "<gizli>" operator',
        'snmp-server host 10.10.0.50 community "<gizli>" trap-level critical',
        'snmpv3 user "nms" auth sha "<gizli>" priv aes "<gizli>"',
        'radius-server host 10.10.0.21 key "<gizli>"',
        'tacacs-server key "<gizli>"',
        'aaa authentication local-user "otomasyon" group "Level-15" password plaintext "<gizli>"',
        '   name "Muhasebe"',
        'password manager user-name "admin" sha1 "<gizli>"',
        'password operator user-name "operator" plaintext "<gizli>"',
    ]:
        assert line in lines, line
    assert lines[0] == 'hostname "sw-kutuphane"'
    assert "Configuration Editor" not in out
    assert "; Ver" not in out
    assert "Running configuration" not in out


@pytest.mark.parametrize(
    ("vendor", "sample"),
    [("cisco_ios", IOS_SAMPLE), ("huawei_vrp", VRP_SAMPLE), ("hp_procurve", PROCURVE_SAMPLE)],
)
def test_normalise_is_idempotent(vendor: str, sample: str) -> None:
    once = normalize(sample, vendor)
    assert normalize(once, vendor) == once
    assert once.endswith("\n") and not once.endswith("\n\n")


def test_a_new_secret_value_is_no_change_a_new_line_is() -> None:
    before = "!\nhostname sw1\nusername admin privilege 15 secret 9 $9$aaa\nend\n"
    rotated = before.replace("$9$aaa", "$9$bbb")
    retyped = before.replace("secret 9 $9$aaa", "secret 5 $1$ccc")
    added = before.replace("end\n", "username yeni secret 9 $9$ddd\nend\n")
    assert normalize(rotated, "cisco_ios") == normalize(before, "cisco_ios")
    assert normalize(retyped, "cisco_ios") != normalize(before, "cisco_ios")
    assert "username yeni secret 9 <gizli>" in normalize(added, "cisco_ios")


def test_noise_and_masking_apart() -> None:
    assert drop_noise("\n\nCurrent configuration : 12 bytes\r\n!\r\nend  \r\n\n", "cisco_ios") == (
        "!\nend\n"
    )
    assert drop_noise("", "cisco_ios") == ""
    assert mask_secrets("snmp-agent community read Gizli", "huawei") == (
        f"snmp-agent community read {MASK}"
    )


def test_targets() -> None:
    assert netmiko_type("cisco_ios") == "cisco_ios"
    assert netmiko_type("huawei_vrp") == "huawei"
    assert netmiko_type("hp_procurve") == "hp_procurve"
    assert show_config_command("huawei_vrp") == "display current-configuration"
    assert show_config_command("hp_procurve") == "show running-config"
    t = Target("sw1", "huawei_vrp", "10.0.0.1", username="u", password="p", secret="s")
    assert t.port == 22
    assert "p" not in repr(t).replace("port", "").replace("huawei_vrp", "")
    assert t.netmiko_args(5)["device_type"] == "huawei"
    with pytest.raises(ValueError, match="vendor"):
        Target("sw1", "huawei", "10.0.0.1", username="u", password="p")
    with pytest.raises(ValueError, match="name"):
        Target("../etc", "cisco_ios", "10.0.0.1", username="u", password="p")


def test_commit_message() -> None:
    assert commit_message(["sw1"]) == (
        "ag yedegi: 1 cihaz degisti / network backup: 1 device changed\n\nsw1\n"
    )
    assert commit_message(["a", "b"]).splitlines()[0].endswith("2 devices changed")


# --- backups of simulated devices --------------------------------------------------------

IOS_NAMES = ["sw1", "sw2", "sw3"]


def test_backup_to_git(tmp_path: Path) -> None:
    specs = [DeviceSpec(n, "cisco_ios", ports=IOS_PORTS) for n in IOS_NAMES]
    specs.append(DeviceSpec("hw1", "huawei", ports=VRP_PORTS))
    repo = tmp_path / "ag-yedekleri"
    with Simulator(specs, tmp_path / "state") as sim:
        # another account than the one the backup logs in with (admin/admin)
        setup = {n: [f"username operator privilege 15 secret 0 {SECRET}",
                     f"snmp-server community {COMMUNITY} RO"] for n in IOS_NAMES}
        setup["hw1"] = ["aaa", f"local-user operator password irreversible-cipher {SECRET}", "quit",
                        f"snmp-agent community read cipher {COMMUNITY}"]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda item: configure(sim, *item), setup.items()))
        targets = [target(sim, n, "cisco_ios") for n in IOS_NAMES]
        targets.append(target(sim, "hw1", "huawei_vrp"))

        # first backup: everything is new
        when = dt.datetime(2024, 3, 4, 11, 2, 11, tzinfo=dt.UTC)
        first = backup(targets, repo, timeout=5, retries=1, backoff=0.1, now=when)
        assert [(d.name, d.status, d.attempts) for d in first.devices] == [
            (n, "ok", 1) for n in [*IOS_NAMES, "hw1"]
        ]
        assert first.commit == git(repo, "rev-parse", "HEAD").strip()
        assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
        assert git(repo, "log", "-1", "--format=%B").strip().splitlines() == [
            "ag yedegi: 4 cihaz degisti / network backup: 4 devices changed",
            "",
            *IOS_NAMES,
            "hw1",
        ]
        assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == (
            "bilgiislem net.backup <net-backup@localhost>"
        )
        assert git(repo, "status", "--porcelain") == ""
        for n, vendor in [(n, "cisco_ios") for n in IOS_NAMES] + [("hw1", "huawei_vrp")]:
            saved = (repo / f"{n}.cfg").read_text()
            assert saved == normalize(sim.devices[n].running_config(), vendor)
            assert SECRET not in saved
            assert COMMUNITY not in saved
            assert MASK in saved
            for noise in ("Building configuration", "Current configuration", "Software Version"):
                assert noise not in saved
        # kept hashed, as a switch keeps it, and masked all the same
        assert "username operator privilege 15 secret 9 <gizli>" in (repo / "sw1.cfg").read_text()
        assert " local-user operator password irreversible-cipher <gizli>" in (
            repo / "hw1.cfg"
        ).read_text()
        assert first.devices[0].diff is not None
        assert first.devices[0].diff.startswith("--- /dev/null\n+++ b/sw1.cfg\n")
        report = json.loads(json.dumps(first.as_dict()))
        assert report["commit"] == first.commit
        assert report["time"] == "2024-03-04T11:02:11+00:00"
        assert report["stamp"] == "20240304T110211Z"
        assert git(repo, "log", "-1", "--format=%cI").strip() == "2024-03-04T11:02:11+00:00"
        assert report["counts"]["ok"] == 4
        assert set(report["devices"][0]) >= {"name", "status", "attempts", "duration", "error"}
        assert SECRET not in json.dumps(report)

        # nothing changed: no commit
        second = backup(targets, repo, timeout=5, retries=1, backoff=0.1)
        assert {d.status for d in second.devices} == {"unchanged"}
        assert second.commit is None
        assert all(d.diff is None for d in second.devices)
        assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"

        # a change made out of band on one device
        configure(sim, "sw2", ["snmp-server location Belediye Hizmet Binasi Kat 3"])
        third = backup(targets, repo, timeout=5, retries=1, backoff=0.1)
        assert {d.name: d.status for d in third.devices} == {
            "sw1": "unchanged", "sw2": "ok", "sw3": "unchanged", "hw1": "unchanged"
        }
        diff = third.devices[1].diff
        assert diff is not None
        assert changed_lines(diff) == ["+snmp-server location Belediye Hizmet Binasi Kat 3"]
        assert git(repo, "log", "-1", "--format=%B").strip().splitlines() == [
            "ag yedegi: 1 cihaz degisti / network backup: 1 device changed", "", "sw2"
        ]
        assert git(repo, "log", "--format=%H").split() == [third.commit, first.commit]
        assert "Belediye Hizmet Binasi" in git(repo, "show", "HEAD:sw2.cfg")
        assert "sw2" in summary(third)


def test_backup_faults_keep_previous_files(tmp_path: Path) -> None:
    specs = [
        DeviceSpec("sw-ok", "cisco_ios", ports=IOS_PORTS),
        DeviceSpec("sw-enable", "cisco_ios", ports=IOS_PORTS, enable_secret="En-Gizli"),
        DeviceSpec("sw-auth", "cisco_ios", ports=IOS_PORTS, faults=Faults(auth_fail=True)),
        DeviceSpec("sw-timeout", "cisco_ios", ports=IOS_PORTS, faults=Faults(timeout=True)),
    ]
    # a repository from earlier runs, made by someone else: it has files of the failing devices
    repo = tmp_path / "ag-yedekleri"
    repo.mkdir()
    git(repo, "init", "-q")
    previous = {
        "sw-auth.cfg": "!\nhostname sw-auth\nend\n",
        "sw-timeout.cfg": "!\nhostname sw-timeout\nend\n",
    }
    for name, text in previous.items():
        (repo / name).write_text(text)
    git(repo, "add", ".")
    git(repo, "-c", "user.name=Eski", "-c", "user.email=eski@localhost", "commit", "-qm", "eski")
    with Simulator(specs, tmp_path / "state") as sim:
        targets = [target(sim, s.name, "cisco_ios") for s in specs]
        # the device with an enable secret, read with a wrong one and with none
        args = sim.netmiko_args("sw-enable")
        host, port, user, password = args["host"], args["port"], "admin", "admin"
        targets += [
            Target("wrong-enable", "cisco_ios", host, port=port, username=user,
                   password=password, secret="Yanlis"),
            Target("no-enable", "cisco_ios", host, port=port, username=user, password=password),
        ]
        # 5 s: a loaded CI machine answers well within it, the timing-out device never does
        run = backup(targets, repo, timeout=5, retries=2, backoff=0.1)
    by_name = {d.name: d for d in run.devices}
    assert (by_name["sw-ok"].status, by_name["sw-ok"].attempts) == ("ok", 1)
    assert (by_name["sw-enable"].status, by_name["sw-enable"].attempts) == ("ok", 1)
    auth = by_name["sw-auth"]
    assert (auth.status, auth.attempts) == ("auth-failed", 1)
    assert auth.error and "Authentication" in auth.error
    timed_out = by_name["sw-timeout"]
    assert (timed_out.status, timed_out.attempts) == ("unreachable", 3)
    assert timed_out.error == "no SSH session within 5 s (no SSH banner from the device)"
    assert timed_out.duration >= 3 * 5
    wrong = by_name["wrong-enable"]
    assert (wrong.status, wrong.attempts) == ("auth-failed", 1)
    assert wrong.error and wrong.error.startswith("enable failed")
    user_mode = by_name["no-enable"]
    assert (user_mode.status, user_mode.attempts) == ("failed", 1)
    assert user_mode.error and "% Invalid input" in user_mode.error
    for name, text in previous.items():
        assert (repo / name).read_text() == text
    assert not (repo / "wrong-enable.cfg").exists()
    assert not (repo / "no-enable.cfg").exists()
    assert git(repo, "log", "-1", "--format=%B").strip().splitlines()[2:] == [
        "sw-ok", "sw-enable"
    ]
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
    assert git(repo, "status", "--porcelain") == ""
    assert run.counts() == {"ok": 2, "unchanged": 0, "failed": 1, "unreachable": 1,
                            "auth-failed": 2}
    assert [d.name for d in run.failed] == ["sw-auth", "sw-timeout", "wrong-enable", "no-enable"]
