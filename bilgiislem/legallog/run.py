"""``invoke logs.*``: run the collector's bilgiislem-5651 through playbooks/legal-log.yml and
keep what it answers as evidence (evidence/legal-log/<time>-<kind>.json + Turkish .html)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, ui
from bilgiislem.inventory import Inventory

PLAYBOOK = REPO_ROOT / "playbooks" / "legal-log.yml"
EVIDENCE_DIR = REPO_ROOT / "evidence" / "legal-log"
TEMPLATES = Path(__file__).with_name("templates")
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
TITLES = {"seal": "5651 Günlük Mühürleme", "pending": "5651 Mühür Önizlemesi",
          "verify": "5651 Kayıt Doğrulama", "who": "5651 IP Sorgusu",
          "export": "5651 Teslim Paketi", "purge": "5651 İmha"}


class LegalLogError(RuntimeError):
    pass


def collectors(inv: Inventory) -> list[str]:
    if inv.legal_logging is None:
        raise LegalLogError(f"{inv.root}/legal_logging.yml does not exist: no 5651 sealing is "
                            "set up (see docs/legal-logging.md)")
    return [h.name for h in inv.hosts_with_role("log_collector")]


def remote(inventory: str, args: list[str], export: str = "") -> tuple[dict[str, Any], Path]:
    """bilgiislem-5651 ``args`` on every collector: {host: {rc, answer, stderr}}, and the
    directory the answers (and an exported package) were saved in."""
    dest = Path(tempfile.mkdtemp(prefix="bilgiislem-5651-"))
    result = ansible_run.playbook(PLAYBOOK, REPO_ROOT / inventory, quiet=True,
                                  extra_vars={"legal_log_args": args,
                                              "legal_log_dest": str(dest),
                                              "legal_log_export": export})
    answers: dict[str, Any] = {}
    for f in sorted(dest.glob("*.json")):
        raw = json.loads(f.read_text(encoding="utf-8"))
        try:
            answer = json.loads(raw["stdout"]) if raw["stdout"].strip() else None
        except ValueError:
            answer = None
        answers[raw["host"]] = {"rc": raw["rc"], "answer": answer, "stderr": raw["stderr"]}
    if result.returncode != 0 or not answers:
        print(result.output[-3000:])
        shutil.rmtree(dest, ignore_errors=True)
        raise LegalLogError(f"playbooks/legal-log.yml ended with code {result.returncode}")
    return answers, dest


def record(kind: str, inventory: str, data: dict[str, Any], now: dt.datetime) -> Path:
    body = {**ansible_run.provenance(f"legal-log-{kind}", inventory, now), "title": TITLES[kind],
            **data}
    return htmlreport.write_record(EVIDENCE_DIR / f"{ansible_run.stamp(now)}-{kind}", body,
                                   "kayit.html.j2", TEMPLATES, STYLE)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def seal(inv: Inventory, inventory: str, *, day: str | None, clock: str | None,
         dry_run: bool) -> int:
    hosts = collectors(inv)
    ui.step(f"{'preview of the ' if dry_run else ''}5651 seal on {', '.join(hosts)}")
    args = ([] if not clock else ["--now", clock]) + (["pending"] if dry_run else ["seal"])
    if day and not dry_run:
        args += ["--day", day]
    answers, tmp = remote(inventory, args)
    shutil.rmtree(tmp, ignore_errors=True)
    ok = all(a["rc"] == 0 for a in answers.values())
    rows = []
    for host, a in answers.items():
        for b in (a["answer"] or {}).get("bekleyen" if dry_run else "paketler", []):
            rows.append([host, b["gun"], b["kaynak"],
                         ("mühürlenir" if b["muhurlenir"] else "gün bitmedi") if dry_run
                         else b["sonuc"], str(b.get("kullanim", "")) if not dry_run else ""])
    print(ui.table(["collector", "day", "source", "result", "IP uses"], rows) if rows
          else "nothing to seal")
    if dry_run:
        return 0
    path = record("seal", inventory, {"ok": ok, "collectors": answers}, _now())
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 0 if ok else 1


def verify(inv: Inventory, inventory: str, *, day: str | None) -> int:
    hosts = collectors(inv)
    ui.step(f"5651 verification of {'day ' + day if day else 'every sealed day'} on "
            f"{', '.join(hosts)}")
    answers, tmp = remote(inventory, ["verify", *(["--day", day] if day else [])])
    shutil.rmtree(tmp, ignore_errors=True)
    rows, failed = [], 0
    for host, a in answers.items():
        report = a["answer"] or {"sonuclar": [], "basarisiz": 1}
        failed += report["basarisiz"] or (a["rc"] != 0)
        for r in report["sonuclar"]:
            rows.append([host, r["gun"], r["kaynak"], r["sonuc"], "; ".join(r["sorunlar"])])
    print(ui.table(["collector", "day", "source", "result", "problems"], rows))
    path = record("verify", inventory, {"ok": not failed, "day": day, "collectors": answers},
                  _now())
    print(f"{len(rows) - failed} OK, {failed} FAIL")
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 1 if failed else 0


def who(inv: Inventory, inventory: str, *, ip: str, at: str) -> int:
    collectors(inv)
    ui.step(f"who held {ip} at {at} (sealed İç IP Dağıtım Logu)")
    answers, tmp = remote(inventory, ["who", "--ip", ip, "--at", at])
    shutil.rmtree(tmp, ignore_errors=True)
    hits = [h for a in answers.values() for h in (a["answer"] or {}).get("kayitlar", [])]
    print(ui.table(["ip", "mac", "hostname", "user", "from", "to", "day", "verified"],
                   [[h["ip"], h["mac"], h["bilgisayar_adi"], h["kullanici"], h["baslangic"],
                     h["bitis"], h["gun"], h["dogrulama"]] for h in hits])
          if hits else f"no sealed record shows who held {ip} at {at}")
    ok = bool(hits) and all(h["dogrulama"] == "OK" for h in hits)
    path = record("who", inventory, {"ok": ok, "ip": ip, "at": at, "hits": hits}, _now())
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 0 if ok else 1


def export(inv: Inventory, inventory: str, *, first: str, last: str) -> int:
    collectors(inv)
    now = _now()
    remote_path = f"/var/tmp/5651-teslim-{ansible_run.stamp(now)}.tar.gz"
    ui.step(f"5651 hand-over package {first} .. {last}")
    answers, tmp = remote(inventory, ["export", "--from", first, "--to", last,
                                      "--out", remote_path], export=remote_path)
    EVIDENCE_DIR.mkdir(parents=True, exist_ok=True)
    packages = []
    for host, a in answers.items():
        src = tmp / f"{host}.tar.gz"
        if src.exists():
            dest = EVIDENCE_DIR / f"{ansible_run.stamp(now)}-teslim-{host}.tar.gz"
            shutil.move(src, dest)
            packages.append({"host": host, "path": str(dest.relative_to(REPO_ROOT)),
                             **(a["answer"] or {})})
    shutil.rmtree(tmp, ignore_errors=True)
    for p in packages:
        print(f"{p['host']}: {p['path']} ({p.get('paketler', 0)} bundles, sha256 "
              f"{p.get('sha256', '?')})")
    ok = bool(packages) and all(not p.get("basarisiz") for p in packages)
    path = record("export", inventory, {"ok": ok, "first": first, "last": last,
                                        "packages": packages}, now)
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 0 if ok else 1
