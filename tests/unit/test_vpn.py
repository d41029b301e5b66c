"""The VPN plan derived from the inventory (peers, routes, zones, IPsec children), the
appliance configurations against golden files, and the status report's parsing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load
from bilgiislem.inventory.ansible import to_ansible
from bilgiislem.vpn import plan as vpnplan
from bilgiislem.vpn import render, rotate, status

LAB = REPO_ROOT / "inventory" / "lab"
GOLDEN = REPO_ROOT / "tests" / "golden" / "vpn"
# BILGIISLEM_UPDATE_GOLDEN=1 rewrites the golden files (then read the diff before committing).
UPDATE = os.environ.get("BILGIISLEM_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def plan() -> vpnplan.VpnPlan:
    built = vpnplan.build(load(LAB))
    assert built is not None
    return built


def test_hub_peers_allow_each_site_its_tunnel_address_and_lans(plan: vpnplan.VpnPlan) -> None:
    hub = vpnplan.hub_vars(plan, {"kutuphane": "K", "itfaiye": "I"})
    assert hub["vpn_wireguard_address"] == "10.255.0.1/24"
    assert [(p["name"], p["public_key"], p["allowed_ips"], p.get("endpoint"))
            for p in hub["vpn_wireguard_peers"]] == [
        ("kutuphane", "K", ["10.255.0.2/32", "10.20.10.0/24"], "198.51.100.21:51820"),
        ("itfaiye", "I", ["10.255.0.3/32", "10.30.10.0/24"], None)]  # behind NAT
    (conn,) = hub["vpn_ipsec_connections"]
    assert (conn["local_address"], conn["remote_address"]) == ("198.51.100.10", "198.51.100.23")
    # one child per pair: the centre's four networks and the plant's LAN (no link)
    assert [(c["local_ts"], c["remote_ts"]) for c in conn["children"]] == [
        ("10.10.10.0/24", "10.40.10.0/24"), ("10.10.20.0/24", "10.40.10.0/24"),
        ("10.10.99.0/24", "10.40.10.0/24"), ("10.10.30.0/24", "10.40.10.0/24")]


def test_hub_zones_follow_access_and_site_links(plan: vpnplan.VpnPlan) -> None:
    zones = {z["name"]: z for z in vpnplan.hub_vars(plan, {})["vpn_firewall_zones"]}
    allowed = {name: {(a["to"], a.get("proto", ""), a.get("ports", "")) for a in z["allow"]}
               for name, z in zones.items()}
    # default access: the whole server network, DNS, NTP and syslog hosts; the link to itfaiye
    assert ("10.10.20.0/24", "", "") in allowed["kutuphane"]
    assert ("10.30.10.0/24", "", "") in allowed["kutuphane"]
    assert ("10.40.10.0/24", "", "") not in allowed["kutuphane"]
    # itfaiye: only DNS, NTP and the log collector, their ports and ping; and its link
    assert allowed["itfaiye"] - {("10.255.0.2/32", "", ""), ("10.20.10.0/24", "", "")} == {
        ("10.10.20.40/32", "udp", "53"), ("10.10.20.40/32", "tcp", "53"),
        ("10.10.20.40/32", "icmp", ""), ("10.10.20.10/32", "udp", "123"),
        ("10.10.20.10/32", "icmp", ""), ("10.10.20.10/32", "tcp", "514"),
        ("10.10.20.10/32", "tcp", "2514"), ("10.10.20.10/32", "tcp", "6514")}
    assert ("10.255.0.2/32", "", "") in allowed["itfaiye"]  # the link, both ways
    assert zones["aritma"]["sources"] == ["10.40.10.0/24"]
    assert not [a for a in allowed["aritma"] if a[0].startswith(("10.20.", "10.30."))]


def test_spoke_sends_every_internal_prefix_through_the_tunnel(plan: vpnplan.VpnPlan) -> None:
    spoke = vpnplan.spoke_vars(plan, plan.site("itfaiye"), {"merkez": "H"})
    (hub,) = spoke["vpn_wireguard_peers"]
    assert hub["public_key"] == "H" and hub["keepalive"] == 25
    assert hub["allowed_ips"] == ["10.255.0.0/24", "10.10.10.0/24", "10.10.20.0/24",
                                  "10.20.10.0/24", "10.10.99.0/24", "10.40.10.0/24",
                                  "10.10.30.0/24"]
    first, rest = spoke["vpn_firewall_zones"]
    # the centre and the linked library reach the fire station's LAN (the library's tunnel
    # address is inside the tunnel subnet: merged); no other unit does
    assert first["sources"] == ["10.10.10.0/24", "10.10.20.0/24", "10.10.30.0/24",
                                "10.10.99.0/24", "10.20.10.0/24", "10.255.0.0/24"]
    assert first["allow"] == [{"to": "10.30.10.0/24", "comment": "LAN: itfaiye-lan"}]
    assert rest["allow"] == []


def test_inventory_plugin_gives_the_gateways_their_variables_and_ports() -> None:
    vault = {vpnplan.WIREGUARD_KEYS: {"merkez": {"public": "H"}, "kutuphane": {"public": "K"},
                                      "itfaiye": {"public": "I"}}}
    hosts = to_ansible(LAB, vault)["hosts"]
    hub = hosts["gw-merkez"]["vars"]
    assert hub["vpn_role"] == "hub" and hub["vpn_site"] == "merkez"
    assert [p["public_key"] for p in hub["vpn_wireguard_peers"]] == ["K", "I"]
    assert {(r["name"], r["port"]) for r in hub["firewall_allow"]} >= {
        ("wireguard", 51820), ("ike", 500), ("ipsec-nat-t", 4500)}
    assert hosts["gw-kutuphane"]["vars"]["vpn_wireguard_peers"][0]["public_key"] == "H"
    # behind NAT: nobody dials the fire station, so it opens no port
    assert not [r for r in hosts["gw-itfaiye"]["vars"]["firewall_allow"]
                if r["name"] == "wireguard"]
    # the tunnel subnet is internal: the gateways' own traffic to the centre comes from it
    assert "10.255.0.0/24" in hosts["srv-log"]["vars"]["firewall_ssh_sources"]
    assert "vpn_role" not in hosts["srv-log"]["vars"]


def test_a_changed_prefix_reaches_every_side(tmp_path: Path) -> None:
    root = tmp_path / "lab"
    shutil.copytree(LAB, root, ignore=shutil.ignore_patterns("group_vars"))
    nets = yaml.safe_load((root / "networks.yml").read_text(encoding="utf-8"))
    next(n for n in nets["networks"] if n["name"] == "kutuphane-lan")["cidr"] = "10.20.0.0/16"
    (root / "networks.yml").write_text(yaml.safe_dump(nets), encoding="utf-8")
    p = vpnplan.build(load(root))
    assert p is not None
    hub = vpnplan.hub_vars(p, {})
    assert hub["vpn_wireguard_peers"][0]["allowed_ips"] == ["10.255.0.2/32", "10.20.0.0/16"]
    assert "10.20.0.0/16" in vpnplan.spoke_vars(p, p.site("itfaiye"), {})[
        "vpn_wireguard_peers"][0]["allowed_ips"]
    assert "10.20.0.0/16" in vpnplan.spoke_vars(p, p.site("itfaiye"), {})[
        "vpn_firewall_zones"][0]["sources"]
    # the appliance blackholes the library's new prefix
    assert "set dst 10.20.0.0 255.255.0.0" in render.fortigate(p, p.site("aritma"))


@pytest.mark.parametrize(("name", "fn"), [("aritma-fortigate.conf", render.fortigate),
                                          ("aritma-strongswan.conf", render.strongswan)])
def test_appliance_configuration_matches_golden(plan: vpnplan.VpnPlan, name: str, fn) -> None:
    text = fn(plan, plan.site("aritma"))
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert "<gizli>" in text  # the pre-shared key is masked unless asked for
    assert render.MASK not in fn(plan, plan.site("aritma"), "s3cr3t-psk")


def test_appliance_proposals_are_the_roles_defaults() -> None:
    defaults = yaml.safe_load((REPO_ROOT / "roles/vpn/defaults/main.yml").read_text())
    assert (defaults["vpn_ipsec_ike_proposals"], defaults["vpn_ipsec_esp_proposals"],
            defaults["vpn_ipsec_ike_lifetime"], defaults["vpn_ipsec_esp_lifetime"],
            defaults["vpn_ipsec_dpd_delay"]) == (
        render.IKE_PROPOSAL, render.ESP_PROPOSAL, render.IKE_LIFETIME, render.ESP_LIFETIME,
        render.DPD_DELAY)


def test_rotate_targets(plan: vpnplan.VpnPlan) -> None:
    assert rotate.resolve(plan, "all") == ["merkez", "kutuphane", "itfaiye", "aritma"]
    assert rotate.resolve(plan, "itfaiye, kutuphane") == ["itfaiye", "kutuphane"]
    with pytest.raises(rotate.RotateError, match="unknown VPN site zabita; known: merkez"):
        rotate.resolve(plan, "zabita")
    assert rotate.hosts_to_deploy(plan, ["itfaiye"]) == ["gw-merkez", "gw-itfaiye"]
    assert rotate.hosts_to_deploy(plan, ["merkez"]) == ["gw-merkez", "gw-kutuphane",
                                                        "gw-itfaiye"]
    assert rotate.hosts_to_deploy(plan, ["aritma"]) == ["gw-merkez"]


SWANCTL = """\
plugin 'ldap': failed to load - ldap_plugin_create not found and no plugin file available
list-sa event {
  aritma {
    uniqueid = 2
    version = 2
    state = ESTABLISHED
    established = 120
    child-sas {
      aritma-1-3 {
        name = aritma-1
        state = INSTALLED
        bytes-in = 840
        bytes-out = 840
        local-ts [
          10.10.10.0/24
        ]
      }
      aritma-2-4 {
        name = aritma-2
        state = INSTALLED
        bytes-in = 100
        bytes-out = 0
      }
    }
  }
}
"""


def test_status_marks_stale_handshakes_and_missing_children_down(
        plan: vpnplan.VpnPlan) -> None:
    hub = {
        # hub clock, interface line, then peers: kutuphane 30 s ago, itfaiye 10 min ago
        "wireguard": "1000000\nPRIV\tPUB\t51820\toff\n"
                     "K\t(none)\t198.51.100.21:51820\t10.255.0.2/32,10.20.10.0/24\t999970\t10\t20\toff\n"
                     "I\t(none)\t198.51.100.254:40001\t10.255.0.3/32\t999400\t5\t6\t25",
        "ipsec": SWANCTL,
        "ping": [[{"site": "kutuphane"}, 0, "rtt min/avg/max/mdev = 0.4/0.5/0.6/0.1 ms"],
                 [{"site": "itfaiye"}, 0, ""], [{"site": "aritma"}, 1, ""]],
    }
    result = status.evaluate(load(LAB), plan, hub, {"kutuphane": "K", "itfaiye": "I"})
    rows = {r["site"]: r for r in result["sites"]}
    assert rows["kutuphane"]["status"] == "up" and rows["kutuphane"]["rtt_ms"] == 0.5
    assert rows["itfaiye"]["problems"] == ["son el sıkışma 10 dk önce (sınır 5 dk)"]
    assert rows["itfaiye"]["seen_at"] == "198.51.100.254:40001"
    assert rows["aritma"]["children"] == "2/4"
    assert rows["aritma"]["problems"] == ["çocuk SA 2/4 kurulu", "ping yanıtsız"]
    assert result["down"] == ["itfaiye", "aritma"]
    unread = status.evaluate(load(LAB), plan, None, {})
    assert unread["down"] == ["kutuphane", "itfaiye", "aritma"] and not unread["hub_read"]
