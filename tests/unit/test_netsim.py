"""The network device simulator (bilgiislem/netsim), driven by the real Netmiko over SSH.

Netmiko's Huawei driver checks for configuration mode by waiting two seconds for the channel
to go quiet, so each of its ``config_mode``/``exit_config_mode``/``disconnect`` calls costs
seconds whatever the device does; the Huawei tests use Netmiko's own ``send_config_set`` once
and otherwise enter ``system-view`` themselves.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import paramiko
import pytest
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)
from ntc_templates.parse import parse_output

from bilgiislem.netsim import DeviceSpec, Faults, Simulator, load_devices
from bilgiislem.netsim.cli import CliSession
from bilgiislem.netsim.state import DeviceState

# Netmiko's use_textfsm finds ntc-templates through a deprecated importlib.resources call
pytestmark = pytest.mark.filterwarnings("ignore:path is deprecated:DeprecationWarning")

REPO = Path(__file__).resolve().parents[2]
IOS_PORTS = ["GigabitEthernet1/0/1-4"]
VRP_PORTS = ["GigabitEthernet0/0/1-4"]


def connect(sim: Simulator, name: str, **kwargs: Any) -> BaseConnection:
    return ConnectHandler(
        **sim.netmiko_args(name), conn_timeout=5, banner_timeout=5, auth_timeout=5, **kwargs
    )


def textfsm(conn: BaseConnection, command: str) -> list[dict[str, Any]]:
    """The output of ``command`` parsed by Netmiko with the ntc-templates TextFSM parsers."""
    return conn.send_command(command, use_textfsm=True, raise_parsing_error=True)


def vrp_parsed(conn: BaseConnection, command: str) -> list[dict[str, Any]]:
    """The same for Huawei: Netmiko's ``huawei`` is ``huawei_vrp`` for ntc-templates."""
    return parse_output("huawei_vrp", command, conn.send_command(command))


def system_view(conn: BaseConnection, commands: list[str], **kwargs: Any) -> str:
    """Push to a Huawei device without Netmiko's (slow) configuration-mode checks."""
    conn.send_command("system-view", expect_string=r"\]")
    try:
        return conn.send_config_set(
            commands, enter_config_mode=False, exit_config_mode=False, **kwargs
        )
    finally:
        conn.send_command("return", expect_string=r">")


def exec_command(sim: Simulator, name: str, command: str) -> str:
    """Run one command through an SSH ``exec`` request (``ssh host command``)."""
    host, port = sim.addresses[name]
    spec = sim.devices[name].spec
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, port, spec.username, spec.password, look_for_keys=False, allow_agent=False)
    try:
        _, stdout, _ = client.exec_command(command, timeout=5)
        output = stdout.read().decode()
        assert stdout.channel.recv_exit_status() == 0
        return output.replace("\r\n", "\n")
    finally:
        client.close()


# --- Cisco IOS -------------------------------------------------------------------------------

IOS_PUSH = [
    "vlan 10",
    "name OFIS",
    "vlan 20",
    "name SUNUCU",
    "interface GigabitEthernet1/0/1",
    "description Muhasebe Şube PC",
    "switchport mode access",
    "switchport access vlan 10",
    "interface GigabitEthernet1/0/2",
    "description Uplink",
    "switchport mode trunk",
    "switchport trunk allowed vlan 10,20",
]


def test_ios_push_save_show_and_restart(tmp_path):
    spec = DeviceSpec("sw1", "cisco_ios", enable_secret="gizli", ports=IOS_PORTS)
    with Simulator([spec], tmp_path) as sim, connect(sim, "sw1") as conn:
        assert conn.find_prompt() == "sw1>"
        conn.enable()
        assert conn.find_prompt() == "sw1#"
        conn.send_config_set(IOS_PUSH)
        conn.send_config_set(IOS_PUSH[:6])  # lines already there change nothing
        assert "[OK]" in conn.save_config()

        running = conn.send_command("show running-config")
        assert running.startswith("Building configuration...")
        assert running.rstrip().endswith("end")
        assert "\nhostname sw1\n" in running
        assert "\nvlan 10\n name OFIS\n!\nvlan 20\n name SUNUCU\n!\n" in running
        assert (
            "\ninterface GigabitEthernet1/0/1\n description Muhasebe Şube PC\n"
            " switchport access vlan 10\n switchport mode access\n!\n"
        ) in running
        assert (
            "\ninterface GigabitEthernet1/0/2\n description Uplink\n"
            " switchport trunk allowed vlan 10,20\n switchport mode trunk\n!\n"
        ) in running
        assert running.count("Muhasebe") == 1
        size = int(re.search(r"Current configuration : (\d+) bytes", running)[1])
        assert size == len(running.split(" bytes\n", 1)[1])

        vlans = {v["vlan_id"]: v for v in textfsm(conn, "show vlan brief")}
        assert vlans["10"]["vlan_name"] == "OFIS"
        assert vlans["10"]["interfaces"] == ["Gi1/0/1"]
        assert vlans["20"]["vlan_name"] == "SUNUCU"
        assert vlans["20"]["interfaces"] == []
        assert vlans["1"]["interfaces"] == ["Gi1/0/3", "Gi1/0/4"]  # the trunk is in none
        status = {p["port"]: p for p in textfsm(conn, "show interfaces status")}
        assert status["Gi1/0/1"]["name"] == "Muhasebe Şube PC"
        assert status["Gi1/0/1"]["vlan_id"] == "10"
        assert (status["Gi1/0/2"]["status"], status["Gi1/0/2"]["vlan_id"]) == ("connected", "trunk")

        # not saved: gone after the restart
        conn.send_config_set(["no vlan 20", "interface Gi1/0/1", "no description", "shutdown"])
        running = conn.send_command("show running-config")
        assert "vlan 20" not in running
        assert "Muhasebe" not in running
        assert "interface GigabitEthernet1/0/1\n switchport access vlan 10\n" in running
        status = {p["port"]: p for p in textfsm(conn, "show interfaces status")}
        assert status["Gi1/0/1"]["status"] == "disabled"
        assert "vlan 20\n name SUNUCU" in conn.send_command("show startup-config")

    with Simulator([spec], tmp_path) as sim, connect(sim, "sw1") as conn:
        conn.enable()
        running = conn.send_command("show running-config")
        assert "\nvlan 20\n name SUNUCU\n" in running
        assert " description Muhasebe Şube PC\n" in running
        assert "shutdown" not in running


def test_ios_cli_behaves_like_ios(tmp_path):
    spec = DeviceSpec("sw1", "cisco_ios", ports=IOS_PORTS)
    with Simulator([spec], tmp_path) as sim, connect(sim, "sw1") as conn:
        assert conn.find_prompt() == "sw1#"  # no enable secret: privileged at login
        out = conn.send_command("show vlan brif")
        caret, message = out.splitlines()[:2]
        assert message == "% Invalid input detected at '^' marker."
        assert caret.index("^") == len("sw1#show vlan ")
        assert conn.send_command("show").strip() == "% Incomplete command."

        # abbreviations, a command of another mode (vlan under interface), a new hostname
        abbreviated = ["int gi1/0/3", "sw mo tr", "sw tr al vl 30,10-12", "sw tr al vl add 13"]
        out = conn.send_config_set([*abbreviated, "vlan 30", "hostname kat1-sw"])
        assert "kat1-sw(config)#" in out
        assert "kat1-sw(config-vlan)#" not in out.split("hostname")[1]
        assert conn.set_base_prompt() == "kat1-sw"  # Netmiko follows prompts by name
        section = conn.send_command("show running-config interface GigabitEthernet1/0/3")
        assert (
            "interface GigabitEthernet1/0/3\n switchport trunk allowed vlan 10-13,30\n"
            " switchport mode trunk\nend"
        ) in section
        out = conn.send_config_set(["interface Gi1/0/4", "switchport access vlan 40"])
        assert "% Access VLAN does not exist. Creating vlan 40" in out
        assert conn.send_command("show running-config | include ^vlan 40$").strip() == "vlan 40"
        out = conn.send_config_set(["no interface GigabitEthernet1/0/4", "interface Gi9/0/9"])
        assert "% Removal of physical interfaces is not permitted" in out
        assert "% Invalid input detected" in out  # no such port
        assert conn.send_command("write memory").endswith("[OK]")
        out = conn.send_command(
            "copy running-config startup-config", expect_string=r"\[startup-config\]\?"
        )
        assert "Destination filename" in out
        assert "[OK]" in conn.send_command("\n", expect_string="#")


# --- Huawei VRP ------------------------------------------------------------------------------

VRP_PUSH = [
    "vlan batch 10 20",
    "vlan 10",
    "description ofis",
    "interface GigabitEthernet0/0/1",
    "description Muhasebe PC",
    "port link-type access",
    "port default vlan 10",
    "interface GigabitEthernet0/0/2",
    "port link-type trunk",
    "port trunk allow-pass vlan 10 20",
]


def test_vrp_push_save_display_and_restart(tmp_path):
    spec = DeviceSpec("hw1", "huawei", ports=VRP_PORTS)
    with Simulator([spec], tmp_path) as sim, connect(sim, "hw1") as conn:
        assert conn.find_prompt() == "<hw1>"
        conn.send_config_set(VRP_PUSH)  # Netmiko's system-view ... return
        assert "Save the configuration successfully" in conn.save_config()

        current = conn.send_command("display current-configuration")
        assert current.startswith("!Software Version")
        assert current.rstrip().endswith("#\nreturn")
        assert "\n#\nsysname hw1\n#\n" in current
        assert "\n#\nvlan batch 10 20\n#\n" in current
        assert "\n#\nvlan 10\n description ofis\n#\n" in current
        assert (
            "\ninterface GigabitEthernet0/0/1\n description Muhasebe PC\n"
            " port link-type access\n port default vlan 10\n#\n"
        ) in current
        assert (
            "\ninterface GigabitEthernet0/0/2\n port link-type trunk\n"
            " port trunk allow-pass vlan 10 20\n#\n"
        ) in current

        vlans = {v["vlan_id"]: v for v in vrp_parsed(conn, "display vlan")}
        assert vlans["10"]["vlan_description"] == "ofis"
        assert (vlans["10"]["mode"], vlans["10"]["interface"]) == ("UT", ["GE0/0/1"])
        assert (vlans["20"]["mode"], vlans["20"]["interface"]) == ("TG", ["GE0/0/2"])
        ports = {p["interface"]: p for p in vrp_parsed(conn, "display interface brief")}
        assert ports["GigabitEthernet0/0/1"]["phy"] == "up"

        # not saved: gone after the restart
        system_view(conn, ["undo vlan batch 20", "int g0/0/1", "undo description", "shutdown"])
        current = conn.send_command("display current-configuration")
        assert "\nvlan batch 10\n" in current
        assert "Muhasebe PC" not in current
        assert "interface GigabitEthernet0/0/1\n port link-type access\n port default vlan 10\n" \
            " shutdown\n#" in current  # fmt: skip
        ports = {p["interface"]: p for p in vrp_parsed(conn, "display interface brief")}
        assert ports["GigabitEthernet0/0/1"]["phy"] == "*down"
        assert "vlan batch 10 20" in conn.send_command("display saved-configuration")

        out = conn.send_command("display vlna")
        caret, message = out.splitlines()[:2]
        assert message == "Error: Unrecognized command found at '^' position."
        assert caret.index("^") == len("<hw1>display ")

    with Simulator([spec], tmp_path) as sim:
        current = exec_command(sim, "hw1", "display current-configuration")
        assert "\nvlan batch 10 20\n" in current
        assert " description Muhasebe PC\n" in current
        assert "shutdown" not in current


# --- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei"])
def test_auth_fail(tmp_path, vendor):
    spec = DeviceSpec("d1", vendor, faults=Faults(auth_fail=True))
    with Simulator([spec], tmp_path) as sim, pytest.raises(NetmikoAuthenticationException):
        connect(sim, "d1")


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei"])
def test_wrong_password_is_refused(tmp_path, vendor):
    with Simulator([DeviceSpec("d1", vendor)], tmp_path) as sim:
        args = {**sim.netmiko_args("d1"), "password": "yanlis"}
        with pytest.raises(NetmikoAuthenticationException):
            ConnectHandler(**args, conn_timeout=5, auth_timeout=5)


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei"])
def test_timeout_no_ssh_banner(tmp_path, vendor):
    spec = DeviceSpec("d1", vendor, faults=Faults(timeout=True))
    with Simulator([spec], tmp_path) as sim:
        start = time.monotonic()
        with pytest.raises(NetmikoTimeoutException):
            ConnectHandler(**sim.netmiko_args("d1"), conn_timeout=1, banner_timeout=1)
        assert time.monotonic() - start < 5


def test_slow_device(tmp_path):
    spec = DeviceSpec("d1", "cisco_ios", faults=Faults(slow=0.1))
    with Simulator([spec], tmp_path) as sim, connect(sim, "d1") as conn:
        start = time.monotonic()
        assert "UTC" in conn.send_command("show clock")
        assert time.monotonic() - start >= 0.1


def test_drop_mid_push_keeps_the_lines_applied(tmp_path):
    spec = DeviceSpec("d1", "cisco_ios", faults=Faults(drop_after_config_lines=3))
    with Simulator([spec], tmp_path) as sim:
        with connect(sim, "d1") as conn, pytest.raises(ReadTimeout):
            conn.send_config_set(["vlan 30", "name A", "vlan 31", "name B"], read_timeout=1)
        with connect(sim, "d1") as conn:  # a new session: its own count
            assert conn.send_command("show running-config | section ^vlan 3") == (
                "vlan 30\n name A\nvlan 31"
            )


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei"])
def test_reject_gives_the_vendor_error(tmp_path, vendor):
    spec = DeviceSpec("d1", vendor, faults=Faults(reject=[r"^vlan 99$"]))
    push = ["vlan 98", "vlan 99", "vlan 100"]
    with Simulator([spec], tmp_path) as sim, connect(sim, "d1") as conn:
        if vendor == "cisco_ios":
            with pytest.raises(ConfigInvalidException, match="vlan 99, matched error: % Invalid"):
                conn.send_config_set(push, error_pattern=r"^% Invalid input detected.*")
            conn.exit_config_mode()
            vlans = conn.send_command("show running-config | include ^vlan [0-9]")
            assert vlans.splitlines() == ["vlan 98"]
        else:
            with pytest.raises(ConfigInvalidException, match="matched error: Error: Unrecognized"):
                system_view(conn, push, error_pattern=r"^Error: .*")
            batch = conn.send_command("display current-configuration | include ^vlan batch")
            assert batch.strip() == "vlan batch 98"


# --- the CLI engine without SSH -------------------------------------------------------------


def cli(tmp_path: Path, vendor: str, ports: list[str]) -> tuple[CliSession, Callable[[str], str]]:
    state = DeviceState(DeviceSpec("d1", vendor, ports=ports), tmp_path)
    state.boot()
    session = state.session()

    def typed(line: str) -> str:
        return session.handle(line).output

    return session, typed


def test_ios_engine_modes_negation_and_errors(tmp_path):
    session, typed = cli(tmp_path, "cisco_ios", IOS_PORTS)
    assert typed("s") == "% Incomplete command.\n\n"
    assert typed("c t") == '% Ambiguous command:  "c t"\n'  # configure, copy
    assert typed("conf t").startswith("Enter configuration commands")
    assert session.prompt() == "d1(config)#"
    assert typed("i") == '% Ambiguous command:  "i"\n'
    typed("int vlan 20")
    assert session.prompt() == "d1(config-if)#"
    typed("ip address 10.0.0.1 255.255.255.0")
    typed("no ip address")  # IOS keeps this negation as a line
    typed("ip address 10.0.0.2 255.255.255.0")  # ... until the command comes back
    typed("router ospf 1")  # a global command leaves the interface
    typed("network 10.0.0.0 0.0.0.255 area 0")
    assert session.prompt() == "d1(config-router)#"
    assert typed("exit") == ""
    assert session.prompt() == "d1(config)#"
    caret, message, _ = typed("vlan 4095").splitlines()
    assert message == "% Invalid input detected at '^' marker."
    assert caret.index("^") == len("d1(config)#vlan ")
    session.ctrl_z()
    assert session.prompt() == "d1#"
    running = typed("show running-config")
    assert "interface Vlan20\n ip address 10.0.0.2 255.255.255.0\n!" in running
    assert "router ospf 1\n network 10.0.0.0 0.0.0.255 area 0\n!" in running


def test_vrp_engine_views_negation_and_errors(tmp_path):
    session, typed = cli(tmp_path, "huawei", VRP_PORTS)
    assert typed("sys").startswith("Enter system view")
    typed("user-interface vty 0 4")
    assert session.prompt() == "[d1-ui-vty0-4]"
    typed("ospf 1")
    typed("area 0")
    assert session.prompt() == "[d1-ospf-1-area-0.0.0.0]"
    typed("interface GigabitEthernet0/0/3")
    assert typed("port default vlan 30") == "Error: The VLAN does not exist.\n"
    caret, message = typed("port default vlan 5000").splitlines()
    assert message == "Error: Wrong parameter found at '^' position."
    assert caret.index("^") == len("[d1-GigabitEthernet0/0/3]port default vlan ")
    typed("port link-type trunk")
    typed("port trunk allow-pass vlan 10 to 13")
    typed("undo port trunk allow-pass vlan 11 12")
    caret, message = typed("undo interface GigabitEthernet0/0/3").splitlines()
    assert message == "Error: Wrong parameter found at '^' position."
    typed("return")
    assert session.prompt() == "<d1>"
    current = typed("display current-configuration interface GigabitEthernet0/0/3")
    assert current == (
        "#\ninterface GigabitEthernet0/0/3\n port link-type trunk\n"
        " port trunk allow-pass vlan 10 13\n#\nreturn\n"
    )
    assert "ospf 1\n area 0.0.0.0\n#" in typed("display current-configuration")


def test_ios_secrets_banners_snmp_users_and_defaults(tmp_path):
    session, typed = cli(tmp_path, "cisco_ios", IOS_PORTS)
    typed("conf t")
    typed("username ops priv 15 secret 0 Cok-Gizli-1")
    typed("username ops secret Yeni-Gizli-1")  # the settings of one user merge into one line
    typed("enable secret En-Gizli-1")
    typed("service pad")  # a default: it only takes away `no service pad`
    typed("logging trap warnings")
    typed("logging trap informational")  # the default again: no line
    assert typed("banner motd #Tek satir#") == ""
    out = typed("banner login ^C")  # ^C as show running-config prints it: one delimiter
    assert out == "Enter TEXT message.  End with the character '^'.\n"
    assert session.prompt() == ""  # no prompt while the text is typed
    for line in ["Birinci satir", "!  ^ tek basina", "son satir^C yok sayilir"]:
        typed(line)
    assert session.prompt() == "d1(config)#"
    typed("snmp-server user izleme grup v3 auth sha Auth-Gizli-1 priv aes 128 Priv-Gizli-1")
    typed("interface Gi1/0/2")
    assert typed("channel-group 1 mode active") == (
        "Creating a port-channel interface Port-channel 1\n"
    )
    session.ctrl_z()
    running = typed("show running-config")
    assert re.search(r"\nusername ops privilege 15 secret 9 \$9\$[./\w]{14}\$[./\w]{43}\n", running)
    assert "\nenable secret 9 $9$" in running
    assert "\nbanner motd #Tek satir#\n" in running
    assert "\nbanner login ^C\nBirinci satir\n!  ^ tek basina\nson satir^C\n" in running
    assert "\ninterface Port-channel1\n" in running
    assert "service pad" not in running
    assert "logging trap" not in running
    for hidden in ("Gizli", "snmp-server user"):
        assert hidden not in running
    assert "User name: izleme\n" in typed("show snmp user")
    assert session.state.authenticate("ops", "Yeni-Gizli-1")
    assert not session.state.authenticate("ops", "Cok-Gizli-1")
    assert session.state.login("ops").privileged

    typed("write memory")  # saved with what is not shown; loaded back at the next start
    assert "snmp-server user" not in typed("show startup-config")
    state = DeviceState(session.state.spec, tmp_path)
    state.boot()
    again = state.session()
    assert again.handle("show running-config").output.split("\n!\nend")[0] == (
        running.split("\n!\nend")[0]
    )
    assert "User name: izleme" in again.handle("show snmp user").output
    again.handle("conf t")
    again.handle("no banner login ^C")
    assert "banner login" not in again.handle("do show running-config").output


def test_vrp_secrets_header_and_accounts(tmp_path):
    session, typed = cli(tmp_path, "huawei", VRP_PORTS)
    typed("system-view")
    out = typed('header login information "Birinci satir')
    assert out == "Info: Input banner content, and quit with the character '\"'.\n"
    typed('ikinci satir" yok sayilir')
    typed('header shell information "Tek satir"')
    typed("undo info-center enable")
    typed("info-center enable")  # the default: no line
    typed("aaa")
    typed("local-user ops password irreversible-cipher Cok-Gizli-1")
    typed("local-user ops service-type ssh")
    typed("local-user eski password cipher Eski-Gizli-1")  # no service-type ssh: no SSH
    typed("quit")
    typed("snmp-agent usm-user v3 izleme authentication-mode sha Auth-Gizli-1")
    typed("snmp-agent usm-user v3 izleme privacy-mode aes128 cipher Priv-Gizli-1")
    typed("return")
    current = typed("display current-configuration")
    assert '\n#\nheader login information "Birinci satir\nikinci satir"\n' in current
    assert '\nheader shell information "Tek satir"\n' in current
    assert re.search(r"\n local-user ops password irreversible-cipher \$1c\$\S+\$\n", current)
    assert "\n local-user eski password cipher %^%#" in current
    assert "\nsnmp-agent usm-user v3 izleme authentication-mode sha cipher %^%#" in current
    assert "\nsnmp-agent usm-user v3 izleme privacy-mode aes128 cipher %^%#" in current
    assert "Gizli" not in current
    assert "info-center" not in current
    assert session.state.authenticate("ops", "Cok-Gizli-1")
    assert not session.state.authenticate("ops", "Eski-Gizli-1")
    assert not session.state.authenticate("eski", "Eski-Gizli-1")


def test_logins_use_the_configured_accounts(tmp_path):
    with Simulator([DeviceSpec("sw1", "cisco_ios", ports=IOS_PORTS)], tmp_path) as sim:
        args = {**sim.netmiko_args("sw1"), "conn_timeout": 5, "auth_timeout": 5}
        with ConnectHandler(**args) as conn:
            conn.send_config_set(["username admin privilege 15 secret 0 Yeni-1",
                                  "username okur secret 0 Okur-1",
                                  "enable secret 0 En-1"])  # fmt: skip
        with pytest.raises(NetmikoAuthenticationException):
            ConnectHandler(**args)  # the old password
        with ConnectHandler(**{**args, "password": "Yeni-1"}) as conn:
            assert conn.find_prompt() == "sw1#"
        with ConnectHandler(**{**args, "username": "okur", "password": "Okur-1",
                                "secret": "En-1"}) as conn:  # fmt: skip
            assert conn.find_prompt() == "sw1>"  # privilege 1: user mode
            conn.enable()
            assert conn.find_prompt() == "sw1#"


def test_device_definitions(tmp_path):
    devices = tmp_path / "devices.yml"
    devices.write_text(
        "devices:\n"
        "  - {name: sw1, vendor: cisco_ios, ports: [GigabitEthernet1/0/1-3, Port-channel1]}\n"
        "  - name: hw1\n    vendor: huawei\n    faults: {reject: ['^stp'], slow: 0.5}\n"
    )
    sw1, hw1 = load_devices(devices)
    assert DeviceSpec.from_dict(hw1.to_dict()) == hw1
    assert hw1.faults == Faults(reject=["^stp"], slow=0.5)
    state = DeviceState(sw1, tmp_path)
    assert state.ports[-2:] == ["GigabitEthernet1/0/3", "Port-channel1"]
    with pytest.raises(ValueError, match="unknown keys"):
        DeviceSpec.from_dict({"name": "x", "vendor": "huawei", "colour": "red"})
    with pytest.raises(ValueError, match="vendor must be one of"):
        DeviceSpec("x", "junos")
    with pytest.raises(ValueError, match="unknown faults"):
        DeviceSpec.from_dict({"name": "x", "vendor": "huawei", "faults": {"flaky": True}})


# --- scale, concurrency, other ways in -------------------------------------------------------


def test_one_process_serves_many_devices_concurrently(tmp_path):
    specs = [
        DeviceSpec(f"sw{i:03d}", "huawei", ports=VRP_PORTS)
        if i % 5 == 0
        else DeviceSpec(f"sw{i:03d}", "cisco_ios", ports=IOS_PORTS)
        for i in range(200)
    ]

    def show_version(name: str) -> str:
        with connect(sim, name) as conn:
            vendor = sim.devices[name].spec.vendor
            return conn.send_command("show version" if vendor == "cisco_ios" else "display version")

    with Simulator(specs, tmp_path) as sim:
        names = [s.name for s in specs[:50]]
        with ThreadPoolExecutor(max_workers=50) as pool:
            outputs = dict(zip(names, pool.map(show_version, names), strict=True))
        for name, out in outputs.items():
            if sim.devices[name].spec.vendor == "cisco_ios":
                assert f"{name} uptime is" in out
                assert "Model number                    : WS-C2960X-24TS-L" in out
            else:
                assert "HUAWEI S5720-28X-LI-AC Routing Switch uptime is" in out


def test_sessions_of_one_device_share_its_configuration(tmp_path):
    with Simulator([DeviceSpec("sw1", "cisco_ios", ports=IOS_PORTS)], tmp_path) as sim:

        def push(vlan: int) -> None:
            with connect(sim, "sw1") as conn:
                conn.send_config_set([f"vlan {vlan}", f"name V{vlan}"])

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(push, [101, 102, 103, 104]))
        with connect(sim, "sw1") as conn:
            vlans = conn.send_command("show vlan brief", use_textfsm=True)
        assert {v["vlan_name"] for v in vlans} >= {"V101", "V102", "V103", "V104"}


def test_exec_request_and_host_key(tmp_path):
    with Simulator([DeviceSpec("sw1", "cisco_ios", ports=IOS_PORTS)], tmp_path) as sim:
        assert "VLAN Name" in exec_command(sim, "sw1", "show vlan brief")
        host, port = sim.addresses["sw1"]
        transport = paramiko.Transport((host, port))
        try:
            transport.start_client(timeout=5)
            server_key = transport.get_remote_server_key()
        finally:
            transport.close()
    key_file = tmp_path / "sw1" / "ssh_host_ed25519_key"
    assert server_key.get_base64() == paramiko.Ed25519Key(filename=str(key_file)).get_base64()


def test_command_line_entry_point(tmp_path):
    devices = tmp_path / "devices.json"
    specs = [
        {"name": "sw1", "vendor": "cisco_ios", "ports": IOS_PORTS, "hostname": "kat2-sw"},
        {"name": "hw1", "vendor": "huawei", "ports": VRP_PORTS, "faults": {"slow": 0.1}},
    ]
    devices.write_text(json.dumps(specs))
    assert [s.name for s in load_devices(devices)] == ["sw1", "hw1"]
    cmd = [sys.executable, "-m", "bilgiislem.netsim", "--devices", str(devices)]
    proc = subprocess.Popen(
        [*cmd, "--state-dir", str(tmp_path / "state")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = [json.loads(proc.stdout.readline()) for _ in specs]
        assert [r["ready"] for r in ready] == ["sw1", "hw1"]
        sw1 = ready[0]
        with ConnectHandler(
            device_type="cisco_ios", host=sw1["host"], port=sw1["port"], username="admin",
            password="admin", conn_timeout=5,
        ) as conn:  # fmt: skip
            assert conn.find_prompt() == "kat2-sw#"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert (tmp_path / "state" / "hw1" / "startup-config").read_text().startswith("!Software")
