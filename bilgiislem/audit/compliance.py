"""Compliance map (*uyum haritası*): the duties of the seed regulations and the measures of the
*Bilgi ve İletişim Güvenliği Rehberi*, each with what implements it and which test proves it.

The data is ``bilgiislem/audit/compliance_map.yml`` (its header describes the format). Entries
sit under topics; each has ``id``, ``source``, ``duty``, ``status``, ``implemented_by``,
``tested_by`` and, unless the duty is fully served, a ``note`` saying what is left.

:func:`load` reads and validates it and reports every problem of the file at once, each naming
the entry (and the reference): first the shape of the entries, then, once that is right, every
reference:

- the shape of each entry: known keys, a status of :data:`STATUSES`, an ``id`` that follows
  from the ``source`` (``Defne 10/45`` → ``defne-10.45``), no id twice, ``implemented_by`` and
  ``tested_by`` for what is claimed (``karşılanıyor``, ``kısmen``), a note for the rest;
- that every reference exists: ``role:<name>`` a directory under ``roles/``,
  ``playbook:<file>`` a file under ``playbooks/``, ``task:<name>`` a task of ``tasks.py`` (its
  Invoke collection), ``doc:<path>`` a file or directory, ``tests/...py::<test>`` a test
  function found by parsing the file with :mod:`ast` (``Class::test`` too; a parametrized id
  ``test_x[a]`` checks ``test_x``), ``molecule:<role>`` a scenario
  ``roles/<role>/molecule/default``.

:func:`render_markdown` gives ``docs/uyum-haritasi.md`` (generated and committed; :func:`stale`
says whether it is out of date), :func:`write_evidence` the Turkish HTML page and the JSON of
``evidence/audit/uyum-haritasi.*``. ``./scripts/invoke audit.map [--check]`` runs them.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, naming, ui

MAP_PATH = Path(__file__).with_name("compliance_map.yml")
DOC = Path("docs") / "uyum-haritasi.md"
EVIDENCE_BASE = ansible_run.EVIDENCE_DIR / "audit" / "uyum-haritasi"
TEMPLATES = Path(__file__).with_name("templates")  # _style.html.j2, shared with audit.hardening
REGENERATE = "./scripts/invoke audit.map"
SCHEMA_VERSION = 1

OK, PARTIAL, PLANNED, OUT_OF_SCOPE = "karşılanıyor", "kısmen", "planlandı", "kapsam dışı"
STATUSES = (OK, PARTIAL, PLANNED, OUT_OF_SCOPE)
CLAIMED = (OK, PARTIAL)  # statuses that need implemented_by and tested_by
SOURCES = ("Amasya", "Defne", "Efeler", "Başakşehir", "Kars", "Rehber")
REF_KINDS = ("role", "playbook", "task", "doc")
REQUIRED_KEYS = ("id", "source", "duty", "status", "implemented_by", "tested_by")
KEYS = (*REQUIRED_KEYS, "note")

_ARTICLE_RE = re.compile(r"^[0-9]+(?:[./][0-9]+)*[a-zçğıöşü]?$")
_TEST_RE = re.compile(r"^(tests/[^:]+\.py)((?:::[A-Za-z_][A-Za-z0-9_]*)+)(\[.*\])?$")
_MOLECULE = "molecule:"


class ComplianceMapError(ValueError):
    """The map is malformed or points at something that does not exist; ``problems`` lists
    each one (the message is all of them, one a line)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    source: str
    duty: str
    status: str
    implemented_by: tuple[str, ...]
    tested_by: tuple[str, ...]
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["implemented_by"], d["tested_by"] = list(self.implemented_by), list(self.tested_by)
        return d


def entry_id(source: str) -> str:
    """The id an entry of ``source`` must have: 'Başakşehir 10.3j' -> 'basaksehir-10.3j',
    'Defne 10/45' -> 'defne-10.45'."""
    name, _, article = source.partition(" ")
    return f"{naming.ascii_fold(name)}-{article.replace('/', '.')}"


def _where(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


# --- the data ---------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _refs(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _entry_problems(item: dict[str, Any], eid: str, where: str) -> list[str]:
    problems = []
    prefix = f"{where}: entry {eid}"
    missing = [k for k in REQUIRED_KEYS if k not in item]
    if missing:
        problems.append(f"{prefix}: missing keys {', '.join(missing)}")
    unknown = sorted(set(item) - set(KEYS))
    if unknown:
        problems.append(f"{prefix}: unknown keys {', '.join(unknown)}")
    source = _text(item.get("source"))
    name, _, article = (source or "").partition(" ")
    if "source" in item and (name not in SOURCES or not _ARTICLE_RE.match(article)):
        problems.append(f"{prefix}: source {item.get('source')!r} must be '<name> <article>' "
                        f"with a name of {', '.join(SOURCES)}")
    elif source and eid != entry_id(source):
        problems.append(f"{prefix}: id must be {entry_id(source)!r} (from its source "
                        f"{source!r})")
    for key in ("duty", "note"):
        if key in item and _text(item[key]) is None:
            problems.append(f"{prefix}: {key} must be a non-empty text")
    status = item.get("status")
    if "status" in item and status not in STATUSES:
        problems.append(f"{prefix}: status {status!r} must be one of {', '.join(STATUSES)}")
    for key in ("implemented_by", "tested_by"):
        if key in item and _refs(item[key]) is None:
            problems.append(f"{prefix}: {key} must be a list of references")
    if status in CLAIMED:
        for key in ("implemented_by", "tested_by"):
            if key in item and _refs(item[key]) == ():
                problems.append(f"{prefix}: status {status} needs {key}")
    elif status in STATUSES and "note" not in item:
        problems.append(f"{prefix}: status {status} needs a note saying why")
    return problems


def parse(data: Any, where: str) -> list[Entry]:
    """Entries from the loaded YAML (shape only; see :func:`check_references`)."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ComplianceMapError([f"{where}: expected 'topics:', a list of {{title, entries}}"])
    entries: list[Entry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for n, topic in enumerate(data["topics"], 1):
        title = _text(topic.get("title")) if isinstance(topic, dict) else None
        items = topic.get("entries") if isinstance(topic, dict) else None
        if title is None or not isinstance(items, list):
            problems.append(f"{where}: topic {n}: expected a title and a list of entries")
            continue
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or _text(item.get("id")) is None:
                problems.append(f"{where}: topic {title!r}, entry {i}: expected a mapping "
                                "with an id")
                continue
            eid = str(item["id"]).strip()
            found = _entry_problems(item, eid, where)
            if eid in seen:
                found.append(f"{where}: entry {eid}: the id is used twice")
            seen.add(eid)
            problems += found
            if not found:
                entries.append(Entry(
                    id=eid, topic=title, source=str(_text(item["source"])),
                    duty=str(_text(item["duty"])), status=str(item["status"]),
                    implemented_by=_refs(item["implemented_by"]) or (),
                    tested_by=_refs(item["tested_by"]) or (),
                    note=_text(item.get("note")) or ""))
    if problems:
        raise ComplianceMapError(problems)
    return entries


# --- references -------------------------------------------------------------------------------


@functools.cache
def invoke_task_names(root: Path = REPO_ROOT) -> frozenset[str]:
    """The dotted names of the tasks of ``root``/tasks.py, as ``invoke --list`` shows them
    (its collection ``ns``). Reuses the module when Invoke has already loaded it; loads it
    once otherwise."""
    path = root / "tasks.py"
    module = sys.modules.get("tasks")
    if module is None or Path(getattr(module, "__file__", "") or "").resolve() != path.resolve():
        spec = importlib.util.spec_from_file_location("bilgiislem_tasks_py", path)
        if spec is None or spec.loader is None:
            raise ComplianceMapError([f"{path}: cannot be loaded"])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return frozenset(module.ns.task_names)


class _Tests:
    """Test functions of the test files, parsed once each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, dict[str, set[str]] | None] = {}

    def _parse(self, file: str) -> dict[str, set[str]] | None:
        """{'': module-level functions, class name: its methods}; None if there is no file."""
        if file not in self._files:
            path = self.root / file
            if not path.is_file():
                self._files[file] = None
            else:
                tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
                funcs = (ast.FunctionDef, ast.AsyncFunctionDef)
                names: dict[str, set[str]] = {"": {n.name for n in tree.body
                                                   if isinstance(n, funcs)}}
                for node in tree.body:
                    if isinstance(node, ast.ClassDef):
                        names[node.name] = {n.name for n in node.body if isinstance(n, funcs)}
                self._files[file] = names
        return self._files[file]

    def _molecule_problem(self, role: str) -> str | None:
        scenario = Path("roles") / role / "molecule" / "default"
        if not role or "/" in role or not (self.root / scenario).is_dir():
            return f"no Molecule scenario {scenario}"
        return None

    def problem(self, ref: str) -> str | None:
        """Why ``ref`` names no test, or None."""
        if ref.startswith(_MOLECULE):
            return self._molecule_problem(ref.removeprefix(_MOLECULE))
        m = _TEST_RE.match(ref)
        parts = m.group(2).split("::")[1:] if m else []
        if m is None or len(parts) > 2:
            return "expected tests/<file>.py::<test function> or molecule:<role>"
        file = m.group(1)
        names = self._parse(file)
        if names is None:
            return f"no test file {file}"
        owner, func = parts if len(parts) == 2 else ("", parts[0])
        if owner not in names:
            return f"no test class {owner} in {file}"
        if not func.startswith("test") or func not in names[owner]:
            return f"no test function {'::'.join(parts)} in {file}"
        return None


def _implementation_problem(ref: str, root: Path, task_names: frozenset[str]) -> str | None:
    """Why ``ref`` (role:, playbook:, task:, doc:) names nothing, or None."""
    kind, _, name = ref.partition(":")
    if kind not in REF_KINDS or not name:
        return f"expected {', '.join(k + ':' for k in REF_KINDS)} followed by a name"
    if kind == "task":
        return None if name in task_names else f"no Invoke task {name} in tasks.py"
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return "must be a path inside the repository"
    path, exists, missing = {
        "role": (root / "roles" / name, Path.is_dir, f"no role directory roles/{name}"),
        "playbook": (root / "playbooks" / name, Path.is_file, f"no playbook playbooks/{name}"),
        "doc": (root / name, Path.exists, f"no file {name}"),
    }[kind]
    return None if exists(path) else missing


def check_references(entries: list[Entry], where: str, *, root: Path = REPO_ROOT,
                     task_names: Iterable[str] | None = None) -> list[str]:
    """One problem per reference that points at nothing, naming the entry and the reference."""
    tasks = frozenset(task_names) if task_names is not None else invoke_task_names(root)
    tests = _Tests(root)
    problems = []
    for e in entries:
        for ref in e.implemented_by:
            if reason := _implementation_problem(ref, root, tasks):
                problems.append(f"{where}: entry {e.id}: implemented_by {ref!r}: {reason}")
        for ref in e.tested_by:
            if reason := tests.problem(ref):
                problems.append(f"{where}: entry {e.id}: tested_by {ref!r}: {reason}")
    return problems


def load(path: Path = MAP_PATH, *, root: Path = REPO_ROOT,
         task_names: Iterable[str] | None = None) -> list[Entry]:
    """The validated entries of ``path``, in the file's order. ``task_names`` are the Invoke
    tasks references may name (default: those of ``root``/tasks.py). Raises
    :class:`ComplianceMapError` with every problem."""
    where = _where(path, root)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ComplianceMapError([f"{where}: cannot be read: {exc.strerror}"]) from None
    except yaml.YAMLError as exc:
        raise ComplianceMapError([f"{where}: not valid YAML: {exc}"]) from None
    entries = parse(data, where)
    problems = check_references(entries, where, root=root, task_names=task_names)
    if problems:
        raise ComplianceMapError(problems)
    return entries


def counts(entries: list[Entry]) -> dict[str, int]:
    """Entries per status, every status listed."""
    return {s: sum(e.status == s for e in entries) for s in STATUSES}


def topics(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """The entries by topic, topics and entries in the file's order."""
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.topic, []).append(e)
    return list(out.items())


def summary_table(entries: list[Entry]) -> str:
    rows = [[s, str(n)] for s, n in counts(entries).items()]
    return ui.table(["durum", "sayı"], [*rows, ["toplam", str(len(entries))]])


# --- rendering --------------------------------------------------------------------------------


def _link(ref: str, base: Path) -> tuple[str, str | None]:
    """(label, link or None) of a reference, for a page kept in the directory ``base``: the
    link is the path of the referenced file in the repository, relative to ``base``."""

    def rel(target: str) -> str:
        return Path(os.path.relpath(REPO_ROOT / target, base)).as_posix()

    if ref.startswith(_MOLECULE):
        role = ref.removeprefix(_MOLECULE)
        return f"Molecule {role}", rel(f"roles/{role}/molecule/default") + "/"
    if ref.startswith("tests/"):
        file, _, test = ref.partition("::")
        return f"{file.removeprefix('tests/')}::{test}", rel(file)
    kind, _, name = ref.partition(":")
    if kind == "role":
        return f"rol {name}", rel(f"roles/{name}") + "/"
    if kind == "playbook":
        return f"playbook {name}", rel(f"playbooks/{name}")
    if kind == "task":
        return f"invoke {name}", None
    return name, rel(name)


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _md_refs(refs: tuple[str, ...]) -> str:
    out = []
    for ref in refs:
        label, href = _link(ref, REPO_ROOT / DOC.parent)
        out.append(f"[`{label}`]({href})" if href else f"`{label}`")
    return "<br>".join(out) or "—"


def render_markdown(entries: list[Entry]) -> str:
    """``docs/uyum-haritasi.md``: the same for the same data (no date in it)."""
    src = MAP_PATH.relative_to(REPO_ROOT).as_posix()
    lines = [
        f"<!-- Generated from {src} by `{REGENERATE}`; edit the YAML, not this page. -->",
        "# Uyum haritası",
        "",
        "Tohum yönetmeliklerindeki (Amasya, Defne, Efeler, Başakşehir, Kars) Bilgi İşlem",
        "Müdürlüğü görevlerinin ve *Bilgi ve İletişim Güvenliği Rehberi* tedbirlerinin projede",
        "neyle karşılandığı ve hangi testin bunu kanıtladığı. Veri:",
        f"[`{src}`](../{src}); bu sayfayı `{REGENERATE}` üretir. `{REGENERATE} --check`",
        "ve birim testleri (`tests/unit/test_compliance_map.py`) sayfanın güncel olduğunu ve",
        "her başvurunun (rol, playbook, invoke görevi, belge, test fonksiyonu, Molecule",
        "senaryosu) var olduğunu denetler; silinen bir test ya da rol haritayı kırar.",
        "",
        "Görev metinleri yönetmeliklerden alıntı ya da özettir. Rehber satırlarındaki metin,",
        "projenin o tedbire atfettiği kapsamın özetidir; Rehber'in kendi ifadesi değildir.",
        "",
        f"- **{OK}**: kod görevi yerine getirir, test kanıtlar;",
        f"- **{PARTIAL}**: görevin bir bölümü karşılanır, kalanı notta yazılıdır;",
        f"- **{PLANNED}**: henüz kod yoktur (notta hangi iş olduğu yazılıdır);",
        f"- **{OUT_OF_SCOPE}**: kodla yapılamaz ya da proje yapmaz (nedeni notta).",
        "",
        "## Özet",
        "",
        "| Durum | Sayı |",
        "|---|---:|",
        *[f"| {s} | {n} |" for s, n in counts(entries).items()],
        f"| **toplam** | **{len(entries)}** |",
        "",
    ]
    for title, items in topics(entries):
        lines += [f"## {title}", "",
                  "| Kaynak | Görev | Durum | Uygulayan | Kanıtlayan test | Not |",
                  "|---|---|---|---|---|---|"]
        for e in items:
            lines.append(f"| **{_md_cell(e.source)}** | {_md_cell(e.duty)} | {e.status} | "
                         f"{_md_refs(e.implemented_by)} | {_md_refs(e.tested_by)} | "
                         f"{_md_cell(e.note) or '—'} |")
        lines.append("")
    return "\n".join(lines)


def stale(entries: list[Entry], root: Path = REPO_ROOT) -> bool:
    """Whether ``docs/uyum-haritasi.md`` under ``root`` differs from what the data renders."""
    path = root / DOC
    return not path.is_file() or path.read_text(encoding="utf-8") != render_markdown(entries)


def write_doc(entries: list[Entry], root: Path = REPO_ROOT) -> bool:
    """Write ``docs/uyum-haritasi.md`` if it is out of date; whether it was written."""
    if not stale(entries, root):
        return False
    path = root / DOC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_markdown(entries), encoding="utf-8")
    return True


def record(entries: list[Entry], now: dt.datetime | None = None) -> dict[str, Any]:
    """The evidence record (the JSON; the HTML page renders it)."""
    meta = ansible_run.provenance("audit-map", "", now)
    meta.pop("inventory", None)
    return {
        **meta,
        "schema_version": SCHEMA_VERSION,
        "source": MAP_PATH.relative_to(REPO_ROOT).as_posix(),
        "document": DOC.as_posix(),
        "counts": counts(entries),
        "total": len(entries),
        "topics": [{"title": t, "entries": [e.as_dict() for e in items]}
                   for t, items in topics(entries)],
    }


def _env(base: Path) -> jinja2.Environment:
    def links(refs: list[str]) -> list[tuple[str, str | None]]:
        return [_link(r, base) for r in refs]

    return htmlreport.environment(TEMPLATES, links=links)


def render_html(data: dict[str, Any], base: Path) -> str:
    """The Turkish page of a record, for the directory ``base`` (its links are relative)."""
    return _env(base).get_template("uyum-haritasi.html.j2").render(r=data)


def write_evidence(entries: list[Entry], base: Path = EVIDENCE_BASE,
                   now: dt.datetime | None = None) -> Path:
    """``base``.json and ``base``.html (by default ``evidence/audit/uyum-haritasi.*``);
    returns the JSON's path."""
    data = record(entries, now)
    base.parent.mkdir(parents=True, exist_ok=True)
    path = base.with_suffix(".json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    base.with_suffix(".html").write_text(render_html(data, base.parent.resolve()),
                                         encoding="utf-8")
    return path
