#!/usr/bin/env python3
"""The role directory at a municipality's size: playbooks/directory.yml with the example
inventory's personnel file (400+ people, 12 müdürlükler) on a container of its own.

1. **first deploy**: Samba installed, the domain provisioned, every account, group and folder
   made;
2. **re-deploy**: the same inventory again - must report 0 changed tasks;
3. **move**: one person moves to another müdürlük - the same account (objectGUID) must be
   moved to the new OU and group, and her folder to the new share;
4. **re-deploy after the move**: 0 changed again.

Printed: seconds per run and changed tasks; the ratio first deploy / re-deploy. Exit 1 if a
re-deploy changed anything or the move did not keep the account.

    .venv/bin/python bench/directory_deploy.py [--keep] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load
from bilgiislem.inventory.ansible import directory_state, service_accounts
from bilgiislem.lab import image, podman
from bilgiislem.secrets import new_directory_password

NAME = "bench-dizin-rol"
EXAMPLE = REPO_ROOT / "inventory" / "example"
PLAYBOOK = REPO_ROOT / "playbooks" / "directory.yml"
RECAP = re.compile(r"^\S+\s*: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def say(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def deploy(workdir: Path, variables: dict[str, Any]) -> tuple[float, int, str]:
    """One run of the playbook: (seconds, changed tasks, output)."""
    (workdir / "vars.json").write_text(json.dumps(variables, ensure_ascii=False),
                                       encoding="utf-8")
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
           "ANSIBLE_INVENTORY_ENABLED": "yaml", "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_CACHE_PLUGIN": "memory",  # facts of an earlier container of that name
           "CONTAINERS_CONF": str(podman.CONTAINERS_CONF),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    start = time.perf_counter()
    res = subprocess.run(["ansible-playbook", "-i", str(workdir / "hosts.yml"),
                          "-e", f"@{workdir / 'vars.json'}", str(PLAYBOOK)],
                         cwd=REPO_ROOT, env=env, text=True, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    out = res.stdout + res.stderr
    recap = RECAP.findall(out)
    if res.returncode != 0 or not recap or recap[0][2:] != ("0", "0"):
        raise SystemExit(f"the deploy failed:\n{out[-4000:]}")
    return seconds, int(recap[0][1]), out


def ldb(expression: str, *attrs: str) -> str:
    return podman.exec_(NAME, "ldbsearch", "-H", "/var/lib/samba/private/sam.ldb",
                        expression, *attrs).stdout


def run(workdir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    inv = load(EXAMPLE)
    state = directory_state(inv)
    # Throwaway passwords for a throwaway domain (the vault is not involved).
    secrets = {
        "vault_directory_admin_password": {inv.municipality.realm: new_directory_password()},
        "vault_directory_initial_passwords": {k.sicil_no: new_directory_password()
                                              for k in inv.personel if k.durum != "ayrildi"},
        "vault_directory_service_passwords": {a["sam"]: new_directory_password()
                                              for a in service_accounts(inv)},
    }
    rows, problems = [], []

    def step(name: str, variables: dict[str, Any], want_changed: bool) -> str:
        say(f"{name} ...")
        seconds, changed, out = deploy(workdir, {**variables, **secrets})
        rows.append({"step": name, "seconds": round(seconds, 1), "changed": changed})
        if want_changed != (changed > 0):
            problems.append(f"{name}: {changed} changed tasks")
        return out

    step("first deploy", state, True)
    accounts = ldb("(&(objectClass=user)(employeeID=*))", "dn")
    enabled = sum(u["enabled"] for u in state["directory_users"])
    if f"# {enabled} entries" not in accounts:  # "returned" also counts referrals
        problems.append(f"expected {enabled} accounts: {accounts[-300:]}")
    step("re-deploy", state, False)

    mover = next(u for u in state["directory_users"] if u["enabled"])
    old_ou = mover["ou"]
    new_ou = next(d["code"] for d in state["directory_departments"] if d["code"] != old_ou)
    before = ldb(f"(sAMAccountName={mover['sam']})", "objectGUID", "memberOf")
    inv.personel[:] = [k.model_copy(update={"mudurluk": new_ou})
                       if inv.usernames[k.sicil_no] == mover["sam"] else k
                       for k in inv.personel]
    moved = directory_state(inv)
    step(f"move {mover['sam']}: {old_ou} -> {new_ou}", moved, True)
    after = ldb(f"(sAMAccountName={mover['sam']})", "objectGUID", "memberOf")
    guid = re.compile(r"^objectGUID: (\S+)$", re.M)
    if not guid.findall(before) or guid.findall(before) != guid.findall(after):
        problems.append("the moved account has a new objectGUID (recreated)")
    if f"dn: CN={mover['sam']},OU={new_ou}," not in after:
        problems.append(f"the account is not in OU={new_ou}")
    if f"CN=mud-{new_ou}," not in after or f"CN=mud-{old_ou}," in after:
        problems.append(f"the groups did not follow: {after}")
    folder = podman.exec_(NAME, "test", "-d", f"/srv/paylasim/{new_ou}/{mover['sam']}",
                          check=False)
    if folder.returncode != 0:
        problems.append(f"the folder did not move to {new_ou}")
    step("re-deploy after the move", moved, False)
    return rows, problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", action="store_true", help="keep the container")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tag, _ = image.ensure(say)
    people = len(load(EXAMPLE).personel)
    say(f"container {NAME} from {tag}; {people} people from {EXAMPLE.relative_to(REPO_ROOT)}")
    with podman.throwaway(NAME, tag, keep=args.keep), \
            tempfile.TemporaryDirectory(prefix="bench-dizin-") as tmp:
        ip = podman.exec_(NAME, "hostname", "-I").stdout.split()[0]
        realm = load(EXAMPLE).municipality.realm.lower()
        podman.exec_(NAME, "sh", "-c", f"echo '{ip} {NAME}.{realm} {NAME}' >> /etc/hosts")
        workdir = Path(tmp)
        (workdir / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {"directory": {
            "hosts": {NAME: {"ansible_connection": "containers.podman.podman"}}}}}}))
        rows, problems = run(workdir)
    ratio = rows[0]["seconds"] / rows[1]["seconds"]
    if args.json:
        print(json.dumps({"people": people, "results": rows, "ratio_first_to_redeploy":
                          round(ratio, 1), "problems": problems}, indent=2, ensure_ascii=False))
    else:
        width = max(len(r["step"]) for r in rows)
        print(f"{'step'.ljust(width)}  seconds  changed")
        for r in rows:
            print(f"{r['step'].ljust(width)}  {r['seconds']:7.1f}  {r['changed']:7d}")
        print(f"{people} people; first deploy / re-deploy: {ratio:.1f}x")
        for p in problems:
            print(f"PROBLEM: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
