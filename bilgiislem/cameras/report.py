"""Evidence of ``cameras.apply`` and ``cameras.audit``: ``<stamp>-apply`` / ``<stamp>-audit``
(``stamp`` as every evidence file: YYYYMMDDTHHMMSSZ) as JSON for machines and a Turkish HTML
page for people, in the folder the caller gives (by default ``evidence/cameras``).

No secrets: passwords are never in the results (changes name the account, not the password);
the factory credentials an audit finds accepted are public knowledge and are named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, htmlreport
from bilgiislem.ansible_run import EVIDENCE_DIR, stamp
from bilgiislem.cameras.apply import FAILED, CameraResult, counts
from bilgiislem.cameras.audit import AuditReport

TEMPLATES = Path(__file__).parent / "templates"
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
EVIDENCE = EVIDENCE_DIR / "cameras"

STATUS_TR = {"ok": "değiştirildi", "unchanged": "değişiklik yok",
             "would-change": "değişecek (deneme)", "failed": "HATA",
             "unreachable": "ERİŞİLEMEDİ", "auth-failed": "GİRİŞ REDDEDİLDİ"}
KIND_TR = {"unreachable": "erişilemiyor", "auth-failed": "proje hesabıyla giriş reddedildi",
           "default-credential": "fabrika parolası kabul ediliyor",
           "clock-drift": "saat kayması", "firmware-outdated": "eski yazılım (firmware)",
           "config-drift": "ayarlar hedeften farklı", "error": "hata"}


def apply_record(results: Iterable[CameraResult], *, check: bool, duration: float,
                 meta: dict[str, Any] | None = None,
                 now: dt.datetime | None = None) -> dict[str, Any]:
    results = list(results)
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {"kind": "cameras-apply", "time": now.isoformat(), **(meta or {}),
            "stamp": stamp(now), "check_mode": check, "duration": round(duration, 2),
            "ok": not any(r.status in FAILED for r in results), "counts": counts(results),
            "changes_total": sum(len(r.changes) for r in results),
            "status_tr": STATUS_TR, "cameras": [r.as_dict() for r in results]}


def write_apply(results: Iterable[CameraResult], *, check: bool, duration: float,
                meta: dict[str, Any] | None = None, folder: Path = EVIDENCE,
                now: dt.datetime | None = None) -> Path:
    """``folder/<stamp>-apply.json`` + ``.html``; returns the JSON's path. ``meta``: what
    ``ansible_run.provenance`` gives (operator, git commit, inventory)."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = apply_record(results, check=check, duration=duration, meta=meta, now=now)
    suffix = "-apply-check" if check else "-apply"
    return htmlreport.write_record(folder / f"{stamp(now)}{suffix}", data, "apply.html.j2",
                                   TEMPLATES, STYLE)


def audit_record(report: AuditReport, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"kind": "cameras-audit", **(meta or {}), **report.as_dict(),
            "time": report.time.isoformat(), "stamp": stamp(report.time), "kind_tr": KIND_TR,
            "ok": not report.findings}


def write_audit(report: AuditReport, *, meta: dict[str, Any] | None = None,
                folder: Path = EVIDENCE) -> Path:
    """``folder/<stamp>-audit.json`` + ``.html``; returns the JSON's path."""
    return htmlreport.write_record(folder / f"{stamp(report.time)}-audit",
                                   audit_record(report, meta), "audit.html.j2", TEMPLATES,
                                   STYLE)


def apply_summary(results: Iterable[CameraResult]) -> str:
    """One line per camera that is not ``unchanged``, then the counts (for the terminal)."""
    results = list(results)
    lines = []
    for r in results:
        if r.status == "unchanged":
            continue
        detail = "; ".join(r.errors) if r.errors else f"{len(r.changes)} değişiklik"
        lines.append(f"  {r.name:<24} {r.address:<21} {STATUS_TR[r.status]}: {detail}")
    c = counts(results)
    head = (f"kameralar: {len(results)}, " + ", ".join(f"{STATUS_TR[k]} {v}"
                                                       for k, v in c.items() if v))
    return "\n".join([head, *lines])


def audit_summary(report: AuditReport) -> str:
    lines = [f"  {f.camera:<24} {KIND_TR.get(f.kind, f.kind)}: {f.detail}"
             for f in report.findings]
    head = (f"kameralar: {len(report.cameras)}, temiz {len(report.clean)}, "
            f"bulgu {len(report.findings)}")
    return "\n".join([head, *lines])
