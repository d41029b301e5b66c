"""``invoke users.report``: who holds which access, read from the hosts, against personel.yml.

``playbooks/users-report.yml`` exports the directory's accounts and groups and the hand-over
folders from the DC, the mailboxes from the mail server, and the server admins' account state
and keys from every server, into a folder on the controller. ``evaluate`` compares them with
the personnel file:

- a matrix of person × directory account, groups, shares, mailbox and server access, by
  müdürlük;
- **orphans**: accounts in the directory that the personnel file does not know (the servers'
  service accounts are listed apart);
- **violations**: people who left (ayrıldı) and still hold anything - an enabled account, a
  group, or a server account that is not locked or still has keys.

The record is ``evidence/users/<time>-erisim.json`` plus a Turkish HTML page. Exit code 1
when there is a violation or a host could not be read.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, ui
from bilgiislem.inventory import Inventory
from bilgiislem.inventory.ansible import DEPARTMENT_GROUP

PLAYBOOK = REPO_ROOT / "playbooks" / "users-report.yml"
TEMPLATES = Path(__file__).parent / "templates"
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
EVIDENCE = ansible_run.EVIDENCE_DIR / "users"


@dataclass
class Exports:
    """What the hosts said: the DC's export (None if unread), {server: its admins' state},
    {address: mailbox} from the mail servers."""
    directory: dict[str, Any] | None = None
    servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    mailboxes: dict[str, dict[str, Any]] = field(default_factory=dict)
    extensions: set[str] | None = None  # the exchange's endpoints; None: no exchange read


def read_exports(folder: Path) -> Exports:
    ex = Exports()
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("kind") == "directory":
            ex.directory = data
        elif data.get("kind") == "server":
            ex.servers[data["host"]] = data.get("admins", {})
        elif data.get("kind") == "pbx":
            ex.extensions = (ex.extensions or set()) | set(data.get("endpoints", []))
        elif data.get("kind") == "mail":
            ex.mailboxes |= {b["mail"]: {**b, "host": data["host"]}
                             for b in data.get("mailboxes", [])}
    return ex


def _mailbox(k: Any, box: dict[str, Any] | None) -> str:
    if box is None:
        return "yok" if k.eposta else "-"
    if box.get("handed_over_to"):
        return f"devredildi: {box['handed_over_to']}"
    return f"var ({box['messages']} ileti)"


def evaluate(inv: Inventory, ex: Exports) -> dict[str, Any]:
    directory, servers = ex.directory, ex.servers
    accounts = {u["sicil"]: u for u in (directory or {}).get("users", []) if u.get("sicil")}
    readers: dict[str, list[str]] = {}  # successor -> hand-over folders they may read
    for folder in (directory or {}).get("handover", []):
        for reader in folder["readers"]:
            readers.setdefault(reader, []).append(folder["folder"])
    names = {d.code: d.name for d in inv.municipality.departments}
    people = []
    for k in inv.personel:
        sam = inv.usernames[k.sicil_no]
        acct = accounts.get(k.sicil_no)
        groups = acct["groups"] if acct else []
        prefix = DEPARTMENT_GROUP.format(code="")
        shares = [g.removeprefix(prefix) for g in groups if g.startswith(prefix)] \
            if acct and acct["enabled"] else []
        server_access = sorted(h for h, admins in servers.items()
                               if sam in admins and (not admins[sam]["locked"]
                                                     or admins[sam]["keys"] > 0))
        access = []
        if acct and acct["enabled"]:
            access.append("etkin dizin hesabı")
        if groups:
            access.append("gruplar: " + ", ".join(groups))
        if server_access:
            access.append("sunucu: " + ", ".join(server_access))
        extension = k.dahili is not None and str(k.dahili) in (ex.extensions or set())
        if extension:
            access.append(f"dahili {k.dahili}")
        people.append({
            "sicil": k.sicil_no, "kullanici": sam, "ad": f"{k.ad} {k.soyad}",
            "mudurluk": k.mudurluk, "mudurluk_adi": names.get(k.mudurluk, k.mudurluk),
            "durum": k.durum, "ayrilis": k.ayrilis.isoformat() if k.ayrilis else None,
            "dizin": ("yok" if acct is None else "etkin" if acct["enabled"] else "devre dışı"),
            "gruplar": groups, "paylasimlar": shares, "devir_okur": readers.get(sam, []),
            "sunucular": server_access,
            "posta": _mailbox(k, ex.mailboxes.get(k.eposta or "")),
            "dahili": ("-" if k.dahili is None or ex.extensions is None
                       else f"{k.dahili} tanımlı" if extension else f"{k.dahili} kapalı"),
            "ihlal": access if k.durum == "ayrildi" else [],
        })
    known = {k.sicil_no for k in inv.personel}
    accounts_all = (directory or {}).get("users", [])
    orphans = [u for u in accounts_all
               if u.get("sicil", "") not in known and not u.get("service")]
    return {
        "directory_read": directory is not None,
        "servers_read": sorted(servers),
        "people": people,
        "orphans": orphans,
        "service_accounts": [u for u in accounts_all if u.get("service")],
        "violations": [p for p in people if p["ihlal"]],
    }


def write(result: dict[str, Any], meta: dict[str, Any], now: dt.datetime,
          folder: Path = EVIDENCE) -> Path:
    return htmlreport.write_record(folder / f"{ansible_run.stamp(now)}-erisim",
                                   {**meta, **result}, "erisim.html.j2", TEMPLATES, STYLE)


def read_hosts(inv: Inventory) -> tuple[bool, Exports]:
    """Run the export playbook: (every host answered, what they said)."""
    with tempfile.TemporaryDirectory(prefix="bilgiislem-erisim-") as tmp:
        res = ansible_run.playbook(PLAYBOOK, inv.root, extra_vars={"users_report_dir": tmp})
        ex = read_exports(Path(tmp))
    return res.ok, ex


def run(inv: Inventory, inventory: str, *, dry_run: bool = False) -> int:
    hosts = [h.name for h in inv.servers()]
    if dry_run:
        dcs = ", ".join(h.name for h in inv.hosts_with_role("directory")) or "no host"
        ui.info(f"would read the directory on {dcs} and the admin accounts on {len(hosts)} "
                "servers; nothing is changed")
        return 0
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    ok, ex = read_hosts(inv)
    result = evaluate(inv, ex)
    result["unread_hosts"] = sorted(set(hosts) - set(ex.servers))
    path = write(result, ansible_run.provenance("users-report", inventory, now), now)
    print(summary(result))
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 0 if ok and not result["violations"] and not result["unread_hosts"] else 1


def summary(result: dict[str, Any]) -> str:
    rows = [[p["sicil"], p["kullanici"], p["mudurluk"], p["durum"], p["dizin"],
             ", ".join(p["gruplar"]) or "-", p["posta"], ", ".join(p["sunucular"]) or "-",
             "İHLAL" if p["ihlal"] else ""] for p in result["people"]]
    out = [ui.table(["sicil", "kullanıcı", "müdürlük", "durum", "dizin", "gruplar",
                     "posta kutusu", "sunucu yöneticisi", ""], rows)]
    out.append(f"sahipsiz hesaplar / orphans: "
               f"{', '.join(o['sam'] for o in result['orphans']) or 'yok'}")
    out.append(f"ayrılıp erişimi süren / left with access: "
               f"{', '.join(p['kullanici'] for p in result['violations']) or 'yok'}")
    return "\n".join(out)
