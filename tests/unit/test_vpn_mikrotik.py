"""The MikroTik (RouterOS 7) script of mikrotik-wireguard sites against golden files, run on the
simulated router, and pushed to it with vpn.push's own code.

The inventory is inventory/lab plus two MikroTik units: muze (a public address, a key pair the
router made itself, so vpn.yml holds its public key) and sera (behind NAT, its key in the
vault; two LANs). A change in a template shows as a golden diff. To accept it:
BILGIISLEM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_vpn_mikrotik.py
"""

from __future__ import annotations

import base64
import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bilgiislem import REPO_ROOT, secrets
from bilgiislem.inventory import Inventory, load
from bilgiislem.netsim import DeviceSpec, Faults, Simulator
from bilgiislem.netsim.routeros import public_key
from bilgiislem.netsim.state import DeviceState
from bilgiislem.vpn import mikrotik
from bilgiislem.vpn.plan import VpnPlan, build, spoke_vars

LAB = REPO_ROOT / "inventory" / "lab"
GOLDEN = REPO_ROOT / "tests" / "golden" / "vpn"
UPDATE = os.environ.get("BILGIISLEM_UPDATE_GOLDEN") == "1"
# Fixed stand-ins for the vault's keys (32 bytes each, base64), obviously not real ones.
HUB_PRIVATE = base64.b64encode(b"bilgiislem-test-hub-key-00000000").decode()
SERA_PRIVATE = base64.b64encode(b"bilgiislem-test-sera-key-0000000").decode()
MUZE_ROUTER_PRIVATE = base64.b64encode(b"bilgiislem-test-muze-router-key!").decode()
HUB_PUBLIC = public_key(HUB_PRIVATE)
PASSWORDS = {"muze": "Muze-Otomasyon-1", "sera": "Sera-Otomasyon-1"}
# What the administrator did on muze's router before vpn.yml got its public key.
MUZE_ROUTER = f'/interface wireguard add name=wg-merkez private-key="{MUZE_ROUTER_PRIVATE}"\n'
# an administrator's own rule, which must stay below the script's
ADMIN_RULE = '/ip firewall filter add chain=forward action=accept comment="yonetici kurali"\n'


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_inventory(tmp_path: Path, *, camera_lan: str = "10.60.30.0/24",
                   passwords: dict[str, str] = PASSWORDS) -> Path:
    """inventory/lab with the two MikroTik units, and a vault (its own password file)."""
    root = tmp_path / "inventory" / "lab"
    shutil.copytree(LAB, root, ignore=shutil.ignore_patterns("group_vars"))
    (tmp_path / ".lab").mkdir()  # ../../.lab/vault-password from the inventory
    (tmp_path / ".lab" / "vault-password").write_text("test-vault-password\n")
    _edit(root / "sites.yml", lambda d: d["sites"].extend([
        {"code": "muze", "name": "Kent Müzesi", "type": "remote"},
        {"code": "sera", "name": "Belediye Serası", "type": "remote"}]))

    def networks(d: dict[str, Any]) -> None:
        d["networks"] += [
            {"name": "muze-lan", "site": "muze", "purpose": "data", "vlan": 10,
             "cidr": "10.50.10.0/24", "gateway": "10.50.10.1"},
            {"name": "sera-lan", "site": "sera", "purpose": "data", "vlan": 10,
             "cidr": "10.60.10.0/24", "gateway": "10.60.10.1"},
            {"name": "sera-kamera", "site": "sera", "purpose": "camera", "vlan": 30,
             "cidr": camera_lan, "gateway": camera_lan.replace("0/24", "1")}]

    def vpn(d: dict[str, Any]) -> None:
        d["sites"] += [
            {"site": "muze", "type": "mikrotik-wireguard", "tunnel_ip": "10.255.0.4",
             "endpoint": "198.51.100.24", "management": "10.50.10.1", "wan_interface": "ether1",
             "public_key": public_key(MUZE_ROUTER_PRIVATE)},
            {"site": "sera", "type": "mikrotik-wireguard", "tunnel_ip": "10.255.0.5",
             "management": "10.60.10.1"}]
        d["site_links"].append(["muze", "kutuphane"])

    _edit(root / "networks.yml", networks)
    _edit(root / "vpn.yml", vpn)
    inv = load(root)
    secrets.write(inv, {
        secrets.VPN_WIREGUARD_KEYS: {
            "merkez": {"private": HUB_PRIVATE, "public": HUB_PUBLIC},
            "sera": {"private": SERA_PRIVATE, "public": public_key(SERA_PRIVATE)}},
        secrets.NETWORK_PASSWORDS: passwords})
    return root


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> VpnPlan:
    built = build(load(make_inventory(tmp_path_factory.mktemp("plan"))))
    assert built is not None
    return built


def script(plan: VpnPlan, code: str, *, mask: bool = False) -> str:
    site = plan.site(code)
    return mikrotik.render(plan, site, None if site.public_key else SERA_PRIVATE, HUB_PUBLIC,
                           mask=mask)


# --- the script ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["muze", "sera"])
def test_script_matches_golden(plan: VpnPlan, code: str) -> None:
    text = script(plan, code)
    path = GOLDEN / f"mikrotik-{code}.rsc"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; see the module doc"


def test_script_is_what_a_linux_spoke_gets(plan: VpnPlan) -> None:
    """Address, port, MTU, the hub as peer, routes and the forwarding zones are those that
    role vpn gives a Linux spoke (spoke_vars)."""
    site = plan.site("sera")
    spoke = spoke_vars(plan, site, {plan.hub_site: HUB_PUBLIC})
    (peer,) = spoke["vpn_wireguard_peers"]
    host, port = peer["endpoint"].rsplit(":", 1)
    text = script(plan, "sera")
    assert f"address={spoke['vpn_wireguard_address']} " in text
    assert f"listen-port={spoke['vpn_wireguard_listen_port']} mtu={spoke['vpn_wireguard_mtu']}" \
        in text
    assert (f'public-key="{peer["public_key"]}" endpoint-address={host} endpoint-port={port} '
            f'allowed-address={",".join(peer["allowed_ips"])} '
            f'persistent-keepalive={peer["keepalive"]}s') in text
    routes = [p for p in peer["allowed_ips"] if p != plan.tunnel_subnet]
    assert all(f"add dst-address={p} gateway=wg-merkez" in text for p in routes)
    merkez, others = spoke["vpn_firewall_zones"]
    allowed = [a.split()[0] for a in text.split("list=bilgiislem-vpn-izinli address=")[1:]
               if "comment" in a.split()[1]]
    assert _addresses(allowed) == _addresses(merkez["sources"])
    lans = [a.split()[0] for a in text.split("list=bilgiislem-vpn-lan address=")[1:]
            if "comment" in a.split()[1]]
    assert lans == [a["to"] for a in merkez["allow"]] == list(site.lans)
    assert others["allow"] == []  # the other units: the drop of a source not allowed


def _addresses(cidrs: list[str]) -> list[ipaddress.IPv4Network]:
    return list(ipaddress.collapse_addresses(ipaddress.IPv4Network(c) for c in cidrs))


def test_masked_script_hides_the_private_key_only(plan: VpnPlan) -> None:
    text, masked = script(plan, "sera"), script(plan, "sera", mask=True)
    assert SERA_PRIVATE in text and SERA_PRIVATE not in masked
    assert masked == text.replace(SERA_PRIVATE, mikrotik.MASK)
    # a key the router made: the script never sets one
    assert "private-key" not in script(plan, "muze")
    assert mikrotik.masked(f'x private-key="{SERA_PRIVATE}" y') == 'x private-key="<gizli>" y'


def test_address_lists_are_merged_and_keep_a_host_bare() -> None:
    assert mikrotik._entries(["10.9.0.1/32", "10.8.0.0/24", "10.8.0.7/32"]) == [
        "10.8.0.0/24", "10.9.0.1"]


def test_script_needs_the_keys_of_the_vault(plan: VpnPlan) -> None:
    with pytest.raises(mikrotik.MikrotikError, match=r"vault_vpn_wireguard_keys\.merkez"):
        mikrotik.site_script(plan, plan.site("sera"), {})
    vault = {"vault_vpn_wireguard_keys": {"merkez": {"public": HUB_PUBLIC}}}
    with pytest.raises(mikrotik.MikrotikError, match=r"vault_vpn_wireguard_keys\.sera"):
        mikrotik.site_script(plan, plan.site("sera"), vault)
    assert mikrotik.site_script(plan, plan.site("muze"), vault) == script(plan, "muze")
    with pytest.raises(mikrotik.MikrotikError, match="not a MikroTik"):
        mikrotik.render(plan, plan.site("kutuphane"), None, HUB_PUBLIC)


def _router(tmp_path: Path, name: str, config: str = "") -> DeviceState:
    state = DeviceState(DeviceSpec(name, "mikrotik_routeros", config=config), tmp_path)
    state.boot()
    return state


def _run(state: DeviceState, text: str) -> list[str]:
    """Every line of ``text`` typed at the router; the lines of output."""
    session = state.session()
    return [x for line in text.splitlines() for x in session.handle(line).output.splitlines()]


def _export(state: DeviceState) -> str:
    return state.session().render_config()


@pytest.mark.parametrize("code", ["muze", "sera"])
def test_script_runs_on_the_router_and_again_changes_nothing(
        plan: VpnPlan, tmp_path: Path, code: str) -> None:
    router = _router(tmp_path, code, ADMIN_RULE + (MUZE_ROUTER if code == "muze" else ""))
    text = script(plan, code)
    wanted = public_key(MUZE_ROUTER_PRIVATE if code == "muze" else SERA_PRIVATE)
    assert _run(router, text) == [wanted]  # no error; the public key, as :put prints it
    first = _export(router)
    assert _run(router, text) == [wanted]
    assert _export(router) == first
    rules = [line for line in first.splitlines() if line.startswith("/ip firewall filter")]
    # the script's rules above the administrator's, in the order of the script
    assert [r.split('comment="')[1].split('"')[0] for r in rules] == [
        "bilgiislem-vpn: izin", "bilgiislem-vpn: izinsiz kaynak", "bilgiislem-vpn: LAN disi",
        "bilgiislem-vpn: SSH", *(["bilgiislem-vpn: WireGuard ether1"] if code == "muze" else []),
        "yonetici kurali"]


def test_script_removes_what_it_no_longer_wants(plan: VpnPlan, tmp_path: Path) -> None:
    stale = ("/ip route add dst-address=10.99.0.0/16 gateway=ether2 comment=bilgiislem-vpn\n"
             "/ip route add dst-address=10.98.0.0/16 gateway=ether2\n"  # not the script's
             "/ip firewall address-list add list=bilgiislem-vpn-lan address=10.99.0.0/16\n"
             "/ip firewall filter add chain=forward comment=\"bilgiislem-vpn: eski\"\n")
    router = _router(tmp_path, "sera", stale)
    _run(router, script(plan, "sera"))
    config = _export(router)
    assert "10.99.0.0/16" not in config and "bilgiislem-vpn: eski" not in config
    assert "dst-address=10.98.0.0/16 gateway=ether2" in config


# --- the push -----------------------------------------------------------------------------------


def _spec(code: str, **kw: Any) -> DeviceSpec:
    config = ADMIN_RULE + (MUZE_ROUTER if code == "muze" else "")
    return DeviceSpec(code, "mikrotik_routeros", username="bilgiislem", password=PASSWORDS[code],
                      config=config, **kw)


@pytest.fixture
def routers(tmp_path: Path) -> Iterator[Simulator]:
    with Simulator([_spec("muze"), _spec("sera")], tmp_path / "routers") as sim:
        yield sim


def _push(inv: Inventory, sim: Simulator, codes: list[str] | None = None,
          **kw: Any) -> dict[str, dict[str, Any]]:
    results = mikrotik.push(inv, codes, dry_run=kw.pop("dry_run", False),
                            targets=sim.addresses, timeout=10, **kw)
    return {r["site"]: r for r in results}


def test_push_then_push_again_changes_nothing(tmp_path: Path, routers: Simulator) -> None:
    inv = load(make_inventory(tmp_path))
    first = _push(inv, routers)
    assert {c: (r["status"], r["error"]) for c, r in first.items()} == {
        "muze": ("ok", None), "sera": ("ok", None)}
    sera = first["sera"]
    assert sera["public_key"] == public_key(SERA_PRIVATE)
    assert SERA_PRIVATE not in str(sera) and 'private-key="<gizli>"' in str(sera["script"])
    export = "\n".join(sera["export"])
    assert ('/interface wireguard peers add allowed-address=10.255.0.0/24,10.10.10.0/24'
            in export)
    assert ("/ip route add comment=bilgiislem-vpn dst-address=10.50.10.0/24 gateway=wg-merkez"
            in export)
    assert ('/ip firewall filter add action=drop chain=forward comment="bilgiislem-vpn: LAN '
            'disi" dst-address-list=!bilgiislem-vpn-lan in-interface=wg-merkez') in export
    assert "+/ip address add address=10.255.0.5/24" in sera["diff"]
    assert "<gizli>" in sera["diff"] and SERA_PRIVATE not in sera["diff"]

    again = _push(inv, routers)
    assert {c: (r["status"], r["diff"]) for c, r in again.items()} == {
        "muze": ("unchanged", ""), "sera": ("unchanged", "")}


def test_push_moves_the_route_of_a_changed_lan(tmp_path: Path, routers: Simulator) -> None:
    assert _push(load(make_inventory(tmp_path / "a")), routers, ["muze"])["muze"]["status"] == "ok"
    moved = load(make_inventory(tmp_path / "b", camera_lan="10.60.31.0/24"))
    result = _push(moved, routers, ["muze"])["muze"]
    assert result["status"] == "ok", result["error"]
    diff = [line for line in result["diff"].splitlines() if line[:1] in "+-"]
    assert diff == [
        "--- önce", "+++ sonra",
        "-/interface wireguard peers add allowed-address=10.255.0.0/24,10.10.10.0/24,10.10.20.0/24"
        ",10.20.10.0/24,10.30.10.0/24,10.10.99.0/24,10.40.10.0/24,10.10.30.0/24"
        ",10.60.10.0/24,10.60.30.0/24 "
        "comment=bilgiislem-vpn endpoint-address=198.51.100.10 endpoint-port=51820 "
        f'interface=wg-merkez persistent-keepalive=25s public-key="{HUB_PUBLIC}"',
        "+/interface wireguard peers add allowed-address=10.255.0.0/24,10.10.10.0/24,10.10.20.0/24"
        ",10.20.10.0/24,10.30.10.0/24,10.10.99.0/24,10.40.10.0/24,10.10.30.0/24"
        ",10.60.10.0/24,10.60.31.0/24 "
        "comment=bilgiislem-vpn endpoint-address=198.51.100.10 endpoint-port=51820 "
        f'interface=wg-merkez persistent-keepalive=25s public-key="{HUB_PUBLIC}"',
        "-/ip route add comment=bilgiislem-vpn dst-address=10.60.30.0/24 gateway=wg-merkez",
        "+/ip route add comment=bilgiislem-vpn dst-address=10.60.31.0/24 gateway=wg-merkez"]


def test_push_reports_refused_logins_and_missing_passwords(tmp_path: Path) -> None:
    inv = load(make_inventory(tmp_path, passwords={"muze": "yanlis"}))
    specs = [_spec("muze"), _spec("sera", faults=Faults(auth_fail=True))]
    with Simulator(specs, tmp_path / "routers") as sim:
        results = _push(inv, sim)
    assert results["muze"]["status"] == "auth-failed"
    assert results["sera"]["status"] == "failed"
    assert "vault_network_passwords.sera" in results["sera"]["error"]


def test_push_reports_a_refused_line_masked_and_a_lost_session(tmp_path: Path) -> None:
    inv = load(make_inventory(tmp_path))
    specs = [_spec("sera", faults=Faults(reject=["private-key"])),
             _spec("muze", faults=Faults(drop_after_config_lines=3))]
    with Simulator(specs, tmp_path / "routers") as sim:
        results = mikrotik.push(inv, None, dry_run=False, targets=sim.addresses, timeout=2)
    muze, sera = results
    assert sera["status"] == "failed" and "the router refused a line" in sera["error"]
    assert "syntax error" in sera["error"] and 'private-key="<gizli>"' in sera["error"]
    assert SERA_PRIVATE not in str(sera)
    assert muze["status"] == "failed" and muze["error"]


def test_push_reports_an_unreachable_router(tmp_path: Path) -> None:
    inv = load(make_inventory(tmp_path))
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    results = mikrotik.push(inv, ["sera"], dry_run=False, targets={"sera": ("127.0.0.1", port)},
                            timeout=5)
    assert [r["status"] for r in results] == ["unreachable"]


def test_dry_run_reads_and_sends_nothing(tmp_path: Path, routers: Simulator) -> None:
    inv = load(make_inventory(tmp_path))
    plan = build(inv)
    assert plan is not None
    result = _push(inv, routers, ["sera"], dry_run=True)["sera"]
    assert result["status"] == "planned" and result["dry_run"]
    sent = mikrotik.site_script(plan, plan.site("sera"), secrets.read(inv), mask=True)
    assert result["script"] == mikrotik.commands(sent)
    assert any("yonetici kurali" in line for line in result["export"])
    assert "wg-merkez" not in routers.devices["sera"].running_config()


def test_push_refuses_a_key_the_hub_does_not_have(tmp_path: Path) -> None:
    inv = load(make_inventory(tmp_path))
    # muze's router has no WireGuard interface yet: the script makes one with a new key
    spec = DeviceSpec("muze", "mikrotik_routeros", username="bilgiislem",
                      password=PASSWORDS["muze"])
    with Simulator([spec], tmp_path / "routers") as sim:
        result = _push(inv, sim, ["muze"])["muze"]
    assert result["status"] == "failed"
    assert "the hub has" in result["error"] and result["public_key"] in result["error"]


def test_push_refuses_lines_too_long_for_the_terminal(tmp_path: Path, routers: Simulator,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mikrotik, "TERMINAL_WIDTH", 300)
    result = _push(load(make_inventory(tmp_path)), routers, ["sera"])["sera"]
    assert result["status"] == "failed" and "nothing was sent" in result["error"]
    assert "wg-merkez" not in routers.devices["sera"].running_config()


def test_push_asks_only_for_mikrotik_sites(tmp_path: Path) -> None:
    inv = load(make_inventory(tmp_path))
    with pytest.raises(mikrotik.MikrotikError, match=r"not a mikrotik-wireguard site.*kutuphane"):
        mikrotik.push(inv, ["kutuphane"], dry_run=True)
    assert mikrotik.push(inv, [], dry_run=True) == []
