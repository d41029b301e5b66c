#!/usr/bin/env python3
"""Directory reconcile time: bilgiislem-dizin against one ``samba-tool`` call per user.

The script starts a container ``bench-dizin`` from the lab's base image, installs Samba's AD
DC (the packages of the role directory) and, for each size, provisions a fresh domain. The
personnel data are synthetic but shaped like a municipality's: 12 müdürlükler, Turkish
names, a third of the people with a service group. For each size N (default 400 and 2000):

1. **ours, first run**: ``bilgiislem-dizin`` creates the OUs, N users and the groups in one
   sam.ldb transaction;
2. **ours, unchanged**: the same input again (nothing to do: what every deploy pays);
3. **ours, 5 % changed**: 5 % of the people move to another müdürlük (new OU and group),
   a few leave (disabled, out of groups) and a few are new;
4. **baseline**, on a second fresh domain: what a script around ``samba-tool`` does - one
   ``samba-tool user create`` per person, then one ``samba-tool group addmembers`` per group
   (the unchanged and 5 % cases of the baseline need one ``samba-tool user show`` per person
   just to compare, which alone costs a process per user; that is measured on a sample of
   50 users and scaled, and said so in the output).

Printed: seconds per step and the ratio baseline / ours.

    .venv/bin/python bench/directory_reconcile.py [--sizes 400,2000] [--keep] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from typing import Any

from bilgiislem import REPO_ROOT
from bilgiislem.lab import image, podman

NAME = "bench-dizin"
TIMEOUT = 7200
ENGINE = REPO_ROOT / "roles" / "directory" / "files" / "bilgiislem-dizin"
PACKAGES = ("samba-ad-dc samba-ad-provision samba-dsdb-modules python3-samba winbind krb5-user "
            "ldb-tools")
ADMIN = "Bench-Only-Yonetici-1"  # a throwaway domain inside a throwaway container
USER_PW = "Bench-Only-Kullanici-1"
SAMPLE = 50
DEPARTMENTS = ["bilgi-islem", "yazi-isleri", "fen-isleri", "imar", "zabita", "itfaiye",
               "kultur", "mali-hizmetler", "insan-kaynaklari", "park-bahce", "temizlik",
               "destek-hizmetleri"]
GIVEN = ["Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ahmet", "Hatice", "Ali", "Zeynep",
         "Hüseyin", "Şükrü", "Gülşen", "İsmail", "Özlem", "Çağrı", "Ümit"]
FAMILY = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Özdemir",
          "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Işık"]


def say(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def sh(script: str, stdin: str | None = None) -> str:
    args = ["exec", "-i", NAME, "bash", "-ec", script] if stdin is not None else \
        ["exec", NAME, "bash", "-ec", script]
    res = podman.run(*args, check=False, timeout=TIMEOUT,
                     input_data=stdin.encode() if stdin is not None else None)
    if res.returncode != 0:
        raise SystemExit(f"failed in {NAME}: {script[:200]}\n{res.stdout}\n{res.stderr}")
    return res.stdout


def timed(script: str, stdin: str | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    out = sh(script, stdin)
    return time.perf_counter() - start, out


def provision() -> None:
    sh("systemctl stop samba-ad-dc 2>/dev/null || true; rm -rf /var/lib/samba/private/* "
       "/var/lib/samba/sysvol/* /etc/samba/smb.conf; samba-tool domain provision "
       "--realm=AD.BENCH.BEL.TR --domain=BENCH --server-role=dc --dns-backend=NONE "
       f"--use-rfc2307 --adminpass={ADMIN} "
       "'--option=acl_xattr:security_acl_name = user.NTACL' >/dev/null")


def people(n: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        dep = DEPARTMENTS[i % len(DEPARTMENTS)]
        out.append({"sicil": f"{10000 + i}", "sam": f"p{10000 + i}", "ou": dep,
                    "enabled": True, "given": given, "sn": family,
                    "display": f"{given} {family}", "title": "Memur",
                    "department": dep, "mail": f"p{10000 + i}@bench.bel.tr",
                    "upn": f"p{10000 + i}@ad.bench.bel.tr",
                    "services": ["vpn"] if i % 3 == 0 else []})
    return out


def changed(users: list[dict[str, Any]], fraction: float = 0.05) -> list[dict[str, Any]]:
    """5 %: 3 of 5 move müdürlük, 1 leaves, 1 is new."""
    rng = random.Random(6)
    out = [dict(u) for u in users]
    k = max(5, int(len(out) * fraction))
    picked = rng.sample(range(len(out)), k)
    for j, idx in enumerate(picked):
        u = out[idx]
        if j % 5 in (0, 1, 2):
            u["ou"] = DEPARTMENTS[(DEPARTMENTS.index(u["ou"]) + 1) % len(DEPARTMENTS)]
            u["department"] = u["ou"]
        elif j % 5 == 3:
            u["enabled"] = False
        else:
            n = 90000 + j
            out.append({**u, "sicil": str(n), "sam": f"p{n}", "enabled": True,
                        "mail": f"p{n}@bench.bel.tr", "upn": f"p{n}@ad.bench.bel.tr"})
    return out


def state(users: list[dict[str, Any]]) -> str:
    groups: dict[str, list[str]] = {f"mud-{d}": [] for d in DEPARTMENTS}
    groups["hizmet-vpn"] = []
    for u in users:
        if u["enabled"]:
            groups[f"mud-{u['ou']}"].append(u["sam"])
            for s in u["services"]:
                groups[f"hizmet-{s}"].append(u["sam"])
    return json.dumps({
        "base_ou": "OU=Belediye",
        "departments": [{"code": d, "name": d} for d in DEPARTMENTS],
        "users": [{k: v for k, v in u.items() if k != "services"} for u in users],
        "groups": [{"name": g, "description": g, "members": m} for g, m in groups.items()],
        "passwords": {u["sicil"]: USER_PW for u in users},
    }, ensure_ascii=False)


def ours(users: list[dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    seconds, out = timed("/usr/local/sbin/bilgiislem-dizin", state(users))
    return seconds, json.loads(out)


def baseline_create(users: list[dict[str, Any]]) -> float:
    """One samba-tool process per user and per group, as a shell script would do it."""
    lines = ["samba-tool ou add OU=Belediye >/dev/null"]
    lines += [f"samba-tool ou add OU={d},OU=Belediye >/dev/null" for d in DEPARTMENTS]
    for u in users:
        lines.append(f"samba-tool user create {u['sam']} {USER_PW} --userou=OU={u['ou']},"
                     f"OU=Belediye --given-name='{u['given']}' --surname='{u['sn']}' "
                     f"--mail-address={u['mail']} --department={u['ou']} --job-title=Memur "
                     "--must-change-at-next-login --use-username-as-cn >/dev/null")
    members: dict[str, list[str]] = {}
    for u in users:
        members.setdefault(f"mud-{u['ou']}", []).append(u["sam"])
    for g, m in members.items():
        lines.append(f"samba-tool group add {g} >/dev/null")
        lines.append(f"samba-tool group addmembers {g} {','.join(m)} >/dev/null")
    seconds, _ = timed("\n".join(lines))
    return seconds


def baseline_compare_per_user(users: list[dict[str, Any]]) -> float:
    """Seconds per user of `samba-tool user show` (what comparing needs), on a sample."""
    sample = users[:SAMPLE]
    seconds, _ = timed("\n".join(f"samba-tool user show {u['sam']} >/dev/null"
                                 for u in sample))
    return seconds / len(sample)


def measure(n: int) -> dict[str, Any]:
    users = people(n)
    say(f"{n} people: fresh domain, bilgiislem-dizin")
    provision()
    first, r1 = ours(users)
    again, r2 = ours(users)
    assert not r2["changed"], r2
    edited = changed(users)
    delta, r3 = ours(edited)
    say(f"{n} people: fresh domain, samba-tool per user")
    provision()
    base_first = baseline_create(users)
    per_user = baseline_compare_per_user(users)
    return {
        "people": n,
        "ours": {"first_s": round(first, 2), "unchanged_s": round(again, 2),
                 "changed_5pct_s": round(delta, 2),
                 "changes": {k: len(v) for k, v in r3.items() if isinstance(v, list) and v}},
        "baseline": {"first_s": round(base_first, 2),
                     "compare_per_user_s": round(per_user, 3),
                     "unchanged_s_scaled": round(per_user * n, 1)},
        "ratio_first": round(base_first / first, 1),
        "ratio_unchanged": round(per_user * n / again, 1),
        "created": len(r1["created"]),
    }


def table(rows: list[dict[str, Any]]) -> str:
    out = [f"{'people':>7}  {'ours first':>10}  {'unchanged':>9}  {'5% changed':>10}  "
           f"{'samba-tool first':>16}  {'per-user check (scaled)':>23}  {'x first':>7}  "
           f"{'x unchanged':>11}"]
    for r in rows:
        o, b = r["ours"], r["baseline"]
        out.append(f"{r['people']:>7}  {o['first_s']:>9}s  {o['unchanged_s']:>8}s  "
                   f"{o['changed_5pct_s']:>9}s  {b['first_s']:>15}s  "
                   f"{b['unchanged_s_scaled']:>22}s  {r['ratio_first']:>7}  "
                   f"{r['ratio_unchanged']:>11}")
    out.append(f"baseline unchanged = samba-tool user show per user, measured on {SAMPLE} "
               "users and scaled; 'x' = baseline / ours")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="400,2000")
    ap.add_argument("--keep", action="store_true", help="keep the container")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tag, _ = image.ensure(say)
    say(f"container {NAME} from {tag}")
    with podman.throwaway(NAME, tag, keep=args.keep):
        sh("printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod +x "
           "/usr/sbin/policy-rc.d; DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
           f"{PACKAGES} >/dev/null")
        sh("cat > /usr/local/sbin/bilgiislem-dizin; chmod 755 /usr/local/sbin/bilgiislem-dizin",
           ENGINE.read_text(encoding="utf-8"))
        rows = [measure(int(n)) for n in args.sizes.split(",")]
    cpus = re.sub(r"\D", "", podman.run("info", "--format", "{{.Host.CPUs}}").stdout)
    if args.json:
        print(json.dumps({"cpus": int(cpus or 0), "results": rows}, indent=2))
    else:
        print(table(rows))
        print(f"({cpus} CPUs)")


if __name__ == "__main__":
    main()
