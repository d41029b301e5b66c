"""Evidence of a hardening audit: per host a JSON and a Turkish HTML page, per run an
``index.html`` and a ``summary.json``.

A host *complies* (``uyumlu``) when its Lynis hardening index reaches the Lynis target, its
OpenSCAP pass rate reaches the OpenSCAP target, and every finding is waived. Findings are the
Lynis warnings and the OpenSCAP rules that failed (``fail``, ``error``, ``unknown``). Lynis
suggestions are listed, and may be waived, but do not decide compliance: the hardening index
already scores them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from bilgiislem import REPO_ROOT, htmlreport
from bilgiislem.audit import LYNIS_TARGET, OPENSCAP_TARGET, lynis, openscap
from bilgiislem.audit.waivers import Waiver, match

EVIDENCE_DIR = REPO_ROOT / "evidence" / "audit" / "hardening"
TEMPLATES = Path(__file__).with_name("templates")
SCHEMA_VERSION = 1
PASS_RATE_FORMULA = "pass / (pass + fail) × 100"
LYNIS_FORMULA = "earned hardening points / possible hardening points × 100, rounded down"

STATUS_OK, STATUS_FAIL, STATUS_ERROR = "uyumlu", "uyumsuz", "taranamadı"
RESULT_TR = {"pass": "geçti", "fail": "başarısız", "error": "hata", "unknown": "bilinmiyor",
             "notapplicable": "uygulanamaz", "notchecked": "denetlenmedi",
             "informational": "bilgi", "fixed": "düzeltildi", "warning": "uyarı"}
SEVERITY_TR = {"high": "yüksek", "medium": "orta", "low": "düşük", "unknown": "belirsiz",
               "info": "bilgi", "warning": "uyarı"}


@dataclass
class Targets:
    lynis: int = LYNIS_TARGET
    openscap: float = OPENSCAP_TARGET

    def as_dict(self) -> dict[str, float]:
        return {"lynis_hardening_index": self.lynis, "openscap_pass_rate": self.openscap}


@dataclass
class RunInfo:
    """What every host record of one run shares."""

    stamp: str  # YYYYMMDDTHHMMSSZ, also the evidence folder name
    time: str  # ISO 8601, UTC
    operator: str = ""
    git_commit: str | None = None
    git_dirty: bool = False
    inventory: str = ""
    limit: str | None = None
    content: dict[str, Any] = field(default_factory=dict)  # the OpenSCAP content used

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.stamp, "time": self.time, "operator": self.operator,
                "git_commit": self.git_commit, "git_dirty": self.git_dirty,
                "inventory": self.inventory, "limit": self.limit}


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _waiver_fields(w: Waiver | None) -> dict[str, Any]:
    return {"waived": w is not None, "waiver": w.as_dict() if w else None}


def evaluate_host(host: str, raw_dir: Path, waivers: list[Waiver], run: RunInfo, *,
                  targets: Targets | None = None, previous: dict[str, Any] | None = None,
                  evidence_dir: Path | None = None) -> dict[str, Any]:
    """The evidence record of one host, from its raw results in ``raw_dir``."""
    targets = targets or Targets()
    scan = read_json(raw_dir / "scan.json")
    container = bool(scan.get("container", False))
    problems: list[str] = []
    errors: list[str] = []
    rec: dict[str, Any] = {
        "kind": "audit-hardening",
        "schema_version": SCHEMA_VERSION,
        "host": host,
        "time": run.time,
        "scanned": scan.get("finished"),
        "run": run.as_dict(),
        "system": {k: scan.get(k) for k in ("fqdn", "os", "kernel", "virtualization_type",
                                             "virtualization_role")} | {"container": container},
        "targets": targets.as_dict(),
        "tools": {"packages": {p.get("name"): p.get("version")
                               for p in scan.get("packages") or [] if isinstance(p, dict)},
                  "openscap_content": run.content},
        "lynis": None,
        "openscap": None,
    }
    base = evidence_dir or raw_dir.parent.parent
    rec["raw"] = {p.name: str(p.relative_to(base)) if p.is_relative_to(base) else str(p)
                  for p in sorted(raw_dir.glob("*")) if p.is_file()} if raw_dir.is_dir() else {}

    findings: list[dict[str, Any]] = []
    waivers_used: set[tuple[str, str]] = set()

    def waiver_for(tool: str, fid: str) -> Waiver | None:
        w = match(waivers, tool, fid, container=container)
        if w:
            waivers_used.add((w.tool, w.id))
        return w

    # Lynis
    report_path = raw_dir / "lynis-report.dat"
    if report_path.is_file():
        try:
            rep = lynis.parse_report(report_path.read_text(encoding="utf-8", errors="replace"))
        except lynis.LynisParseError as exc:
            errors.append(f"Lynis: {exc}")
        else:
            log = raw_dir / "lynis.log"
            points = lynis.parse_log_points(log.read_text(encoding="utf-8", errors="replace")) \
                if log.is_file() else {}
            warnings = [f.as_dict() | _waiver_fields(waiver_for("lynis", f.id))
                        for f in rep.warnings]
            suggestions = [f.as_dict() | _waiver_fields(waiver_for("lynis", f.id))
                           for f in rep.suggestions]
            meets = rep.hardening_index >= targets.lynis
            rec["lynis"] = {
                "version": rep.version,
                "hardening_index": rep.hardening_index,
                "formula": LYNIS_FORMULA,
                "target": targets.lynis,
                "meets_target": meets,
                "tests_performed": rep.tests_performed,
                "tests_skipped": len(rep.tests_skipped),
                "points": {"earned": sum(p.earned for p in points.values()),
                           "possible": sum(p.possible for p in points.values())},
                "lost_points": lynis.lost_points(points),
                # Information only (the target is on the index above): the index without
                # the tests this host's waivers cover.
                "hardening_index_excluding_waived": lynis.index_from_points(
                    {k: p for k, p in points.items()
                     if not match(waivers, "lynis", k, container=container)}) if points else None,
                "warnings": warnings,
                "suggestions": suggestions,
                "details": rep.details,
                "start": rep.start,
                "end": rep.end,
            }
            rec["tools"]["lynis"] = rep.version
            if not meets:
                problems.append(f"Lynis sertleştirme indeksi {rep.hardening_index} < hedef "
                                f"{targets.lynis}")
            findings += [{"tool": "lynis", "id": w["id"], "title": w["text"],
                          "severity": "warning", "result": "warning",
                          "waived": w["waived"], "waiver": w["waiver"]} for w in warnings]
    elif scan.get("lynis", True):
        errors.append("Lynis: no lynis-report.dat was fetched")

    # OpenSCAP
    results_path = raw_dir / "oscap-results.xml"
    if results_path.is_file():
        try:
            res = openscap.parse_results(results_path)
        except openscap.OscapParseError as exc:
            errors.append(f"OpenSCAP: {exc}")
        else:
            rate = res.pass_rate
            meets = rate is not None and rate >= targets.openscap
            failed = [{"id": r.id, "short_id": r.short_id, "title": r.title,
                       "severity": r.severity, "result": r.result}
                      | _waiver_fields(waiver_for("openscap", r.id)) for r in res.failing()]
            rec["openscap"] = {
                "profile": res.profile,
                "profile_title": res.profile_title,
                "benchmark": res.benchmark,
                "benchmark_version": res.benchmark_version,
                "scanner_version": res.scanner_version,
                "counts": res.counts,
                "rules_evaluated": len(res.rules),
                "pass_rate": rate,
                "formula": PASS_RATE_FORMULA,
                "target": targets.openscap,
                "meets_target": meets,
                "xccdf_score": res.score,
                # Information only: the rate with waived failures left out of the divisor.
                "pass_rate_excluding_waived": openscap.pass_rate(
                    {"pass": res.counts["pass"],
                     "fail": sum(1 for f in failed if f["result"] == "fail" and not f["waived"])}),
                "failed": failed,
                "start": res.start,
                "end": res.end,
            }
            rec["tools"]["openscap"] = res.scanner_version
            if not meets:
                problems.append(f"OpenSCAP geçme oranı {pct(rate)} < hedef "
                                f"{pct(targets.openscap)}")
            findings += [{"tool": "openscap", "id": f["short_id"], "title": f["title"],
                          "severity": f["severity"], "result": f["result"],
                          "waived": f["waived"], "waiver": f["waiver"]} for f in failed]
    elif scan.get("openscap", True):
        errors.append("OpenSCAP: no oscap-results.xml was fetched")

    open_findings = [f for f in findings if not f["waived"]]
    if open_findings:
        problems.append(f"{len(open_findings)} açık (muaf tutulmamış) bulgu")
    fixed = _fixed(previous, findings)
    rec["findings"] = {
        "open": open_findings,
        "waived": [f for f in findings if f["waived"]],
        "fixed": fixed,
        "compared_with": (previous or {}).get("run", {}).get("id") if previous else None,
    }
    rec["waivers_used"] = sorted(f"{t}:{i}" for t, i in waivers_used)
    rec["errors"] = errors
    rec["problems"] = errors + problems
    rec["status"] = STATUS_ERROR if errors else (STATUS_FAIL if problems else STATUS_OK)
    return rec


def _fixed(previous: dict[str, Any] | None, findings: list[dict[str, Any]]
           ) -> list[dict[str, Any]]:
    """Findings of the previous record of this host that are gone now."""
    if not previous:
        return []
    now = {(f["tool"], f["id"]) for f in findings}
    before = (previous.get("findings") or {})
    out = []
    for f in (before.get("open") or []) + (before.get("waived") or []):
        if (f["tool"], f["id"]) not in now:
            out.append({k: f.get(k) for k in ("tool", "id", "title", "severity")})
    return out


def previous_record(host: str, current_stamp: str, root: Path = EVIDENCE_DIR, *,
                    inventory: str | None = None) -> dict[str, Any] | None:
    """The newest earlier scanned record of ``host`` under ``root`` (of the same inventory
    when ``inventory`` is given), if any."""
    if not root.is_dir():
        return None
    for run_dir in sorted((p for p in root.iterdir() if p.is_dir()), reverse=True):
        if run_dir.name >= current_stamp:
            continue
        rec = read_json(run_dir / f"{host}.json")
        if rec.get("kind") != "audit-hardening" or rec.get("status") == STATUS_ERROR:
            continue
        if inventory is None or (rec.get("run") or {}).get("inventory") == inventory:
            return rec
    return None


# --- rendering --------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    """Turkish percent: %68,0."""
    return "—" if value is None else f"%{value:.1f}".replace(".", ",")


def _tr_time(value: str | None) -> str:
    if not value:
        return "—"
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return t.strftime("%d.%m.%Y %H:%M UTC")


def _tr_stamp(value: str | None) -> str:
    """A run id (YYYYMMDDTHHMMSSZ) as a Turkish date."""
    try:
        return dt.datetime.strptime(value or "", "%Y%m%dT%H%M%SZ").strftime("%d.%m.%Y %H:%M UTC")
    except ValueError:
        return value or "—"


def _env() -> jinja2.Environment:
    return htmlreport.environment(
        TEMPLATES, pct=pct, tr_time=_tr_time, tr_stamp=_tr_stamp,
        tr_num=lambda v: "—" if v is None else f"{v:.1f}".replace(".", ","),
        result_tr=lambda r: RESULT_TR.get(r, r), severity_tr=lambda s: SEVERITY_TR.get(s, s))


def render_host(rec: dict[str, Any]) -> str:
    return _env().get_template("host.html.j2").render(r=rec)


def render_index(summary: dict[str, Any]) -> str:
    return _env().get_template("index.html.j2").render(s=summary)


def summarize(run: RunInfo, records: list[dict[str, Any]], waivers: list[Waiver],
              targets: Targets, waivers_path: Path | None = None) -> dict[str, Any]:
    used = {u for r in records for u in r.get("waivers_used", [])}
    hosts = []
    for r in records:
        ly, os_ = r.get("lynis") or {}, r.get("openscap") or {}
        hosts.append({
            "host": r["host"], "status": r["status"], "container": r["system"]["container"],
            "lynis_hardening_index": ly.get("hardening_index"),
            "openscap_pass_rate": os_.get("pass_rate"),
            "open": len(r["findings"]["open"]), "waived": len(r["findings"]["waived"]),
            "fixed": len(r["findings"]["fixed"]), "problems": r["problems"],
        })
    ok = all(h["status"] == STATUS_OK for h in hosts) and bool(hosts)
    return {
        "kind": "audit-hardening-summary",
        "schema_version": SCHEMA_VERSION,
        "run": run.as_dict(),
        "openscap_content": run.content,
        "targets": targets.as_dict(),
        "formulas": {"lynis_hardening_index": LYNIS_FORMULA,
                     "openscap_pass_rate": PASS_RATE_FORMULA},
        "waivers_file": (str(waivers_path.relative_to(REPO_ROOT))
                         if waivers_path and waivers_path.is_relative_to(REPO_ROOT)
                         else str(waivers_path) if waivers_path else None),
        "waivers": len(waivers),
        "waivers_unused": [f"{w.tool}:{w.id}" for w in waivers
                           if f"{w.tool}:{w.id}" not in used],
        "hosts": hosts,
        "status": STATUS_OK if ok else STATUS_FAIL,
        "exit_code": 0 if ok else 1,
    }


def write(folder: Path, records: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    """``<host>.json`` and ``<host>.html`` per host, ``summary.json`` and ``index.html``."""
    folder.mkdir(parents=True, exist_ok=True)
    for rec in records:
        (folder / f"{rec['host']}.json").write_text(
            json.dumps(rec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (folder / f"{rec['host']}.html").write_text(render_host(rec), encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False)
                                         + "\n", encoding="utf-8")
    (folder / "index.html").write_text(render_index(summary), encoding="utf-8")
