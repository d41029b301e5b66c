"""``inventory.collect`` and ``inventory.report`` as the tasks run them: progress per device,
the evidence files, a table for the terminal and the exit code.

Exit codes: ``collect`` 1 when any device could not be read (the others are still in the
report); ``report`` 1 when the report flags something (a warranty or licence ended or ending,
a licence over its count, a serial that differs from the register), 2 when there is nothing to
report from.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ui
from bilgiislem.ansible_run import provenance
from bilgiislem.assets import collect as collectmod
from bilgiislem.assets import report as reportmod
from bilgiislem.assets.records import FAILED, Record
from bilgiislem.inventory import Inventory

EXIT_FAILED, EXIT_INVALID = 1, 2
COL_STATE = reportmod.COLUMNS.index("Garanti Durumu")


def _shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def _line(record: Record) -> str:
    what = " ".join(x for x in (record.vendor, record.model) if x) or "—"
    if record.failed:
        return f"{reportmod.STATUS_TR[record.status]}: {record.error or ''}"
    serial = f", seri no {record.serial}" if record.serial else ", seri no yok"
    return f"{reportmod.STATUS_TR[record.status]} ({what}{serial})"


def dry_run(inv: Inventory, inventory: str) -> int:
    p = collectmod.plan(inv)
    ui.info(f"would read {p.total} asset(s) of {inventory}; nothing is contacted in a preview:")
    for h in p.hosts:
        print(f"  sunucu      {h.name} ({inv.management_ip(h)}, Ansible facts and packages)")
    for d in p.devices:
        print(f"  {d.kind:<11} {d.name} ({d.vendor}, {d.ip}, SSH)")
    for c in p.cameras:
        print(f"  kamera      {c.name} ({c.vendor}, {c.ip}:{c.onvif_port}, ONVIF)")
    phones = len(inv.pbx.phones) if inv.pbx else 0
    others = len(collectmod.other_device_records(inv))
    ui.info(f"and {phones} phone(s) from pbx.yml and {others} other device(s) from "
            "devices.yml, from the data only")
    return 0


def _meta(inventory: str, inv: Inventory, now: dt.datetime) -> dict[str, Any]:
    meta = provenance("asset-inventory", inventory, now)
    return {**meta, **reportmod.stamped(now), "municipality": inv.municipality.code}


def _publish(inv: Inventory, inventory: str, records: list[Record], today: dt.date, *,
             extra: dict[str, Any], folder: Path) -> reportmod.Report:
    now = reportmod.now_utc()
    # a collection and a report within one second: never write over the collected record
    while (folder / f"{reportmod.stamped(now)['stamp']}-{reportmod.SUFFIX}.json").exists():
        now += dt.timedelta(seconds=1)
    report = reportmod.build(records, inv.varliklar, {s.code: s.name for s in inv.sites},
                             today)
    data = reportmod.record(report, records, {**_meta(inventory, inv, now), **extra})
    paths = reportmod.write(data, report, folder)
    kinds: dict[str, list[reportmod.Row]] = {}
    for row in report.rows:
        kinds.setdefault(row.tur, []).append(row)
    print()
    print(ui.table(["tür", "adet", "okundu", "okunamadı", "sicil no'lu", "garanti uyarısı"],
                   [[tur, str(len(rows)), str(sum(r.okuma == "ok" for r in rows)),
                     str(sum(r.okuma in FAILED for r in rows)),
                     str(sum(bool(r.sicil_no) for r in rows)),
                     str(sum(r.garanti_durumu in ("ended", "ending") for r in rows))]
                    for tur, rows in kinds.items()]))
    for row in report.warranty_flags:
        ui.warn(f"garanti: {row.ad or row.seri_no} ({row.sicil_no}): "
                f"{row.cells()[COL_STATE]}")
    for lic in report.licence_flags:
        text = f"{lic.used} kurulum, {lic.count} lisans" if lic.over else lic.as_dict()[
            "state_text"]
        ui.warn(f"lisans: {lic.product}: {text}")
    for m in report.serial_mismatches:
        ui.warn(f"seri no: {m['name']}: kayıtta {m['register']}, cihazda {m['read']}")
    print(f"kayıt / evidence: {_shown(paths['json'])} (+ .csv, .html)")
    return report


def collect(inv: Inventory, inventory: str, *, workers: int = 10, timeout: float = 30,
            retries: int = 2, today: dt.date | None = None,
            folder: Path = reportmod.EVIDENCE) -> int:
    """Read every asset, write the report; 1 if any device could not be read."""
    p = collectmod.plan(inv)
    ui.step(f"inventory.collect: {p.total} device(s) to read in {inventory}")
    done = 0

    def progress(record: Record) -> None:
        nonlocal done
        done += 1
        tur = reportmod.KIND_TR.get(record.kind, record.kind)
        ui.info(f"[{done}/{p.total}] {tur} {record.name}: {_line(record)}")

    records = collectmod.collect(inv, workers=workers, timeout=timeout, retries=retries,
                                 progress=progress, notice=ui.step)
    failed = [r for r in records if r.failed]
    report = _publish(inv, inventory, records, today or dt.date.today(), extra={},
                      folder=folder)
    if failed:
        ui.error(f"{len(failed)} device(s) could not be read: "
                 + ", ".join(r.name for r in failed))
        return EXIT_FAILED
    if report.flagged:
        ui.info("the report flags warranties, licences or serials: see the HTML page")
    return 0


def report(inv: Inventory, inventory: str, *, source: Path | None = None,
           today: dt.date | None = None, folder: Path = reportmod.EVIDENCE) -> int:
    """The report again from a collected record (default: the newest) and the current
    varliklar.yml; contacts nothing. 1 when it flags something."""
    path = source or reportmod.latest(folder)
    if path is None or not path.is_file():
        ui.error(f"no collected asset record in {_shown(folder)}"
                 if source is None else f"{source} does not exist")
        ui.info("run ./scripts/invoke inventory.collect first")
        return EXIT_INVALID
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = [Record.from_dict(r) for r in data["records"]]
    except (ValueError, KeyError, TypeError) as err:
        ui.error(f"{_shown(path)} is not an asset record of inventory.collect: {err}")
        return EXIT_INVALID
    if data.get("municipality") not in (None, inv.municipality.code):
        ui.error(f"{_shown(path)} was collected from {data.get('inventory')} "
                 f"({data.get('municipality')}), not {inventory}")
        return EXIT_INVALID
    ui.step(f"inventory.report from {_shown(path)} ({len(records)} assets, collected "
            f"{data.get('collected_time') or data.get('time')})")
    extra = {"source": _shown(path),
             "collected_time": data.get("collected_time") or data.get("time")}
    result = _publish(inv, inventory, records, today or dt.date.today(), extra=extra,
                      folder=folder)
    return EXIT_FAILED if result.flagged else 0
