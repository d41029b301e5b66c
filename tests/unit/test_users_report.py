"""The access report and offboarding evidence from exported host state (no hosts needed)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load
from bilgiislem.users import offboard, report

LAB = REPO_ROOT / "inventory" / "lab"


def _directory(**changes: dict) -> dict:
    users = {
        "sukru.ozturk": {"sicil": "1001", "enabled": True,
                         "groups": ["hizmet-eposta", "hizmet-vpn", "mud-bilgi-islem"]},
        "gulsen.dogan": {"sicil": "1004", "enabled": True, "groups": ["mud-kultur"]},
        "eski.hesap": {"sicil": "", "enabled": True, "groups": ["mud-kultur"]},
        "svc-eposta": {"sicil": "", "enabled": True, "groups": [], "service": True},
    }
    for sam, change in changes.items():
        users[sam] = {**users.get(sam, {}), **change}
    return {"kind": "directory", "host": "srv-dc",
            "users": [{"sam": s, "dn": f"CN={s},OU=x", **u} for s, u in users.items()],
            "handover": [{"folder": "huseyin.gunes", "readers": ["sukru.ozturk"]}]}


def test_report_finds_orphans_and_leavers_with_access():
    inv = load(LAB)
    # 0998 left: an enabled account and a server where his key is still installed.
    directory = _directory(**{"huseyin.gunes": {"sicil": "0998", "enabled": True,
                                                 "groups": ["mud-yazi-isleri"]}})
    servers = {"srv-log": {"huseyin.gunes": {"locked": True, "expires": "1", "keys": 1},
                           "sukru.ozturk": {"locked": True, "expires": "", "keys": 1}},
               "srv-db": {}}
    result = report.evaluate(inv, report.Exports(directory, servers))
    assert [o["sam"] for o in result["orphans"]] == ["eski.hesap"]
    assert [o["sam"] for o in result["service_accounts"]] == ["svc-eposta"]
    [leaver] = result["violations"]
    assert leaver["kullanici"] == "huseyin.gunes"
    assert leaver["ihlal"] == ["etkin dizin hesabı", "gruplar: mud-yazi-isleri",
                               "sunucu: srv-log"]
    people = {p["kullanici"]: p for p in result["people"]}
    assert people["sukru.ozturk"]["paylasimlar"] == ["bilgi-islem"]
    assert people["sukru.ozturk"]["devir_okur"] == ["huseyin.gunes"]
    assert people["sukru.ozturk"]["sunucular"] == ["srv-log"]
    assert people["ayse.celik"]["dizin"] == "yok"


def test_report_is_clean_when_the_leaver_is_closed(tmp_path: Path):
    inv = load(LAB)
    directory = _directory(**{"huseyin.gunes": {"sicil": "0998", "enabled": False,
                                                 "groups": []}})
    servers = {"srv-log": {"huseyin.gunes": {"locked": True, "expires": "1", "keys": 0}}}
    mailboxes = {"gulsen.dogan@ornekkoy.bel.tr": {"messages": 3, "handed_over_to": ""}}
    result = report.evaluate(inv, report.Exports(directory, servers, mailboxes))
    assert result["violations"] == []
    people = {p["kullanici"]: p for p in result["people"]}
    assert people["gulsen.dogan"]["posta"] == "var (3 ileti)"
    now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
    path = report.write(result, {"kind": "users-report", "time": now.isoformat(),
                                 "operator": "test", "git_commit": "abc", "git_dirty": False,
                                 "inventory": "inventory/lab", "unread_hosts": []},
                        now, folder=tmp_path)
    assert path.name == "20261121T100000Z-erisim.json"
    assert json.loads(path.read_text())["violations"] == []
    html = path.with_suffix(".html").read_text()
    assert "Kullanıcı Erişim Raporu" in html and "Kültür ve Sosyal İşler Müdürlüğü" in html


def test_read_exports_splits_directory_and_servers(tmp_path: Path):
    (tmp_path / "srv-dc-dizin.json").write_text(json.dumps(_directory()))
    (tmp_path / "srv-dc-sunucu.json").write_text(json.dumps(
        {"kind": "server", "host": "srv-dc", "admins": {}}))
    (tmp_path / "srv-posta-posta.json").write_text(json.dumps(
        {"kind": "mail", "host": "srv-posta", "mailboxes": [
            {"mail": "a@b.tr", "messages": 2, "handed_over_to": "c.d"}]}))
    ex = report.read_exports(tmp_path)
    assert ex.directory is not None and ex.directory["host"] == "srv-dc"
    assert ex.servers == {"srv-dc": {}}
    assert ex.mailboxes == {"a@b.tr": {"mail": "a@b.tr", "messages": 2,
                                       "handed_over_to": "c.d", "host": "srv-posta"}}


def test_offboard_needs_the_personnel_file_to_say_left():
    inv = load(LAB)
    assert offboard.find(inv, "huseyin.gunes").sicil_no == "0998"
    assert offboard.find(inv, "0998").sicil_no == "0998"
    with pytest.raises(offboard.OffboardError, match=r"Gülşen Doğan \(1004\) is 'aktif', "
                                                     r"not 'ayrildi'"):
        offboard.find(inv, "gulsen.dogan")
    with pytest.raises(offboard.OffboardError, match=r"did you mean 'gulsen\.dogan'"):
        offboard.find(inv, "gulsen.dgan")


def test_offboarding_evidence_keeps_the_whole_username(tmp_path: Path):
    now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)
    record = {"time": now.isoformat(), "ok": True, "operator": "test", "git_commit": "abc",
              "git_dirty": False, "inventory": "inventory/lab",
              "person": {"sicil": "1004", "kullanici": "gulsen.dogan", "ad": "Gülşen Doğan",
                         "mudurluk": "kultur", "ayrilis": "2026-11-20",
                         "devir_alan": "sukru.ozturk"},
              "directory": {"read": True, "account": "devre dışı", "groups": []},
              "handover": {"folders": [{"folder": "gulsen.dogan", "readers": ["sukru.ozturk"]}],
                           "successor_can_read": True},
              "servers": {"srv-log": {"account": False}}, "remaining_access": [],
              "unread_hosts": []}
    path = offboard.write(record, now, "gulsen.dogan", folder=tmp_path)
    assert path.name == "20261121T100000Z-ayrilis-gulsen.dogan.json"
    html = (tmp_path / "20261121T100000Z-ayrilis-gulsen.dogan.html").read_text()
    assert "TÜM ERİŞİMLER KAPANDI" in html and "devir/gulsen.dogan" in html


def test_read_hosts_reads_what_the_playbook_wrote(monkeypatch: pytest.MonkeyPatch):
    """The glue around the export playbook: its folder is read, then removed."""
    seen: dict[str, Path] = {}

    def fake_playbook(path, inventory, *, extra_vars, **_):
        folder = Path(extra_vars["users_report_dir"])
        seen["dir"] = folder
        (folder / "srv-dc-dizin.json").write_text(json.dumps(_directory()))
        (folder / "srv-log-sunucu.json").write_text(json.dumps(
            {"kind": "server", "host": "srv-log", "admins": {}}))
        assert path == report.PLAYBOOK and inventory == LAB
        return type("Result", (), {"ok": True})()

    monkeypatch.setattr(report.ansible_run, "playbook", fake_playbook)
    ok, ex = report.read_hosts(load(LAB))
    assert ok and ex.directory["host"] == "srv-dc" and ex.servers == {"srv-log": {}}
    assert not seen["dir"].exists()
