"""The net.* tasks: inventory and vault in, a run, a table, evidence and an exit code out.

Evidence (``evidence/network/<time>-<kind>.json`` + a Turkish HTML page) is written for what
auditors ask about: backups taken, configurations pushed, drift found. ``net.plan`` is a
preview and leaves none.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, htmlreport, secrets, ui
from bilgiislem.ansible_run import EVIDENCE_DIR, provenance
from bilgiislem.inventory import Inventory, models
from bilgiislem.netops import devices as devmod
from bilgiislem.netops import drift as driftmod
from bilgiislem.netops import push as pushmod
from bilgiislem.netops.backup import backup as backup_devices
from bilgiislem.netops.backup import print_run

EVIDENCE = EVIDENCE_DIR / "network"
TEMPLATES = Path(__file__).parent / "templates"
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
# where net.backup keeps the configurations when --repo is not given (not in this repository)
DEFAULT_REPOS = REPO_ROOT / "ag-yedekleri"

TITLES = {"net-backup": "Ağ Cihazı Yapılandırma Yedeği",
          "net-push": "Ağ Cihazı Yapılandırma Gönderimi",
          "net-drift": "Ağ Cihazı Yapılandırma Sapma Raporu"}
VERDICTS = {"net-backup": {True: "TÜM CİHAZLAR YEDEKLENDİ", False: "YEDEKLENEMEYEN CİHAZ VAR"},
            "net-push": {True: "TÜM CİHAZLAR GÜNCEL", False: "BAŞARISIZ CİHAZ VAR"},
            "net-drift": {True: "SAPMA YOK", False: "SAPMA VAR"}}
STATUS = {"ok": "tamam", "unchanged": "değişmedi", "failed-rolled-back": "başarısız, geri alındı",
          "failed": "başarısız (elle bakılmalı)", "unreachable": "erişilemedi",
          "auth-failed": "oturum açılamadı", "in-sync": "uyumlu", "drift": "sapma var",
          "no-backup": "yedek yok"}
GOOD = ("ok", "unchanged", "in-sync")
CHANGE = {"net-push": "Gönderilen satırlar", "net-drift": "Düzeltmek için gönderilecek satırlar",
          "net-backup": ""}


def default_repo(inv: Inventory) -> Path:
    return DEFAULT_REPOS / inv.municipality.code


def write_evidence(record: dict[str, Any], folder: Path = EVIDENCE) -> Path:
    """``record`` as JSON and as a Turkish HTML page; returns the JSON's path."""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"{record['stamp']}-{record['kind'].removeprefix('net-')}"
    json_path = base.with_name(base.name + ".json")
    json_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    env = htmlreport.environment(TEMPLATES, STYLE)
    html = env.get_template("ag.html.j2").render(r=record, TITLES=TITLES, VERDICTS=VERDICTS,
                                                  STATUS=STATUS, GOOD=GOOD, CHANGE=CHANGE)
    base.with_name(base.name + ".html").write_text(html, encoding="utf-8")
    return json_path


def _record(inventory: str, run: dict[str, Any], ok: bool) -> dict[str, Any]:
    return {**provenance(run["kind"], inventory), **run, "ok": ok}


def _say_evidence(path: Path, as_json: bool = False) -> None:
    """Where the record is: on stdout, or on stderr when stdout is JSON."""
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    print(f"kayıt / evidence: {shown} (+ .html)", file=sys.stderr if as_json else sys.stdout)


def _preview(what: str, chosen: list[models.Device]) -> int:
    ui.info(f"would {what} {len(chosen)} device(s); nothing is contacted in a preview:")
    for d in chosen:
        print(f"  {d.name} ({d.vendor}, {d.ip})")
    return 0


def _jobs(inv: Inventory, chosen: list[models.Device]) -> list[pushmod.Job]:
    vault = secrets.read(inv)
    return [pushmod.Job(devmod.target(vault, d), devmod.intended(inv, vault, d)) for d in chosen]


def _progress(what: str, n: int) -> None:
    ui.step(f"{what}: {n} device(s)")


def backup(inv: Inventory, inventory: str, chosen: list[models.Device], *, repo: Path,
           workers: int, timeout: float, retries: int, dry_run: bool) -> int:
    if dry_run:
        return _preview(f"back up into {repo}", chosen)
    vault = secrets.read(inv)
    _progress("net.backup", len(chosen))
    run = backup_devices([devmod.target(vault, d) for d in chosen], repo, workers=workers,
                           timeout=timeout, retries=retries)
    print_run(run)
    _say_evidence(write_evidence(_record(inventory, run.as_dict(), not run.failed)))
    return 1 if run.failed else 0


def plan(inv: Inventory, chosen: list[models.Device], *, repo: Path, as_json: bool) -> int:
    comparison = driftmod.plan(_jobs(inv, chosen), repo)
    _show(comparison, as_json)
    return 0


def drift(inv: Inventory, inventory: str, chosen: list[models.Device], *, workers: int,
          timeout: float, retries: int, as_json: bool) -> int:
    _progress("net.drift", len(chosen))
    comparison = driftmod.drift(_jobs(inv, chosen), workers=workers, timeout=timeout,
                                retries=retries)
    _show(comparison, as_json)
    _say_evidence(write_evidence(_record(inventory, comparison.as_dict(), comparison.clean)),
                  as_json)
    return 0 if comparison.clean else 1


def push(inv: Inventory, inventory: str, chosen: list[models.Device], *, workers: int,
         timeout: float, retries: int, dry_run: bool) -> int:
    if dry_run:  # what would be sent, from the devices' running configuration
        comparison = driftmod.drift(_jobs(inv, chosen), workers=workers, timeout=timeout,
                                    retries=retries)
        _show(comparison, as_json=False)
        ui.info("preview: nothing was sent")
        return 0 if all(d.status in ("in-sync", "drift") for d in comparison.devices) else 1
    _progress("net.push", len(chosen))
    run = pushmod.push(_jobs(inv, chosen), workers=workers, timeout=timeout, retries=retries)
    print(pushmod.summary(run), flush=True)
    for d in run.failed:
        ui.warn(f"{d.name}: {d.status}: {d.error}")
    _say_evidence(write_evidence(_record(inventory, run.as_dict(), not run.failed)))
    return 1 if run.failed else 0


def _show(comparison: driftmod.Comparison, as_json: bool) -> None:
    if as_json:
        print(json.dumps(comparison.as_dict(), ensure_ascii=False, indent=2))
        return
    print(driftmod.summary(comparison), flush=True)
    for d in comparison.devices:
        if d.change:
            print(f"\n--- {d.name}: {len(d.change)} satır / lines")
            print("\n".join(d.change))

