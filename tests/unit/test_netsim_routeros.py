"""The simulator's MikroTik RouterOS 7 personality, driven by the real Netmiko
(``mikrotik_routeros``) over SSH, and its script engine without SSH."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
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

from bilgiislem.netsim import DeviceSpec, Faults, Simulator
from bilgiislem.netsim.routeros import public_key
from bilgiislem.netsim.state import DeviceState

PROMPT = r"\] [^\r\n]*> ?$"  # any menu: "[admin@r1] > ", "[admin@r1] /ip/route> "
ERRORS = r"^(?:bad command|syntax error|expected|invalid value|input does not|no such|failure).*"
KEY = base64.b64encode(b"bilgiislem-netsim-routeros-key-0").decode()
PEER = base64.b64encode(b"bilgiislem-netsim-routeros-peer0").decode()
PUSH = [
    f'/interface wireguard add name=wg1 listen-port=51820 private-key="{KEY}" comment=vpn',
    f'/interface wireguard peers add interface=wg1 public-key="{PEER}" '
    "endpoint-address=198.51.100.10 endpoint-port=51820 "
    "allowed-address=10.10.0.0/16,10.255.0.0/24 persistent-keepalive=25",
    "/ip address add address=10.255.0.4/24 interface=wg1",
    "/ip route add dst-address=10.10.0.0/16 gateway=wg1 comment=vpn",
    "/ip firewall address-list add list=merkez address=10.255.0.2/32",
    '/ip firewall filter add chain=forward action=drop in-interface=wg1 comment="vpn: drop"',
    '/ip firewall filter add chain=forward action=accept in-interface=wg1 '
    'src-address-list=merkez comment="vpn: izin" place-before=[find comment="vpn: drop"]',
]


def router(name: str = "r1", **kw: Any) -> DeviceSpec:
    return DeviceSpec(name, "mikrotik_routeros", **kw)


def connect(sim: Simulator, name: str = "r1", **kw: Any) -> BaseConnection:
    args = {**sim.netmiko_args(name), **kw}
    return ConnectHandler(**args, conn_timeout=5, banner_timeout=5, auth_timeout=5)


def send(conn: BaseConnection, command: str) -> str:
    """One command, whatever menu the prompt shows."""
    return conn.send_command(command, expect_string=PROMPT)


# --- over SSH, with Netmiko ---------------------------------------------------------------------


def test_login_prompt_identity_and_menus(tmp_path: Path) -> None:
    with Simulator([router()], tmp_path) as sim, connect(sim) as conn:
        # Netmiko logs in as "admin+ct511w4098h"; the prompt shows the account alone
        assert conn.username.startswith("admin+")
        assert conn.base_prompt == "[admin@r1]"
        assert send(conn, "/system identity print") == "name: r1"
        send(conn, "/system identity set name=Sube-1")
        assert conn.find_prompt() == "[admin@Sube-1] >"
        send(conn, "/ip route")
        assert conn.find_prompt() == "[admin@Sube-1] /ip/route>"
        send(conn, "..")
        assert conn.find_prompt() == "[admin@Sube-1] /ip>"
        send(conn, "/interface/wireguard")
        assert conn.find_prompt() == "[admin@Sube-1] /interface/wireguard>"
        send(conn, "/")
        assert conn.find_prompt() == "[admin@Sube-1] >"


def test_push_export_print_and_restart(tmp_path: Path) -> None:
    with Simulator([router()], tmp_path) as sim, connect(sim) as conn:
        out = conn.send_config_set(PUSH, error_pattern=ERRORS, terminator=PROMPT)
        assert "failure" not in out
        export = send(conn, "/export")
        terse = send(conn, "/export terse show-sensitive")
        filters = send(conn, "/ip firewall filter print")
        key = send(conn, ":put [/interface wireguard get [find name=wg1] public-key]")
        assert send(conn, "/export hide-sensitive") .split("\n")[1:] == export.split("\n")[1:]
        wireguard = send(conn, "/interface wireguard export")
    lines = export.splitlines()
    assert lines[0].startswith("# ") and lines[0].endswith(" by RouterOS 7.14.3")
    assert lines[1:5] == ["# software id = " + lines[1].split(" = ")[1], "#",
                          "# model = RB5009UG+S+", f"# serial number = {sim.devices['r1'].serial}"]
    # menus in RouterOS's order, properties sorted, defaults out, long lines folded at 80
    assert lines[5:] == [
        "/interface wireguard",
        "add comment=vpn listen-port=51820 name=wg1",  # private key: RouterOS 7 hides it
        "/interface wireguard peers",
        "add allowed-address=10.10.0.0/16,10.255.0.0/24 endpoint-address=198.51.100.10 \\",
        '    endpoint-port=51820 interface=wg1 persistent-keepalive=25s public-key=\\',
        f'    "{PEER}"',
        "/ip address",
        "add address=10.255.0.4/24 interface=wg1 network=10.255.0.0",
        "/ip firewall address-list",
        "add address=10.255.0.2 list=merkez",  # a /32 is kept as the address
        "/ip firewall filter",
        'add action=accept chain=forward comment="vpn: izin" in-interface=wg1 \\',
        "    src-address-list=merkez",
        'add action=drop chain=forward comment="vpn: drop" in-interface=wg1',
        "/ip route",
        "add comment=vpn dst-address=10.10.0.0/16 gateway=wg1",
        "/system identity",
        "set name=r1",
    ]
    assert f'/interface wireguard add comment=vpn listen-port=51820 name=wg1 private-key="{KEY}"' \
        in terse.splitlines()
    assert key == public_key(KEY)
    assert filters.splitlines() == [
        "Flags: X - disabled",
        " 0    ;;; vpn: izin",
        "      chain=forward action=accept src-address-list=merkez in-interface=wg1 log=no",
        " 1    ;;; vpn: drop",
        "      chain=forward action=drop in-interface=wg1 log=no"]
    assert wireguard.splitlines()[5:] == lines[5:11]  # the menu and those under it
    # every change was saved: a restart brings back the same configuration and key
    with Simulator([router()], tmp_path) as sim, connect(sim) as conn:
        assert send(conn, "/export terse show-sensitive").splitlines()[1:] == \
            terse.splitlines()[1:]


def test_errors_are_routeros_errors_and_stop_a_push(tmp_path: Path) -> None:
    with Simulator([router()], tmp_path) as sim, connect(sim) as conn:
        errors = {command: send(conn, command) for command in [
            "/ip route foo",
            "/ip route add dst-address=10.0.0.0/8 gateway=1.2.3.4 colour=red",
            "/ip route add dst-address=10.0.0.0/33 gateway=1.2.3.4",
            "/ip address add address=10.0.0.1/24 interface=ether99",
            "/interface wireguard peers add interface=ether1 public-key=x",
            "/ip route set 7 distance=2",
            ':if ([:len [/ip route find]] = 0 do={ :put x }',
            ":local x 1",
        ]}
        assert errors == {
            "/ip route foo": "bad command name foo (line 1 column 11)",
            "/ip route add dst-address=10.0.0.0/8 gateway=1.2.3.4 colour=red":
                "expected end of command (unknown argument colour)",
            "/ip route add dst-address=10.0.0.0/33 gateway=1.2.3.4":
                "invalid value for argument dst-address",
            "/ip address add address=10.0.0.1/24 interface=ether99":
                "input does not match any value of interface",
            "/interface wireguard peers add interface=ether1 public-key=x":
                "input does not match any value of interface",
            "/ip route set 7 distance=2": "no such item",
            ':if ([:len [/ip route find]] = 0 do={ :put x }': "syntax error (line 1 column 47)",
            ":local x 1": "bad command name local (line 1 column 2)",
        }
        assert send(conn, "/ip route print") == "Flags: X - disabled"  # nothing was added
        push = ["/ip firewall address-list add list=a address=10.0.0.1",
                "/ip firewall address-list add list=a address=10.0.0.1/32",  # the same entry
                "/ip firewall address-list add list=a address=10.0.0.2"]
        with pytest.raises(ConfigInvalidException, match="failure: already have such entry"):
            conn.send_config_set(push, error_pattern=ERRORS, terminator=PROMPT)
        assert send(conn, ":put [:len [/ip firewall address-list find]]") == "1"


def test_accounts_are_the_users_of_the_router(tmp_path: Path) -> None:
    with Simulator([router(username="bilgiislem", password="eski")], tmp_path) as sim:
        with connect(sim) as conn:
            send(conn, "/user add name=yonetici group=full password=Yeni-1")
            send(conn, "/user set [find name=bilgiislem] password=yeni")
            assert "password" not in send(conn, "/user print")
            assert "/user" not in send(conn, "/export")
        for user, password, ok in [("bilgiislem", "eski", False), ("bilgiislem", "yeni", True),
                                   ("yonetici", "Yeni-1", True)]:
            if ok:
                with connect(sim, username=user, password=password) as conn:
                    assert conn.base_prompt == f"[{user}@r1]"
            else:
                with pytest.raises(NetmikoAuthenticationException):
                    connect(sim, username=user, password=password)


def test_ports_config_and_exec_requests(tmp_path: Path) -> None:
    spec = router(ports=["ether1-3", "sfp1"], config="/ip route add gateway=10.0.0.1\n")
    with Simulator([spec], tmp_path) as sim:
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        host, port = sim.addresses["r1"]
        client.connect(host, port, "admin", "admin", look_for_keys=False, allow_agent=False)
        try:
            _, stdout, _ = client.exec_command("/interface ethernet print", timeout=5)
            ports = stdout.read().decode()
            _, stdout, _ = client.exec_command("/ip route export terse", timeout=5)
            routes = stdout.read().decode()
        finally:
            client.close()
    assert [line.split("name=")[1].split()[0] for line in ports.splitlines()[1:]] == [
        "ether1", "ether2", "ether3", "sfp1"]
    assert routes.splitlines()[-1] == "/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1"
    with pytest.raises(ValueError, match="r2: line 3: not accepted by the device"):
        DeviceState(router("r2", config="/ip route add gateway=nowhere\n"), tmp_path).boot()


# --- faults -------------------------------------------------------------------------------------


def test_auth_fail_and_timeout(tmp_path: Path) -> None:
    specs = [router("r1", faults=Faults(auth_fail=True)), router("r2", faults=Faults(timeout=True))]
    with Simulator(specs, tmp_path) as sim:
        with pytest.raises(NetmikoAuthenticationException):
            connect(sim, "r1")
        start = time.monotonic()
        with pytest.raises(NetmikoTimeoutException):
            ConnectHandler(**sim.netmiko_args("r2"), conn_timeout=1, banner_timeout=1)
        assert time.monotonic() - start < 5


def test_drop_counts_lines_that_change_something(tmp_path: Path) -> None:
    spec = router(faults=Faults(drop_after_config_lines=2))
    push = ["/ip route add dst-address=10.1.0.0/16 gateway=10.0.0.1",
            "/ip route print",  # changes nothing: not counted
            "/ip route add dst-address=10.2.0.0/16 gateway=10.0.0.1",
            "/ip route add dst-address=10.3.0.0/16 gateway=10.0.0.1"]
    with Simulator([spec], tmp_path) as sim:
        with connect(sim) as conn, pytest.raises(ReadTimeout):
            conn.send_config_set(push, terminator=PROMPT, read_timeout=1)
        with connect(sim) as conn:
            assert send(conn, ":put [:len [/ip route find]]") == "2"


def test_reject_gives_a_syntax_error(tmp_path: Path) -> None:
    spec = router(faults=Faults(reject=[r"10\.2\.0\.0"]))
    push = ["/ip route add dst-address=10.1.0.0/16 gateway=10.0.0.1",
            "/ip route add dst-address=10.2.0.0/16 gateway=10.0.0.1",
            "/ip route add dst-address=10.3.0.0/16 gateway=10.0.0.1"]
    with Simulator([spec], tmp_path) as sim, connect(sim) as conn:
        with pytest.raises(ConfigInvalidException, match="syntax error"):
            conn.send_config_set(push, error_pattern=ERRORS, terminator=PROMPT)
        assert send(conn, ":put [:len [/ip route find]]") == "1"


# --- the script engine, without SSH ---------------------------------------------------------------


def engine(tmp_path: Path, config: str = "") -> Callable[[str], str]:
    state = DeviceState(router(config=config), tmp_path)
    state.boot()
    session = state.session(user="admin")

    def typed(line: str) -> str:
        return session.handle(line).output

    return typed


def test_if_find_where_and_values(tmp_path: Path) -> None:
    typed = engine(tmp_path)
    typed("/ip route add dst-address=10.1.0.0/16 gateway=10.0.0.1 comment=a")
    typed("/ip route add dst-address=10.2.0.5/16 gateway=10.0.0.2 distance=5")  # host bits go
    second = typed(":put [/ip route find distance=5]")
    assert second.startswith("*")
    assert typed(":put [/ip route find where dst-address=10.2.0.0/16]") == second
    assert typed(':put [:len [/ip route find where comment="a" or distance>4]]') == "2\n"
    assert typed(':put [:len [/ip route find where !(comment~"^a") and distance=5]]') == "1\n"
    assert typed(":put [:len [/ip route find comment=a gateway=10.0.0.1]]") == "1\n"
    assert typed(":put [:pick [/ip route find] 1]") == second
    assert typed(":put [:pick [/ip route find] 5]") == "\n"
    assert typed(':if ([:len [/ip route find where comment="b"]] = 0) do={ :put yok } '
                 'else={ :put var }') == "yok\n"
    assert typed(":if ([/ip route get [find comment=a] distance] = 1) do={ :put bir; :put iki }"
                 ) == "bir\niki\n"
    assert typed("/ip ro pr where distance=5").splitlines()[1:] == [
        " 0    dst-address=10.2.0.0/16 gateway=10.0.0.2 distance=5 routing-table=main"]
    typed("/ip route set 0 distance=6")  # the number of the last print
    assert typed(":put [/ip route get [find distance=6] gateway]") == "10.0.0.2\n"
    typed("/ip route remove [find]")
    assert typed(":put [:len [/ip/route/find]]") == "0\n"
    assert typed(":put $x") == "syntax error (line 1 column 6)\n"


def test_strings_are_quoted_and_escaped_the_routeros_way(tmp_path: Path) -> None:
    typed = engine(tmp_path)
    typed('/ip firewall address-list add list=l address=10.0.0.1 comment="Kütüphane \\"2\\" $"')
    typed('/ip firewall address-list add list=l address=10.0.0.2 comment="S\\C3\\BCre\\?"')
    lines = typed("/ip firewall address-list export terse").splitlines()[5:]
    assert lines == [
        '/ip firewall address-list add address=10.0.0.1 comment="K\\C3\\BCt\\C3\\BCphane '
        '\\"2\\" \\$" list=l',
        '/ip firewall address-list add address=10.0.0.2 comment="S\\C3\\BCre\\?" list=l']
    assert typed(":put [/ip firewall address-list get [find address=10.0.0.2] comment]") == \
        "Süre?\n"


def test_wireguard_keys_made_by_the_router(tmp_path: Path) -> None:
    typed = engine(tmp_path)
    typed("/interface wireguard add name=wg1")
    private = typed(":put [/interface wireguard get wg1 private-key]").strip()
    assert typed(":put [/interface wireguard get wg1 public-key]").strip() == public_key(private)
    assert typed(":put [/interface wireguard get wg1 listen-port]") == "13231\n"
    assert typed("/interface wireguard set wg1 public-key=x").startswith("expected end of command")
    typed(f'/interface wireguard peers add interface=wg1 public-key="{PEER}"')
    assert typed(f'/interface wireguard peers add interface=wg1 public-key="{PEER}"') == \
        "failure: peer with the same public key already exists\n"
