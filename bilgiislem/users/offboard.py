"""``invoke users.offboard <person>``: apply a leaver now, everywhere, and prove it.

The personnel file stays the only trigger: the person must already be ``durum: ayrildi``
there (with ``ayrilis`` and, for the hand-over, ``devir_alan``). The task then applies the
accounts part of site.yml (tags ``directory``, ``mail``, ``admins``, ``pbx`` and ``nvr``:
directory account disabled and out of every group, folder and mailbox handed over, server
accounts locked and keys revoked, the extension taken off the exchange, the recorder's viewer
account removed); a camera operator's accounts are removed from every camera (cameras.apply);
then it reads the
result back from the hosts like the access report does, and writes a dated record
(``evidence/users/<time>-ayrilis-<user>.json`` and a Turkish HTML page): what was closed,
where, when, by whom and at which commit. Exit 1 when anything is still open.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, naming, ui
from bilgiislem.cameras import apply as camapply
from bilgiislem.cameras import run as camrun
from bilgiislem.inventory import Inventory, models
from bilgiislem.users import report

SITE = REPO_ROOT / "playbooks" / "site.yml"
TAGS = "directory,mail,admins,pbx,nvr"


class OffboardError(ValueError):
    pass


def find(inv: Inventory, who: str) -> models.Kisi:
    """The person by username or sicil no, who must be marked as left in personel.yml."""
    by_name = {inv.usernames[k.sicil_no]: k for k in inv.personel}
    person = by_name.get(who) or next((k for k in inv.personel if k.sicil_no == who), None)
    if person is None:
        guess = naming.suggest(who, sorted(by_name))
        raise OffboardError(f"personel.yml has nobody with username or sicil no {who!r}"
                            + (f"; did you mean {guess!r}?" if guess else ""))
    if person.durum != "ayrildi":
        raise OffboardError(
            f"personel.yml: {person.ad} {person.soyad} ({person.sicil_no}) is "
            f"{person.durum!r}, not 'ayrildi'. Offboarding applies the personnel file: set "
            "'durum: ayrildi', 'ayrilis: YYYY-MM-DD' and 'devir_alan: <sicil no>' there, "
            "commit, then run this again")
    return person


def run(inv: Inventory, inventory: str, who: str, *, check: bool = False) -> int:
    person = find(inv, who)
    sam = inv.usernames[person.sicil_no]
    successor = inv.usernames.get(person.devir_alan or "", "")
    ui.step(f"{'preview of ' if check else ''}offboarding {person.ad} {person.soyad} ({sam}):"
            f" directory, shares, mailbox, server accounts, extension")
    applied = ansible_run.playbook(SITE, inv.root, check=check, tags=TAGS)
    if check:
        print(ansible_run.summary(applied, check))
        return 0 if applied.ok else 1
    cameras = _camera_accounts(inv, person, sam)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    read_ok, ex = report.read_hosts(inv)
    directory, servers = ex.directory, ex.servers
    state = report.evaluate(inv, ex)
    row = next(p for p in state["people"] if p["sicil"] == person.sicil_no)
    handed = [f for f in (directory or {}).get("handover", []) if f["folder"] == sam]
    record: dict[str, Any] = {
        **ansible_run.provenance("offboarding", inventory, now),
        "person": {"sicil": person.sicil_no, "kullanici": sam,
                   "ad": f"{person.ad} {person.soyad}", "mudurluk": person.mudurluk,
                   "ayrilis": person.ayrilis.isoformat() if person.ayrilis else None,
                   "devir_alan": successor or None},
        "apply": {"ok": applied.ok, "hosts": [r.__dict__ for r in applied.recap]},
        "directory": {"read": directory is not None, "account": row["dizin"],
                      "groups": row["gruplar"]},
        "servers": {h: admins.get(sam, {"account": False}) for h, admins in servers.items()},
        "extension": row["dahili"],
        "cameras": cameras,
        "handover": {"folders": handed, "mailbox": row["posta"],
                     "successor_can_read": bool(successor) and any(
                         successor in f["readers"] for f in handed)},
        "remaining_access": row["ihlal"],
        "unread_hosts": sorted({h.name for h in inv.servers()} - set(servers)),
    }
    record["ok"] = (applied.ok and read_ok and not row["ihlal"] and directory is not None
                    and not record["unread_hosts"] and not (cameras or {}).get("failed"))
    path = write(record, now, sam)
    status = "KAPANDI" if record["ok"] else "AÇIK ERİŞİM VAR"
    print(f"{sam}: {status}; dizin: {row['dizin']}; kalan erişim: "
          f"{'; '.join(row['ihlal']) or 'yok'}; devir: "
          f"{'okunabilir: ' + successor if record['handover']['successor_can_read'] else '-'}")
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 0 if record["ok"] else 1


def _camera_accounts(inv: Inventory, person: models.Kisi, sam: str) -> dict[str, Any] | None:
    """A camera operator's accounts off every camera: cameras.apply, whose targets no longer
    hold the person. None for someone who was no camera operator."""
    if "kamera" not in person.hizmetler or inv.cameras is None or not inv.cameras.cameras:
        return None
    ui.step(f"camera accounts of {sam}: cameras.apply on {len(inv.cameras.cameras)} camera(s)")
    results = camapply.apply_sync(camrun.targets(inv, None), check=False)
    field = f"hesap.{sam}"
    return {"total": len(results),
            "removed_from": [r.name for r in results
                             if any(c.field == field for c in r.changes)],
            "failed": [{"camera": r.name, "status": r.status, "errors": r.errors}
                       for r in results if r.status in camapply.FAILED]}


def write(record: dict[str, Any], now: dt.datetime, sam: str,
          folder: Path = report.EVIDENCE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    # Not with_suffix: a username has a dot (gulsen.dogan).
    base = f"{ansible_run.stamp(now)}-ayrilis-{sam}"
    (folder / f"{base}.json").write_text(json.dumps(record, ensure_ascii=False, indent=2)
                                         + "\n", encoding="utf-8")
    env = htmlreport.environment(report.TEMPLATES, report.STYLE)
    (folder / f"{base}.html").write_text(env.get_template("ayrilis.html.j2").render(r=record),
                                         encoding="utf-8")
    return folder / f"{base}.json"
