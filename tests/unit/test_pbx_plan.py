"""The exchange planned from inventory/lab: who gets an extension, what a leaver's number does,
ring groups, the holiday calendar on fixed dates (half days included), the firewall's sources,
and the access report's extension column."""

from __future__ import annotations

import datetime as dt

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import Inventory, firewall, load
from bilgiislem.inventory.ansible import to_ansible
from bilgiislem.pbx import plan
from bilgiislem.users import report
from bilgiislem.vpn import plan as vpnplan

LAB = REPO_ROOT / "inventory" / "lab"


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load(LAB)


def test_everyone_with_a_dahili_who_has_not_left_gets_an_extension(inv: Inventory) -> None:
    v = plan.host_vars(inv, dt.date(2026, 12, 7))
    assert [(e["extension"], e["sicil_no"]) for e in v["pbx_endpoints"]] == [
        (2100, "1001"), (2101, "1002"), (2200, "1003"), (2300, "1004"), (2400, "1005")]
    assert v["pbx_endpoints"][0]["name"] == "Şükrü Öztürk"  # Turkish letters kept
    # Hüseyin Güneş (0998) left: no endpoint; his number rings Yazı İşleri's group.
    assert v["pbx_departed"] == [{"extension": 2102, "sicil_no": "0998", "forward_to": 2060}]
    assert [(g["number"], g["members"]) for g in v["pbx_ring_groups"]] == [
        (2050, [2100, 2101]), (2060, [2200])]
    assert v["pbx_business_hours"] == {"days": [1, 2, 3, 4, 5], "open": "0830",
                                       "close": "1730", "half_day_close": "1300"}
    # No secret reaches the inventory's variables: the playbook maps them from the vault.
    assert "secret" not in str(v).lower()


def test_released_numbers_forward_nowhere(inv: Inventory) -> None:
    assert inv.pbx is not None
    released = inv.__class__(**{**inv.__dict__,
                                "pbx": inv.pbx.model_copy(update={"departed": "release"})})
    assert plan.host_vars(released)["pbx_departed"][0]["forward_to"] is None


def test_holidays_of_2027_on_known_dates(inv: Inventory) -> None:
    days = {h.date: h for h in plan.holidays(inv, [2027])}
    assert days[dt.date(2027, 10, 29)].name == "Cumhuriyet Bayramı"
    assert not days[dt.date(2027, 10, 29)].half_day
    assert days[dt.date(2027, 10, 28)].half_day  # arife: closes at 13:00
    assert days[dt.date(2027, 3, 8)].half_day and "Ramazan" in days[dt.date(2027, 3, 8)].name
    assert not days[dt.date(2027, 3, 9)].half_day
    # 19 May 2027 is both a national day and in the Kurban Bayramı: a full day.
    assert not days[dt.date(2027, 5, 19)].half_day
    # pbx.yml's extra days: an administrative leave bridge day.
    assert days[dt.date(2027, 1, 2)].name == "İdari izin (köprü günü)"
    assert dt.date(2027, 6, 1) not in days


def test_deploy_covers_this_year_and_the_next(inv: Inventory) -> None:
    dates = [h["date"] for h in plan.host_vars(inv, dt.date(2026, 12, 7))["pbx_holidays"]]
    assert "20260101" in dates and "20271029" in dates and "20281029" not in dates
    assert dates == sorted(dates)


def test_firewall_lets_sip_in_only_from_phones_and_the_operator(inv: Inventory) -> None:
    services = {s.name: s for s in plan.firewall_services(inv, "srv-pbx")}
    assert services["sip"].sources == ("10.10.30.0/24", "198.51.100.50/32")
    assert services["rtp"].port == "10000-20000"
    assert services["provisioning"].sources == ("10.10.30.0/24",)
    assert plan.firewall_services(inv, "srv-log") == ()
    rules = to_ansible(LAB)["hosts"]["srv-pbx"]["vars"]["firewall_allow"]
    assert {"name": "sip", "proto": "udp", "port": 5060,
            "sources": ["10.10.30.0/24", "198.51.100.50/32"]} in rules
    assert firewall.ROLE_SERVICES["pbx"] == ()  # only from pbx.yml


def test_phone_files_carry_the_plan(inv: Inventory) -> None:
    yealink, grandstream = plan.phones(inv)
    assert (yealink["file"], yealink["extension"], yealink["voice_vlan"]) == (
        "805ec0112233.cfg", 2100, 30)
    assert yealink["server"] == "10.10.30.10"  # the exchange's address on the voice network
    assert yealink["ntp_servers"] == ["10.10.20.10"]  # the internal NTP server
    assert (grandstream["file"], grandstream["posix_tz"]) == ("cfgc074ad445566.xml", "<+03>-3")


def test_access_report_shows_extensions_and_flags_a_leavers(inv: Inventory) -> None:
    ex = report.Exports(directory={"users": []}, extensions={"2100", "2101", "2102"})
    people = {p["sicil"]: p for p in report.evaluate(inv, ex)["people"]}
    assert people["1001"]["dahili"] == "2100 tanımlı"
    assert people["1003"]["dahili"] == "2200 kapalı"
    assert people["0998"]["ihlal"] == ["dahili 2102"]  # left, extension still defined
    unread = report.evaluate(inv, report.Exports(directory={"users": []}))
    assert {p["dahili"] for p in unread["people"]} == {"-"}


def test_remote_units_with_access_pbx_reach_sip_and_rtp(inv: Inventory) -> None:
    vpn = vpnplan.build(inv)
    assert vpn is not None
    zones = {z["name"]: z for z in vpnplan.hub_vars(vpn, {})["vpn_firewall_zones"]}
    pbx = {(a["to"], a.get("proto"), a.get("ports")) for a in zones["kutuphane"]["allow"]
           if a["comment"].startswith("pbx:")}
    assert {("10.10.30.10/32", "udp", "5060"), ("10.10.30.10/32", "udp", "10000-20000"),
            ("10.10.30.10/32", "icmp", None)} <= pbx
