"""Restore drill and status reports from JSON as the playbooks fetch them (no lab needed)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem.backup import common, report, status
from bilgiislem.inventory import load

LAB = REPO_ROOT / "inventory" / "lab"
META = {"kind": "backup-drill", "time": "2025-03-01T09:00:00+00:00", "operator": "sukru",
        "git_commit": "abc123", "git_dirty": False, "inventory": "inventory/lab"}


def _set(name: str, client: str, kind: str = "files", **extra: Any) -> dict[str, Any]:
    item = {"set": name, "client": client, "type": kind, "snapshot": f"{name}-{client}-1a2b",
            "snapshot_time": "2025-03-01T01:30:04Z", "class": "daily", "rpo_seconds": 27000,
            "rto_seconds": 42.5, "restored_bytes": 5_400_000, "restored_files": 812,
            "check": "ok", "files_compared": 812, "file_differences": [], "tables": [],
            "status": "PASS", "reasons": []}
    item.update(extra)
    return item


GOOD = {
    "repository_host": "srv-yedek", "started": "2025-03-01T08:55:00Z",
    "finished": "2025-03-01T08:59:10Z",
    "sets": [
        _set("etc", "srv-log"), _set("etc", "srv-db"), _set("log-arsivi", "srv-log"),
        _set("otomasyon-db", "srv-db", "postgresql", **{
            "class": "hourly", "files_compared": 0, "restored_files": 1,
            "tables": [{"table": "public.basvuru", "expected": 1200, "restored": 1200},
                       {"table": "public.vatandas", "expected": 350, "restored": 350}]}),
    ],
}


def _dest(tmp_path: Path, *docs: dict[str, Any]) -> Path:
    dest = tmp_path / "dest"
    dest.mkdir()
    for doc in docs:
        (dest / f"{doc['repository_host']}.json").write_text(json.dumps(doc), encoding="utf-8")
    return dest


def test_drill_all_sets_pass(tmp_path: Path) -> None:
    inv = load(LAB)
    rec = report.merge(inv, _dest(tmp_path, GOOD), META)
    assert rec["status"] == "PASS" and rec["exit_code"] == 0
    assert rec["missing"] == [] and rec["problems"] == []
    assert rec["git_commit"] == "abc123" and rec["inventory"] == "inventory/lab"
    html = report.render_html(rec)
    for text in ("Yedekten Geri Yükleme Tatbikatı", "BAŞARILI", "İstemci", "Sınıf",
                 "Anlık görüntü zamanı", "RPO", "RTO", "Karşılaştırılan dosya",
                 "Tablo satır sayıları", "public.basvuru: 1200", "7 sa 30 dk", "42 sn",
                 "01.03.2025 01:30 UTC"):
        assert text in html, text
    assert 'class="bad"' not in html
    table = report.table(rec)
    assert "otomasyon-db" in table and "PASS" in table and "FAIL" not in table


def test_drill_fails_on_differences_and_names_missing_sets(tmp_path: Path) -> None:
    doc = copy.deepcopy(GOOD)
    doc["sets"][0].update(check="error: pack 3f2a... checksum mismatch", status="FAIL",
                          reasons=["restic check reported damage"])
    # The playbook said PASS, but the record shows a difference: the report does not trust it.
    doc["sets"][1]["file_differences"] = [{"path": "/etc/hosts", "problem": "checksum"}]
    doc["sets"][3]["tables"][1]["restored"] = 349
    del doc["sets"][2]  # log-arsivi of srv-log never came back
    rec = report.merge(load(LAB), _dest(tmp_path, doc), META)
    assert rec["status"] == "FAIL" and rec["exit_code"] == 1
    assert rec["missing"] == [{"set": "log-arsivi", "client": "srv-log"}]
    by = {(s["set"], s["client"]): s for s in rec["sets"]}
    assert by[("etc", "srv-log")]["status"] == "FAIL"
    assert "restic check reported damage" in by[("etc", "srv-log")]["reasons"]
    assert any("depo denetimi: error: pack" in r for r in by[("etc", "srv-log")]["reasons"])
    assert by[("etc", "srv-db")]["status"] == "FAIL"
    assert by[("etc", "srv-db")]["reasons"] == ["1 dosya farklı"]
    assert by[("otomasyon-db", "srv-db")]["reasons"] == [
        "tablo public.vatandas: kaynakta 350 satır, geri yüklenende 349"]
    html = report.render_html(rec)
    assert "BAŞARISIZ" in html and "/etc/hosts" in html
    assert "Envanterde tanımlı, ancak tatbikat sonuçlarında yok." in html
    table = report.table(rec)
    assert "MISSING" in table and "log-arsivi" in table


def test_drill_with_no_results_or_broken_file_fails(tmp_path: Path) -> None:
    dest = _dest(tmp_path)
    (dest / "srv-yedek.json").write_text("{not json", encoding="utf-8")
    rec = report.merge(load(LAB), dest, META)
    assert rec["status"] == "FAIL" and len(rec["missing"]) == 4
    assert rec["problems"][0].startswith("srv-yedek.json: not readable JSON")


def test_drill_selection_by_set_and_client() -> None:
    inv = load(LAB)
    assert [(e["set"], e["client"]) for e in report.expected(inv, clients="srv-log")] == [
        ("etc", "srv-log"), ("log-arsivi", "srv-log")]
    assert sorted((e["set"], e["client"]) for e in report.expected(inv, sets="etc")) == [
        ("etc", "srv-db"), ("etc", "srv-log")]
    assert sorted((e["set"], e["client"]) for e in
                  report.expected(inv, sets="etc, otomasyon-db", clients="srv-db")) == [
        ("etc", "srv-db"), ("otomasyon-db", "srv-db")]
    assert len(report.expected(inv)) == 4
    assert report.selection_errors(inv, "etc,otomasyon-db", "srv-db") == []


def test_drill_selection_names_unknown_sets_and_clients() -> None:
    inv = load(LAB)
    assert report.selection_errors(inv, "otomasyon", "srv-dbb,gw-merkez") == [
        "--set 'otomasyon' is not a set of backups.yml; did you mean 'otomasyon-db'? "
        "(known: etc, log-arsivi, otomasyon-db)",
        "--client 'srv-dbb' is not a client of backups.yml; did you mean 'srv-db'? "
        "(known: srv-db, srv-log)",
        "--client 'gw-merkez' is not a client of backups.yml (known: srv-db, srv-log)",
    ]


def test_drill_selection_missing_counts_only_selected_sets(tmp_path: Path) -> None:
    inv = load(LAB)
    only_db = {**GOOD, "sets": [s for s in GOOD["sets"] if s["client"] == "srv-db"]}
    rec = report.merge(inv, _dest(tmp_path, only_db), META, only_clients="srv-db")
    assert rec["status"] == "PASS" and rec["missing"] == []
    assert rec["selection"] == {"sets": [], "clients": ["srv-db"]}
    assert "srv-db" in report.render_html(rec)


def test_drill_writes_json_and_html(tmp_path: Path) -> None:
    rec = report.merge(load(LAB), _dest(tmp_path, GOOD), META)
    path = report.write(rec, "20250301T090000Z", tmp_path / "evidence")
    assert path.name == "20250301T090000Z-drill.json"
    assert json.loads(path.read_text(encoding="utf-8"))["status"] == "PASS"
    assert path.with_suffix(".html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- status -----------------------------------------------------------------------------------

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


def _status(set_: str, cls: str, host: str, last: dt.datetime | None,
            error: str | None = None) -> dict[str, Any]:
    return {"set": set_, "class": cls, "host": host,
            "last_success": last.isoformat() if last else None,
            "last_attempt": (last or NOW).isoformat(), "last_error": error,
            "snapshot": "1a2b3c", "bytes_added": 1024, "total_bytes": 3 * 1024 ** 3,
            "duration_seconds": 12.0}


def test_staleness_limits() -> None:
    assert status.max_age("hourly") == dt.timedelta(hours=3)
    assert status.max_age("daily") == dt.timedelta(days=2, hours=1)
    assert status.max_age("semiannual") == dt.timedelta(days=366, hours=1)
    fresh = {"last_success": (NOW - dt.timedelta(hours=3)).isoformat()}
    assert status.state(fresh, "hourly", NOW) == ("OK", 10800.0)
    late = {"last_success": (NOW - dt.timedelta(hours=3, seconds=1)).isoformat()}
    assert status.state(late, "hourly", NOW)[0] == "STALE"
    assert status.state({"last_success": None}, "daily", NOW) == ("STALE", None)
    assert status.state(None, "daily", NOW) == ("MISSING", None)
    naive = {"last_success": "2025-03-10T11:00:00"}  # no zone: taken as UTC
    assert status.state(naive, "hourly", NOW) == ("OK", 3600.0)


def test_status_table_from_fetched_files(tmp_path: Path) -> None:
    inv = load(LAB)
    dest = tmp_path / "dest"
    # Every expected entry fresh, then spoil a few.
    for set_, cls, host in status.expected(inv):
        folder = dest / host
        folder.mkdir(parents=True, exist_ok=True)
        last = NOW - status.PERIODS[cls] / 2
        (folder / f"{set_}-{cls}.json").write_text(json.dumps(_status(set_, cls, host, last)),
                                                  encoding="utf-8")
    rec = status.evaluate(inv, dest, {"kind": "backup-status"}, NOW)
    assert rec["exit_code"] == 0 and {r["state"] for r in rec["rows"]} == {"OK"}
    assert len(rec["rows"]) == 17  # 3+3 (etc) + 6 (otomasyon-db) + 5 (log-arsivi)

    (dest / "srv-db" / "otomasyon-db-hourly.json").write_text(json.dumps(_status(
        "otomasyon-db", "hourly", "srv-db", NOW - dt.timedelta(hours=5),
        error="pg_dump: connection refused")), encoding="utf-8")
    (dest / "srv-log" / "log-arsivi-semiannual.json").write_text(json.dumps(_status(
        "log-arsivi", "semiannual", "srv-log", None, error="repository locked")),
        encoding="utf-8")
    (dest / "srv-log" / "etc-weekly.json").unlink()
    rec = status.evaluate(inv, dest, {"kind": "backup-status"}, NOW)
    states = {(r["set"], r["class"], r["host"]): r["state"] for r in rec["rows"]}
    assert states[("otomasyon-db", "hourly", "srv-db")] == "STALE"
    assert states[("log-arsivi", "semiannual", "srv-log")] == "STALE"
    assert states[("etc", "weekly", "srv-log")] == "MISSING"
    assert sum(s != "OK" for s in states.values()) == 3
    assert rec["exit_code"] == 1
    table = status.table(rec)
    assert "STALE (pg_dump: connection refused)" in table
    assert "MISSING" in table and "5 sa 0 dk" in table and "3,0 GiB" in table


@pytest.mark.parametrize(("seconds", "text"), [(None, "—"), (5, "5 sn"), (125, "2 dk 5 sn"),
                                               (7260, "2 sa 1 dk"), (90000, "1 gün 1 sa")])
def test_durations_in_turkish(seconds: float | None, text: str) -> None:
    assert common.duration(seconds) == text
