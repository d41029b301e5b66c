#!/usr/bin/env python3
"""Hardening scores: a stock container against a hardened host (Lynis index, OpenSCAP rate).

"Stock" is a fresh container of the lab's base image (Debian 12 minbase + systemd + sshd),
started by this script as ``bench-audit-stock`` and removed at the end. "Hardened" is one of:

- ``--harden``: a second fresh container, ``bench-audit-hardened``, converged with the roles
  ``common`` and ``hardening`` (as ``site.yml`` would, with their defaults), then scanned;
- ``--hardened <container>``: a running container you name, scanned as it is;
- ``--hardened-evidence <file>``: the ``<host>.json`` of a real host from
  ``invoke audit.hardening``.

Both containers are scanned by the project's own playbook and role (playbooks/audit-hardening.yml,
role audit_scan: lynis and oscap run inside the container, as on a server) through Ansible's
podman connection, and scored by the same code as ``invoke audit.hardening``. Scanning installs
lynis and openscap-scanner in the scanned container.

    .venv/bin/python bench/hardening_scores.py [--harden | --hardened CONTAINER |
                                               --hardened-evidence FILE] [--keep] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run
from bilgiislem.audit import report, ssg, waivers
from bilgiislem.audit.hardening import PLAYBOOK
from bilgiislem.lab import image, podman

STOCK = "bench-audit-stock"
HARDENED = "bench-audit-hardened"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# The playbook --harden applies: what site.yml does to a server, with the roles' defaults.
# Role common creates the SSH allow group on real hosts from the inventory; here the pre-task
# does it. Ansible reaches the container with podman exec, so the hardening role's guard has
# no SSH login to protect.
HARDEN_PLAYBOOK = """\
- name: Harden the benchmark container as a server (roles common and hardening)
  hosts: all
  become: true
  pre_tasks:
    - name: Create the SSH allow group
      ansible.builtin.group:
        name: ssh-erisim
    - name: Put the automation account into the SSH allow group
      ansible.builtin.user:
        name: ansible
        groups: [ssh-erisim]
        append: true
  roles:
    - role: common
    - role: hardening
      vars:
        hardening_ssh_login_user: ansible
        hardening_guard_enabled: false
"""


def _inventory(name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inventory.yml").write_text(json.dumps({"all": {"hosts": {name: {
        "ansible_connection": "containers.podman.podman",
        "ansible_python_interpreter": "/usr/bin/python3"}}}}), encoding="utf-8")
    return folder


# A static inventory instead of the belediye plugin, and no fact cache: these containers are
# not inventory hosts and must not leave facts in .cache/facts.
PODMAN_ENV = {"ANSIBLE_INVENTORY_ENABLED": "yaml", "ANSIBLE_CACHE_PLUGIN": "memory",
              "CONTAINERS_CONF": str(podman.CONTAINERS_CONF)}


def harden(name: str, work: Path) -> float:
    """Converge ``name`` with the roles common and hardening; the seconds it took."""
    inv_dir = _inventory(name, work / "harden")
    playbook = inv_dir / "harden.yml"
    playbook.write_text(HARDEN_PLAYBOOK, encoding="utf-8")
    start_time = time.monotonic()
    result = ansible_run.playbook(playbook, inv_dir, quiet=True,
                                  extra_env={**PODMAN_ENV, "ANSIBLE_ROLES_PATH":
                                             str(REPO_ROOT / "roles")})
    if not result.ok:
        sys.exit(f"hardening {name} failed (rc={result.returncode}):\n{result.output[-4000:]}")
    return time.monotonic() - start_time


def scan_container(name: str, content: ssg.Content, work: Path,
                   waiver_list: list[waivers.Waiver]) -> dict[str, Any]:
    """Run the audit playbook in ``name`` over the podman connection; the host's record."""
    inv_dir = _inventory(name, work / name)
    raw = work / "raw"
    start = time.monotonic()
    result = ansible_run.playbook(
        PLAYBOOK, inv_dir, quiet=True,
        extra_env={**PODMAN_ENV,
                   "BILGIISLEM_AUDIT_FETCH_DIR": str(raw),
                   "BILGIISLEM_AUDIT_DATASTREAM": str(content.datastream)})
    elapsed = time.monotonic() - start
    if not result.ok:
        sys.exit(f"scan of {name} failed (rc={result.returncode}):\n{result.output[-3000:]}")
    run = report.RunInfo(stamp="bench", time="", content=content.as_dict())
    rec = report.evaluate_host(name, raw / name, waiver_list, run, evidence_dir=work)
    rec["bench_scan_seconds"] = round(elapsed, 1)
    return rec


def figures(rec: dict[str, Any]) -> dict[str, Any]:
    ly, osc = rec.get("lynis") or {}, rec.get("openscap") or {}
    counts = osc.get("counts") or {}
    return {
        "host": rec.get("host"),
        "lynis_hardening_index": ly.get("hardening_index"),
        "lynis_warnings": len(ly.get("warnings") or []),
        "lynis_suggestions": len(ly.get("suggestions") or []),
        "openscap_pass_rate": osc.get("pass_rate"),
        "openscap_pass": counts.get("pass"),
        "openscap_fail": counts.get("fail"),
        "openscap_notapplicable": counts.get("notapplicable"),
        "open_findings": len((rec.get("findings") or {}).get("open") or []),
        "waived_findings": len((rec.get("findings") or {}).get("waived") or []),
        "scan_seconds": rec.get("bench_scan_seconds"),
    }


def _cell(value: object, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:.1f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def table(stock: dict[str, Any], hardened: dict[str, Any] | None) -> str:
    rows = [("Lynis hardening index", "lynis_hardening_index", "", 85),
            ("OpenSCAP pass rate (%)", "openscap_pass_rate", "", 95.0),
            ("OpenSCAP pass", "openscap_pass", "", None),
            ("OpenSCAP fail", "openscap_fail", "", None),
            ("OpenSCAP not applicable", "openscap_notapplicable", "", None),
            ("Lynis warnings", "lynis_warnings", "", None),
            ("Lynis suggestions", "lynis_suggestions", "", None),
            ("open findings (not waived)", "open_findings", "", None)]
    head = ["", "stock", "hardened", "difference", "ratio", "target"]
    out = []
    for label, key, unit, target in rows:
        s = stock.get(key)
        h = hardened.get(key) if hardened else None
        diff = ratio = "-"
        if isinstance(s, int | float) and isinstance(h, int | float):
            d = h - s
            diff = f"{d:+.1f}" if isinstance(d, float) else f"{d:+d}"
            ratio = f"{h / s:.2f}x" if s else "-"
        out.append([label, _cell(s, unit), _cell(h, unit), diff, ratio,
                    "-" if target is None else f">= {target}"])
    widths = [max(len(str(r[i])) for r in [head, *out]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [head, *out]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    side = parser.add_mutually_exclusive_group()
    side.add_argument("--harden", action="store_true",
                      help=f"start {HARDENED} and converge it with roles common + hardening")
    side.add_argument("--hardened", metavar="CONTAINER",
                      help="running podman container to scan as the hardened side")
    side.add_argument("--hardened-evidence", metavar="FILE", type=Path,
                      help="<host>.json written by invoke audit.hardening")
    parser.add_argument("--keep", action="store_true", help="keep the bench-audit-* containers")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.hardened and args.hardened.startswith("lab-"):
        say(f"note: scanning {args.hardened} installs lynis and openscap-scanner in it")

    content = ssg.ensure(say)
    waiver_list = waivers.load()
    tag, _ = image.ensure(say)
    work = Path(tempfile.mkdtemp(prefix="bench-hardening-"))
    try:
        say(f"stock: starting {STOCK} from {tag}")
        podman.start_throwaway(STOCK, tag)
        say(f"stock: scanning {STOCK} (Lynis ~25 s, OpenSCAP ~5 s)")
        stock = figures(scan_container(STOCK, content, work / "stock", waiver_list))
        hardened = None
        if args.harden:
            say(f"hardened: starting {HARDENED} and converging roles common + hardening")
            podman.start_throwaway(HARDENED, tag)
            seconds = harden(HARDENED, work)
            say(f"hardened: converged in {seconds:.0f} s; scanning {HARDENED}")
            hardened = figures(scan_container(HARDENED, content, work / "hardened",
                                              waiver_list))
        elif args.hardened:
            say(f"hardened: scanning {args.hardened}")
            hardened = figures(scan_container(args.hardened, content, work / "hardened",
                                              waiver_list))
        elif args.hardened_evidence:
            hardened = figures(json.loads(args.hardened_evidence.read_text(encoding="utf-8")))
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            for name in (STOCK, HARDENED):
                podman.run("rm", "-f", "-t", "1", name, check=False)

    result = {"benchmark": "hardening scores, stock container vs hardened host",
              "image": tag, "openscap_content": content.as_dict(),
              "profile": "anssi_bp28_intermediary", "stock": stock, "hardened": hardened,
              "formulas": {"lynis": report.LYNIS_FORMULA, "openscap": report.PASS_RATE_FORMULA}}
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        return
    print(f"Hardening scores (OpenSCAP profile anssi_bp28_intermediary, "
          f"{ssg.PACKAGE} {content.version}); hardened side: "
          f"{HARDENED if args.harden else args.hardened or args.hardened_evidence or 'not given'}")
    print(table(stock, hardened))
    print(f"OpenSCAP pass rate = {report.PASS_RATE_FORMULA}; Lynis index = "
          f"{report.LYNIS_FORMULA}.")


if __name__ == "__main__":
    main()
