"""``invoke backup.drill``: restore every set's latest snapshot and prove the data came back.

``playbooks/backup-drill.yml`` runs on the repository host(s): for each set and client it
checks the repository, restores the newest snapshot into scratch space (files: compared with
the checksum manifest recorded at backup time; databases: loaded into a throwaway instance,
row counts per table compared with the source), measures RTO and RPO, and leaves one JSON file
per repository host in ``backup_drill_dest``. This module merges those files, checks them
against the inventory (a declared set that did not come back is a failure), and writes the
evidence: ``evidence/backup/<UTC time>-drill.json`` and a Turkish ``.html`` for auditors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, ui
from bilgiislem.backup import common
from bilgiislem.inventory import Inventory

PLAYBOOK = REPO_ROOT / "playbooks" / "backup-drill.yml"
PASS, FAIL = "PASS", "FAIL"
EXIT_OK, EXIT_FAILED = 0, 1


def _names(text: str | None) -> list[str]:
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def selection_errors(inv: Inventory, sets: str | None, clients: str | None) -> list[str]:
    """``--set``/``--client`` names that backups.yml does not declare, each with a hint."""
    if inv.backups is None:
        return []
    errors = []
    for option, given, known in (
            ("--set", _names(sets), sorted({s.name for s in inv.backups.sets})),
            ("--client", _names(clients), sorted({h for s in inv.backups.sets for h in s.hosts}))):
        for name in given:
            if name not in known:
                guess = difflib.get_close_matches(name, known, n=1)
                errors.append(f"{option} {name!r} is not a {option[2:]} of backups.yml"
                              + (f"; did you mean {guess[0]!r}?" if guess else "")
                              + f" (known: {', '.join(known)})")
    return errors


def expected(inv: Inventory, sets: str | None = None,
             clients: str | None = None) -> list[dict[str, Any]]:
    """Every (set, client) the inventory declares, narrowed to the comma-separated set names
    and client hosts given (none given: all)."""
    if inv.backups is None:
        return []
    want_sets, want_clients = _names(sets), _names(clients)
    return [{"set": s.name, "client": h, "type": s.type, "classes": list(s.classes)}
            for s in inv.backups.sets for h in s.hosts
            if (not want_sets or s.name in want_sets)
            and (not want_clients or h in want_clients)]


def _verdict(item: dict[str, Any]) -> tuple[str, list[str]]:
    """PASS only if the playbook said so and nothing in the record contradicts it."""
    reasons = [str(r) for r in item.get("reasons") or []]
    own = []
    check = item.get("check")
    if check != "ok":
        own.append(f"depo denetimi: {check or 'sonuç yok'}")
    diffs = item.get("file_differences") or []
    if diffs:
        own.append(f"{len(diffs)} dosya farklı")
    for t in item.get("tables") or []:
        if t.get("expected") != t.get("restored"):
            own.append(f"tablo {t.get('table')}: kaynakta {t.get('expected')} satır, geri "
                       f"yüklenende {t.get('restored')}")
    if item.get("snapshot") in (None, ""):
        own.append("geri yüklenecek anlık görüntü yok")
    status = item.get("status")
    if status not in (PASS, FAIL):
        own.append(f"tatbikat sonucu belirsiz: {status!r}")
    reasons += [r for r in own if r not in reasons]
    ok = status == PASS and not own
    return (PASS if ok else FAIL), reasons


def merge(inv: Inventory, dest: Path, meta: dict[str, Any], only_sets: str | None = None,
          only_clients: str | None = None) -> dict[str, Any]:
    """The evidence record: every repository host's results, checked against the inventory
    (narrowed to ``only_sets``/``only_clients`` as the drill was)."""
    files, problems = common.read_json_files(list(dest.glob("*.json")))
    repositories, sets = [], []
    for path, data in files:
        repositories.append({"repository_host": data.get("repository_host", path.stem),
                             "started": data.get("started"), "finished": data.get("finished")})
        for item in data.get("sets") or []:
            if not isinstance(item, dict):
                problems.append(f"{path.name}: a set entry is not an object")
                continue
            status, reasons = _verdict(item)
            sets.append({**item, "repository_host": data.get("repository_host", path.stem),
                         "status": status, "reasons": reasons})
    want = expected(inv, only_sets, only_clients)
    seen = {(s.get("set"), s.get("client")) for s in sets}
    missing = [{"set": w["set"], "client": w["client"]} for w in want
               if (w["set"], w["client"]) not in seen]
    declared = {(w["set"], w["client"]) for w in expected(inv)}
    unexpected = [f"{s.get('set')}@{s.get('client')}" for s in sets
                  if (s.get("set"), s.get("client")) not in declared]
    ok = bool(sets) and not missing and not problems and all(s["status"] == PASS for s in sets)
    return {
        **meta,
        "kind": "backup-drill",
        "selection": {"sets": _names(only_sets), "clients": _names(only_clients)},
        "repositories": repositories,
        "sets": sets,
        "missing": missing,
        "unexpected": unexpected,
        "problems": problems,
        "status": PASS if ok else FAIL,
        "exit_code": EXIT_OK if ok else EXIT_FAILED,
    }


def render_html(record: dict[str, Any]) -> str:
    return common.jinja().get_template("drill.html.j2").render(r=record)


def table(record: dict[str, Any]) -> str:
    rows = [[s.get("set", "?"), s.get("client", "?"), s["repository_host"],
             s.get("class") or "—",
             common.tr_time(s.get("snapshot_time")), common.duration(s.get("rpo_seconds")),
             common.duration(s.get("rto_seconds")), str(s.get("files_compared", "—")),
             str(len(s.get("file_differences") or [])), str(len(s.get("tables") or [])),
             s["status"]] for s in record["sets"]]
    rows += [[m["set"], m["client"], "—", "—", "—", "—", "—", "—", "—", "—", "MISSING"]
             for m in record["missing"]]
    return ui.table(["set", "client", "repository", "class", "snapshot", "RPO", "RTO",
                     "files", "diffs", "tables", "result"], rows)


def write(record: dict[str, Any], stamp: str, folder: Path = common.EVIDENCE_DIR) -> Path:
    path = common.write_json(folder / f"{stamp}-drill.json", record)
    path.with_suffix(".html").write_text(render_html(record), encoding="utf-8")
    return path


def run(inv: Inventory, inventory: str, *, sets: str | None = None,
        clients: str | None = None, dry_run: bool = False,
        ensure_secrets: Callable[[], object] | None = None) -> int:
    """Drill, evaluate and write the evidence; return the exit code (0 all sets PASS)."""
    want = expected(inv, sets, clients)
    narrowed = ", ".join(f"{k} {v}" for k, v in (("sets", sets), ("clients", clients)) if v)
    ui.step(f"restore drill of {inventory}{f' ({narrowed})' if narrowed else ''}: "
            f"{len(want)} set(s) on repository {inv.backups.repository if inv.backups else '-'}")
    if not want:
        ui.error("no backup set to drill" + (f" for {narrowed}" if narrowed else ""))
        return EXIT_FAILED
    if dry_run:
        for w in want:
            ui.info(f"would restore the newest snapshot of set {w['set']} of {w['client']} "
                    f"({w['type']}) into scratch space and compare it")
        ui.info(f"evidence would go to {common.EVIDENCE_DIR.relative_to(REPO_ROOT)}/"
                "<time>-drill.json and .html")
        return EXIT_OK
    if ensure_secrets is not None:
        ensure_secrets()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="bilgiislem-drill-") as tmp:
        result = ansible_run.playbook(PLAYBOOK, REPO_ROOT / inventory,
                                      extra_vars={"backup_drill_dest": str(Path(tmp)),
                                                  "backup_drill_sets": ",".join(_names(sets)),
                                                  "backup_drill_clients":
                                                      ",".join(_names(clients))})
        record = merge(inv, Path(tmp), ansible_run.provenance("backup-drill", inventory, now),
                       sets, clients)
    record["ansible_returncode"] = result.returncode
    if result.returncode != 0 and record["status"] == PASS:
        record["problems"].append(f"ansible-playbook ended with code {result.returncode}")
        record["status"], record["exit_code"] = FAIL, EXIT_FAILED
    path = write(record, ansible_run.stamp(now))
    print()
    print(table(record))
    for s in record["sets"]:
        for reason in s["reasons"] if s["status"] != PASS else []:
            ui.warn(f"set {s.get('set')} of {s.get('client')}: {reason}")
    for m in record["missing"]:
        ui.warn(f"set {m['set']} of {m['client']} is declared in the inventory but missing "
                "from the drill results")
    for p in record["problems"]:
        ui.warn(p)
    print(f"SONUÇ / result: {'BAŞARILI' if record['status'] == PASS else 'BAŞARISIZ'}")
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return int(record["exit_code"])
