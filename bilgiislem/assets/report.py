"""The asset report: collected records + varliklar.yml -> the Taşınır list and its flags.

Everything here is a pure function of the records, the register data and the day (``today``),
except :func:`write`, which writes ``<stamp>-varlik-envanteri`` as:

- ``.json``: the records (with every server's packages, so ``inventory.report`` can rebuild
  the report later without contacting anything), the rows and the flags;
- ``.csv``: the Taşınır count list, Turkish headers, UTF-8 with a byte order mark and ``;``
  between fields, so that Excel set to Turkish opens it with the right letters and columns;
- ``.html``: a Turkish page that flags warranties that have ended or end within
  ``garanti_uyari_gun`` days, licences installed more often than bought (and licences ending),
  serial numbers that differ from the register, devices that could not be read and assets that
  are not in the register.

No XLSX: openpyxl is not among the project's dependencies; the CSV opens in Excel as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from bilgiislem import REPO_ROOT, htmlreport
from bilgiislem.ansible_run import EVIDENCE_DIR, stamp
from bilgiislem.assets.records import FAILED, Record
from bilgiislem.inventory import models

TEMPLATES = Path(__file__).parent / "templates"
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
EVIDENCE = EVIDENCE_DIR / "inventory"
SUFFIX = "varlik-envanteri"

COLUMNS = ["Sıra No", "Sicil No", "Taşınır Kodu", "Tür", "Ad", "Marka", "Model", "Seri No",
           "Yazılım / İşletim Sistemi", "İşlemci", "Bellek", "Disk", "Lisanslı Yazılım",
           "Birim", "Konum", "Adres", "Alım Tarihi", "Garanti Bitiş", "Garanti Durumu",
           "Okuma Durumu", "Kaynak"]

KIND_TR = {"server": "Sunucu", "switch": "Ağ anahtarı", "router": "Yönlendirici",
           "firewall": "Güvenlik duvarı", "access_point": "Kablosuz erişim noktası",
           "camera": "IP kamera", "phone": "IP telefon", "ups": "Kesintisiz güç kaynağı",
           "printer": "Yazıcı", "nvr": "Kayıt cihazı", "register": "Kayıtlı varlık"}
STATUS_TR = {"ok": "okundu", "data": "envanter verisi", "failed": "HATA",
             "unreachable": "ERİŞİLEMEDİ", "auth-failed": "GİRİŞ REDDEDİLDİ",
             "register": "yalnız Taşınır kaydı"}
SOURCE_TR = {"ansible": "sunucunun kendisi (Ansible)", "netmiko": "cihazın kendisi (SSH)",
             "onvif": "kameranın kendisi (ONVIF)", "pbx.yml": "santral verisi (pbx.yml)",
             "devices.yml": "envanter (devices.yml)", "varliklar.yml": "Taşınır kaydı"}

State = Literal["ended", "ending", "valid", "unknown"]
STATE_TR = {"ended": "BİTTİ", "ending": "YAKLAŞIYOR", "valid": "geçerli",
            "unknown": "kayıt yok"}


def tr_date(day: dt.date | None) -> str:
    """A date as Turkish forms write it: 15.01.2027."""
    return f"{day:%d.%m.%Y}" if day else ""


def expiry(end: dt.date | None, today: dt.date, warn_days: int) -> tuple[State, int | None]:
    """(state, days left) of a warranty or licence ending on ``end`` (its last valid day):
    ``ended`` after it, ``ending`` from ``warn_days`` days before it, else ``valid``."""
    if end is None:
        return "unknown", None
    left = (end - today).days
    if left < 0:
        return "ended", left
    return ("ending" if left <= warn_days else "valid"), left


def expiry_text(state: State, left: int | None) -> str:
    if state == "ended":
        return f"BİTTİ ({-(left or 0)} gün önce)"
    if state == "ending":
        return f"YAKLAŞIYOR ({left} gün kaldı)"
    return STATE_TR[state]


# --- licences --------------------------------------------------------------------------------


def matching_packages(packages: dict[str, str], patterns: list[str]) -> list[str]:
    """``name version`` of the packages matching any pattern (shell wildcards)."""
    return [f"{name} {packages[name]}".strip() for name in sorted(packages)
            if any(fnmatch.fnmatchcase(name, p) for p in patterns)]


@dataclass
class LicenceUse:
    product: str
    count: int
    end: dt.date | None
    state: State
    days_left: int | None
    patterns: list[str]
    installs: dict[str, list[str]]  # server -> matching packages

    @property
    def counted(self) -> bool:
        """Whether installations are counted at all (the licence names packages)."""
        return bool(self.patterns)

    @property
    def used(self) -> int:
        return len(self.installs)

    @property
    def over(self) -> bool:
        return self.counted and self.used > self.count

    def as_dict(self) -> dict[str, Any]:
        return {"product": self.product, "count": self.count,
                "end": self.end.isoformat() if self.end else None, "end_tr": tr_date(self.end),
                "state": self.state, "days_left": self.days_left,
                "state_text": expiry_text(self.state, self.days_left),
                "patterns": self.patterns, "counted": self.counted, "used": self.used,
                "over": self.over, "installs": self.installs}


def licence_uses(records: list[Record], licences: list[models.Lisans], today: dt.date,
                 warn_days: int) -> list[LicenceUse]:
    """Per licence: the servers that were read and have one of its packages installed."""
    servers = [r for r in records if r.kind == "server" and r.status == "ok"]
    out = []
    for lic in licences:
        installs = {}
        for r in servers:
            found = matching_packages(r.packages, list(lic.paketler))
            if found:
                installs[r.name] = found
        state, left = expiry(lic.bitis, today, warn_days)
        out.append(LicenceUse(lic.urun, lic.adet, lic.bitis, state, left, list(lic.paketler),
                              installs))
    return out


# --- rows ------------------------------------------------------------------------------------


def _memory(mb: Any) -> str:
    if not isinstance(mb, int) or mb <= 0:
        return ""
    return f"{mb / 1024:.1f} GB".replace(".", ",")


def _cpu(details: dict[str, Any]) -> str:
    parts = []
    if details.get("cpu_sockets"):
        parts.append(f"{details['cpu_sockets']} soket")
    if details.get("cpu_cores"):
        parts.append(f"{details['cpu_cores']} çekirdek")
    if details.get("vcpus"):
        parts.append(f"{details['vcpus']} vCPU")
    model = details.get("cpu") or ""
    return f"{model} ({', '.join(parts)})".strip() if parts else model


@dataclass
class Row:
    """One line of the Taşınır list."""

    sira: int
    sicil_no: str
    tasinir_kodu: str
    tur: str
    ad: str
    marka: str
    model: str
    seri_no: str
    yazilim: str
    islemci: str
    bellek: str
    disk: str
    lisansli: str
    birim: str
    konum: str
    adres: str
    alim: dt.date | None
    garanti: dt.date | None
    garanti_durumu: State
    garanti_kalan: int | None
    okuma: str  # a key of STATUS_TR
    kaynak: str  # a key of SOURCE_TR
    hata: str = ""

    def cells(self) -> list[str]:
        """The row as COLUMNS orders it, as text."""
        okuma = STATUS_TR.get(self.okuma, self.okuma) + (f": {self.hata}" if self.hata else "")
        return [str(self.sira), self.sicil_no, self.tasinir_kodu, self.tur, self.ad,
                self.marka, self.model, self.seri_no, self.yazilim, self.islemci, self.bellek,
                self.disk, self.lisansli, self.birim, self.konum, self.adres,
                tr_date(self.alim), tr_date(self.garanti),
                expiry_text(self.garanti_durumu, self.garanti_kalan)
                if self.garanti else "", okuma, SOURCE_TR.get(self.kaynak, self.kaynak)]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["alim"] = self.alim.isoformat() if self.alim else None
        data["garanti"] = self.garanti.isoformat() if self.garanti else None
        data["cells"] = dict(zip(COLUMNS, self.cells(), strict=True))
        return data


@dataclass
class Report:
    today: dt.date
    warn_days: int
    register: bool  # varliklar.yml exists
    rows: list[Row]
    licences: list[LicenceUse]
    serial_mismatches: list[dict[str, str]]
    unregistered: list[str]  # assets read or listed that have no registration number
    failed: list[Record]

    @property
    def warranty_flags(self) -> list[Row]:
        return [r for r in self.rows if r.garanti_durumu in ("ended", "ending")]

    @property
    def licence_flags(self) -> list[LicenceUse]:
        return [x for x in self.licences if x.over or x.state in ("ended", "ending")]

    @property
    def flagged(self) -> bool:
        """Anything the department must act on: a warranty or licence ended or ending, a
        licence over its count, a serial that differs from the register."""
        return bool(self.warranty_flags or self.licence_flags or self.serial_mismatches)


def _norm_serial(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def build(records: list[Record], register: models.VarliklarFile | None,
          sites: dict[str, str], today: dt.date, warn_days: int | None = None) -> Report:
    """The report of ``records`` with the register data, as of ``today``. ``sites``: site
    code -> name (the default location)."""
    days = warn_days if warn_days is not None else (
        register.garanti_uyari_gun if register else models.WARRANTY_WARN_DAYS)
    entries = list(register.varliklar) if register else []
    licences = licence_uses(records, list(register.lisanslar) if register else [], today, days)
    by_name = {v.cihaz: v for v in entries if v.cihaz}
    by_serial = {_norm_serial(v.seri_no): v for v in entries if v.seri_no and not v.cihaz}
    used: set[int] = set()
    rows: list[Row] = []
    mismatches: list[dict[str, str]] = []
    unregistered: list[str] = []
    for r in records:
        entry = by_name.get(r.name) or (by_serial.get(_norm_serial(r.serial))
                                        if r.serial else None)
        if entry is not None:
            used.add(id(entry))
        elif register is not None:
            unregistered.append(r.name)
        if (entry is not None and entry.cihaz and entry.seri_no and r.serial
                and _norm_serial(entry.seri_no) != _norm_serial(r.serial)):
            mismatches.append({"name": r.name, "register": entry.seri_no, "read": r.serial})
        lisansli = []
        if r.kind == "server":
            for lic in licences:
                if r.name in lic.installs:
                    lisansli.append(f"{lic.product}: {', '.join(lic.installs[r.name])}")
        details = r.details
        name = r.name
        if r.kind == "phone" and details.get("extension"):
            name = f"{r.name} (dahili {details['extension']}, {details.get('person') or '-'})"
        state, left = expiry(entry.garanti_bitis if entry else None, today, days)
        rows.append(Row(
            sira=len(rows) + 1, sicil_no=entry.sicil_no if entry else "",
            tasinir_kodu=(entry.tasinir_kodu or "") if entry else "",
            tur=KIND_TR.get(r.kind, r.kind), ad=name,
            marka=r.vendor or (entry.marka if entry and entry.marka else "") or "",
            model=r.model or (entry.model if entry and entry.model else "") or "",
            seri_no=r.serial or (entry.seri_no if entry and entry.seri_no else "") or "",
            yazilim=r.software or "", islemci=_cpu(details),
            bellek=_memory(details.get("memory_mb")), disk=", ".join(details.get("disks", [])),
            lisansli="; ".join(lisansli), birim=sites.get(r.site, r.site),
            konum=(entry.konum if entry and entry.konum else None)
            or details.get("location") or sites.get(r.site, r.site),
            adres=r.address, alim=entry.alim_tarihi if entry else None,
            garanti=entry.garanti_bitis if entry else None, garanti_durumu=state,
            garanti_kalan=left, okuma=r.status, kaynak=r.source, hata=r.error or ""))
    for v in entries:
        if id(v) in used:
            continue
        state, left = expiry(v.garanti_bitis, today, days)
        rows.append(Row(
            sira=len(rows) + 1, sicil_no=v.sicil_no, tasinir_kodu=v.tasinir_kodu or "",
            tur=KIND_TR["register"],
            ad=v.cihaz or " ".join(x for x in (v.marka, v.model) if x), marka=v.marka or "",
            model=v.model or "", seri_no=v.seri_no or "", yazilim="", islemci="", bellek="",
            disk="", lisansli="", birim="", konum=v.konum or "", adres="",
            alim=v.alim_tarihi, garanti=v.garanti_bitis, garanti_durumu=state,
            garanti_kalan=left, okuma="register", kaynak="varliklar.yml"))
    return Report(today, days, register is not None, rows, licences, mismatches, unregistered,
                  [r for r in records if r.status in FAILED])


# --- output ----------------------------------------------------------------------------------


def _safe(cell: str) -> str:
    """A cell Excel does not take for a formula (text a device reported may start with =)."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell.replace(",", "."))
        except ValueError:
            return "'" + cell
    return cell


def to_csv(rows: list[Row]) -> str:
    """The Taşınır list as CSV text (``;`` between fields, CRLF line ends): write it with
    encoding ``utf-8-sig`` (see :func:`write`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_safe(c) for c in row.cells()])
    return out.getvalue()


def record(report: Report, records: list[Record], meta: dict[str, Any]) -> dict[str, Any]:
    """The evidence record (JSON-ready): ``meta`` (provenance, time, stamp) first."""
    counts: dict[str, int] = {}
    for row in report.rows:
        counts[row.tur] = counts.get(row.tur, 0) + 1
    return {
        **meta, "today": report.today.isoformat(), "today_tr": tr_date(report.today),
        "warn_days": report.warn_days, "register": report.register,
        "ok": not report.failed, "flagged": report.flagged, "columns": COLUMNS,
        "counts": counts, "total": len(report.rows),
        "failed": [{"name": r.name, "kind": KIND_TR.get(r.kind, r.kind),
                    "address": r.address, "status": STATUS_TR[r.status], "error": r.error}
                   for r in report.failed],
        "warranty_flags": [r.as_dict() for r in report.warranty_flags],
        "licences": [x.as_dict() for x in report.licences],
        "licence_flags": [x.as_dict() for x in report.licence_flags],
        "serial_mismatches": report.serial_mismatches,
        "unregistered": report.unregistered,
        "rows": [r.as_dict() for r in report.rows],
        "records": [r.as_dict() for r in records],
    }


def render_html(data: dict[str, Any]) -> str:
    env = htmlreport.environment(TEMPLATES, STYLE)
    return env.get_template("varlik.html.j2").render(r=data)


def write(data: dict[str, Any], report: Report, folder: Path = EVIDENCE) -> dict[str, Path]:
    """``folder/<stamp>-varlik-envanteri.{json,csv,html}``; the paths by suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"{data['stamp']}-{SUFFIX}"
    paths = {ext: base.with_name(f"{base.name}.{ext}") for ext in ("json", "csv", "html")}
    htmlreport.write_record(base, data, "varlik.html.j2", TEMPLATES, STYLE)
    # Excel reads a CSV with a byte order mark as UTF-8 (ş, ğ, ı, İ intact).
    paths["csv"].write_text(to_csv(report.rows), encoding="utf-8-sig", newline="")
    return paths


def latest(folder: Path = EVIDENCE) -> Path | None:
    """The newest collected record in ``folder``."""
    found = sorted(folder.glob(f"*-{SUFFIX}.json"))
    return found[-1] if found else None


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamped(now: dt.datetime) -> dict[str, str]:
    return {"time": now.isoformat(), "stamp": stamp(now)}
