"""``invoke audit.hardening``: scan the servers, score them, write the evidence.

The inventory has been validated by the caller (``tasks.py``). This module provides the
OpenSCAP content, runs ``playbooks/audit-hardening.yml`` through :mod:`bilgiislem.ansible_run`
(same inventory, SSH settings and ``ansible.cfg`` as ``deploy``), and turns what the play
fetched into evidence under ``evidence/audit/hardening/<UTC time>/``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import getpass
import os
import re
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, ui
from bilgiislem.audit import OPENSCAP_PROFILE, report, ssg, waivers
from bilgiislem.inventory import Inventory
from bilgiislem.inventory.ansible import host_groups

PLAYBOOK = REPO_ROOT / "playbooks" / "audit-hardening.yml"
EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_PREREQ = 0, 1, 2, 3


def _git(*args: str) -> str:
    res = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=False)
    return res.stdout.strip()


def select_hosts(inv: Inventory, limit: str | None) -> list[str]:
    """The hosts an Ansible ``--limit`` selects, for the preview (Ansible decides for real):
    names, groups and wildcards separated by ``,`` or ``:``, ``!`` excludes, ``&`` intersects.
    """
    members = {h.name: {h.name, "all", *host_groups(inv, h)} for h in inv.hosts}
    if not limit:
        return list(members)

    def matches(pattern: str) -> set[str]:
        return {h for h, names in members.items()
                if any(fnmatch.fnmatchcase(n, pattern) for n in names)}

    selected: set[str] = set()
    parts = [p.strip() for p in re.split(r"[,:]", limit) if p.strip()]
    for part in (p for p in parts if p[0] not in "!&"):
        selected |= matches(part)
    for part in (p for p in parts if p[0] == "&"):
        selected &= matches(part[1:])
    for part in (p for p in parts if p[0] == "!"):
        selected -= matches(part[1:])
    return [h for h in members if h in selected]


def _content(datastream: str | None, *, dry_run: bool) -> ssg.Content | None:
    """The OpenSCAP content to use; None in a dry run when it would have to be downloaded."""
    if datastream:
        path = Path(datastream).resolve()
        if not path.is_file():
            raise ssg.SsgError(f"--datastream {datastream}: no such file")
        return ssg.Content("local file", path, str(path), "")
    if dry_run:
        try:
            return ssg.ensure(ui.info, offline=True)
        except ssg.SsgError:
            ui.info(f"would download {ssg.PACKAGE} from {ssg.SUITE} (deb.debian.org, about "
                    "6 MB with the index) and cache it under .cache/ssg/")
            return None
    return ssg.ensure(ui.info)


def _preview(hosts: list[str], content: ssg.Content | None, folder: Path) -> None:
    ds = content.datastream.name if content else ssg.DATASTREAM_NAME
    ui.step(f"preview: nothing is contacted; the audit would scan {len(hosts)} host(s)")
    for h in hosts:
        ui.info(f"{h}: install lynis and openscap-scanner if missing; "
                "lynis audit system --quick (~25 s); "
                f"oscap xccdf eval --profile {OPENSCAP_PROFILE.rsplit('_profile_', 1)[-1]} "
                f"{ds} (~5 s); fetch the results")
    ui.info(f"evidence would go to {folder.relative_to(REPO_ROOT)}/ "
            "(<host>.json, <host>.html, index.html, summary.json, raw/)")


def _print_findings(records: list[dict[str, Any]]) -> None:
    for rec in records:
        for problem in rec["problems"]:
            ui.warn(f"{rec['host']}: {problem}")
        for f in rec["findings"]["open"]:
            sev = report.SEVERITY_TR.get(f["severity"], f["severity"])
            print(f"    {rec['host']}: açık / open [{f['tool']}] {f['id']} ({sev}): "
                  f"{f['title']}")


def _table(summary: dict[str, Any]) -> str:
    t = summary["targets"]
    rows = [[h["host"],
             "-" if h["lynis_hardening_index"] is None else str(h["lynis_hardening_index"]),
             report.pct(h["openscap_pass_rate"]),
             str(h["open"]), str(h["waived"]), str(h["fixed"]), h["status"]]
            for h in summary["hosts"]]
    head = (f"Özet / summary: {len(rows)} host; targets Lynis >= {t['lynis_hardening_index']}, "
            f"OpenSCAP >= {report.pct(t['openscap_pass_rate'])}, no open finding")
    return head + "\n" + ui.table(["host", "lynis", "openscap", "open", "waived", "fixed",
                                   "durum"], rows)


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def run(inv: Inventory, inventory: str, *, limit: str | None = None, dry_run: bool = False,
        datastream: str | None = None, baseline: str | None = None,
        waivers_path: Path = waivers.DEFAULT_PATH,
        targets: report.Targets | None = None) -> int:
    """Audit the hosts; return the exit code (0 compliant, 1 not, 2 invalid, 3 prerequisite)."""
    try:
        waiver_list = waivers.load(waivers_path)
    except waivers.WaiverError as exc:
        ui.error(f"invalid waivers file:\n{exc}")
        return EXIT_INVALID
    baseline_dir = (REPO_ROOT / baseline).resolve() if baseline else None
    if baseline_dir is not None and not baseline_dir.is_dir():
        ui.error(f"--baseline {baseline}: no such evidence folder")
        return EXIT_INVALID
    hosts = select_hosts(inv, limit)
    if not hosts:
        ui.error(f"--limit {limit!r} selects no host of {inventory}")
        return EXIT_INVALID
    ui.step(f"hardening audit of {inventory}{f' (limit {limit})' if limit else ''}: "
            f"{len(hosts)} host(s); {len(waiver_list)} waiver(s) from {_shown(waivers_path)}"
            f"{'' if waivers_path.is_file() else ' (file not present)'}")
    try:
        content = _content(datastream, dry_run=dry_run)
    except ssg.SsgError as exc:
        ui.error(f"OpenSCAP content for Debian 12 is not available: {exc}")
        return EXIT_PREREQ
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    if dry_run or content is None:
        _preview(hosts, content, report.EVIDENCE_DIR / stamp)
        return EXIT_OK
    run_info = report.RunInfo(
        stamp=stamp, time=now.isoformat(),
        operator=os.environ.get("SUDO_USER") or getpass.getuser(),
        git_commit=_git("rev-parse", "HEAD") or None,
        git_dirty=bool(_git("status", "--porcelain")),
        inventory=inventory, limit=limit, content=content.as_dict())
    return _scan(inventory, run_info, content, waiver_list=waiver_list,
                 waivers_path=waivers_path, targets=targets or report.Targets(),
                 baseline_dir=baseline_dir)


def _scan(inventory: str, run_info: report.RunInfo, content: ssg.Content, *,
          waiver_list: list[waivers.Waiver], waivers_path: Path, targets: report.Targets,
          baseline_dir: Path | None) -> int:
    folder = report.EVIDENCE_DIR / run_info.stamp
    raw = folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    ui.step("scanning: per host, scanner packages, Lynis (~25 s), OpenSCAP (~5 s), fetch")
    result = ansible_run.playbook(
        PLAYBOOK, REPO_ROOT / inventory, limit=run_info.limit,
        extra_env={"BILGIISLEM_AUDIT_FETCH_DIR": str(raw),
                   "BILGIISLEM_AUDIT_DATASTREAM": str(content.datastream)})
    recap = {r.host: r for r in result.recap}
    scanned = sorted(set(recap) | {p.name for p in raw.iterdir() if p.is_dir()})
    if not scanned:
        ui.error(f"ansible-playbook ended with code {result.returncode} before any host ran")
        return EXIT_FAILED
    ui.step("scoring and writing the evidence")
    records = []
    for host in scanned:
        if baseline_dir is not None:
            previous = report.read_json(baseline_dir / f"{host}.json") or None
        else:
            previous = report.previous_record(host, run_info.stamp,
                                              inventory=run_info.inventory)
        rec = report.evaluate_host(host, raw / host, waiver_list, run_info, targets=targets,
                                   previous=previous, evidence_dir=folder)
        r = recap.get(host)
        rec["ansible"] = asdict(r) if r else None
        if r is None or r.failed or r.unreachable:
            why = "was unreachable" if r and r.unreachable else "failed"
            rec["errors"].insert(0, f"Ansible: the host {why} during the scan")
            rec["problems"].insert(0, rec["errors"][0])
            rec["status"] = report.STATUS_ERROR
        ly, osc = rec["lynis"] or {}, rec["openscap"] or {}
        ui.info(f"{host}: Lynis {ly.get('hardening_index', '-')}, OpenSCAP "
                f"{report.pct(osc.get('pass_rate'))}, {len(rec['findings']['open'])} open, "
                f"{len(rec['findings']['waived'])} waived: {rec['status']}")
        records.append(rec)
    summary = report.summarize(run_info, records, waiver_list, targets,
                               waivers_path if waivers_path.is_file() else None)
    report.write(folder, records, summary)
    print()
    _print_findings(records)
    print(_table(summary))
    if summary["waivers_unused"]:
        ui.info(f"waivers that matched nothing: {', '.join(summary['waivers_unused'])}")
    print(f"kayıt / evidence: {_shown(folder)}/index.html (+ <host>.json, <host>.html, "
          "summary.json, raw/)")
    return int(summary["exit_code"])
