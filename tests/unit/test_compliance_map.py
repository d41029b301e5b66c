"""The compliance map (bilgiislem/audit/compliance_map.yml, bilgiislem/audit/compliance.py):
every reference exists, docs/uyum-haritasi.md is generated from it, the Law 5651 duties are on it.

When test_every_reference_of_the_map_exists fails, a role, playbook, task, document or test the
map names is gone: point the entry at what replaced it (or change its status). When
test_the_page_is_up_to_date fails, run ./scripts/invoke audit.map and commit the page.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bilgiislem.audit import compliance

REPO = Path(__file__).resolve().parents[2]
MAP = REPO / "bilgiislem" / "audit" / "compliance_map.yml"

# Issue 10, Law 5651 legal logging: the regulation articles and Rehber measures it serves.
LAW_5651 = ("efeler-6.6", "efeler-6.32", "efeler-11.34", "efeler-11.35", "efeler-3",
            "basaksehir-3", "rehber-3.1.8.1", "rehber-3.1.8.4", "rehber-3.1.8.6")
LAW_5651_PARTS = {"role:log_collector", "role:dhcp_server", "role:dns_resolver",
                  "role:connection_log", "task:logs.seal", "task:logs.verify", "task:logs.who",
                  "task:logs.export"}
# Planned work: on the map, honestly without code yet (none left of issue 11).
PLANNED: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def entries() -> list[compliance.Entry]:
    return compliance.load()


def _map_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the real map with one text replaced (exactly once)."""
    text = MAP.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "compliance_map.yml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _one_entry_map(tmp_path: Path, **fields: object) -> Path:
    entry = {"id": "efeler-6.32", "source": "Efeler 6.32", "duty": "İç IP Dağıtım Logları.",
             "status": "karşılanıyor", "implemented_by": ["role:r"],
             "tested_by": ["tests/unit/test_a.py::test_one"]}
    entry.update(fields)
    entry = {k: v for k, v in entry.items() if v is not None}
    path = tmp_path / "map.yml"
    path.write_text(yaml.safe_dump({"topics": [{"title": "Konu", "entries": [entry]}]},
                                   allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def mini_repo(tmp_path: Path) -> Path:
    """A repository with one role (with a Molecule scenario), one playbook, one doc and one
    test file."""
    root = tmp_path / "repo"
    (root / "roles" / "r" / "molecule" / "default").mkdir(parents=True)
    (root / "roles" / "no_molecule").mkdir()
    (root / "playbooks").mkdir()
    (root / "playbooks" / "p.yml").write_text("---\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "d.md").write_text("# d\n", encoding="utf-8")
    (root / "tests" / "unit").mkdir(parents=True)
    (root / "tests" / "unit" / "test_a.py").write_text(
        "import pytest\n\n\ndef test_one():\n    pass\n\n\n@pytest.mark.parametrize('x', [1])\n"
        "def test_param(x):\n    pass\n\n\ndef helper():\n    pass\n\n\nclass TestGroup:\n"
        "    def test_method(self):\n        pass\n", encoding="utf-8")
    return root


# --- the real map -----------------------------------------------------------------------------


def test_every_reference_of_the_map_exists(entries):
    """load() checks every role, playbook, Invoke task, document, test function and Molecule
    scenario the map names; a deleted test or role fails here, naming the entry."""
    assert len(entries) >= 100
    assert len({e.id for e in entries}) == len(entries)
    claimed = [e for e in entries if e.status in compliance.CLAIMED]
    assert all(e.implemented_by and e.tested_by for e in claimed)


def test_the_page_is_up_to_date(entries):
    assert not compliance.stale(entries), \
        f"{compliance.DOC} is out of date: run {compliance.REGENERATE} and commit it"


def test_every_law_5651_duty_is_on_the_map(entries):
    by_id = {e.id: e for e in entries}
    missing = [i for i in LAW_5651 if i not in by_id]
    assert missing == []
    for i in LAW_5651:
        assert by_id[i].status in compliance.CLAIMED, i
        assert by_id[i].topic == "5651 yasal kayıt ve içerik filtresi", i
    used = {r for i in LAW_5651 for r in by_id[i].implemented_by}
    assert used >= LAW_5651_PARTS, LAW_5651_PARTS - used
    tests = {r for i in LAW_5651 for r in by_id[i].tested_by}
    assert any(t.startswith("tests/unit/test_legal_log.py::") for t in tests)
    assert any(t.startswith("tests/e2e/test_lab_legal_log.py::") for t in tests)
    assert {"molecule:log_collector", "molecule:dhcp_server", "molecule:dns_resolver"} <= tests


def test_planned_work_claims_nothing(entries):
    by_id = {e.id: e for e in entries}
    for i in PLANNED:
        assert by_id[i].status == compliance.PLANNED, i
        assert by_id[i].implemented_by == () and by_id[i].tested_by == (), i
        assert by_id[i].note, i


def test_the_map_knows_the_tasks_of_tasks_py():
    names = compliance.invoke_task_names()
    assert {"audit.map", "audit.hardening", "logs.seal", "logs.verify", "logs.who",
            "logs.export", "backup.drill", "net.drift"} <= names


def test_the_page_lists_every_entry_with_turkish_statuses(entries):
    text = compliance.render_markdown(entries)
    assert text.startswith("<!-- Generated from bilgiislem/audit/compliance_map.yml")
    assert "# Uyum haritası" in text
    counts = compliance.counts(entries)
    assert f"| karşılanıyor | {counts['karşılanıyor']} |" in text
    assert f"| **toplam** | **{len(entries)}** |" in text
    rows = [line for line in text.splitlines()
            if line.startswith("| **") and not line.startswith("| **toplam**")]
    assert len(rows) == len(entries)
    row = next(r for r in rows if r.startswith("| **Efeler 11.35** |"))
    assert "[`rol dhcp_server`](../roles/dhcp_server/)" in row
    assert "`invoke logs.who`" in row
    assert ("[`unit/test_legal_log.py::test_ip_log_has_start_end_mac_hostname`]"
            "(../tests/unit/test_legal_log.py)") in row
    assert "[`Molecule dhcp_server`](../roles/dhcp_server/molecule/default/)" in row


def test_evidence_is_json_and_a_turkish_page(entries, tmp_path):
    path = compliance.write_evidence(entries, tmp_path / "audit" / "uyum-haritasi")
    assert path == tmp_path / "audit" / "uyum-haritasi.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == "audit-map" and data["total"] == len(entries)
    assert sum(data["counts"].values()) == len(entries)
    assert data["source"] == "bilgiislem/audit/compliance_map.yml"
    assert sum(len(t["entries"]) for t in data["topics"]) == len(entries)
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    assert '<html lang="tr">' in html and "<h1>Uyum Haritası</h1>" in html
    assert '<tr id="efeler-6.32">' in html
    assert "<code>invoke logs.seal</code>" in html
    assert '<span class="badge ok">karşılanıyor</span>' in html
    assert "İç IP Dağıtım Loglarını" in html


# --- what makes the map fail ------------------------------------------------------------------


def test_a_deleted_test_fails_the_map_naming_the_entry(tmp_path):
    """The real map with one test of the Law 5651 entries pointed at a test that is gone."""
    ref = "tests/unit/test_legal_log.py::test_who_finds_the_mac_and_verifies_the_day"
    gone = "tests/unit/test_legal_log.py::test_who_was_deleted"
    path = _map_with(tmp_path, f"          - {ref}\n          - molecule:dhcp_server",
                     f"          - {gone}\n          - molecule:dhcp_server")
    with pytest.raises(compliance.ComplianceMapError) as exc:
        compliance.load(path)
    assert str(exc.value) == (
        f"{path}: entry efeler-11.35: tested_by "
        "'tests/unit/test_legal_log.py::test_who_was_deleted': "
        "no test function test_who_was_deleted in tests/unit/test_legal_log.py")


def test_a_deleted_role_test_file_and_task_fail_the_map(tmp_path):
    path = _map_with(
        tmp_path,
        "      - id: basaksehir-8m\n        source: Başakşehir 8m\n"
        "        duty: Santral hizmetlerinin yönetimini yapar.\n        status: karşılanıyor\n"
        "        implemented_by: [role:pbx, playbook:pbx.yml, doc:docs/pbx.md]\n"
        "        tested_by:\n          - molecule:pbx\n",
        "      - id: basaksehir-8m\n        source: Başakşehir 8m\n"
        "        duty: Santral hizmetlerinin yönetimini yapar.\n        status: karşılanıyor\n"
        "        implemented_by: [role:santral, playbook:santral.yml, doc:docs/santral.md,"
        " task:pbx.reload]\n"
        "        tested_by:\n          - molecule:santral\n"
        "          - tests/unit/test_santral.py::test_x\n")
    with pytest.raises(compliance.ComplianceMapError) as exc:
        compliance.load(path)
    entry = f"{path}: entry basaksehir-8m"
    assert exc.value.problems == [
        f"{entry}: implemented_by 'role:santral': no role directory roles/santral",
        f"{entry}: implemented_by 'playbook:santral.yml': no playbook playbooks/santral.yml",
        f"{entry}: implemented_by 'doc:docs/santral.md': no file docs/santral.md",
        f"{entry}: implemented_by 'task:pbx.reload': no Invoke task pbx.reload in tasks.py",
        f"{entry}: tested_by 'molecule:santral': no Molecule scenario "
        "roles/santral/molecule/default",
        f"{entry}: tested_by 'tests/unit/test_santral.py::test_x': no test file "
        "tests/unit/test_santral.py",
    ]


def test_references_resolve_in_the_repository_given(mini_repo, tmp_path):
    ok = _one_entry_map(tmp_path, implemented_by=[
        "role:r", "playbook:p.yml", "doc:docs/d.md", "task:logs.seal"], tested_by=[
        "tests/unit/test_a.py::test_one", "tests/unit/test_a.py::test_param[1]",
        "tests/unit/test_a.py::TestGroup::test_method", "molecule:r"])
    loaded = compliance.load(ok, root=mini_repo, task_names={"logs.seal"})
    assert [e.id for e in loaded] == ["efeler-6.32"] and loaded[0].topic == "Konu"
    bad = _one_entry_map(tmp_path, implemented_by=[
        "role:gone", "playbook:docs/d.md", "doc:../outside.md", "task:logs.who", "rol:r"],
        tested_by=["tests/unit/test_a.py::helper", "tests/unit/test_a.py::test_gone[1]",
                   "tests/unit/test_a.py::TestNone::test_method", "molecule:no_molecule",
                   "test_a.py::test_one"])
    with pytest.raises(compliance.ComplianceMapError) as exc:
        compliance.load(bad, root=mini_repo, task_names={"logs.seal"})
    e = f"{bad}: entry efeler-6.32"
    assert exc.value.problems == [
        f"{e}: implemented_by 'role:gone': no role directory roles/gone",
        f"{e}: implemented_by 'playbook:docs/d.md': no playbook playbooks/docs/d.md",
        f"{e}: implemented_by 'doc:../outside.md': must be a path inside the repository",
        f"{e}: implemented_by 'task:logs.who': no Invoke task logs.who in tasks.py",
        f"{e}: implemented_by 'rol:r': expected role:, playbook:, task:, doc: followed by a "
        "name",
        f"{e}: tested_by 'tests/unit/test_a.py::helper': no test function helper in "
        "tests/unit/test_a.py",
        f"{e}: tested_by 'tests/unit/test_a.py::test_gone[1]': no test function test_gone in "
        "tests/unit/test_a.py",
        f"{e}: tested_by 'tests/unit/test_a.py::TestNone::test_method': no test class TestNone "
        "in tests/unit/test_a.py",
        f"{e}: tested_by 'molecule:no_molecule': no Molecule scenario "
        "roles/no_molecule/molecule/default",
        f"{e}: tested_by 'test_a.py::test_one': expected tests/<file>.py::<test function> or "
        "molecule:<role>",
    ]


@pytest.mark.parametrize(("fields", "problem"), [
    ({"status": "tamam"},
     "status 'tamam' must be one of karşılanıyor, kısmen, planlandı, kapsam dışı"),
    ({"id": "efeler-6.33"}, "id must be 'efeler-6.32' (from its source 'Efeler 6.32')"),
    ({"source": "Aydın 6.32"},
     "source 'Aydın 6.32' must be '<name> <article>' with a name of Amasya, Defne, Efeler, "
     "Başakşehir, Kars, Rehber"),
    ({"tested_by": []}, "status karşılanıyor needs tested_by"),
    ({"status": "kısmen", "implemented_by": []}, "status kısmen needs implemented_by"),
    ({"status": "planlandı", "implemented_by": [], "tested_by": []},
     "status planlandı needs a note saying why"),
    ({"duty": None}, "missing keys duty"),
    ({"owner": "x"}, "unknown keys owner"),
    ({"implemented_by": "role:r"}, "implemented_by must be a list of references"),
])
def test_malformed_entries_are_named(mini_repo, tmp_path, fields, problem):
    path = _one_entry_map(tmp_path, **fields)
    with pytest.raises(compliance.ComplianceMapError) as exc:
        compliance.load(path, root=mini_repo, task_names=set())
    eid = fields.get("id", "efeler-6.32")
    assert exc.value.problems == [f"{path}: entry {eid}: {problem}"]


def test_a_duplicate_id_and_a_defne_article_id(mini_repo, tmp_path):
    assert compliance.entry_id("Defne 10/45") == "defne-10.45"
    assert compliance.entry_id("Başakşehir 10.3j") == "basaksehir-10.3j"
    assert compliance.entry_id("Amasya 18ç") == "amasya-18ç"
    entry = {"id": "defne-10.45", "source": "Defne 10/45", "duty": "Sunucuları korumak.",
             "status": "planlandı", "implemented_by": [], "tested_by": [], "note": "Sonra."}
    path = tmp_path / "map.yml"
    path.write_text(yaml.safe_dump({"topics": [{"title": "A", "entries": [entry]},
                                               {"title": "B", "entries": [entry]}]},
                                   allow_unicode=True), encoding="utf-8")
    with pytest.raises(compliance.ComplianceMapError) as exc:
        compliance.load(path, root=mini_repo, task_names=set())
    assert exc.value.problems == [f"{path}: entry defne-10.45: the id is used twice"]


def test_the_page_is_stale_when_the_data_changes(entries, tmp_path):
    assert compliance.write_doc(entries, tmp_path) is True
    assert not compliance.stale(entries, tmp_path)
    assert compliance.write_doc(entries, tmp_path) is False
    changed = [*entries[:-1]]
    assert compliance.stale(changed, tmp_path)
