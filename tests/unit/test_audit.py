"""Hardening audit (bilgiislem/audit/): parsers, pass rate, waivers, evidence and HTML.

The fixtures under fixtures/audit/ are trimmed from real results of a stock Debian 12
container (Lynis 3.0.8, OpenSCAP 1.3.7 with ssg-debian 0.1.76, anssi_bp28_intermediary).
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from bilgiislem.audit import hardening, lynis, openscap, report, ssg, waivers
from bilgiislem.inventory import load

FIXTURES = Path(__file__).parent / "fixtures" / "audit"
REPO = Path(__file__).resolve().parents[2]


# --- Lynis ------------------------------------------------------------------------------------


def test_lynis_report_values():
    rep = lynis.parse_report((FIXTURES / "lynis-report.dat").read_text(encoding="utf-8"))
    assert rep.version == "3.0.8"
    assert rep.hardening_index == 58
    assert rep.tests_performed == 234
    assert rep.tests_executed[:2] == ["HRDN-7230", "KRNL-6000"]
    assert rep.tests_skipped == ["MALW-3288", "TIME-3185"]
    assert rep.os == "Debian GNU/Linux 12 (bookworm)"
    assert rep.start == "2026-11-21 08:49:58"
    assert len(rep.details) == 4


def test_lynis_warnings_and_suggestions():
    rep = lynis.parse_report((FIXTURES / "lynis-report.dat").read_text(encoding="utf-8"))
    assert rep.warnings == [lynis.Finding(
        "PKGS-7388",
        "Can't find any security repository in /etc/apt/sources.list or sources.list.d "
        "directory")]
    assert [s.id for s in rep.suggestions] == ["LYNIS", "DEB-0280", "FILE-6310", "FILE-6310",
                                               "SSH-7408", "SSH-7408"]
    ssh = rep.suggestions[4]
    assert ssh.text == "Consider hardening SSH configuration"
    assert ssh.details == "AllowTcpForwarding (set YES to NO)"
    assert ssh.solution == ""  # "-" means none


def test_lynis_report_without_index_is_an_error():
    with pytest.raises(lynis.LynisParseError, match="hardening_index"):
        lynis.parse_report("lynis_version=3.0.8\nwarning[]=X-1|y|-|-|\n")


def test_lynis_points_from_log():
    points = lynis.parse_log_points((FIXTURES / "lynis.log").read_text(encoding="utf-8"))
    assert list(points) == ["DEB-0280", "KRNL-5820", "FILE-6310", "SSH-7408"]  # BOOT-5104: none
    assert (points["SSH-7408"].earned, points["SSH-7408"].possible) == (36, 63)
    assert points["DEB-0280"].description == "Checking if libpam-tmpdir is installed and enabled."
    lost = lynis.lost_points(points)
    assert [(r["id"], r["lost"]) for r in lost] == [("SSH-7408", 27), ("KRNL-5820", 4),
                                                    ("DEB-0280", 2), ("FILE-6310", 2)]
    # Lynis' formula, rounded down: (0 + 2 + 28 + 36) * 100 // (2 + 6 + 30 + 63) = 65
    assert lynis.index_from_points(points) == 65
    assert lynis.index_from_points({}) == 0


# --- OpenSCAP ---------------------------------------------------------------------------------


def test_oscap_results():
    res = openscap.parse_results(FIXTURES / "oscap-results.xml")
    assert res.profile == "xccdf_org.ssgproject.content_profile_anssi_bp28_intermediary"
    assert res.profile_title == "ANSSI-BP-028 (intermediary)"
    assert res.benchmark == "xccdf_org.ssgproject.content_benchmark_DEBIAN-12"
    assert res.benchmark_version == "0.1.76"
    assert res.scanner_version == "1.3.7"
    assert res.score == pytest.approx(79.259262)
    counts = {k: v for k, v in res.counts.items() if v}
    # prefer_64bit_os is in the file but not selected by the profile: not counted.
    assert counts == {"pass": 2, "fail": 3, "notapplicable": 2, "notchecked": 1}
    assert "xccdf_org.ssgproject.content_rule_prefer_64bit_os" not in {r.id for r in res.rules}
    noexec = next(r for r in res.failing() if r.short_id == "sudo_add_noexec")
    assert noexec.severity == "high"
    assert noexec.title == ("Ensure Privileged Escalated Commands Cannot Execute Other "
                            "Commands - sudo NOEXEC")


def test_oscap_error_result_is_a_finding_but_not_in_the_rate(tmp_path):
    text = (FIXTURES / "oscap-results.xml").read_text(encoding="utf-8")
    text = text.replace("<result>fail</result>", "<result>error</result>", 1)
    path = tmp_path / "r.xml"
    path.write_text(text, encoding="utf-8")
    res = openscap.parse_results(path)
    assert res.counts["error"] == 1
    assert res.counts["fail"] == 2
    assert res.pass_rate == 50.0  # 2 / (2 + 2)
    assert len(res.failing()) == 3


@pytest.mark.parametrize(
    ("counts", "rate"),
    [
        ({"pass": 51, "fail": 24, "notapplicable": 144, "notchecked": 1}, 68.0),
        ({"pass": 2, "fail": 3}, 40.0),
        ({"pass": 190, "fail": 10, "error": 5}, 95.0),
        ({"pass": 1, "fail": 2}, 33.3),
        ({"pass": 5}, 100.0),
        ({"notapplicable": 10}, None),
        ({}, None),
    ],
)
def test_pass_rate(counts, rate):
    assert openscap.pass_rate(counts) == rate


def test_oscap_broken_file(tmp_path):
    (tmp_path / "x.xml").write_text("<Benchmark", encoding="utf-8")
    with pytest.raises(openscap.OscapParseError):
        openscap.parse_results(tmp_path / "x.xml")
    (tmp_path / "y.xml").write_text(
        '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="b"/>', encoding="utf-8")
    with pytest.raises(openscap.OscapParseError, match="TestResult"):
        openscap.parse_results(tmp_path / "y.xml")


# --- waivers ----------------------------------------------------------------------------------

WAIVERS = [
    {"id": "FILE-6310", "tool": "lynis", "reason_tr": "Konteynerde ayrı bölüm yok.",
     "reason_en": "No partitions in a container.", "container_only": True},
    {"id": "sudo_add_noexec", "tool": "openscap",
     "reason_tr": "NOEXEC, Ansible'ın sudo ile çalıştırdığı modülleri bozar."},
    {"id": "xccdf_org.ssgproject.content_rule_package_pam_pwquality_installed",
     "tool": "openscap", "reason_tr": "Parola ile giriş kapalı."},
]


def test_waiver_matching():
    ws = waivers.parse(WAIVERS)
    # container_only applies to containers only
    assert waivers.match(ws, "lynis", "FILE-6310", container=True) is ws[0]
    assert waivers.match(ws, "lynis", "FILE-6310", container=False) is None
    # OpenSCAP ids match with or without the prefix, either way round
    full = openscap.RULE_PREFIX + "sudo_add_noexec"
    assert waivers.match(ws, "openscap", full, container=False) is ws[1]
    assert waivers.match(ws, "openscap", "package_pam_pwquality_installed",
                         container=False) is ws[2]
    # the tool must match
    assert waivers.match(ws, "lynis", "sudo_add_noexec", container=True) is None
    assert waivers.match(ws, "openscap", "sudo_add_umask", container=True) is None


def test_waivers_file_shapes(tmp_path):
    assert waivers.load(tmp_path / "missing.yml") == []
    path = tmp_path / "waivers.yml"
    path.write_text("waivers:\n  - {id: PKGS-7388, tool: lynis, reason_tr: Ayna kapalı ağda.}\n",
                    encoding="utf-8")
    assert waivers.load(path) == [waivers.Waiver("PKGS-7388", "lynis", "Ayna kapalı ağda.")]
    path.write_text("[]\n", encoding="utf-8")
    assert waivers.load(path) == []


def test_invalid_waivers_are_reported_together():
    with pytest.raises(waivers.WaiverError) as exc:
        waivers.parse([{"id": "X-1", "tool": "nessus", "reason_tr": "a"},
                       {"id": "X-2", "tool": "lynis"},
                       {"id": "X-3", "tool": "lynis", "reason_tr": "b", "container_only": "evet"},
                       {"id": "X-4", "tool": "lynis", "reason_tr": "c", "gerekce": "d"},
                       "X-5"])
    text = str(exc.value)
    assert "waiver 1 (X-1): 'tool' must be one of lynis, openscap" in text
    assert "waiver 2 (X-2): 'reason_tr' (gerekçe) is required" in text
    assert "waiver 3 (X-3): 'container_only' must be true or false" in text
    assert "waiver 4 (X-4): unknown keys gerekce" in text
    assert "waiver 5: expected a mapping" in text


def test_the_hardening_roles_waivers_file_is_valid_if_present():
    assert isinstance(waivers.load(), list)


# --- evidence ---------------------------------------------------------------------------------

RUN = report.RunInfo(stamp="20250301T080000Z", time="2025-03-01T08:00:00+00:00",
                     operator="ayşe", git_commit="0123456789abcdef", inventory="inventory/lab",
                     content={"package": "ssg-debian", "version": "0.1.76-1"})


@pytest.fixture
def raw_host(tmp_path):
    raw = tmp_path / "20250301T080000Z" / "raw" / "srv-log"
    raw.mkdir(parents=True)
    for name in ("lynis-report.dat", "lynis.log", "oscap-results.xml"):
        shutil.copy(FIXTURES / name, raw / name)
    (raw / "scan.json").write_text(json.dumps({
        "host": "srv-log", "fqdn": "srv-log.ornekkoy.bel.tr", "os": "Debian 12.9",
        "kernel": "6.1.0", "virtualization_type": "podman", "virtualization_role": "guest",
        "container": True, "finished": "2025-03-01T08:01:00Z", "lynis": True, "openscap": True,
        "packages": [{"name": "lynis", "version": "3.0.8-1.1"}]}), encoding="utf-8")
    return raw


def test_host_record_scores_and_findings(raw_host):
    rec = report.evaluate_host("srv-log", raw_host, waivers.parse(WAIVERS), RUN,
                               evidence_dir=raw_host.parent.parent)
    assert rec["status"] == report.STATUS_FAIL
    assert rec["system"]["container"] is True
    assert rec["tools"]["lynis"] == "3.0.8"
    assert rec["tools"]["openscap"] == "1.3.7"
    assert rec["tools"]["packages"] == {"lynis": "3.0.8-1.1"}
    assert rec["lynis"]["hardening_index"] == 58
    assert rec["lynis"]["meets_target"] is False
    assert rec["openscap"]["pass_rate"] == 40.0
    assert rec["openscap"]["formula"] == "pass / (pass + fail) × 100"
    # informational figures without what the waivers cover (FILE-6310: 28 of 30 points;
    # two of the three failed rules): (0 + 2 + 36) * 100 // (2 + 6 + 63), 2 / (2 + 1)
    assert rec["lynis"]["hardening_index_excluding_waived"] == 53
    assert rec["openscap"]["pass_rate_excluding_waived"] == 66.7
    waived = {(f["tool"], f["id"]) for f in rec["findings"]["waived"]}
    assert waived == {("openscap", "sudo_add_noexec"),
                      ("openscap", "package_pam_pwquality_installed")}
    open_ = {(f["tool"], f["id"]) for f in rec["findings"]["open"]}
    assert open_ == {("lynis", "PKGS-7388"), ("openscap", "accounts_password_pam_minlen")}
    # a waived Lynis suggestion is marked but is no finding
    file_6310 = [s for s in rec["lynis"]["suggestions"] if s["id"] == "FILE-6310"]
    assert all(s["waived"] for s in file_6310)
    assert rec["problems"] == ["Lynis sertleştirme indeksi 58 < hedef 85",
                               "OpenSCAP geçme oranı %40,0 < hedef %95,0",
                               "2 açık (muaf tutulmamış) bulgu"]
    assert rec["raw"]["oscap-results.xml"] == "raw/srv-log/oscap-results.xml"
    # as the waivers file spells them
    assert rec["waivers_used"] == [
        "lynis:FILE-6310", "openscap:sudo_add_noexec",
        "openscap:xccdf_org.ssgproject.content_rule_package_pam_pwquality_installed"]


def test_host_complies_when_targets_met_and_everything_waived(raw_host):
    ws = waivers.parse([*WAIVERS,
                        {"id": "PKGS-7388", "tool": "lynis", "reason_tr": "Yerel ayna."},
                        {"id": "accounts_password_pam_minlen", "tool": "openscap",
                         "reason_tr": "Yalnız anahtar ile giriş."}])
    rec = report.evaluate_host("srv-log", raw_host, ws, RUN,
                               targets=report.Targets(lynis=50, openscap=40.0))
    assert rec["status"] == report.STATUS_OK
    assert rec["findings"]["open"] == []
    summary = report.summarize(RUN, [rec], ws, report.Targets(lynis=50, openscap=40.0))
    assert summary["exit_code"] == 0
    assert summary["waivers_unused"] == []


def test_missing_results_make_the_host_unscanned(tmp_path):
    rec = report.evaluate_host("gw-merkez", tmp_path / "nothing", [], RUN)
    assert rec["status"] == report.STATUS_ERROR
    assert rec["errors"] == ["Lynis: no lynis-report.dat was fetched",
                             "OpenSCAP: no oscap-results.xml was fetched"]
    summary = report.summarize(RUN, [rec], [], report.Targets())
    assert summary["exit_code"] == 1


def test_fixed_findings_against_the_previous_audit(raw_host, tmp_path):
    previous = {"run": {"id": "20250201T080000Z"}, "findings": {
        "open": [{"tool": "openscap", "id": "sudo_add_umask", "title": "sudo umask",
                  "severity": "medium"},
                 {"tool": "lynis", "id": "PKGS-7388", "title": "security repo",
                  "severity": "warning"}],
        "waived": []}}
    rec = report.evaluate_host("srv-log", raw_host, [], RUN, previous=previous)
    assert rec["findings"]["compared_with"] == "20250201T080000Z"
    assert [f["id"] for f in rec["findings"]["fixed"]] == ["sudo_add_umask"]
    page = report.render_host(rec)
    assert "01.02.2025 08:00 UTC tarihli önceki denetimde" in page
    assert "<code>sudo_add_umask</code>" in page
    assert "ağırlıklı puanı 79,3 / 100" in page


def test_previous_record_is_the_newest_earlier_run(tmp_path):
    for stamp, status, inventory in (
            ("20250101T000000Z", "uyumsuz", "inventory/lab"),
            ("20250115T000000Z", "uyumsuz", "inventory/yesilyayla"),
            ("20250201T000000Z", "taranamadı", "inventory/lab"),
            ("20250301T000000Z", "uyumsuz", "inventory/lab")):
        (tmp_path / stamp).mkdir()
        (tmp_path / stamp / "srv-log.json").write_text(json.dumps(
            {"kind": "audit-hardening", "status": status,
             "run": {"id": stamp, "inventory": inventory}}), encoding="utf-8")
    prev = report.previous_record("srv-log", "20250301T000000Z", tmp_path,
                                  inventory="inventory/lab")
    assert prev is not None
    # the unscanned run and the other inventory's run are skipped
    assert prev["run"]["id"] == "20250101T000000Z"
    assert report.previous_record("srv-log", "20250301T000000Z",
                                  tmp_path)["run"]["id"] == "20250115T000000Z"
    assert report.previous_record("gw-merkez", "20250301T000000Z", tmp_path) is None


def test_html_is_turkish_self_contained_and_escaped(raw_host, tmp_path):
    ws = waivers.parse([{"id": "sudo_add_noexec", "tool": "openscap",
                         "reason_tr": "Şu an <b>kırıcı</b>: Ğ ğ Ü ü Ş ş İ ı Ö ö Ç ç"}])
    rec = report.evaluate_host("srv-log", raw_host, ws, RUN)
    summary = report.summarize(RUN, [rec], ws, report.Targets())
    out = tmp_path / "out"
    report.write(out, [rec], summary)
    page = (out / "srv-log.html").read_text(encoding="utf-8")
    assert "Sıkılaştırma Denetim Raporu" in page
    assert "Şu an &lt;b&gt;kırıcı&lt;/b&gt;: Ğ ğ Ü ü Ş ş İ ı Ö ö Ç ç" in page  # escaped, intact
    assert "%40,0" in page and "≥ %95,0" in page and "≥ 85" in page
    assert "Muaf tutulan bulgular" in page and "Açık bulgular" in page
    assert "Giderilen bulgular" in page
    assert "UYUMSUZ" in page
    assert '<meta charset="utf-8">' in page
    for external in ("http://", "https://", "<script", "<link"):
        assert external not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="srv-log.html"' in index and "ayşe" in index
    data = json.loads((out / "srv-log.json").read_text(encoding="utf-8"))
    assert data["openscap"]["failed"][0]["waiver"] is None or data["findings"]["waived"]
    assert "Şu an <b>kırıcı</b>" in (out / "srv-log.json").read_text(encoding="utf-8")
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["exit_code"] == 1


def test_turkish_number_format():
    assert report.pct(68.0) == "%68,0"
    assert report.pct(None) == "—"


# --- OpenSCAP content and host selection ------------------------------------------------------

RELEASE = """Origin: Debian
Suite: stable
SHA256:
 55bef3400f6614ac  4533564 main/binary-all/Packages.xz
 e2c065538be7f222 24080374 main/binary-all/Packages
"""

PACKAGES = """Package: ssg-base
Version: 0.1.76-1
Filename: pool/main/s/scap-security-guide/ssg-base_0.1.76-1_all.deb
SHA256: aaaa

Package: ssg-debian
Source: scap-security-guide
Version: 0.1.76-1
Filename: pool/main/s/scap-security-guide/ssg-debian_0.1.76-1_all.deb
Size: 1232452
SHA256: f6880719015c16e8e221bc2503c0e5a9f83d6a09fc6f9292d3522e46bf4fc9d7

Package: ssg-debian
Version: 0.1.9-1
Filename: pool/main/s/scap-security-guide/ssg-debian_0.1.9-1_all.deb
SHA256: bbbb
"""


def test_release_and_packages_index():
    sha, size = ssg.release_sha256(RELEASE, "main/binary-all/Packages.xz")
    assert (sha, size) == ("55bef3400f6614ac", 4533564)
    with pytest.raises(ssg.SsgError):
        ssg.release_sha256(RELEASE, "main/binary-amd64/Packages.xz")
    entry = ssg.find_package(PACKAGES)
    assert entry.version == "0.1.76-1"  # numeric comparison: 76 > 9
    assert entry.filename.endswith("ssg-debian_0.1.76-1_all.deb")
    assert entry.size == 1232452


def _deb(members: dict[str, bytes]) -> bytes:
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:xz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(f"./{name}")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    out = b"!<arch>\n"
    for name, body in (("debian-binary", b"2.0\n"), ("control.tar.xz", b"x"),
                       ("data.tar.xz", data.getvalue())):
        out += f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(body):<10}`\n".encode()
        out += body + (b"\n" if len(body) % 2 else b"")
    return out


def test_extract_datastream_from_deb():
    deb = _deb({ssg.DATASTREAM_MEMBER: b"<ds/>", "usr/share/doc/x": b"doc"})
    assert ssg.extract_member(deb, ssg.DATASTREAM_MEMBER) == b"<ds/>"
    with pytest.raises(ssg.SsgError):
        ssg.extract_member(deb, "usr/share/nothing")
    with pytest.raises(ssg.SsgError):
        ssg.extract_member(b"PK\x03\x04", ssg.DATASTREAM_MEMBER)


def test_cached_content_is_used_offline(tmp_path):
    target = tmp_path / "0.1.76-1"
    target.mkdir()
    (target / ssg.DATASTREAM_NAME).write_text("<ds/>", encoding="utf-8")
    (target / "content.json").write_text(json.dumps(
        {"version": "0.1.76-1", "source": "http://x/ssg.deb", "sha256": "ab"}),
        encoding="utf-8")
    content = ssg.ensure(lambda _m: None, cache=tmp_path, offline=True)
    assert content.datastream == target / ssg.DATASTREAM_NAME
    with pytest.raises(ssg.SsgError, match="no cached"):
        ssg.ensure(lambda _m: None, cache=tmp_path / "empty", offline=True)


def test_select_hosts_follows_limit_patterns():
    inv = load(REPO / "inventory" / "lab")
    assert hardening.select_hosts(inv, None) == [h.name for h in inv.hosts]
    assert hardening.select_hosts(inv, "srv-log") == ["srv-log"]
    assert hardening.select_hosts(inv, "vpn_gateway,!gw-itfaiye") == ["gw-kutuphane"]
    assert hardening.select_hosts(inv, "gw-*:&vpn_gateway") == ["gw-kutuphane", "gw-itfaiye"]
    assert hardening.select_hosts(inv, "nothing*") == []


# --- the task's exit codes without contacting anything ------------------------------------------


@pytest.fixture
def lab_inv():
    return load(REPO / "inventory" / "lab")


def test_dry_run_contacts_nothing(lab_inv, monkeypatch, capsys):
    monkeypatch.setattr(hardening.ansible_run, "playbook",
                        lambda *a, **k: pytest.fail("dry run must not run Ansible"))
    def not_cached(*_a, **_k):
        raise ssg.SsgError("no cached ssg-debian")
    monkeypatch.setattr(ssg, "ensure", not_cached)  # the preview says it would download
    code = hardening.run(lab_inv, "inventory/lab", limit="srv-log", dry_run=True)
    out = capsys.readouterr().out
    assert code == hardening.EXIT_OK
    assert "would download ssg-debian" in out
    assert "srv-log: install lynis and openscap-scanner" in out
    assert "gw-merkez" not in out


def test_invalid_waivers_file_is_invalid_input(lab_inv, tmp_path):
    bad = tmp_path / "waivers.yml"
    bad.write_text("- {id: X-1, tool: lynis}\n", encoding="utf-8")
    assert hardening.run(lab_inv, "inventory/lab", dry_run=True,
                         waivers_path=bad) == hardening.EXIT_INVALID


def test_missing_baseline_and_empty_limit_are_invalid_input(lab_inv):
    assert hardening.run(lab_inv, "inventory/lab", dry_run=True,
                         baseline="evidence/audit/hardening/yok") == hardening.EXIT_INVALID
    assert hardening.run(lab_inv, "inventory/lab", dry_run=True,
                         limit="nothing*") == hardening.EXIT_INVALID


def test_missing_content_is_a_missing_prerequisite(lab_inv, monkeypatch):
    def fail(*_a, **_k):
        raise ssg.SsgError("cannot download http://deb.debian.org/...: offline")
    monkeypatch.setattr(ssg, "ensure", fail)
    monkeypatch.setattr(hardening.ansible_run, "playbook",
                        lambda *a, **k: pytest.fail("must stop before Ansible"))
    assert hardening.run(lab_inv, "inventory/lab") == hardening.EXIT_PREREQ
    assert hardening.run(lab_inv, "inventory/lab",
                         datastream="/nonexistent/ds.xml") == hardening.EXIT_PREREQ


def test_an_inconsistent_mirror_falls_back_to_the_pinned_package(tmp_path, monkeypatch):
    """A mirror caught between two updates (its Release names a Packages.xz it does not
    serve yet) and no cache: the pinned package is fetched and checked against its hash."""
    deb = _deb({ssg.DATASTREAM_MEMBER: b"<ds/>"})
    pinned = ssg.PackageEntry("9.9-1", "pool/main/s/x/ssg-debian_9.9-1_all.deb",
                              ssg._sha256(deb), len(deb))

    def stale(_mirror):
        raise ssg.SsgError("trixie's Packages.xz does not match its Release file")

    monkeypatch.setattr(ssg, "_resolve", stale)
    monkeypatch.setattr(ssg, "PINNED", pinned)
    monkeypatch.setattr(ssg, "_fetch", lambda url: deb)
    said = []
    content = ssg.ensure(said.append, cache=tmp_path, mirror="http://mirror")
    assert content.version == "9.9-1" and content.datastream.read_bytes() == b"<ds/>"
    assert "whose SHA-256 this repository keeps" in said[-2]
    assert not (tmp_path / "index.json").exists()  # the mirror is asked again next time
    monkeypatch.setattr(ssg, "_fetch", lambda url: deb + b"tampered")
    with pytest.raises(ssg.SsgError, match="does not match the SHA-256"):
        ssg.ensure(said.append, cache=tmp_path / "other", mirror="http://mirror")
