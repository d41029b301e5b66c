"""``invoke audit.report``: one Turkish report over the newest evidence of every capability.

Not to be confused with :mod:`bilgiislem.audit.report`, which writes the evidence of one
hardening scan. This module only *reads* what the other tasks left under ``evidence/`` (it
contacts no host) and writes one record, ``evidence/audit/<UTC time>-denetim-raporu.json``
plus a Turkish ``.html`` page for auditors, with eight sections:

1. hardening scores per host (``audit.hardening``),
2. backup status per set (``backup.status``) and the last restore drill (``backup.drill``),
3. the 5651 seal verification (``logs.verify``),
4. network drift (``net.drift``; the last ``net.push`` and ``net.backup`` beside it),
5. the camera audit (``cameras.audit``),
6. the VPN status (``vpn.status``),
7. the access matrix and orphan accounts (``users.report``),
8. the changes of the period from the git history (and the deploys of the period).

Each section shows the date of its evidence and one status: ``tamam`` (green); ``eski``, the
evidence is older than its maximum age (:data:`KINDS`); ``başarısız``, the evidence itself
reports a failure (named); ``yok``, there is no evidence. Anything but ``tamam`` is red.

Which evidence counts: the newest readable file of each kind. Two kinds can be narrowed when
they are run (``--limit``, ``--set``), so for them the newest *full* run sets the list and
newer narrowed runs replace its entries: hardening per host, restore drills per set and client.
A host or set that only an older run mentions is no longer counted (it left the inventory).

:func:`collect` gathers a :class:`Report` (pure apart from reading files and ``git log``),
:func:`render_html` and :func:`to_json` present it, :func:`run` is the task.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bilgiislem import REPO_ROOT, htmlreport, ui
from bilgiislem.ansible_run import EVIDENCE_DIR, provenance, stamp
from bilgiislem.backup.common import duration, parse_time, tr_time
from bilgiislem.naming import ascii_fold

TEMPLATES = Path(__file__).with_name("templates")
OUT_DIR = EVIDENCE_DIR / "audit"
SCHEMA_VERSION = 1
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2

PERIODS = {"week": 7, "month": 30, "year": 365}
"""``--period``: how many days of git history (and deploys) the report covers."""
PERIOD_TR = {"week": "son 7 gün (hafta)", "month": "son 30 gün (ay)",
             "year": "son 365 gün (yıl)"}

TAMAM, ESKI, BASARISIZ, YOK = "tamam", "eski", "başarısız", "yok"
STATUS_UPPER = {TAMAM: "TAMAM", ESKI: "ESKİ", BASARISIZ: "BAŞARISIZ", YOK: "YOK"}
"""Upper case the Turkish way (``str.upper`` would make ``ESKI``)."""
_SEVERITY = {TAMAM: 0, ESKI: 1, YOK: 2, BASARISIZ: 3}

IT_PATHS = ("inventory/", "roles/", "playbooks/")
"""Commits touching these paths are changes to the IT department's systems."""


@dataclass(frozen=True)
class Kind:
    """A kind of evidence: where the files are, which task writes them, how old it may be."""

    key: str  # the ``kind`` field inside the JSON
    title: str
    pattern: str  # glob under the evidence folder
    task: str
    max_age_days: int | None  # None: no maximum (shown beside another kind, never stale)
    why: str
    required: bool = True  # False: a missing file is no problem (but a failure is)


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("audit-hardening-summary", "Sıkılaştırma taraması", "audit/hardening/*/summary.json",
         "audit.hardening", 35, "aylık tarama + 5 gün pay"),
    Kind("backup-status", "Yedek durumu", "backup/*-status.json", "backup.status", 2,
         "günlük denetim + 1 gün pay"),
    Kind("backup-drill", "Geri yükleme tatbikatı", "backup/*-drill.json", "backup.drill", 35,
         "aylık tatbikat + 5 gün pay"),
    Kind("legal-log-verify", "5651 doğrulaması", "legal-log/*-verify.json", "logs.verify", 2,
         "her gün mühürlenen günlerin doğrulaması + 1 gün pay"),
    Kind("net-drift", "Yapılandırma sapma denetimi", "network/*-drift.json", "net.drift", 8,
         "haftalık denetim + 1 gün pay"),
    Kind("net-push", "Son yapılandırma gönderimi", "network/*-push.json", "net.push", None,
         "yalnız değişiklikte çalışır; sapma denetimi onu izler", required=False),
    Kind("net-backup", "Son yapılandırma yedeği", "network/*-backup.json", "net.backup", None,
         "bilgi için; başarısızsa bölüm kırmızı", required=False),
    Kind("cameras-audit", "Kamera denetimi", "cameras/*-audit.json", "cameras.audit", 8,
         "haftalık denetim + 1 gün pay"),
    Kind("vpn-status", "VPN durumu", "vpn/*-durum.json", "vpn.status", 2,
         "günlük denetim + 1 gün pay"),
    Kind("users-report", "Erişim raporu", "users/*-erisim.json", "users.report", 35,
         "aylık erişim gözden geçirmesi + 5 gün pay"),
    Kind("deploy", "Yapılandırma uygulamaları", "deploy/*.json", "deploy", None,
         "dönem içindekiler listelenir", required=False),
)}
"""The maximum age of each kind of evidence, the one table the statuses rest on
(docs/denetim-raporu.md shows it)."""

SECTIONS = (
    ("sertlestirme", "Sıkılaştırma puanları (Lynis / OpenSCAP)"),
    ("yedekleme", "Yedekleme durumu ve geri yükleme tatbikatı"),
    ("5651", "5651 mühür doğrulaması"),
    ("ag", "Ağ yapılandırma sapması"),
    ("kameralar", "Kamera denetimi"),
    ("vpn", "VPN durumu"),
    ("erisim", "Erişim matrisi ve sahipsiz hesaplar"),
    ("degisiklikler", "Dönem içindeki değişiklikler (git geçmişi)"),
)

_STAMP = re.compile(r"(\d{8}T\d{6}Z)")


# --- the report ---------------------------------------------------------------------------------


@dataclass
class Evidence:
    """One kind of evidence a section rests on, and what it says."""

    kind: str
    title: str
    task: str
    path: str | None = None  # relative to the evidence folder
    html: str | None = None  # the evidence's own Turkish page, if there is one
    time: str | None = None  # ISO 8601, UTC (the oldest one when several runs are merged)
    age_seconds: float | None = None
    max_age_days: int | None = None
    required: bool = True
    status: str = YOK
    problems: list[str] = field(default_factory=list)


@dataclass
class Row:
    cells: list[str]
    bad: bool = False


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    status_col: int | None = None  # the column coloured green or red by ``Row.bad``
    num_cols: list[int] = field(default_factory=list)
    empty: str = "Kayıt yok."


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as people read it
    bad: bool = False


@dataclass
class Chart:
    """A horizontal bar chart; rendered as inline SVG."""

    key: str
    title: str
    bars: list[Bar]
    maximum: float | None = None  # the scale's end (default: the largest value or target)
    target: float | None = None
    target_text: str = ""


@dataclass
class Section:
    number: int
    key: str
    title: str
    evidence: list[Evidence] = field(default_factory=list)
    summary: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # machine-readable content
    status: str = YOK
    problems: list[str] = field(default_factory=list)

    @property
    def red(self) -> bool:
        return self.status != TAMAM

    def settle(self) -> None:
        """The section's status: the worst of its evidence (an optional kind only when it is
        there), and every problem of it."""
        counted = [e for e in self.evidence if e.required or e.status not in (YOK, TAMAM)]
        self.status = max((e.status for e in counted), key=_SEVERITY.__getitem__,
                          default=TAMAM)
        self.problems = [p for e in counted for p in e.problems]


@dataclass
class Report:
    time: str
    stamp: str
    period: str
    period_days: int
    period_start: str
    evidence_dir: Path
    sections: list[Section]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def red(self) -> list[Section]:
        return [s for s in self.sections if s.red]


# --- reading evidence ---------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _stamp_of(path: Path) -> str:
    """The UTC stamp an evidence file is named with (or its run folder), else ''."""
    for name in (path.name, path.parent.name):
        if m := _STAMP.match(name):
            return m.group(1)
    return ""


def _time_of(path: Path, data: dict[str, Any]) -> dt.datetime:
    """The time inside the record, else the UTC stamp in its name, else the file's mtime."""
    run = data.get("run") if isinstance(data.get("run"), dict) else {}
    t = parse_time(data.get("time")) or parse_time(run.get("time"))
    if t:
        return t.astimezone(dt.UTC)
    if mark := _stamp_of(path):
        return dt.datetime.strptime(mark, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


@dataclass
class Found:
    path: Path
    data: dict[str, Any]
    time: dt.datetime


def _records(evidence_dir: Path, kind: Kind) -> tuple[list[Found], list[Path]]:
    """Every readable record of ``kind``, newest first, and the unreadable files."""
    found, unreadable = [], []
    for path in sorted(evidence_dir.glob(kind.pattern), reverse=True):
        data = _read(path)
        if data is None:
            unreadable.append(path)
        elif data.get("kind") == kind.key:
            found.append(Found(path, data, _time_of(path, data)))
    found.sort(key=lambda f: f.time, reverse=True)
    return found, unreadable


def _evidence(kind: Kind) -> Evidence:
    return Evidence(kind=kind.key, title=kind.title, task=kind.task,
                    max_age_days=kind.max_age_days, required=kind.required)


def _place(ev: Evidence, evidence_dir: Path, found: Found) -> None:
    ev.path = found.path.relative_to(evidence_dir).as_posix()
    page = found.path.parent / "index.html" if found.path.name == "summary.json" \
        else found.path.with_suffix(".html")
    ev.html = page.relative_to(evidence_dir).as_posix() if page.is_file() else None


def _judge(ev: Evidence, time: dt.datetime | None, now: dt.datetime,
           failures: list[str], unreadable: list[Path] | None = None) -> None:
    """Set ``ev``'s time, age, problems and status."""
    unreadable = unreadable or []
    if time is None:
        ev.status = YOK
        ev.problems = [f"{ev.title}: kanıt yok ({ev.task} kaydı bulunamadı)"]
        ev.problems += [f"{ev.title}: okunamayan kanıt dosyası {p.name}" for p in unreadable]
        if unreadable:
            ev.status = BASARISIZ
        return
    ev.time = time.isoformat()
    ev.age_seconds = max(0.0, (now - time).total_seconds())
    ev.problems = [f"{ev.title}: {f}" for f in failures]
    ev.problems += [f"{ev.title}: okunamayan kanıt dosyası {p.name}" for p in unreadable]
    stale = ev.max_age_days is not None and ev.age_seconds > ev.max_age_days * 86400
    if stale:
        ev.problems.append(f"{ev.title}: kanıt {duration(ev.age_seconds)} önce "
                           f"(en çok {ev.max_age_days} gün olmalı; {ev.task} çalıştırılmalı)")
    ev.status = BASARISIZ if (failures or unreadable) else ESKI if stale else TAMAM


def _newer_unreadable(unreadable: list[Path], used: Found | None) -> list[Path]:
    """Unreadable files named as if newer than the record used (a run that broke)."""
    if used is None:
        return unreadable
    mark = _stamp_of(used.path)
    return [p for p in unreadable if _stamp_of(p) > mark]


def _latest(evidence_dir: Path, key: str, now: dt.datetime,
            failures: Callable[[dict[str, Any]], list[str]]) -> tuple[Evidence, Found | None]:
    """The newest record of a kind, judged: ``failures`` names what it reports as failed."""
    kind = KINDS[key]
    ev = _evidence(kind)
    found, unreadable = _records(evidence_dir, kind)
    latest = found[0] if found else None
    if latest:
        _place(ev, evidence_dir, latest)
    _judge(ev, latest.time if latest else None, now, failures(latest.data) if latest else [],
           _newer_unreadable(unreadable, latest))
    return ev, latest


def _ago(seconds: float | None) -> str:
    return "—" if seconds is None else f"{duration(seconds)} önce"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"%{value:.1f}".replace(".", ",")


def _is_full(limit: Any) -> bool:
    return limit in (None, "", [], {})


# --- 1. hardening -------------------------------------------------------------------------------

HOST_OK = "uyumlu"


def hardening(evidence_dir: Path, now: dt.datetime) -> Section:
    kind = KINDS["audit-hardening-summary"]
    sec = Section(1, *SECTIONS[0])
    ev = _evidence(kind)
    sec.evidence.append(ev)
    found, unreadable = _records(evidence_dir, kind)
    # the newest full run sets the hosts; newer runs with --limit replace their hosts
    hosts: dict[str, tuple[dict[str, Any], Found]] = {}
    used: list[Found] = []
    for f in found:
        narrowed = not _is_full((f.data.get("run") or {}).get("limit"))
        took = False
        for h in f.data.get("hosts") or []:
            if isinstance(h, dict) and h.get("host") and h["host"] not in hosts:
                hosts[h["host"]] = (h, f)
                took = True
        if took:
            used.append(f)
        if not narrowed:
            break
    if found:
        _place(ev, evidence_dir, found[0])
    failures: list[str] = []
    stale: list[str] = []
    rows = []
    targets = (found[0].data.get("targets") or {}) if found else {}
    for name, (h, f) in sorted(hosts.items()):
        bad = h.get("status") != HOST_OK
        if bad:
            why = "; ".join(h.get("problems") or []) or "neden belirtilmemiş"
            failures.append(f"{name} {h.get('status')}: {why}")
        age = (now - f.time).total_seconds()
        if kind.max_age_days is not None and age > kind.max_age_days * 86400:
            stale.append(name)
        lynis = h.get("lynis_hardening_index")
        rows.append(Row([name, "—" if lynis is None else str(lynis),
                         _pct(h.get("openscap_pass_rate")), str(h.get("open", "—")),
                         str(h.get("waived", "—")), tr_time(f.time.isoformat()),
                         str(h.get("status")), "; ".join(h.get("problems") or []) or "—"],
                        bad=bad))
    oldest = min((f.time for f in used), default=found[0].time if found else None)
    _judge(ev, oldest, now, failures, _newer_unreadable(unreadable, found[0] if found else None))
    if ev.status == ESKI and stale:
        ev.problems.append(f"{ev.title}: eski taranan sunucular: {', '.join(stale)}")
    if found and not hosts:
        ev.status = BASARISIZ
        ev.problems.append(f"{ev.title}: kayıtta sunucu yok")
    lynis_t = targets.get("lynis_hardening_index")
    oscap_t = targets.get("openscap_pass_rate")
    sec.tables.append(Table(
        "Sunucular", ["Sunucu", "Lynis", "OpenSCAP", "Açık bulgu", "Muaf", "Tarama", "Sonuç",
                      "Nedenler"], rows, status_col=6, num_cols=[1, 2, 3, 4],
        empty="Hiç sıkılaştırma taraması yok."))
    if hosts:
        sec.charts.append(Chart(
            "lynis", "Lynis sertleştirme indeksi (sunucu başına)",
            [Bar(n, float(h.get("lynis_hardening_index") or 0),
                 "—" if h.get("lynis_hardening_index") is None
                 else str(h["lynis_hardening_index"]),
                 bad=h.get("lynis_hardening_index") is None
                 or (lynis_t is not None and h["lynis_hardening_index"] < lynis_t))
             for n, (h, _) in sorted(hosts.items())],
            maximum=100, target=lynis_t, target_text=f"hedef {lynis_t}" if lynis_t else ""))
        sec.charts.append(Chart(
            "openscap", "OpenSCAP geçme oranı, % (sunucu başına)",
            [Bar(n, float(h.get("openscap_pass_rate") or 0), _pct(h.get("openscap_pass_rate")),
                 bad=h.get("openscap_pass_rate") is None
                 or (oscap_t is not None and h["openscap_pass_rate"] < oscap_t))
             for n, (h, _) in sorted(hosts.items())],
            maximum=100, target=oscap_t, target_text=f"hedef {_pct(oscap_t)}" if oscap_t else ""))
    ok = sum(1 for h, _ in hosts.values() if h.get("status") == HOST_OK)
    sec.summary = (f"{len(hosts)} sunucu, {ok} uyumlu" if hosts else "tarama yok")
    if lynis_t is not None:
        sec.notes.insert(0, f"Hedefler: Lynis ≥ {lynis_t}, OpenSCAP ≥ {_pct(oscap_t)}, "
                            "açık bulgu yok.")
    if len(used) > 1:
        sec.notes.append("Sunucular son tam taramadan; daha yeni sınırlı (--limit) taramalar "
                         "kendi sunucularının yerini alır: "
                         + ", ".join(f.path.parent.name for f in used) + ".")
    sec.details = {"targets": targets, "runs": [f.path.parent.name for f in used],
                   "hosts": [{**h, "scanned": f.time.isoformat()}
                             for _, (h, f) in sorted(hosts.items())]}
    sec.settle()
    return sec


# --- 2. backup ----------------------------------------------------------------------------------


def _status_failures(data: dict[str, Any]) -> list[str]:
    out = []
    for r in data.get("rows") or []:
        if r.get("state") != "OK":
            err = (r.get("status_file") or {}).get("last_error")
            out.append(f"{r.get('set')}/{r.get('class')}@{r.get('host')} {r.get('state')}"
                       + (f" ({err})" if err else ""))
    out += [str(p) for p in data.get("problems") or []]
    if not out and data.get("status") != "OK":
        out.append(f"sonuç {data.get('status')}")
    return out


def backup(evidence_dir: Path, now: dt.datetime) -> Section:
    sec = Section(2, *SECTIONS[1])
    ev, latest = _latest(evidence_dir, "backup-status", now, _status_failures)
    sec.evidence.append(ev)
    rows: list[Row] = []
    per_set: dict[str, list[dict[str, Any]]] = {}
    for r in (latest.data.get("rows") or []) if latest else []:
        sf = r.get("status_file") or {}
        rows.append(Row([str(r.get("set")), str(r.get("class")), str(r.get("host")),
                         tr_time(sf.get("last_success")), duration(r.get("age_seconds")),
                         duration(r.get("max_age_seconds")), str(r.get("state")),
                         sf.get("last_error") or "—"], bad=r.get("state") != "OK"))
        per_set.setdefault(f"{r.get('set')}@{r.get('host')}", []).append(r)
    sec.tables.append(Table(
        "Yedek setleri (kanıt anındaki yaş)", ["Set", "Sınıf", "Sunucu", "Son başarılı yedek",
                                              "Yaş", "En çok", "Durum", "Son hata"],
        rows, status_col=6, num_cols=[4, 5], empty="Yedek durumu kaydı yok."))
    bars = []
    for name, items in per_set.items():
        # the newest snapshot of the set on that host, against the strictest class's limit
        ages = [r["age_seconds"] for r in items if r.get("age_seconds") is not None]
        limits = [r["max_age_seconds"] for r in items if r.get("max_age_seconds")]
        age, limit = (min(ages) if ages else None), (min(limits) if limits else None)
        share = 100.0 * age / limit if age is not None and limit else 200.0
        bars.append(Bar(name, share, (f"{duration(age)} (sınır {duration(limit)})"
                                      if age is not None else "hiç başarılı yedek yok"),
                        bad=age is None or any(r.get("state") != "OK" for r in items)))
    if bars:
        sec.charts.append(Chart(
            "yedek-yasi", "Son yedeğin yaşı, izin verilen en çok yaşa oranla (set@sunucu)",
            bars, maximum=max(100.0, min(200.0, max(b.value for b in bars))), target=100.0,
            target_text="sınır"))

    # drills: the newest full drill sets the list; newer narrowed drills replace their sets
    kind = KINDS["backup-drill"]
    dev = _evidence(kind)
    sec.evidence.append(dev)
    found, unreadable = _records(evidence_dir, kind)
    drilled: dict[tuple[str, str], tuple[dict[str, Any], Found]] = {}
    used: list[Found] = []
    for f in found:
        took = False
        items = [s for s in f.data.get("sets") or [] if isinstance(s, dict)]
        items += [{**m, "status": "MISSING", "reasons": ["tatbikat sonucunda yok"]}
                  for m in f.data.get("missing") or [] if isinstance(m, dict)]
        for s in items:
            key = (str(s.get("set")), str(s.get("client")))
            if key not in drilled:
                drilled[key] = (s, f)
                took = True
        if took:
            used.append(f)
        sel = f.data.get("selection") or {}
        if not sel.get("sets") and not sel.get("clients"):
            break
    if found:
        _place(dev, evidence_dir, found[0])
    failures, drows = [], []
    for (name, client), (s, f) in sorted(drilled.items()):
        bad = s.get("status") != "PASS"
        if bad:
            failures.append(f"{name}@{client} {s.get('status')}: "
                            + ("; ".join(str(x) for x in s.get("reasons") or [])
                               or "neden belirtilmemiş"))
        drows.append(Row([name, client, tr_time(f.time.isoformat()),
                          tr_time(s.get("snapshot_time")), duration(s.get("rpo_seconds")),
                          duration(s.get("rto_seconds")),
                          "BAŞARILI" if not bad else "YOK" if s.get("status") == "MISSING"
                          else "BAŞARISIZ",
                          "; ".join(str(x) for x in s.get("reasons") or []) or "—"], bad=bad))
    for f in used:
        failures += [f"{f.path.name}: {p}" for p in f.data.get("problems") or []]
    oldest = min((f.time for f in used), default=found[0].time if found else None)
    _judge(dev, oldest, now, failures, _newer_unreadable(unreadable, found[0] if found else None))
    sec.tables.append(Table(
        "Son geri yükleme tatbikatı (set başına)", ["Set", "İstemci", "Tatbikat",
                                                   "Anlık görüntü", "RPO", "RTO", "Sonuç",
                                                   "Nedenler"],
        drows, status_col=6, num_cols=[4, 5], empty="Hiç geri yükleme tatbikatı yok."))
    if len(used) > 1:
        sec.notes.append("Setler son tam tatbikattan; daha yeni kısmi tatbikatlar (--set, "
                         "--client) kendi setlerinin yerini alır: "
                         + ", ".join(f.path.name for f in used) + ".")
    ok_rows = sum(1 for r in rows if not r.bad)
    ok_drills = sum(1 for r in drows if not r.bad)
    sec.summary = (f"{len(per_set)} set/sunucu; {ok_rows}/{len(rows)} sınıf OK; "
                   f"tatbikat {ok_drills}/{len(drows)} başarılı")
    sec.details = {
        "status": [{k: r.get(k) for k in ("set", "class", "host", "state", "age_seconds",
                                           "max_age_seconds")}
                   | {"last_success": (r.get("status_file") or {}).get("last_success")}
                   for r in (latest.data.get("rows") or [])] if latest else [],
        "drills": [{"set": n, "client": c, "status": s.get("status"),
                    "reasons": s.get("reasons") or [], "drilled": f.time.isoformat(),
                    "snapshot_time": s.get("snapshot_time"), "rpo_seconds": s.get("rpo_seconds"),
                    "rto_seconds": s.get("rto_seconds"), "file": f.path.name}
                   for (n, c), (s, f) in sorted(drilled.items())],
    }
    sec.settle()
    return sec


# --- 3. 5651 ------------------------------------------------------------------------------------


def _verify_failures(data: dict[str, Any]) -> list[str]:
    out = []
    for host, a in (data.get("collectors") or {}).items():
        answer = (a or {}).get("answer")
        if not answer:
            out.append(f"{host}: bilgiislem-5651 yanıt vermedi (çıkış kodu {a.get('rc')})"
                       + (f": {a['stderr'].strip()[:200]}" if a.get("stderr") else ""))
            continue
        for r in answer.get("sonuclar") or []:
            if r.get("sonuc") != "OK":
                out.append(f"{host} {r.get('gun')}/{r.get('kaynak')} {r.get('sonuc')}: "
                           + ("; ".join(r.get("sorunlar") or []) or "neden belirtilmemiş"))
    if not out and not data.get("ok"):
        out.append("doğrulama başarısız (ayrıntı kayıtta)")
    return out


def legal_log(evidence_dir: Path, now: dt.datetime) -> Section:
    sec = Section(3, *SECTIONS[2])
    ev, latest = _latest(evidence_dir, "legal-log-verify", now, _verify_failures)
    sec.evidence.append(ev)
    data = latest.data if latest else {}
    rows, bad_rows, collectors = [], [], []
    for host, a in (data.get("collectors") or {}).items():
        answer = (a or {}).get("answer") or {}
        results = answer.get("sonuclar") or []
        days = sorted({str(r.get("gun")) for r in results})
        failed = [r for r in results if r.get("sonuc") != "OK"]
        bad = bool(failed) or not answer or bool(answer.get("basarisiz"))
        rows.append(Row([host, answer.get("arsiv", "—"), str(len(days)),
                         f"{days[0]} – {days[-1]}" if days else "—", str(len(results)),
                         str(len(failed)), "BAŞARISIZ" if bad else "TAMAM"], bad=bad))
        bad_rows += [Row([host, str(r.get("gun")), str(r.get("kaynak")), str(r.get("sonuc")),
                          "; ".join(r.get("sorunlar") or []) or "—"], bad=True) for r in failed]
        collectors.append({"host": host, "days": len(days), "checked": len(results),
                           "failed": [{k: r.get(k) for k in ("gun", "kaynak", "sonuc",
                                                              "sorunlar")} for r in failed]})
    sec.tables.append(Table("Toplayıcılar", ["Toplayıcı", "Arşiv", "Gün", "Aralık",
                                             "Denetlenen paket", "Başarısız", "Sonuç"],
                            rows, status_col=6, num_cols=[2, 4, 5],
                            empty="Doğrulama kaydı yok."))
    if bad_rows:
        sec.tables.append(Table("Doğrulanamayan paketler", ["Toplayıcı", "Gün", "Kaynak",
                                                            "Sonuç", "Sorunlar"], bad_rows,
                                status_col=3))
    if latest:
        scope = f"yalnız {data['day']}" if data.get("day") else "tüm mühürlü günler"
        sec.notes.append(f"Kapsam: {scope}. Her paketin SHA-256 özetleri ve RFC 3161 zaman "
                         "damgası denetlenir.")
    checked = sum(c["checked"] for c in collectors)
    failed_n = sum(len(c["failed"]) for c in collectors)
    sec.summary = (f"{checked} paket denetlendi, {failed_n} başarısız" if latest
                   else "doğrulama yok")
    sec.details = {"day": data.get("day"), "ok": data.get("ok"), "collectors": collectors}
    sec.settle()
    return sec


# --- 4. network ---------------------------------------------------------------------------------

NET_STATUS = {"ok": "tamam", "unchanged": "değişmedi", "failed-rolled-back":
              "başarısız, geri alındı", "failed": "başarısız (elle bakılmalı)",
              "unreachable": "erişilemedi", "auth-failed": "oturum açılamadı",
              "in-sync": "uyumlu", "drift": "sapma var", "no-backup": "yedek yok"}
NET_GOOD = ("ok", "unchanged", "in-sync")


def _device_failures(data: dict[str, Any]) -> list[str]:
    out = []
    for d in data.get("devices") or []:
        if d.get("status") not in NET_GOOD:
            extra = (f"{len(d.get('change') or [])} satır" if d.get("status") == "drift"
                     else d.get("error") or "")
            out.append(f"{d.get('name')} {NET_STATUS.get(d.get('status'), d.get('status'))}"
                       + (f" ({extra})" if extra else ""))
    if not out and data.get("ok") is False:
        out.append("kayıt başarısız diyor")
    return out


def network(evidence_dir: Path, now: dt.datetime) -> Section:
    sec = Section(4, *SECTIONS[3])
    drift_ev, drift = _latest(evidence_dir, "net-drift", now, _device_failures)
    push_ev, push = _latest(evidence_dir, "net-push", now, _device_failures)
    backup_ev, _ = _latest(evidence_dir, "net-backup", now, _device_failures)
    if push and drift and push.time <= drift.time and push_ev.status == BASARISIZ:
        # a later drift check read the devices again: it decides
        push_ev.status = TAMAM
        push_ev.problems = []
        sec.notes.append("Son gönderimdeki hatalar sonraki sapma denetiminde yeniden "
                         "okunmuştur; bölümün sonucunu sapma denetimi belirler.")
    sec.evidence += [drift_ev, push_ev, backup_ev]
    rows = []
    for d in (drift.data.get("devices") or []) if drift else []:
        rows.append(Row([str(d.get("name")), str(d.get("vendor")), str(d.get("host")),
                         str(len(d.get("change") or [])), d.get("error") or "—",
                         NET_STATUS.get(d.get("status"), str(d.get("status")))],
                        bad=d.get("status") not in NET_GOOD))
    sec.tables.append(Table("Cihazlar (son sapma denetimi)", ["Cihaz", "Tür", "Adres",
                                                             "Düzeltilecek satır", "Hata",
                                                             "Durum"],
                            rows, status_col=5, num_cols=[3], empty="Sapma denetimi yok."))
    drifted = sum(1 for r in rows if r.bad)
    sec.summary = (f"{len(rows)} cihaz, {drifted} sapmalı/okunamayan" if drift
                   else "sapma denetimi yok")
    sec.details = {"drift": [{k: d.get(k) for k in ("name", "vendor", "host", "status",
                                                     "change", "error")}
                             for d in (drift.data.get("devices") or [])] if drift else [],
                   "push_counts": push.data.get("counts") if push else None}
    sec.settle()
    return sec


# --- 5. cameras ---------------------------------------------------------------------------------


def _camera_failures(data: dict[str, Any]) -> list[str]:
    names = data.get("kind_tr") or {}
    out = [f"{f.get('camera')}: {names.get(f.get('kind'), f.get('kind'))} — {f.get('detail')}"
           for f in data.get("findings") or []]
    if not out and data.get("ok") is False:
        out.append("kayıt başarısız diyor")
    return out


def cameras(evidence_dir: Path, now: dt.datetime) -> Section:
    sec = Section(5, *SECTIONS[4])
    ev, latest = _latest(evidence_dir, "cameras-audit", now, _camera_failures)
    sec.evidence.append(ev)
    data = latest.data if latest else {}
    names = data.get("kind_tr") or {}
    rows = []
    for c in data.get("cameras") or []:
        asset = c.get("asset") or {}
        drift = c.get("drift_s")
        rows.append(Row([str(c.get("name")), str(c.get("address")),
                         f"{asset.get('manufacturer') or c.get('vendor') or '—'} "
                         f"{asset.get('model') or c.get('model') or ''}".strip(),
                         asset.get("firmware") or "—",
                         "—" if drift is None else f"{drift:+d} sn",
                         "; ".join(f"{names.get(f.get('kind'), f.get('kind'))}: {f.get('detail')}"
                                   for f in c.get("findings") or []) or "—",
                         "temiz" if c.get("clean") else "bulgu var"],
                        bad=not c.get("clean")))
    sec.tables.append(Table("Kameralar", ["Kamera", "Adres", "Model", "Yazılım", "Saat farkı",
                                          "Bulgular", "Sonuç"], rows, status_col=6,
                            num_cols=[4], empty="Kamera denetimi yok."))
    if latest:
        sec.summary = (f"{data.get('cameras_total', len(rows))} kamera, "
                       f"{data.get('cameras_clean', 0)} temiz, "
                       f"{len(data.get('findings') or [])} bulgu")
    else:
        sec.summary = "kamera denetimi yok"
    sec.details = {"counts": data.get("counts"), "findings": data.get("findings") or []}
    sec.settle()
    return sec


# --- 6. VPN -------------------------------------------------------------------------------------


def _vpn_failures(data: dict[str, Any]) -> list[str]:
    out = []
    if not data.get("hub_read", True):
        out.append(f"merkez {data.get('hub')} okunamadı")
    for s in data.get("sites") or []:
        if s.get("status") != "up":
            out.append(f"{s.get('site')} kapalı: "
                       + ("; ".join(s.get("problems") or []) or "neden belirtilmemiş"))
    return out


def vpn(evidence_dir: Path, now: dt.datetime) -> Section:
    sec = Section(6, *SECTIONS[5])
    ev, latest = _latest(evidence_dir, "vpn-status", now, _vpn_failures)
    sec.evidence.append(ev)
    data = latest.data if latest else {}
    rows = []
    for s in data.get("sites") or []:
        if s.get("type") and "handshake_age_s" in s:
            link = f"son el sıkışma {_ago(s.get('handshake_age_s'))}"
        elif "ike_state" in s:
            link = f"IKE {s.get('ike_state')}, çocuk SA {s.get('children')}"
        else:
            link = "—"
        rows.append(Row([str(s.get("site")), str(s.get("name", "—")), str(s.get("type", "—")),
                         link, str(s.get("ping", "—")),
                         "; ".join(s.get("problems") or []) or "—",
                         "açık" if s.get("status") == "up" else "KAPALI"],
                        bad=s.get("status") != "up"))
    sec.tables.append(Table("Uzak birimler", ["Birim", "Ad", "Tür", "Tünel", "Ping",
                                              "Sorunlar", "Durum"], rows, status_col=6,
                            empty="VPN durum kaydı yok."))
    if latest:
        sec.summary = (f"{len(rows)} birim, {len(data.get('down') or [])} kapalı"
                       + ("" if data.get("hub_read", True) else "; merkez okunamadı"))
        sec.notes.append(f"Merkez: {data.get('hub', '—')}; el sıkışma "
                         f"{data.get('down_after_minutes', '—')} dakikadan eskiyse birim "
                         "kapalı sayılır.")
    else:
        sec.summary = "VPN durum kaydı yok"
    sec.details = {"hub": data.get("hub"), "hub_read": data.get("hub_read"),
                   "down": data.get("down") or [],
                   "sites": [{k: s.get(k) for k in ("site", "type", "status", "problems")}
                             for s in data.get("sites") or []]}
    sec.settle()
    return sec


# --- 7. access ----------------------------------------------------------------------------------


def _users_failures(data: dict[str, Any]) -> list[str]:
    out = []
    if not data.get("directory_read", True):
        out.append("dizin (etki alanı denetleyicisi) okunamadı")
    if data.get("unread_hosts"):
        out.append("okunamayan sunucular: " + ", ".join(data["unread_hosts"]))
    for p in data.get("violations") or []:
        out.append(f"ayrılan {p.get('ad')} ({p.get('kullanici')}) hâlâ erişebiliyor: "
                   + "; ".join(p.get("ihlal") or []))
    return out


def access(evidence_dir: Path, now: dt.datetime) -> Section:
    sec = Section(7, *SECTIONS[6])
    ev, latest = _latest(evidence_dir, "users-report", now, _users_failures)
    sec.evidence.append(ev)
    data = latest.data if latest else {}
    by_dept: dict[str, dict[str, Any]] = {}
    for p in data.get("people") or []:
        d = by_dept.setdefault(str(p.get("mudurluk_adi") or p.get("mudurluk")),
                               {"people": 0, "left": 0, "enabled": 0, "servers": 0,
                                "violations": 0})
        d["people"] += 1
        d["left"] += p.get("durum") == "ayrildi"
        d["enabled"] += p.get("dizin") == "etkin"
        d["servers"] += bool(p.get("sunucular"))
        d["violations"] += bool(p.get("ihlal"))
    rows = [Row([name, str(d["people"]), str(d["enabled"]), str(d["servers"]), str(d["left"]),
                 str(d["violations"]), "İHLAL" if d["violations"] else "temiz"],
                bad=bool(d["violations"]))
            for name, d in sorted(by_dept.items(), key=lambda x: ascii_fold(x[0]))]
    sec.tables.append(Table("Erişim matrisi (müdürlük başına)",
                            ["Müdürlük", "Kişi", "Etkin dizin hesabı", "Sunucu erişimi",
                             "Ayrılan", "Ayrılıp erişimi süren", "Sonuç"], rows,
                            status_col=6, num_cols=[1, 2, 3, 4, 5],
                            empty="Erişim raporu yok."))
    violations = data.get("violations") or []
    if violations:
        sec.tables.append(Table("Ayrılıp erişimi süren kişiler",
                                ["Sicil", "Ad Soyad", "Ayrılış", "Kalan erişim"],
                                [Row([str(p.get("sicil")), str(p.get("ad")),
                                      str(p.get("ayrilis") or "—"),
                                      "; ".join(p.get("ihlal") or [])], bad=True)
                                 for p in violations], status_col=3))
    orphans = data.get("orphans") or []
    if latest:
        sec.tables.append(Table("Sahipsiz hesaplar (dizinde olup personel dosyasında olmayan)",
                                ["Hesap", "Konum", "Durum", "Gruplar"],
                                [Row([str(o.get("sam")), str(o.get("dn", "—")),
                                      "etkin" if o.get("enabled") else "devre dışı",
                                      ", ".join(o.get("groups") or []) or "—"],
                                     bad=bool(o.get("enabled"))) for o in orphans],
                                status_col=2, empty="Sahipsiz hesap yok."))
        enabled = sum(1 for o in orphans if o.get("enabled"))
        sec.summary = (f"{len(data.get('people') or [])} kişi, {len(violations)} ihlal, "
                       f"{len(orphans)} sahipsiz hesap ({enabled} etkin)")
        sec.notes.append("Sahipsiz hesaplar incelenmelidir; users.report bunları listeler "
                         "ama başarısızlık saymaz (ayrılanların erişimi ve okunamayan "
                         "sunucular sayılır), bu rapor da öyle.")
    else:
        sec.summary = "erişim raporu yok"
    sec.details = {"people": len(data.get("people") or []),
                   "departments": by_dept,
                   "violations": [{k: p.get(k) for k in ("sicil", "kullanici", "ad", "ihlal")}
                                  for p in violations],
                   "orphans": [{k: o.get(k) for k in ("sam", "dn", "enabled", "groups")}
                               for o in orphans],
                   "unread_hosts": data.get("unread_hosts") or [],
                   "directory_read": data.get("directory_read")}
    sec.settle()
    return sec


# --- 8. changes ---------------------------------------------------------------------------------

_FS, _RS = "\x1f", "\x1e"


@dataclass
class Commit:
    sha: str
    author: str
    email: str
    authored: str
    committed: str
    subject: str
    paths: list[str]

    @property
    def it(self) -> bool:
        return any(p.startswith(IT_PATHS) for p in self.paths)

    def areas(self) -> list[str]:
        """The IT paths touched, two levels deep: roles/backup_client, inventory/lab."""
        out: list[str] = []
        for p in self.paths:
            if p.startswith(IT_PATHS):
                area = "/".join(p.split("/")[:2])
                if area not in out:
                    out.append(area)
        return out


def git_log(repo: Path, since: dt.datetime, until: dt.datetime) -> list[Commit]:
    """Commits of ``repo``'s HEAD committed in [since, until], newest first; raises
    RuntimeError when git cannot read the repository."""
    fmt = _RS + _FS.join(("%H", "%an", "%ae", "%aI", "%cI", "%s"))
    try:
        res = subprocess.run(["git", "-C", str(repo), "log", f"--since={since.isoformat()}",
                              f"--until={until.isoformat()}", f"--format={fmt}",
                              "--name-only", "--no-renames"],
                             capture_output=True, text=True, check=False)
    except OSError as exc:
        raise RuntimeError(f"git çalıştırılamadı: {exc}") from None
    if res.returncode != 0:
        raise RuntimeError(f"git log başarısız: {res.stderr.strip()[:300]}")
    commits = []
    for chunk in res.stdout.split(_RS)[1:]:
        head, _, rest = chunk.partition("\n")
        fields = head.split(_FS)
        if len(fields) != 6:
            continue
        commits.append(Commit(*fields, paths=[p for p in rest.splitlines() if p.strip()]))
    return commits


def changes(evidence_dir: Path, now: dt.datetime, start: dt.datetime,
            repo: Path | None) -> Section:
    sec = Section(8, *SECTIONS[7])
    ev = Evidence(kind="git", title="Git geçmişi", task="git log", required=True)
    sec.evidence.append(ev)
    commits: list[Commit] = []
    if repo is None:
        ev.problems = ["Git geçmişi: depo verilmedi"]
    else:
        try:
            commits = git_log(repo, start, now)
        except RuntimeError as exc:
            ev.problems = [f"Git geçmişi: {exc}"]
        else:
            ev.status, ev.time, ev.age_seconds = TAMAM, now.isoformat(), 0.0
    it = [c for c in commits if c.it]
    rows = []
    for c in it:
        areas = c.areas()
        shown = ", ".join(areas[:5]) + (f" +{len(areas) - 5}" if len(areas) > 5 else "")
        subject = c.subject if len(c.subject) <= 200 else c.subject[:199] + "…"
        rows.append(Row([tr_time(c.committed), c.author, c.sha[:10], subject, shown]))
    sec.tables.append(Table("Bilgi işlem değişiklikleri (inventory/, roles/, playbooks/)",
                            ["Tarih", "Yapan", "Sürüm", "Ne", "Nerede"], rows,
                            empty="Dönem içinde bu yollarda değişiklik yok."))
    authors: dict[str, int] = {}
    for c in it:
        authors[c.author] = authors.get(c.author, 0) + 1
    if authors:
        sec.charts.append(Chart("yapanlar", "Bilgi işlem değişiklikleri, kişi başına",
                                [Bar(a, float(n), str(n)) for a, n in
                                 sorted(authors.items(), key=lambda x: (-x[1], x[0]))]))
    # the deploys of the period (information: their failures are each deploy's own evidence)
    kind = KINDS["deploy"]
    deploys, _ = _records(evidence_dir, kind)
    in_period = [f for f in deploys if start <= f.time <= now]
    applied = [f for f in in_period if not f.data.get("check_mode")]
    dev = _evidence(kind)
    if in_period:
        dev.path = in_period[0].path.relative_to(evidence_dir).as_posix()
        page = in_period[0].path.with_suffix(".md")
        dev.html = page.relative_to(evidence_dir).as_posix() if page.is_file() else None
        dev.time = in_period[0].time.isoformat()
        dev.age_seconds = (now - in_period[0].time).total_seconds()
        dev.status = TAMAM
    sec.evidence.append(dev)
    sec.tables.append(Table(
        "Dönem içindeki uygulamalar (deploy)", ["Tarih", "Uygulayan", "Playbook", "Sınır",
                                                "Sunucu", "Sonuç"],
        [Row([tr_time(f.time.isoformat()), str(f.data.get("operator") or "—"),
              str(f.data.get("playbook")), str(f.data.get("limit") or "tümü"),
              str(len(f.data.get("hosts") or [])),
              "başarılı" if f.data.get("returncode") == 0 else
              f"HATALI (kod {f.data.get('returncode')})"], bad=f.data.get("returncode") != 0)
         for f in applied], status_col=5, num_cols=[4],
        empty="Dönem içinde uygulama kaydı yok."))
    failed = sum(1 for f in applied if f.data.get("returncode") != 0)
    sec.summary = (f"{len(commits)} commit, {len(it)} bilgi işlem değişikliği, "
                   f"{len(applied)} uygulama ({failed} hatalı), "
                   f"{len(in_period) - len(applied)} önizleme")
    sec.notes.append(f"Tüm commit sayısı: {len(commits)}. Yalnız inventory/, roles/ ve "
                     "playbooks/ altındaki değişiklikler bilgi işlem değişikliği sayılır.")
    sec.details = {"commits_total": len(commits), "it_changes": len(it),
                   "changes": [{"sha": c.sha, "author": c.author, "email": c.email,
                                "authored": c.authored, "committed": c.committed,
                                "subject": c.subject, "areas": c.areas()} for c in it],
                   "authors": authors,
                   "deploys": {"applied": len(applied), "failed": failed,
                               "previews": len(in_period) - len(applied)}}
    sec.settle()
    return sec


# --- collect and present ------------------------------------------------------------------------


def period_start(now: dt.datetime, period: str) -> dt.datetime:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; one of {', '.join(PERIODS)}")
    return now - dt.timedelta(days=PERIODS[period])


def collect(evidence_dir: Path, now: dt.datetime, period: str, *,
            repo: Path | None = REPO_ROOT, meta: dict[str, Any] | None = None) -> Report:
    """The report of the newest evidence under ``evidence_dir`` as of ``now`` (UTC), with the
    git history of ``repo`` over ``period`` (week, month, year)."""
    now = now.astimezone(dt.UTC).replace(microsecond=0)
    start = period_start(now, period)
    sections = [hardening(evidence_dir, now), backup(evidence_dir, now),
                legal_log(evidence_dir, now), network(evidence_dir, now),
                cameras(evidence_dir, now), vpn(evidence_dir, now),
                access(evidence_dir, now), changes(evidence_dir, now, start, repo)]
    return Report(time=now.isoformat(), stamp=stamp(now), period=period,
                  period_days=PERIODS[period], period_start=start.isoformat(),
                  evidence_dir=evidence_dir, sections=sections, meta=meta or {})


def _shown(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) \
        else str(path)


def max_age_table() -> list[dict[str, Any]]:
    return [{"kind": k.key, "title": k.title, "task": k.task, "files": k.pattern,
             "max_age_days": k.max_age_days, "why": k.why, "required": k.required}
            for k in KINDS.values()]


def to_json(report: Report) -> dict[str, Any]:
    """The machine-readable record (the HTML page shows the same)."""
    sections = []
    for s in report.sections:
        d = asdict(s)
        d["red"] = s.red
        sections.append(d)
    red = report.red
    return {
        "kind": "audit-report",
        "schema_version": SCHEMA_VERSION,
        **{k: v for k, v in report.meta.items() if k not in ("kind", "time", "inventory")},
        "time": report.time,
        "stamp": report.stamp,
        "period": {"name": report.period, "days": report.period_days,
                   "start": report.period_start, "end": report.time},
        "evidence_dir": _shown(report.evidence_dir),
        "max_age": max_age_table(),
        "sections": sections,
        "red_sections": [f"{s.number}. {s.title}" for s in red],
        "status": TAMAM if not red else "kırmızı",
        "strict_exit_code": EXIT_FAILED if red else EXIT_OK,
    }


# --- charts -------------------------------------------------------------------------------------

_GREEN, _RED, _GREY = "#0a6b0a", "#a40000", "#555"


def svg_bar_chart(chart: Chart) -> str:
    """A horizontal bar chart as inline SVG (no script, no external resource)."""
    esc = html.escape
    label_w, bar_w, text_w, row_h, top = 190, 380, 140, 24, 42
    width = label_w + bar_w + text_w
    height = top + row_h * max(1, len(chart.bars)) + 16
    values = [b.value for b in chart.bars]
    scale = chart.maximum or max([*values, chart.target or 0.0, 1.0])
    scale = scale if scale > 0 else 1.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'aria-label="{esc(chart.title)}" font-family="DejaVu Sans, Arial, sans-serif">',
           f"<title>{esc(chart.title)}</title>",
           f'<text x="0" y="16" font-size="14" font-weight="bold" fill="#1b1b1b">'
           f"{esc(chart.title)}</text>"]
    for i, b in enumerate(chart.bars):
        y = top + i * row_h
        w = max(0.0, min(b.value, scale)) / scale * bar_w
        label = b.label if len(b.label) <= 28 else b.label[:27] + "…"
        out += [f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
                f'fill="#1b1b1b">{esc(label)}</text>',
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="16" '
                f'fill="{_RED if b.bad else _GREEN}"><title>{esc(b.label)}: {esc(b.text)}'
                f"</title></rect>",
                f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12" '
                f'fill="{_RED if b.bad else "#1b1b1b"}">{esc(b.text)}</text>']
    if chart.target is not None:
        x = label_w + min(chart.target, scale) / scale * bar_w
        out += [f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
                f'y2="{top + row_h * len(chart.bars)}" stroke="{_GREY}" stroke-width="1.5" '
                'stroke-dasharray="4 3"></line>',
                f'<text x="{x:.1f}" y="{top - 6}" font-size="11" text-anchor="middle" '
                f'fill="{_GREY}">{esc(chart.target_text)}</text>']
    out.append("</svg>")
    return "".join(out)


def _links(report: Report, out_dir: Path | None) -> str:
    """The way from the report's folder to the evidence folder, for links."""
    out_dir = out_dir or report.evidence_dir / "audit"
    return Path(os.path.relpath(report.evidence_dir.resolve(), out_dir.resolve())).as_posix()


def render_html(report: Report, out_dir: Path | None = None) -> str:
    """The Turkish page; links to the evidence pages are relative to ``out_dir`` (default
    ``<evidence>/audit``, where the report is written)."""
    env = htmlreport.environment(TEMPLATES, tr_time=tr_time, ago=_ago)
    charts = {f"{s.key}/{c.key}": Markup(svg_bar_chart(c))  # escaped there
              for s in report.sections for c in s.charts}
    return env.get_template("denetim-raporu.html.j2").render(
        r=to_json(report), report=report, charts=charts, prefix=_links(report, out_dir),
        upper=STATUS_UPPER, period_tr=PERIOD_TR[report.period])


def write(report: Report, out_dir: Path = OUT_DIR) -> Path:
    """``out_dir/<stamp>-denetim-raporu.json`` and ``.html``; returns the JSON's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / f"{report.stamp}-denetim-raporu"
    path = base.with_suffix(".json")
    path.write_text(json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    base.with_suffix(".html").write_text(render_html(report, out_dir), encoding="utf-8")
    return path


# --- the task -----------------------------------------------------------------------------------


def summary_table(report: Report) -> str:
    rows = []
    for s in report.sections:
        times = [parse_time(e.time) for e in s.evidence if e.time and e.required]
        when = tr_time(min(t for t in times if t).isoformat()) if any(times) else "—"
        rows.append([str(s.number), s.title, STATUS_UPPER[s.status], when, s.summary])
    return ui.table(["#", "bölüm / section", "durum", "kanıt / evidence", "özet / summary"], rows)


def run(period: str = "month", *, strict: bool = False, out: Path | None = None,
        dry_run: bool = False, evidence_dir: Path = EVIDENCE_DIR,
        now: dt.datetime | None = None, repo: Path | None = REPO_ROOT) -> int:
    """Collect, print the summary, write the report (not in a dry run); the exit code: 1
    with ``strict`` when a section is red, 2 for an unknown period."""
    if period not in PERIODS:
        ui.error(f"--period {period!r}: one of {', '.join(PERIODS)}")
        return EXIT_INVALID
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    out_dir = out or OUT_DIR
    meta = provenance("audit-report", "", now)
    ui.step(f"denetim raporu / audit report of {_shown(evidence_dir)}/, period {period} "
            f"({PERIOD_TR[period]}, since {tr_time(period_start(now, period).isoformat())})")
    report = collect(evidence_dir, now, period, repo=repo, meta=meta)
    print(summary_table(report))
    for s in report.red:
        for p in s.problems:
            ui.warn(f"{s.number}. {p}")
    if dry_run:
        ui.info(f"preview: nothing written; the report would go to "
                f"{_shown(out_dir)}/{report.stamp}-denetim-raporu.html (+ .json)")
    else:
        path = write(report, out_dir)
        print(f"kayıt / evidence: {_shown(path.with_suffix('.html'))} (+ .json)")
    red = report.red
    verdict = ("TAMAM: her bölüm yeşil / every section is green" if not red else
               f"KIRMIZI / red: {len(red)} bölüm: "
               + ", ".join(f"{s.number}. {s.title} ({s.status})" for s in red))
    print(f"SONUÇ / result: {verdict}")
    if strict and red:
        ui.error("--strict: red sections: " + "; ".join(f"{s.number}. {s.title} ({s.status})"
                                                          for s in red))
        return EXIT_FAILED
    return EXIT_OK
