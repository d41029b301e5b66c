"""``invoke audit.report``: one report over the newest evidence (audit/evidence_report.py).

The evidence is built in tmp_path from small samples in the real formats
(tests/unit/fixtures/denetim/: copied from lab runs, or written by the modules' own writers),
dated relative to a fixed ``NOW``; the git history comes from a throwaway repository.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from htmlcheck import check_html
from invoke import Context
from invoke.exceptions import Exit

from bilgiislem import REPO_ROOT
from bilgiislem.audit import evidence_report as er

FIX = Path(__file__).parent / "fixtures" / "denetim"
NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)

TITLES = ["Sıkılaştırma puanları (Lynis / OpenSCAP)",
          "Yedekleme durumu ve geri yükleme tatbikatı", "5651 mühür doğrulaması",
          "Ağ yapılandırma sapması", "Kamera denetimi", "VPN durumu",
          "Erişim matrisi ve sahipsiz hesaplar", "Dönem içindeki değişiklikler (git geçmişi)"]


def _stamp(t: dt.datetime) -> str:
    return t.strftime("%Y%m%dT%H%M%SZ")


def sample(name: str) -> dict[str, Any]:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def put(evidence: Path, folder: str, suffix: str, data: dict[str, Any],
        age: dt.timedelta) -> Path:
    """``data`` as ``evidence/folder/<stamp>-suffix.json`` dated ``age`` before NOW."""
    t = NOW - age
    data = {**data, "time": t.isoformat()}
    if "stamp" in data:
        data["stamp"] = _stamp(t)
    path = evidence / folder / f"{_stamp(t)}-{suffix}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path.with_suffix(".html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    return path


def put_hardening(evidence: Path, data: dict[str, Any], age: dt.timedelta) -> Path:
    t = NOW - age
    data = {**data, "run": {**data["run"], "id": _stamp(t), "time": t.isoformat()}}
    folder = evidence / "audit" / "hardening" / _stamp(t)
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "index.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    return folder / "summary.json"


def full_evidence(root: Path, skip: tuple[str, ...] = (), **ages: dt.timedelta) -> Path:
    """Every kind of evidence, fresh and passing (ages and omissions as given)."""
    ev = root / "evidence"
    kinds = {"backup_status": ("backup", "status", "backup-status.json", 3 * HOUR),
             "drill": ("backup", "drill", "backup-drill.json", 5 * DAY),
             "verify": ("legal-log", "verify", "legal-log-verify.json", 5 * HOUR),
             "drift": ("network", "drift", "net-drift.json", 2 * DAY),
             "push": ("network", "push", "net-push.json", 2 * DAY + HOUR),
             "net_backup": ("network", "backup", "net-backup.json", 2 * DAY + 2 * HOUR),
             "cameras": ("cameras", "audit", "cameras-audit.json", 3 * DAY),
             "vpn": ("vpn", "durum", "vpn-durum.json", 2 * HOUR),
             "users": ("users", "erisim", "users-erisim.json", 10 * DAY)}
    for key, (folder, suffix, name, age) in kinds.items():
        if key not in skip:
            put(ev, folder, suffix, sample(name), ages.get(key, age))
    if "hardening" not in skip:
        put_hardening(ev, sample("hardening-summary.json"), ages.get("hardening", 7 * DAY))
    deploy = {"kind": "deploy", "operator": "ayse.celik", "git_commit": "abc",
              "git_dirty": False, "inventory": "inventory/lab", "playbook": "site",
              "check_mode": False, "limit": None, "tags": None, "returncode": 0,
              "hosts": [{"host": "srv-log", "ok": 10, "changed": 1, "unreachable": 0,
                         "failed": 0, "skipped": 0, "rescued": 0, "ignored": 0}]}
    put(ev, "deploy", "apply", deploy, 1 * DAY)
    put(ev, "deploy", "check", {**deploy, "check_mode": True}, 1 * DAY + HOUR)
    put(ev, "deploy", "apply", {**deploy, "returncode": 2}, 60 * DAY)  # outside a month
    return ev


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with a role change 2 days ago, a docs change 3 days ago and an inventory
    change 40 days ago."""
    path = tmp_path_factory.mktemp("repo")

    def git(*args: str, when: dt.datetime | None = None) -> None:
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        if when:
            env |= {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()}
        subprocess.run(["git", "-C", str(path), "-c", "user.name=Ayşe Çelik",
                        "-c", "user.email=ayse@ornekkoy.bel.tr", *args], check=True,
                       env=env, capture_output=True)

    git("init", "-q", "-b", "main")
    for rel, subject, age in (("inventory/lab/hosts.yml", "srv-db eklendi", 40 * DAY),
                              ("docs/x.md", "Belge düzeltmesi", 3 * DAY),
                              ("roles/backup_client/tasks/main.yml",
                               "Yedek istemcisi: saatlik sınıf", 2 * DAY)):
        file = path / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(subject + "\n", encoding="utf-8")
        git("add", rel)
        git("commit", "-q", "-m", subject, when=NOW - age)
    return path


def by_key(report: er.Report) -> dict[str, er.Section]:
    return {s.key: s for s in report.sections}


# --- all green ----------------------------------------------------------------------------------


def test_fresh_passing_evidence_makes_every_section_green(tmp_path: Path, repo: Path) -> None:
    report = er.collect(full_evidence(tmp_path), NOW, "month", repo=repo)
    assert [s.title for s in report.sections] == TITLES
    assert {s.key: s.status for s in report.sections} == {s.key: er.TAMAM
                                                          for s in report.sections}
    assert report.red == []
    s = by_key(report)
    assert s["sertlestirme"].summary == "2 sunucu, 2 uyumlu"
    assert s["yedekleme"].summary == "4 set/sunucu; 17/17 sınıf OK; tatbikat 4/4 başarılı"
    assert s["5651"].summary == "17 paket denetlendi, 0 başarısız"
    assert s["kameralar"].summary == "2 kamera, 2 temiz, 0 bulgu"
    assert s["vpn"].summary == "3 birim, 0 kapalı"
    assert s["erisim"].summary.startswith("6 kişi, 0 ihlal, 1 sahipsiz hesap")
    # each section's evidence is dated from inside the JSON
    backup_status = s["yedekleme"].evidence[0]
    assert backup_status.time == (NOW - 3 * HOUR).isoformat()
    assert backup_status.age_seconds == 3 * 3600
    assert backup_status.path.startswith("backup/") and backup_status.html.endswith(".html")
    assert s["sertlestirme"].evidence[0].html.endswith("/index.html")


def test_the_period_picks_the_git_window_and_it_paths(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path)
    week = by_key(er.collect(ev, NOW, "week", repo=repo))["degisiklikler"]
    assert week.details["commits_total"] == 2  # the role and the docs change
    assert week.details["it_changes"] == 1
    [change] = week.details["changes"]
    assert change["author"] == "Ayşe Çelik" and change["subject"] == \
        "Yedek istemcisi: saatlik sınıf"
    assert change["areas"] == ["roles/backup_client"]
    assert week.details["deploys"] == {"applied": 1, "failed": 0, "previews": 1}
    year = by_key(er.collect(ev, NOW, "year", repo=repo))["degisiklikler"]
    assert (year.details["commits_total"], year.details["it_changes"]) == (3, 2)
    assert year.details["deploys"] == {"applied": 2, "failed": 1, "previews": 1}
    assert year.status == er.TAMAM  # a failed deploy is listed, not a red section
    assert year.tables[1].rows[-1].bad
    with pytest.raises(ValueError, match="unknown period"):
        er.collect(ev, NOW, "decade", repo=repo)


def test_run_writes_the_html_and_json_twin_and_strict_passes(tmp_path: Path, repo: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    ev = full_evidence(tmp_path)
    code = er.run("week", strict=True, evidence_dir=ev, now=NOW, repo=repo,
                  out=ev / "audit")
    assert code == er.EXIT_OK
    out = capsys.readouterr().out
    assert "TAMAM: her bölüm yeşil" in out
    assert "20261207T120000Z-denetim-raporu.html (+ .json)" in out
    data = json.loads((ev / "audit" / "20261207T120000Z-denetim-raporu.json").read_text())
    assert data["kind"] == "audit-report" and data["status"] == "tamam"
    assert data["period"] == {"name": "week", "days": 7, "start": "2026-11-30T12:00:00+00:00",
                              "end": "2026-12-07T12:00:00+00:00"}
    assert data["red_sections"] == [] and data["strict_exit_code"] == 0
    assert [s["title"] for s in data["sections"]] == TITLES
    assert (ev / "audit" / "20261207T120000Z-denetim-raporu.html").is_file()


# --- red sections -------------------------------------------------------------------------------


def test_stale_evidence_makes_its_section_red_and_strict_fails(
        tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ev = full_evidence(tmp_path, backup_status=3 * DAY)
    report = er.collect(ev, NOW, "month", repo=repo)
    s = by_key(report)
    assert s["yedekleme"].status == er.ESKI
    assert [r.key for r in report.red] == ["yedekleme"]
    assert s["yedekleme"].problems == [
        "Yedek durumu: kanıt 3 gün 0 sa önce (en çok 2 gün olmalı; backup.status "
        "çalıştırılmalı)"]
    assert er.run("month", strict=True, evidence_dir=ev, now=NOW, repo=repo,
                  out=tmp_path / "out") == er.EXIT_FAILED
    cap = capsys.readouterr()
    assert "2. Yedekleme durumu ve geri yükleme tatbikatı (eski)" in cap.err
    # without --strict the same report exits 0
    assert er.run("month", evidence_dir=ev, now=NOW, repo=repo, out=tmp_path / "out") == 0


def test_every_max_age_is_in_the_one_table(tmp_path: Path, repo: Path) -> None:
    table = {k["kind"]: k["max_age_days"] for k in er.max_age_table()}
    assert table == {"audit-hardening-summary": 35, "backup-status": 2, "backup-drill": 35,
                     "legal-log-verify": 2, "net-drift": 8, "net-push": None,
                     "net-backup": None, "cameras-audit": 8, "vpn-status": 2,
                     "users-report": 35, "deploy": None}
    # just over each limit: the section is stale
    over = {"hardening": 36 * DAY, "drill": 36 * DAY, "verify": 2 * DAY + HOUR,
            "drift": 9 * DAY, "cameras": 9 * DAY, "vpn": 3 * DAY, "users": 36 * DAY}
    for key, age in over.items():
        sub = tmp_path / key
        report = er.collect(full_evidence(sub, **{key: age}), NOW, "month", repo=repo)
        assert [(r.key, r.status) for r in report.red] == [
            ({"hardening": "sertlestirme", "drill": "yedekleme", "verify": "5651",
              "drift": "ag", "cameras": "kameralar", "vpn": "vpn",
              "users": "erisim"}[key], er.ESKI)], key


def test_a_failed_drill_and_a_failed_verification_are_named(tmp_path: Path,
                                                            repo: Path) -> None:
    ev = full_evidence(tmp_path, skip=("drill", "verify"))
    drill = sample("backup-drill.json")
    bad = drill["sets"][3]
    assert bad["set"] == "otomasyon-db"
    bad.update(status="FAIL", check="failed", reasons=["depo denetimi: failed"])
    drill["status"] = "FAIL"
    put(ev, "backup", "drill", drill, 2 * DAY)
    verify = sample("legal-log-verify.json")
    answer = verify["collectors"]["srv-log"]["answer"]
    answer["basarisiz"] = 1
    answer["sonuclar"][6].update(sonuc="FAIL", sorunlar=[
        "2026-12-07/srv-db/ham/sayim.log.gz: SHA-256 differs from MANIFEST.sha256"])
    verify["ok"] = False
    put(ev, "legal-log", "verify", verify, HOUR)
    s = by_key(er.collect(ev, NOW, "month", repo=repo))
    assert s["yedekleme"].status == er.BASARISIZ
    assert s["yedekleme"].problems == [
        "Geri yükleme tatbikatı: otomasyon-db@srv-db FAIL: depo denetimi: failed"]
    assert s["yedekleme"].summary.endswith("tatbikat 3/4 başarılı")
    assert s["5651"].status == er.BASARISIZ
    assert s["5651"].problems == [
        "5651 doğrulaması: srv-log 2026-12-07/srv-db FAIL: 2026-12-07/srv-db/ham/"
        "sayim.log.gz: SHA-256 differs from MANIFEST.sha256"]
    assert [r.cells[2] for r in s["5651"].tables[1].rows] == ["srv-db"]


def test_failures_of_the_other_kinds_are_named(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path, skip=("hardening", "drift", "cameras", "vpn", "users",
                                       "backup_status"))
    hard = sample("hardening-summary.json")
    hard["hosts"][0].update(status="uyumsuz", lynis_hardening_index=40,
                            problems=["Lynis sertleştirme indeksi 40 < hedef 50"])
    put_hardening(ev, hard, DAY)
    status = sample("backup-status.json")
    status["rows"][0].update(state="STALE")
    status["rows"][0]["status_file"]["last_error"] = "repository locked"
    status["status"] = "NOT OK"
    put(ev, "backup", "status", status, HOUR)
    drift = sample("net-drift.json")
    drift["devices"][1].update(status="drift", change=["interface Gi1/0/5", "  exit"])
    drift["ok"] = drift["clean"] = False
    put(ev, "network", "drift", drift, DAY)
    cams = sample("cameras-audit.json")
    finding = {"camera": "kam-otopark", "kind": "clock-drift", "detail": "saat farkı +599 sn"}
    cams["findings"] = [finding]
    cams["cameras"][1].update(clean=False, findings=[finding])
    cams["ok"] = False
    put(ev, "cameras", "audit", cams, DAY)
    vpn = sample("vpn-durum.json")
    vpn["sites"][1].update(status="down", problems=["ping yanıtsız"])
    vpn["down"] = [vpn["sites"][1]["site"]]
    put(ev, "vpn", "durum", vpn, HOUR)
    users = sample("users-erisim.json")
    users["unread_hosts"] = ["srv-db"]
    leaver = next(p for p in users["people"] if p["durum"] == "ayrildi")
    leaver["ihlal"] = ["etkin dizin hesabı"]
    users["violations"] = [leaver]
    put(ev, "users", "erisim", users, DAY)
    s = by_key(er.collect(ev, NOW, "month", repo=repo))
    assert s["sertlestirme"].problems == [
        "Sıkılaştırma taraması: srv-log uyumsuz: Lynis sertleştirme indeksi 40 < hedef 50"]
    assert s["yedekleme"].problems == [
        "Yedek durumu: etc/daily@srv-log STALE (repository locked)"]
    assert s["ag"].problems == ["Yapılandırma sapma denetimi: sw-merkez-kat1 sapma var (2 satır)"]
    assert s["kameralar"].problems == [
        "Kamera denetimi: kam-otopark: saat kayması — saat farkı +599 sn"]
    assert s["vpn"].problems == ["VPN durumu: itfaiye kapalı: ping yanıtsız"]
    assert s["erisim"].problems == [
        "Erişim raporu: okunamayan sunucular: srv-db",
        f"Erişim raporu: ayrılan {leaver['ad']} (huseyin.gunes) hâlâ erişebiliyor: "
        "etkin dizin hesabı"]
    assert s["erisim"].tables[1].title == "Ayrılıp erişimi süren kişiler"
    assert all(s[k].status == er.BASARISIZ
               for k in ("sertlestirme", "yedekleme", "ag", "kameralar", "vpn", "erisim"))
    assert s["5651"].status == er.TAMAM
    check_html(er.render_html(er.collect(ev, NOW, "month", repo=repo)))


def test_missing_evidence_is_yok_and_red(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path, skip=("cameras", "push", "net_backup"))
    report = er.collect(ev, NOW, "month", repo=repo)
    s = by_key(report)
    assert s["kameralar"].status == er.YOK and s["kameralar"].red
    assert s["kameralar"].problems == ["Kamera denetimi: kanıt yok (cameras.audit kaydı "
                                       "bulunamadı)"]
    assert s["kameralar"].summary == "kamera denetimi yok"
    # push and config backups only inform: their absence keeps the network section green
    assert s["ag"].status == er.TAMAM
    assert [r.key for r in report.red] == ["kameralar"]
    # no evidence at all, no repository: every section red
    empty = er.collect(tmp_path / "nothing", NOW, "month", repo=None)
    assert {s.status for s in empty.sections} == {er.YOK}
    assert len(empty.red) == 8
    body = " ".join(check_html(er.render_html(empty)).text)
    assert "8 BÖLÜM KIRMIZI" in body and "Hiç sıkılaştırma taraması yok." in body


def test_a_git_failure_is_yok(tmp_path: Path) -> None:
    s = by_key(er.collect(full_evidence(tmp_path), NOW, "week", repo=tmp_path / "no-repo"))
    assert s["degisiklikler"].status == er.YOK
    assert s["degisiklikler"].problems[0].startswith("Git geçmişi: git log başarısız")


# --- which evidence counts ----------------------------------------------------------------------


def test_a_narrowed_drill_replaces_only_its_sets(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path)  # a full drill 5 days ago: 4 sets PASS
    older = sample("backup-drill.json")
    older["sets"] = [{**x, "status": "FAIL", "reasons": ["eski"]} for x in older["sets"]]
    put(ev, "backup", "drill", older, 20 * DAY)  # an older full drill no longer counts
    narrow = sample("backup-drill.json")
    narrow["selection"] = {"sets": ["otomasyon-db"], "clients": ["srv-db"]}
    narrow["sets"] = [{**narrow["sets"][3], "status": "FAIL", "reasons": ["depo bozuk"]}]
    narrow["status"] = "FAIL"
    put(ev, "backup", "drill", narrow, DAY)
    s = by_key(er.collect(ev, NOW, "month", repo=repo))["yedekleme"]
    drills = {(d["set"], d["client"]): d for d in s.details["drills"]}
    assert len(drills) == 4
    assert drills[("otomasyon-db", "srv-db")]["status"] == "FAIL"
    assert drills[("etc", "srv-log")]["status"] == "PASS"
    assert s.problems == ["Geri yükleme tatbikatı: otomasyon-db@srv-db FAIL: depo bozuk"]
    # the drill part is dated by the oldest drill that still counts (the full one)
    assert s.evidence[1].time == (NOW - 5 * DAY).isoformat()


def test_a_limited_hardening_scan_replaces_only_its_host(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path, skip=("hardening",))
    full = sample("hardening-summary.json")
    put_hardening(ev, full, 30 * DAY)
    limited = sample("hardening-summary.json")
    limited["run"] = {**limited["run"], "limit": "srv-log"}
    limited["hosts"] = [{**limited["hosts"][0], "lynis_hardening_index": 77}]
    put_hardening(ev, limited, DAY)
    s = by_key(er.collect(ev, NOW, "month", repo=repo))["sertlestirme"]
    hosts = {h["host"]: h for h in s.details["hosts"]}
    assert hosts["srv-log"]["lynis_hardening_index"] == 77
    assert hosts["srv-db"]["scanned"] == (NOW - 30 * DAY).isoformat()
    assert s.status == er.TAMAM
    assert len(s.details["runs"]) == 2
    # 6 days later srv-db's scan is 36 days old: stale, and named
    later = by_key(er.collect(ev, NOW + 6 * DAY, "month", repo=repo))["sertlestirme"]
    assert later.status == er.ESKI
    assert later.problems[-1] == "Sıkılaştırma taraması: eski taranan sunucular: srv-db"


def test_a_push_failure_counts_until_a_drift_check_reads_the_devices(tmp_path: Path,
                                                                     repo: Path) -> None:
    push = sample("net-push.json")
    push["devices"][0].update(status="failed-rolled-back", error="komut reddedildi")
    push["ok"] = False
    ev = full_evidence(tmp_path / "a", skip=("push",))
    put(ev, "network", "push", push, 3 * DAY)  # before the drift check (2 days ago)
    assert by_key(er.collect(ev, NOW, "month", repo=repo))["ag"].status == er.TAMAM
    ev = full_evidence(tmp_path / "b", skip=("push",))
    put(ev, "network", "push", push, HOUR)  # after it
    s = by_key(er.collect(ev, NOW, "month", repo=repo))["ag"]
    assert s.status == er.BASARISIZ
    assert s.problems == ["Son yapılandırma gönderimi: sw-merkez-cekirdek başarısız, geri "
                          "alındı (komut reddedildi)"]
    # a failed configuration backup is red whatever the drift check says
    backup = sample("net-backup.json")
    backup["devices"][2].update(status="unreachable", error="zaman aşımı")
    ev = full_evidence(tmp_path / "c", skip=("net_backup",))
    put(ev, "network", "backup", backup, 3 * DAY)
    s = by_key(er.collect(ev, NOW, "month", repo=repo))["ag"]
    assert s.status == er.BASARISIZ
    assert s.problems == ["Son yapılandırma yedeği: sw-merkez-sunucu erişilemedi (zaman aşımı)"]


def test_an_unreadable_newer_file_is_a_failure(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path)
    (ev / "vpn" / f"{_stamp(NOW - HOUR // 2)}-durum.json").write_text("{ broken",
                                                                       encoding="utf-8")
    s = by_key(er.collect(ev, NOW, "month", repo=repo))["vpn"]
    assert s.status == er.BASARISIZ
    assert s.problems[0].startswith("VPN durumu: okunamayan kanıt dosyası 20261207T113000Z")


# --- presentation -------------------------------------------------------------------------------


def test_html_is_valid_turkish_and_has_the_charts(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path, backup_status=3 * DAY)
    report = er.collect(ev, NOW, "week", repo=repo,
                        meta={"operator": "ayşe", "git_commit": "abc", "git_dirty": True})
    text = er.render_html(report)
    c = check_html(text)
    body = " ".join(" ".join(c.text).split())
    for n, title in enumerate(TITLES, 1):
        assert f"{n}. {title}" in body
    assert "Bilgi İşlem Denetim Raporu" in body
    assert "ESKİ" in body and "ESKI " not in body  # the Turkish capital İ
    assert "1 BÖLÜM KIRMIZI" in body
    assert "son 7 gün (hafta)" in body
    assert "kaydedilmemiş değişiklik var" in body
    # inline SVG bar charts: backup age per set, hardening score per host; no script
    assert c.seen.count("svg") == 4  # backup age, Lynis, OpenSCAP, changes per person
    assert "<script" not in text and "http://" not in text.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "Son yedeğin yaşı, izin verilen en çok yaşa oranla (set@sunucu)" in text
    assert "Lynis sertleştirme indeksi (sunucu başına)" in text
    assert "OpenSCAP geçme oranı, % (sunucu başına)" in text
    assert "otomasyon-db@srv-db" in text
    # links to each evidence's own page, relative to evidence/audit/
    assert 'href="../backup/20261204T120000Z-status.html"' in text
    assert 'href="../audit/hardening/20261130T120000Z/index.html"' in text


def test_svg_escapes_labels_and_marks_bars(tmp_path: Path) -> None:
    svg = er.svg_bar_chart(er.Chart("x", "Başlık <b>", [
        er.Bar("<script>alert(1)</script>", 50, "50"), er.Bar("srv-db", 120, "120", bad=True)],
        maximum=100, target=85, target_text="hedef 85"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    page = f"<!DOCTYPE html><html><body>{svg}</body></html>"
    c = check_html(page)
    assert c.seen.count("rect") == 2 and c.seen.count("line") == 1
    assert 'fill="#a40000"' in svg  # the bad bar is red
    assert 'width="380.0"' in svg  # a value over the scale is clipped at its end


def test_json_twin_is_complete(tmp_path: Path, repo: Path) -> None:
    ev = full_evidence(tmp_path, skip=("vpn",))
    data = er.to_json(er.collect(ev, NOW, "month", repo=repo))
    json.dumps(data)  # serializable
    assert data["status"] == "kırmızı" and data["strict_exit_code"] == 1
    assert data["red_sections"] == ["6. VPN durumu"]
    vpn = next(s for s in data["sections"] if s["key"] == "vpn")
    assert vpn["red"] and vpn["status"] == "yok"
    assert vpn["evidence"][0]["max_age_days"] == 2
    hard = next(s for s in data["sections"] if s["key"] == "sertlestirme")
    assert [b["label"] for b in hard["charts"][0]["bars"]] == ["srv-db", "srv-log"]


def test_dry_run_writes_nothing_and_a_bad_period_is_invalid(
        tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ev = full_evidence(tmp_path)
    out = tmp_path / "out"
    assert er.run("month", dry_run=True, evidence_dir=ev, now=NOW, repo=repo, out=out) == 0
    assert not out.exists()
    assert "preview: nothing written" in capsys.readouterr().out
    assert er.run("fortnight", evidence_dir=ev, now=NOW, repo=repo, out=out) == \
        er.EXIT_INVALID


def _tasks_module() -> Any:
    spec = importlib.util.spec_from_file_location("bilgiislem_tasks_py_report",
                                                  REPO_ROOT / "tasks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_task_is_in_the_audit_collection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    tasks = _tasks_module()
    assert "audit.report" in tasks.ns.task_names
    with pytest.raises(Exit) as exc:
        tasks.audit_report_task(Context(), period="decade")
    assert exc.value.code == 2
    # --strict with red sections: exit 1; --out relative to the repository
    ev = full_evidence(tmp_path, skip=("vpn",))
    real_run = er.run
    monkeypatch.setattr(er, "run", lambda *a, **kw: real_run(
        *a, **kw, evidence_dir=ev, now=NOW, repo=None))
    with pytest.raises(Exit) as exc:
        tasks.audit_report_task(Context(), strict=True, out=str(tmp_path / "o"))
    assert exc.value.code == 1
    assert len(list((tmp_path / "o").glob("*-denetim-raporu.*"))) == 2
