"""Lab end-to-end of the department-wide audit report (docs/denetim-raporu.md): on the deployed
lab, once the other lab modules have left their evidence (backups, 5651, network, cameras, VPN,
access; conftest.py runs this module last), a hardening audit of three servers, then
`audit.report`: every section is filled from evidence this run wrote, the page is a readable
Turkish HTML document, and a section whose evidence is made stale turns red and fails
`--strict` by name.

The other modules damage things on purpose (a corrupted backup pack, a camera clock set off),
so some sections are red for those reasons; this module checks that each section is *filled*
and from this run, not that the lab is healthy."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from htmlcheck import check_html
from labtools import INVENTORY, STARTED, invoke

from bilgiislem import REPO_ROOT
from bilgiislem.audit import evidence_report
from bilgiislem.inventory import Inventory

pytestmark = pytest.mark.lab

EVIDENCE = REPO_ROOT / "evidence"
SCANNED = ("gw-merkez", "srv-dc", "srv-log")


def newest(pattern: str) -> Path:
    found = sorted(EVIDENCE.glob(pattern))
    assert found, f"no evidence matches {pattern}"
    return found[-1]


@pytest.fixture(scope="module")
def scanned(deployed: Inventory) -> dict:
    res = invoke("audit.hardening", "--inventory", INVENTORY, "--limit", ",".join(SCANNED))
    # 1: a host misses a target or has open findings; still scored and written
    assert res.returncode in (0, 1), res.stdout + res.stderr
    summary = json.loads(newest("audit/hardening/*/summary.json").read_text(encoding="utf-8"))
    return summary


@pytest.fixture(scope="module")
def report(scanned: dict) -> tuple[dict, Path]:
    res = invoke("audit.report", "--period", "week")
    assert res.returncode == 0, res.stdout + res.stderr
    path = newest("audit/*-denetim-raporu.json")
    return json.loads(path.read_text(encoding="utf-8")), path


def test_hardening_audit_scores_the_scanned_servers(scanned: dict) -> None:
    assert scanned["run"]["limit"] == ",".join(SCANNED)
    by = {h["host"]: h for h in scanned["hosts"]}
    assert set(by) == set(SCANNED), by
    for name, h in by.items():
        assert isinstance(h["lynis_hardening_index"], int), (name, h)
        assert isinstance(h["openscap_pass_rate"], int | float), (name, h)
        assert h["status"] in ("uyumlu", "uyumsuz"), (name, h)  # not "taranamadı"


def test_every_section_is_filled_from_this_runs_evidence(report: tuple[dict, Path]) -> None:
    data, _ = report
    sections = {s["key"]: s for s in data["sections"]}
    assert list(sections) == [key for key, _ in evidence_report.SECTIONS]
    statuses = {k: s["status"] for k, s in sections.items()}
    for key, s in sections.items():
        assert s["status"] != evidence_report.YOK, (key, s["problems"], statuses)
        for ev in s["evidence"]:
            if not ev["required"] or ev["kind"] == "git":
                continue
            assert ev["time"], (key, ev)
            when = dt.datetime.fromisoformat(ev["time"])
            assert when >= STARTED, (key, ev["path"], when, STARTED)
            assert (EVIDENCE / ev["path"]).is_file(), ev
    hosts = {row["cells"][0] for t in sections["sertlestirme"]["tables"] for row in t["rows"]}
    assert set(SCANNED) <= hosts, hosts
    assert len(sections["vpn"]["details"]["sites"]) >= 2, sections["vpn"]["details"]
    assert sections["degisiklikler"]["details"]["deploys"]["applied"] >= 1


def test_the_page_is_turkish_html_with_every_section_and_charts(report: tuple[dict,
                                                                               Path]) -> None:
    data, path = report
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    page = check_html(html)  # balanced tags, one <html> and <body>
    assert '<html lang="tr">' in html
    for number, (_, title) in enumerate(evidence_report.SECTIONS, 1):
        assert any(h.startswith(f"{number}. {title}") for h in page.headings), \
            (number, title, page.headings)
    assert page.seen.count("svg") >= 2  # backup age per set, hardening score per host
    for s in data["sections"]:
        shown = evidence_report.STATUS_UPPER[s["status"]]
        assert shown in html, (s["key"], shown)


def test_stale_vpn_evidence_turns_its_section_red_and_strict_fails(
        report: tuple[dict, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = report
    before = {s["key"]: s["status"] for s in data["sections"]}
    assert before["vpn"] == evidence_report.TAMAM, before
    copy = tmp_path / "evidence"
    shutil.copytree(EVIDENCE, copy)
    now = dt.datetime.now(dt.UTC)
    # every VPN status record (an earlier run's would otherwise become the newest)
    for status in (copy / "vpn").glob("*-durum.json"):
        record = json.loads(status.read_text(encoding="utf-8"))
        record["time"] = (now - dt.timedelta(days=3)).isoformat()
        status.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    code = evidence_report.run("week", strict=True, out=tmp_path / "out", evidence_dir=copy,
                               now=now)
    out = capsys.readouterr().out
    assert code == evidence_report.EXIT_FAILED
    after = json.loads(sorted((tmp_path / "out").glob("*-denetim-raporu.json"))[-1]
                       .read_text(encoding="utf-8"))
    statuses = {s["key"]: s["status"] for s in after["sections"]}
    assert statuses["vpn"] == evidence_report.ESKI
    assert {k: v for k, v in statuses.items() if k != "vpn"} == \
        {k: v for k, v in before.items() if k != "vpn"}
    assert "6. VPN durumu (eski)" in out, out
    vpn = next(s for s in after["sections"] if s["key"] == "vpn")
    assert any("en çok 2 gün olmalı; vpn.status çalıştırılmalı" in p for p in vpn["problems"])
