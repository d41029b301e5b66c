"""``cameras.apply`` and ``cameras.audit`` as the tasks run them: the validated inventory's
targets, progress per camera, the evidence (JSON + Turkish HTML) and the exit code.

Exit codes: 0 every camera as intended (apply) or clean (audit); 1 a camera failed, could not
be reached or refused the project's account (apply), or any finding (audit).
"""

from __future__ import annotations

import time
from pathlib import Path

from bilgiislem import secrets as secretsmod
from bilgiislem import ui
from bilgiislem.ansible_run import provenance
from bilgiislem.cameras import apply as applymod
from bilgiislem.cameras import audit as auditmod
from bilgiislem.cameras import plan as camplan
from bilgiislem.cameras import report
from bilgiislem.cameras.target import CameraTarget
from bilgiislem.inventory import Inventory


def targets(inv: Inventory, names: list[str] | None) -> list[CameraTarget]:
    """ValueError for an unknown camera name; SecretsError when the vault is unreadable."""
    return camplan.targets(inv, secretsmod.read(inv), names)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def apply(inv: Inventory, inventory: str, chosen: list[CameraTarget], *, check: bool,
          concurrency: int, evidence: Path = report.EVIDENCE) -> int:
    verb = "checking" if check else "configuring"
    ui.step(f"{verb} {len(chosen)} camera(s), {concurrency} at a time"
            + (" [preview: nothing is changed]" if check else ""))
    done = 0

    def progress(r: applymod.CameraResult) -> None:
        nonlocal done
        done += 1
        ui.info(f"[{done}/{len(chosen)}] {r.name}: {report.STATUS_TR[r.status]}"
                + (f" ({len(r.changes)} değişiklik)" if r.changes else "")
                + (f": {'; '.join(r.errors)}" if r.errors else ""))

    start = time.monotonic()
    results = applymod.apply_sync(chosen, check=check, concurrency=concurrency,
                                  progress=progress)
    meta = provenance("cameras-apply", inventory)
    meta.pop("kind", None)
    meta.pop("time", None)
    path = report.write_apply(results, check=check, duration=time.monotonic() - start,
                              meta=meta, folder=evidence)
    print(report.apply_summary(results))
    ui.info(f"evidence: {_relative(path)} (+ .html)")
    return 1 if any(r.status in applymod.FAILED for r in results) else 0


def audit(inv: Inventory, inventory: str, chosen: list[CameraTarget], *, concurrency: int,
          drift_limit_s: int, evidence: Path = report.EVIDENCE) -> int:
    ui.step(f"auditing {len(chosen)} camera(s): clock, default passwords, firmware, settings")
    result = auditmod.audit_sync(chosen, drift_limit_s=drift_limit_s, concurrency=concurrency)
    meta = provenance("cameras-audit", inventory)
    meta.pop("kind", None)
    meta.pop("time", None)
    path = report.write_audit(result, meta=meta, folder=evidence)
    print(report.audit_summary(result))
    ui.info(f"evidence: {_relative(path)} (+ .html)")
    return 1 if result.findings else 0
