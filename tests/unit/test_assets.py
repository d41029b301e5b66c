"""The asset inventory (bilgiislem/assets): server records from Ansible facts, device facts
from show/display output, warranty and licence flags on fixed days, the Taşınır list as CSV
(Turkish letters intact for Excel) and HTML, the collect and report tasks' exit codes; and the
switch and camera readers against the project's simulators (netsim, onvifsim) on 127.0.0.1.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import socket
from pathlib import Path

import pytest

from bilgiislem.assets import collect as collectmod
from bilgiislem.assets import report as reportmod
from bilgiislem.assets import run as runmod
from bilgiislem.assets.records import Record, clean
from bilgiislem.inventory import Inventory, load, models
from bilgiislem.netops.targets import Target
from bilgiislem.netsim import DeviceSpec
from bilgiislem.netsim import Simulator as NetSimulator
from bilgiislem.onvifsim import Simulator as OnvifSimulator
from bilgiislem.onvifsim import init_camera

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)

# What playbooks/asset-facts.yml saves for a physical server (trimmed).
DELL_FACTS = {
    "host": "srv-db",
    "facts": {
        "hostname": "srv-db", "fqdn": "srv-db.ornekkoy.bel.tr",
        "system_vendor": "Dell Inc.", "product_name": "PowerEdge R650",
        "product_serial": "7XK2QH3", "bios_version": "1.10.2",
        "processor": ["0", "GenuineIntel", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz",
                      "1", "GenuineIntel", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz"],
        "processor_count": 2, "processor_cores": 16, "processor_vcpus": 64,
        "memtotal_mb": 257592,
        "devices": {
            "sda": {"size": "446.63 GB", "vendor": "DELL", "model": "PERC H755",
                    "removable": "0"},
            "sr0": {"size": "1.00 GB", "vendor": "TSSTcorp", "removable": "1"},
            "loop0": {"size": "0.00 Bytes", "removable": "0"},
            "nvme0n1": {"size": "1.75 TB", "vendor": "0x1028", "model": "Dell Ent NVMe",
                        "removable": "0"},
        },
        "distribution": "Debian", "distribution_version": "12.8",
        "distribution_release": "bookworm", "kernel": "6.1.0-28-amd64",
        "architecture": "x86_64", "virtualization_type": "kvm",
        "virtualization_role": "host",
        "default_ipv4": {"address": "10.10.20.20", "macaddress": "b0:7b:25:aa:bb:cc"},
    },
    "packages": {
        "postgresql-15": [{"version": "15.10-0+deb12u1", "arch": "amd64"}],
        "postgresql-client-15": [{"version": "15.10-0+deb12u1", "arch": "amd64"}],
        "restic": [{"version": "0.14.0-1+b5", "arch": "amd64"}],
        "bash": [{"version": "5.2.15-2+b7", "arch": "amd64"}],
    },
    "dpkg": None,
}

IOS_SHOW_VERSION = """\
Cisco IOS XE Software, Version 17.06.05
Cisco IOS Software [Bengaluru], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.6.5, RELEASE SOFTWARE (fc2)
sw-merkez-cekirdek uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes
cisco C9300-24T (X86) processor with 1418117K/6147K bytes of memory.
Processor board ID FOC2418L0AB
Model Number                       : C9300-24T
System Serial Number               : FOC2418L0AB
"""  # noqa: E501
VRP_DISPLAY_VERSION = """\
Huawei Versatile Routing Platform Software
VRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)
Copyright (C) 2000-2020 HUAWEI TECH CO., LTD
HUAWEI S5735-S24T4X Routing Switch uptime is 0 week, 3 days, 2 hours, 1 minute
"""
VRP_DISPLAY_ESN = "ESN of slot 0: 2102351931P0M4000123\n"
PROCURVE_SHOW_SYSTEM = """\
 Status and Counters - General System Information

  System Name        : sw-kat2
  Software revision  : YA.16.10.0012        Base MAC Addr      : 009c02-d53bc0
  ROM Version        : YA.15.20             Serial Number      : CN61FP1234
"""


@pytest.fixture(scope="module")
def lab() -> Inventory:
    return load(REPO / "inventory" / "lab")


def server(lab: Inventory, name: str = "srv-db", facts: dict | None = None) -> Record:
    host = lab.host(name)
    data = json.loads(json.dumps(facts or DELL_FACTS))
    data["host"] = name
    return collectmod.server_record(host, lab.management_ip(host), data)


def sample_records(lab: Inventory) -> list[Record]:
    """Servers, switches (one with a serial that is not on the register), a camera, a
    failed switch, the phones: as a collection would give them."""
    plain = {**DELL_FACTS, "packages": {"restic": [{"version": "0.14.0-1+b5"}]}}
    recs = [server(lab, "srv-db"), server(lab, "srv-yedek", plain),
            server(lab, "srv-log", plain), server(lab, "srv-dc", {**plain, "packages": {}})]
    recs.append(Record(kind="server", name="gw-merkez", site="merkez", address="10.10.20.1",
                       source="ansible", status="unreachable", error="no answer"))
    recs.append(Record(kind="switch", name="sw-merkez-cekirdek", site="merkez",
                       address="10.10.99.11", source="netmiko", status="ok", vendor="Cisco",
                       model="C9300-24T", serial="FOC2418L0AB", software="17.6.5"))
    recs.append(Record(kind="switch", name="sw-merkez-kat1", site="merkez",
                       address="10.10.99.12", source="netmiko", status="auth-failed",
                       vendor="Cisco", model="Catalyst 2960X-24PS-L", error="refused"))
    recs.append(Record(kind="camera", name="kam-giris", site="merkez", address="10.10.40.21",
                       source="onvif", status="ok", vendor="Hikvision",
                       model="DS-2CD2143G2-I", serial="LAB000001", software="V5.7.15"))
    return recs + collectmod.phone_records(lab)


# --- collected records -----------------------------------------------------------------------


def test_clean_drops_placeholders() -> None:
    for junk in ("NA", "To Be Filled By O.E.M.", "Not Specified", "", None, "0", "None",
                 "System Serial Number", "Default string"):
        assert clean(junk) is None, junk
    assert clean("  PowerEdge   R650 ") == "PowerEdge R650"


def test_server_record_from_facts(lab: Inventory) -> None:
    r = server(lab)
    assert (r.kind, r.name, r.site, r.address, r.status) == (
        "server", "srv-db", "merkez", "10.10.20.20", "ok")
    assert (r.vendor, r.model, r.serial) == ("Dell Inc.", "PowerEdge R650", "7XK2QH3")
    assert r.software == "Debian 12.8 (bookworm)"
    d = r.details
    assert d["cpu"] == "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz"
    assert (d["cpu_sockets"], d["cpu_cores"], d["vcpus"], d["memory_mb"]) == (2, 16, 64,
                                                                             257592)
    # no loop devices, no removable drive; a PCI vendor id is left out
    assert d["disks"] == ["nvme0n1 1.75 TB (Dell Ent NVMe)", "sda 446.63 GB (DELL PERC H755)"]
    assert (d["kernel"], d["virtualization"], d["hostname"]) == (
        "6.1.0-28-amd64", "kvm (host)", "srv-db.ornekkoy.bel.tr")
    assert r.packages["postgresql-15"] == "15.10-0+deb12u1"


def test_server_record_of_a_container_without_dmi_and_python3_apt(lab: Inventory) -> None:
    facts = {"facts": {"system_vendor": "NA", "product_name": "NA", "product_serial": "NA",
                       "hostname": "srv-log", "fqdn": "localhost",
                       "virtualization_type": "container", "virtualization_role": "guest",
                       "distribution": "Debian", "distribution_version": "12.11"},
             "packages": None, "dpkg": "bash\t5.2.15-2+b7\nrestic\t0.14.0-1+b5\n\nbroken\n"}
    r = server(lab, "srv-log", facts)
    assert (r.vendor, r.model, r.serial) == (None, None, None)
    assert r.software == "Debian 12.11"
    assert r.details["hostname"] == "srv-log"
    assert r.details["virtualization"] == "container (guest)"
    assert r.packages == {"bash": "5.2.15-2+b7", "restic": "0.14.0-1+b5"}


def test_ansible_error_names_the_hosts_message() -> None:
    output = (
        "TASK [AST-01 | Read the hardware] ***\n"
        "fatal: [srv-db]: UNREACHABLE! => {\"changed\": false, \"msg\": \"Failed to connect "
        "to the host via ssh: ssh: connect to host 10.10.20.20 port 22: No route to host\", "
        "\"unreachable\": true}\n"
        "fatal: [srv-log]: FAILED! => \n"
        "    changed: false\n"
        "    msg: 'Missing sudo password'\n"
        "fatal: [srv-pbx]: UNREACHABLE! => \n"
        "    changed: false\n"
        "    msg: 'Task failed: Failed to connect to the host via ssh: ssh: connect to host\n"
        "        10.10.20.50 port 22: Connection refused'\n"
        "    unreachable: true\n"
        "ok: [srv-dc]\n")
    assert collectmod.ansible_error(output, "srv-db").endswith("No route to host")
    assert collectmod.ansible_error(output, "srv-log") == "Missing sudo password"
    assert collectmod.ansible_error(output, "srv-pbx") == (
        "Task failed: Failed to connect to the host via ssh: ssh: connect to host "
        "10.10.20.50 port 22: Connection refused")
    assert collectmod.ansible_error(output, "srv-dc") is None


def test_device_facts_of_each_vendor() -> None:
    assert collectmod.parse_device_facts("cisco_ios", {"show version": IOS_SHOW_VERSION}) == {
        "model": "C9300-24T", "serial": "FOC2418L0AB", "software": "17.06.05",
        "hostname": "sw-merkez-cekirdek"}
    assert collectmod.parse_device_facts("huawei_vrp", {
        "display version": VRP_DISPLAY_VERSION, "display esn": VRP_DISPLAY_ESN}) == {
        "model": "S5735-S24T4X", "serial": "2102351931P0M4000123",
        "software": "VRP 5.170 (S5735 V200R019C10SPC500)", "hostname": None}
    assert collectmod.parse_device_facts("hp_procurve", {
        "show system": PROCURVE_SHOW_SYSTEM}) == {
        "model": None, "serial": "CN61FP1234", "software": "YA.16.10.0012",
        "hostname": "sw-kat2"}
    classic = ("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version "
               "15.2(7)E8, RELEASE SOFTWARE (fc3)\n"
               "cisco WS-C2960X-24PS-L (APM86XXX) processor (revision D0) with 524288K "
               "bytes of memory.\nProcessor board ID FOC1234X0AB\n")
    assert collectmod.parse_device_facts("cisco_ios", {"show version": classic}) == {
        "model": "WS-C2960X-24PS-L", "serial": "FOC1234X0AB", "software": "15.2(7)E8",
        "hostname": None}
    with pytest.raises(ValueError, match="no fact commands"):
        collectmod.parse_device_facts("mikrotik_routeros", {})


def test_phones_come_from_the_provisioning_data(lab: Inventory) -> None:
    phones = collectmod.phone_records(lab)
    assert [(p.name, p.vendor, p.model, p.status) for p in phones] == [
        ("80:5e:c0:11:22:33", "Yealink", "T46U", "data"),
        ("c0:74:ad:44:55:66", "Grandstream", "GXP2170", "data")]
    assert phones[0].details["extension"] == 2100
    assert phones[0].details["person"] == "Şükrü Öztürk"


# --- flags on fixed days ---------------------------------------------------------------------


@pytest.mark.parametrize(("end", "state", "left"), [
    (dt.date(2027, 1, 15), "ending", 39),
    (dt.date(2027, 6, 1), "valid", 176),
    (dt.date(2026, 11, 1), "ended", -36),
    (dt.date(2026, 12, 7), "ending", 0),   # the last valid day is today
    (dt.date(2027, 3, 7), "ending", 90),   # the first day of the window
    (dt.date(2027, 3, 8), "valid", 91),
    (None, "unknown", None),
])
def test_warranty_state_on_2026_12_07(end: dt.date | None, state: str,
                                      left: int | None) -> None:
    assert reportmod.expiry(end, TODAY, 90) == (state, left)


def test_warranty_flags_of_the_lab_register(lab: Inventory) -> None:
    report = reportmod.build(sample_records(lab), lab.varliklar, {"merkez": "Merkez"}, TODAY)
    flagged = {r.ad: (r.garanti_durumu, r.garanti_kalan) for r in report.warranty_flags}
    assert flagged == {
        "srv-db": ("ending", 39),           # 2027-01-15
        "srv-yedek": ("ended", -36),        # 2026-11-01
        "sw-merkez-kat1": ("ending", 24),   # 2026-12-31
        "80:5e:c0:11:22:33 (dahili 2100, Şükrü Öztürk)": ("ended", -87),
        "APC Smart-UPS SRT 3000": ("ending", 83),  # on the register only: 2027-02-28
    }
    rows = {r.ad: r for r in report.rows}
    assert rows["sw-merkez-cekirdek"].garanti_durumu == "valid"    # 2027-06-01
    assert rows["srv-dc"].garanti_durumu == "valid"
    assert report.flagged


def test_licence_over_its_count(lab: Inventory) -> None:
    records = sample_records(lab)
    uses = {x.product: x for x in reportmod.licence_uses(
        records, list(lab.varliklar.lisanslar), TODAY, 90)}
    backup = uses["Yedekleme yazılımı destek sözleşmesi"]
    assert backup.count == 2
    assert backup.installs == {"srv-db": ["restic 0.14.0-1+b5"],
                               "srv-yedek": ["restic 0.14.0-1+b5"],
                               "srv-log": ["restic 0.14.0-1+b5"]}
    assert (backup.used, backup.over, backup.state) == (3, True, "valid")
    pg = uses["PostgreSQL kurumsal destek aboneliği"]
    # postgresql-1* matches the server, not postgresql-client-15
    assert (pg.installs, pg.over) == ({"srv-db": ["postgresql-15 15.10-0+deb12u1"]}, False)
    pbx = uses["Santral (Asterisk) bakım sözleşmesi"]
    assert (pbx.used, pbx.over, pbx.state, pbx.days_left) == (0, False, "ending", 55)
    # a server that could not be read is not counted
    unread = [r for r in records if r.name != "srv-log"] + [
        Record(kind="server", name="srv-log", site="merkez", address="10.10.20.10",
               source="ansible", status="failed", packages={"restic": "0.14.0-1+b5"})]
    again = {x.product: x for x in reportmod.licence_uses(
        unread, list(lab.varliklar.lisanslar), TODAY, 90)}
    assert (again[backup.product].used, again[backup.product].over) == (2, False)


def test_rows_join_the_register_by_name_serial_and_mac(lab: Inventory) -> None:
    sites = {s.code: s.name for s in lab.sites}
    report = reportmod.build(sample_records(lab), lab.varliklar, sites, TODAY)
    rows = {r.ad: r for r in report.rows}
    db = rows["srv-db"]
    assert (db.sicil_no, db.tasinir_kodu, db.marka, db.model, db.seri_no) == (
        "BIM-SNC-2023-0001", "253.02.01", "Dell Inc.", "PowerEdge R650", "7XK2QH3")
    assert db.konum == "Sistem odası, kabin A"
    assert db.lisansli == ("PostgreSQL kurumsal destek aboneliği: postgresql-15 "
                           "15.10-0+deb12u1; Yedekleme yazılımı destek sözleşmesi: restic "
                           "0.14.0-1+b5")
    assert db.bellek == "251,6 GB"
    assert db.islemci.endswith("(2 soket, 16 çekirdek, 64 vCPU)")
    cam = rows["kam-giris"]
    # no konum on the register: the site's name
    assert (cam.sicil_no, cam.seri_no, cam.konum) == ("BIM-KAM-2025-0001", "LAB000001",
                                                      "Merkez Hizmet Binası")
    phone = rows["80:5e:c0:11:22:33 (dahili 2100, Şükrü Öztürk)"]
    assert (phone.sicil_no, phone.tur, phone.okuma) == ("BIM-TEL-2024-0001", "IP telefon",
                                                        "data")
    ups = report.rows[-1]
    assert (ups.sicil_no, ups.tur, ups.marka, ups.model, ups.seri_no, ups.okuma) == (
        "BIM-KGK-2023-0001", "Kayıtlı varlık", "APC", "Smart-UPS SRT 3000", "AS2315123456",
        "register")
    assert [r.sira for r in report.rows] == list(range(1, len(report.rows) + 1))
    assert report.unregistered == ["gw-merkez", "c0:74:ad:44:55:66"]
    assert [r.name for r in report.failed] == ["gw-merkez", "sw-merkez-kat1"]
    assert report.serial_mismatches == []


def test_serial_on_the_register_that_differs_is_flagged(lab: Inventory) -> None:
    register = lab.varliklar.model_copy(update={"varliklar": [
        models.Varlik(cihaz="sw-merkez-cekirdek", seri_no="FOC1111X222",
                      sicil_no="BIM-AG-2022-0001"),
        # the register's serial alone finds the device that reports it
        models.Varlik(seri_no="lab000001", sicil_no="BIM-KAM-2025-0001")]})
    report = reportmod.build(sample_records(lab), register, {}, TODAY)
    assert report.serial_mismatches == [{"name": "sw-merkez-cekirdek",
                                         "register": "FOC1111X222", "read": "FOC2418L0AB"}]
    assert report.flagged
    rows = {r.ad: r for r in report.rows}
    assert rows["kam-giris"].sicil_no == "BIM-KAM-2025-0001"
    assert len(report.rows) == len(sample_records(lab))  # no register-only row left


def test_without_a_register_nothing_is_flagged_as_unregistered(lab: Inventory) -> None:
    report = reportmod.build(sample_records(lab), None, {}, TODAY)
    assert report.unregistered == [] and report.licences == []
    assert not report.warranty_flags and not report.flagged
    assert report.warn_days == models.WARRANTY_WARN_DAYS


# --- CSV and HTML ----------------------------------------------------------------------------


def written(lab: Inventory, tmp_path: Path) -> tuple[dict[str, Path], dict]:
    records = sample_records(lab)
    records[0].vendor = "=HYPERLINK(\"http://x\")"  # what a hostile device could report
    report = reportmod.build(records, lab.varliklar, {s.code: s.name for s in lab.sites},
                             TODAY)
    now = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    data = reportmod.record(report, records, {"kind": "asset-inventory",
                                              **reportmod.stamped(now),
                                              "inventory": "inventory/lab"})
    return reportmod.write(data, report, tmp_path), data


def test_csv_is_excel_ready_with_turkish_letters(lab: Inventory, tmp_path: Path) -> None:
    paths, _ = written(lab, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "20261207T093000Z-varlik-envanteri.csv", "20261207T093000Z-varlik-envanteri.html",
        "20261207T093000Z-varlik-envanteri.json"]
    raw = paths["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark: Excel reads UTF-8
    assert b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == reportmod.COLUMNS
    assert rows[0][:8] == ["Sıra No", "Sicil No", "Taşınır Kodu", "Tür", "Ad", "Marka",
                           "Model", "Seri No"]
    assert "Garanti Bitiş" in rows[0]
    for letters in ("ş", "ğ", "ı", "İ", "Ş", "ö", "ü", "ç"):
        assert letters in text, letters
    by_name = {r[4]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    db = by_name["srv-db"]
    assert db["Sicil No"] == "BIM-SNC-2023-0001"
    assert db["Garanti Bitiş"] == "15.01.2027"
    assert db["Garanti Durumu"] == "YAKLAŞIYOR (39 gün kaldı)"
    assert db["Marka"] == "'=HYPERLINK(\"http://x\")"  # not a formula in Excel
    assert by_name["srv-yedek"]["Garanti Durumu"] == "BİTTİ (36 gün önce)"
    assert by_name["sw-merkez-kat1"]["Okuma Durumu"] == "GİRİŞ REDDEDİLDİ: refused"
    assert by_name["kam-giris"]["Konum"] == "Merkez Hizmet Binası"
    assert by_name["80:5e:c0:11:22:33 (dahili 2100, Şükrü Öztürk)"]["Tür"] == "IP telefon"
    # the İ of "İşlem" survives too (konum of the phone)
    assert "Bilgi İşlem Müdürlüğü, oda 104" in text


def test_json_keeps_the_records_for_a_later_report(lab: Inventory, tmp_path: Path) -> None:
    paths, data = written(lab, tmp_path)
    back = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert back["records"] == data["records"]
    restored = [Record.from_dict(r) for r in back["records"]]
    assert restored[0].packages["postgresql-15"] == "15.10-0+deb12u1"
    assert back["flagged"] and not back["ok"]
    assert [f["name"] for f in back["failed"]] == ["gw-merkez", "sw-merkez-kat1"]


def test_html_flags_warranties_and_licences(lab: Inventory, tmp_path: Path) -> None:
    paths, _ = written(lab, tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert '<html lang="tr">' in html
    assert "Varlık Envanteri (Taşınır Sayım Listesi)" in html
    assert "YAKLAŞIYOR (39 gün kaldı)" in html
    assert "BİTTİ (36 gün önce)" in html
    assert "LİSANS FAZLASI KURULUM (1 fazla)" in html
    assert "Santral (Asterisk) bakım sözleşmesi" in html and "YAKLAŞIYOR (55 gün kaldı)" in html
    assert "2 CİHAZ OKUNAMADI" in html
    assert "Taşınır kaydı olmayan varlıklar" in html
    assert "=HYPERLINK(&#34;http://x&#34;)" in html  # escaped


# --- the tasks -------------------------------------------------------------------------------


def test_collect_reports_a_failure_and_goes_on(lab: Inventory, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """No network: the three readers are replaced by what they would return."""
    records = sample_records(lab)
    servers = [r for r in records if r.kind == "server"]
    monkeypatch.setattr(collectmod.secretsmod, "read", lambda inv: {})
    monkeypatch.setattr(collectmod, "read_servers", lambda inv, hosts: servers)

    def devices(vault: dict, chosen: list, **kw: object) -> list[Record]:
        out = [r for r in records if r.kind == "switch"]
        for r in out:
            kw["progress"](r)  # type: ignore[operator]
        return out

    def cameras(chosen: list, vault: dict, **kw: object) -> list[Record]:
        out = [r for r in records if r.kind == "camera"]
        for r in out:
            kw["progress"](r)  # type: ignore[operator]
        return out

    monkeypatch.setattr(collectmod, "read_devices", devices)
    monkeypatch.setattr(collectmod, "read_cameras", cameras)
    code = runmod.collect(lab, "inventory/lab", today=TODAY, folder=tmp_path)
    out = capsys.readouterr()
    assert code == runmod.EXIT_FAILED
    assert "Sunucu srv-db: okundu (Dell Inc. PowerEdge R650, seri no 7XK2QH3)" in out.out
    assert "Sunucu gw-merkez: ERİŞİLEMEDİ: no answer" in out.out
    assert "Ağ anahtarı sw-merkez-kat1: GİRİŞ REDDEDİLDİ: refused" in out.out
    assert "IP kamera kam-giris: okundu (Hikvision DS-2CD2143G2-I, seri no LAB000001)" in (
        out.out)
    assert "2 device(s) could not be read: gw-merkez, sw-merkez-kat1" in out.err
    [path] = tmp_path.glob("*-varlik-envanteri.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["municipality"] == "ornekkoy" and data["total"] == len(data["rows"])
    kinds = [r["kind"] for r in data["records"]]
    assert kinds.count("server") == 5 and kinds.count("phone") == 2

    # the report again, later, from that record: contacts nothing, exit 1 on the flags
    monkeypatch.setattr(collectmod, "read_servers", None)  # would fail if called
    assert runmod.report(lab, "inventory/lab", today=TODAY, folder=tmp_path) == 1
    newest = reportmod.latest(tmp_path)
    assert newest != path and json.loads(newest.read_text())["source"] == str(path)
    # in 2020 no warranty was near its end, but a licence is over its count all the same
    assert runmod.report(lab, "inventory/lab", today=dt.date(2020, 1, 1), source=path,
                         folder=tmp_path) == 1
    assert json.loads(reportmod.latest(tmp_path).read_text())["warranty_flags"] == []
    no_licences = dataclasses.replace(lab, varliklar=lab.varliklar.model_copy(
        update={"lisanslar": []}))
    assert runmod.report(no_licences, "inventory/lab", today=dt.date(2020, 1, 1),
                         source=path, folder=tmp_path) == 0
    assert runmod.report(lab, "inventory/lab", source=tmp_path / "yok.json",
                         folder=tmp_path) == runmod.EXIT_INVALID
    assert runmod.report(lab, "inventory/lab", folder=tmp_path / "bos") == runmod.EXIT_INVALID


def test_dry_run_lists_what_would_be_read(lab: Inventory,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert runmod.dry_run(lab, "inventory/lab") == 0
    out = capsys.readouterr().out
    assert "would read 15 asset(s)" in out
    assert "sw-merkez-sunucu (huawei_vrp, 10.10.99.13, SSH)" in out
    assert "kam-otopark (dahua, 10.10.40.22:80, ONVIF)" in out


# --- the readers against the simulators (127.0.0.1 only) ----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_switches_read_with_netmiko_from_the_simulator(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # the lab gives the simulator devices.yml's model, spaces and all
    specs = [DeviceSpec("sw-cisco", "cisco_ios", model="Catalyst 9300-24T",
                        serial="FOC2418L0AB", ports=["GigabitEthernet1/0/1-2"]),
             DeviceSpec("sw-huawei", "huawei", model="S5735-S24T4X",
                        ports=["GigabitEthernet0/0/1-2"])]

    def device(name: str, vendor: str, model: str) -> models.Device:
        return models.Device(name=name, site="merkez", kind="switch", vendor=vendor,
                             model=model, network="merkez-yonetim", ip="127.0.0.1")

    chosen = [device("sw-cisco", "cisco_ios", "Catalyst 9300-24T"),
              # the inventory says one model, the device another: the device's is kept
              device("sw-huawei", "huawei_vrp", "S5735-L24T4S-A1"),
              device("sw-closed", "cisco_ios", "Catalyst 2960X"),
              device("sw-wrong", "cisco_ios", "Catalyst 2960X")]
    with NetSimulator(specs, tmp_path / "state") as sim:
        targets = {}
        for name, vendor in (("sw-cisco", "cisco_ios"), ("sw-huawei", "huawei_vrp")):
            args = sim.netmiko_args(name)
            targets[name] = Target(name, vendor, args["host"], port=args["port"],
                                   username=args["username"], password=args["password"])
        targets["sw-closed"] = Target("sw-closed", "cisco_ios", "127.0.0.1", port=free_port(),
                                      username="admin", password="admin")
        args = sim.netmiko_args("sw-cisco")
        targets["sw-wrong"] = Target("sw-wrong", "cisco_ios", args["host"], port=args["port"],
                                     username=args["username"], password="Yanlis-1")
        monkeypatch.setattr(collectmod.devmod, "target", lambda vault, d: targets[d.name])
        seen: list[str] = []
        records = collectmod.read_devices({}, chosen, workers=4, timeout=10, retries=0,
                                          progress=lambda r: seen.append(r.name))
    assert sorted(seen) == sorted(d.name for d in chosen)
    by = {r.name: r for r in records}
    assert [r.name for r in records] == [d.name for d in chosen]
    cisco = by["sw-cisco"]
    assert (cisco.status, cisco.vendor, cisco.model, cisco.serial) == (
        "ok", "Cisco", "Catalyst 9300-24T", "FOC2418L0AB")
    assert cisco.software == "15.2(7)E8"
    assert "inventory_model" not in cisco.details
    huawei = by["sw-huawei"]
    assert (huawei.status, huawei.vendor, huawei.model) == ("ok", "Huawei", "S5735-S24T4X")
    assert huawei.details["inventory_model"] == "S5735-L24T4S-A1"
    assert huawei.serial and huawei.serial.startswith("2102351931P0")
    assert huawei.software and huawei.software.startswith("VRP 5.170 (S5735 ")
    assert by["sw-closed"].status == "unreachable"
    assert (by["sw-wrong"].status, by["sw-wrong"].details["attempts"]) == ("auth-failed", 1)


def test_cameras_read_over_onvif_from_the_simulator(tmp_path: Path) -> None:
    state = tmp_path / "cams"
    init_camera(state, "kam-giris", vendor="hikvision", model="DS-2CD2143G2-I",
                firmware="V5.7.15", serial="LAB000001", user="bilgiislem",
                password="Adm1nSifre001")
    init_camera(state, "kam-eski", vendor="dahua", model="IPC-HFW2431S", serial="LAB000002")
    sim = OnvifSimulator(state, watch_interval=0.1).start()
    try:
        def camera(name: str, vendor: str, port: int) -> models.Camera:
            return models.Camera.model_validate({
                "name": name, "site": "merkez", "location": "Ana giriş", "vendor": vendor,
                "model": "bilinmiyor", "network": "merkez-kamera", "ip": "127.0.0.1",
                "class": "entrance", "nvr": "srv-nvr", "onvif_port": port})

        chosen = [camera("kam-giris", "hikvision", sim.address("kam-giris")[1]),
                  # still on its factory account: the project's is refused
                  camera("kam-eski", "dahua", sim.address("kam-eski")[1]),
                  camera("kam-kapali", "axis", free_port()),
                  camera("kam-parolasiz", "axis", free_port())]
        vault = {"vault_camera_admin_passwords": {"kam-giris": "Adm1nSifre001",
                                                  "kam-eski": "Adm1nSifre002",
                                                  "kam-kapali": "Adm1nSifre003"}}
        seen: list[str] = []
        records = collectmod.read_cameras(chosen, vault, concurrency=4, timeout=5,
                                          progress=lambda r: seen.append(r.name))
    finally:
        sim.stop()
    by = {r.name: r for r in records}
    assert sorted(seen) == sorted(by)
    giris = by["kam-giris"]
    # the manufacturer as the camera says it
    assert (giris.status, giris.vendor, giris.model, giris.serial, giris.software) == (
        "ok", "HIKVISION", "DS-2CD2143G2-I", "LAB000001", "V5.7.15")
    assert giris.details == {"hardware_id": "DS-2CD2143G2-I-HW", "location": "Ana giriş"}
    assert by["kam-eski"].status == "auth-failed"
    assert "cameras.apply" in (by["kam-eski"].error or "")
    assert by["kam-kapali"].status == "unreachable"
    assert by["kam-parolasiz"].status == "failed"
    assert "./scripts/invoke secrets" in (by["kam-parolasiz"].error or "")
