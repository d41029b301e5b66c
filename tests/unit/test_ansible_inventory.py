"""What Ansible sees of the lab inventory: groups, host variables, --limit checks."""

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import firewall, load
from bilgiislem.inventory.ansible import (
    mail_state,
    service_accounts,
    to_ansible,
    unknown_limit_names,
)

LAB = REPO_ROOT / "inventory" / "lab"


def test_groups_and_membership():
    data = to_ansible(LAB)
    assert data["groups"] == sorted(data["groups"])
    assert {"central", "remote", "ntp_server", "site_merkez", "vpn_gateway"} <= set(
        data["groups"]
    )
    assert data["hosts"]["srv-log"]["groups"] == [
        "ntp_server", "log_collector", "site_merkez", "central", "init_systemd", "backup_clients"]
    # the PBX runs without systemd: common and hardening leave out init_sysvinit
    assert data["hosts"]["srv-pbx"]["groups"] == [
        "pbx", "site_merkez", "central", "init_sysvinit"]


def test_host_vars_come_from_the_model():
    hv = to_ansible(LAB)["hosts"]["gw-merkez"]["vars"]
    assert hv["ansible_host"] == "10.10.20.1"  # management_network, not the first interface
    assert hv["ansible_user"] == "ansible"
    assert hv["ansible_ssh_private_key_file"].endswith("/.lab/ssh/id_ed25519")
    assert "StrictHostKeyChecking=yes" in hv["ansible_ssh_common_args"]
    assert [i["prefix"] for i in hv["interfaces"]] == [24] * 7


def test_derived_all_vars():
    av = to_ansible(LAB)["all_vars"]
    assert av["ntp_internal_servers"] == ["10.10.20.10"]
    assert "198.51.100.0/24" not in av["internal_networks"]
    assert {"ip": "10.10.20.10", "names": ["srv-log.ornekkoy.bel.tr", "srv-log"]} in av[
        "etc_hosts"]
    assert av["municipality"]["name"] == "Örnekköy Belediyesi"


def test_limit_names_are_checked_before_ansible_runs():
    inv = load(LAB)
    assert unknown_limit_names(inv, "srv-log,ntp_server:!remote") == []
    assert unknown_limit_names(inv, "srv-lgo") == [("srv-lgo", "srv-log")]
    assert unknown_limit_names(inv, "gw-*,~srv.*") == []  # patterns are Ansible's business


def test_server_admins_from_personnel():
    admins = {a["name"]: a for a in to_ansible(LAB)["all_vars"]["server_admins"]}
    assert set(admins) == {"sukru.ozturk", "ayse.celik", "huseyin.gunes"}
    assert admins["sukru.ozturk"]["comment"] == "Şükrü Öztürk"
    assert admins["sukru.ozturk"]["state"] == "present"
    assert admins["sukru.ozturk"]["keys"][0].startswith("ssh-ed25519 AAAA")
    # Who left is locked, never dropped from the list (so the account gets locked).
    assert admins["huseyin.gunes"]["state"] == "locked"


def test_firewall_rules_follow_host_roles():
    hosts = to_ansible(LAB)["hosts"]
    log = hosts["srv-log"]["vars"]
    assert [(r["proto"], r["port"]) for r in log["firewall_allow"]] == [
        ("udp", 123), ("tcp", 514), ("tcp", 2514), ("tcp", 6514)]
    assert "198.51.100.0/24" not in log["firewall_allow"][0]["sources"]
    gw = hosts["gw-kutuphane"]["vars"]
    assert gw["firewall_allow"] == [
        {"name": "wireguard", "proto": "udp", "port": 51820, "sources": []}]
    # SSH is reachable through the network Ansible uses, even when that is the WAN.
    assert "198.51.100.0/24" in gw["firewall_ssh_sources"]
    assert "198.51.100.0/24" not in log["firewall_ssh_sources"]


def test_a_database_host_opens_the_port_of_its_engine():
    db = to_ansible(LAB)["hosts"]["srv-db"]["vars"]
    assert db["database_engine"] == "postgresql"
    assert [(r["name"], r["port"]) for r in db["firewall_allow"]] == [("postgresql", 5432)]
    assert "database_engine" not in to_ansible(LAB)["hosts"]["srv-log"]["vars"]
    host = next(h for h in load(LAB).hosts if h.name == "srv-db")
    mariadb = host.model_copy(update={"database_engine": "mariadb"})
    assert [(r["name"], r["port"]) for r in firewall.allow_rules(mariadb, [])] == [
        ("mariadb", 3306)]


def test_directory_state_follows_the_personnel_file():
    data = to_ansible(LAB)
    av, dc = data["all_vars"], data["hosts"]["srv-dc"]["vars"]
    # The DC is also known by its name in the AD domain (Kerberos, LDAPS certificate).
    assert {"ip": "10.10.20.40", "names": ["srv-dc.ornekkoy.bel.tr", "srv-dc",
                                           "srv-dc.ad.ornekkoy.bel.tr"]} in av["etc_hosts"]
    assert "directory_users" not in data["hosts"]["srv-log"]["vars"]
    assert (dc["directory_realm"], dc["directory_netbios"]) == ("AD.ORNEKKOY.BEL.TR", "ORNEKKOY")
    users = {u["sicil"]: u for u in dc["directory_users"]}
    assert users["1001"] == {
        "sicil": "1001", "sam": "sukru.ozturk", "ou": "bilgi-islem", "enabled": True,
        "given": "Şükrü", "sn": "Öztürk", "display": "Şükrü Öztürk", "title": "Bilgi İşlem Müdürü",
        "department": "Bilgi İşlem Müdürlüğü", "mail": "sukru.ozturk@ornekkoy.bel.tr",
        "upn": "sukru.ozturk@ad.ornekkoy.bel.tr", "successor": ""}
    # Left: kept (disabled), with the successor who receives the folder; on leave: enabled.
    assert (users["0998"]["enabled"], users["0998"]["successor"]) == (False, "sukru.ozturk")
    assert users["1003"]["enabled"] is True
    groups = {g["name"]: g["members"] for g in dc["directory_groups"]}
    assert groups["mud-bilgi-islem"] == ["ayse.celik", "sukru.ozturk"]
    assert groups["mud-yazi-isleri"] == ["ismail.isik"]  # 0998 left: in no group
    assert groups["hizmet-vpn"] == ["ayse.celik", "sukru.ozturk"]
    assert groups["hizmet-kamera"] == ["gulsen.dogan"]
    assert groups["hizmet-sunucu-yonetimi"] == ["ayse.celik", "sukru.ozturk"]
    assert len(groups["hizmet-eposta"]) == 5
    assert [d["group"] for d in dc["directory_departments"]] == [
        "mud-bilgi-islem", "mud-yazi-isleri", "mud-itfaiye", "mud-kultur"]


def test_mail_state_binds_as_the_service_account_and_hands_mailboxes_over():
    inv = load(LAB)
    inv.personel[:] = [  # one leaver with a mailbox and a successor
        k.model_copy(update={"durum": "ayrildi", "devir_alan": "1001"}) if k.sicil_no == "1004"
        else k
        for k in inv.personel]
    mail = mail_state(inv)
    base = "OU=Belediye,DC=ad,DC=ornekkoy,DC=bel,DC=tr"
    assert mail["mail_directory_server"] == "srv-dc.ad.ornekkoy.bel.tr"
    assert mail["mail_group_dn"] == f"CN=hizmet-eposta,OU=Gruplar,{base}"
    assert mail["mail_bind_dn"] == f"CN=svc-eposta,OU=Hizmet Hesaplari,{base}"
    assert {"mail": "gulsen.dogan@ornekkoy.bel.tr", "user": "gulsen.dogan",
            "successor_mail": "sukru.ozturk@ornekkoy.bel.tr",
            "successor": "sukru.ozturk"} in mail["mail_handover"]
    # The lab has no mail server: the DC gets no service account to create.
    assert service_accounts(inv) == []


def test_collector_gets_the_5651_settings_from_legal_logging_yml():
    hv = to_ansible(LAB)["hosts"]["srv-log"]["vars"]
    legal = hv["log_collector_legal"]
    assert legal["tsa_url"] == "http://10.10.20.70:3180/"
    assert (legal["retention_days"], legal["allow_short_retention"]) == (730, False)
    assert (legal["municipality"], legal["timezone"]) == ("Örnekköy Belediyesi",
                                                          "Europe/Istanbul")
    # Every server that forwards is expected; not the collector itself, not the sysvinit PBX.
    assert "srv-db" in legal["sources"] and "gw-merkez" in legal["sources"]
    assert "srv-log" not in legal["sources"] and "srv-pbx" not in legal["sources"]
    static = {e["ip"]: e["hostname"] for e in legal["static"]}
    assert static["10.10.20.20"] == "srv-db"          # a host
    assert static["10.10.40.21"] == "kam-giris"       # a camera
    assert "log_collector_legal" not in to_ansible(LAB)["hosts"]["srv-db"]["vars"]


def test_content_filter_vars_dns_for_the_served_networks_only_and_guests_are_not_internal():
    data = to_ansible(LAB)
    gw = data["hosts"]["gw-merkez"]["vars"]
    assert gw["dns_resolver_networks"] == [
        {"name": "merkez-lan", "cidr": "10.10.10.0/24", "policy": "personel",
         "listen": "10.10.10.1"},
        {"name": "merkez-misafir", "cidr": "10.10.50.0/24", "policy": "misafir",
         "listen": "10.10.50.1"}]
    # Only the lists the policies in use block (sosyal-medya is the kiosks', unused here);
    # Turkish letters become punycode.
    lists = {x["name"]: x["domains"] for x in gw["dns_resolver_lists"]}
    assert set(lists) == {"zararli", "kumar-bahis"}
    assert "xn--bahis-irketi-9mc.example" in lists["kumar-bahis"]
    assert gw["dns_resolver_forward_zones"] == [{"name": "ad.ornekkoy.bel.tr",
                                                 "addresses": ["10.10.20.40"]}]
    # DHCP hands out the resolver; DNS is open to the served networks, the guests' included.
    dns = {s["subnet"]: s["dns_servers"] for s in gw["dhcp_server_subnets"]}
    assert dns == {"10.10.10.0/24": ["10.10.10.1"], "10.10.50.0/24": ["10.10.50.1"]}
    rule = next(r for r in gw["firewall_allow"] if r["name"] == "dns")
    assert rule["sources"] == ["10.10.10.0/24", "10.10.50.0/24"]
    # Public Wi-Fi is not internal: no server's service or SSH is open to it.
    assert "10.10.50.0/24" not in data["all_vars"]["internal_networks"]
    assert "10.10.50.0/24" not in data["hosts"]["srv-log"]["vars"]["firewall_ssh_sources"]
    # The gateways of user networks log their connections (legal_logging.yml exists).
    logged = sorted(h for h, x in data["hosts"].items() if "connection_log" in x["groups"])
    assert logged == ["gw-itfaiye", "gw-kutuphane", "gw-merkez"]
