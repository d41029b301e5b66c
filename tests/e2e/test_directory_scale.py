"""The directory at a municipality's size: playbooks/directory.yml with the example inventory's
personnel file (400+ people, 12 müdürlükler) on a container of its own, outside the lab.

Deploy, deploy again (nothing may change), then one person moves to another müdürlük: the
same account (objectGUID) is moved to the new OU and group, her folder moves with her, and
the run after that changes nothing again."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load
from bilgiislem.inventory.ansible import directory_state
from bilgiislem.lab import image, podman
from bilgiislem.secrets import new_directory_password

pytestmark = pytest.mark.lab

NAME = "e2e-dizin-olcek"
EXAMPLE = REPO_ROOT / "inventory" / "example"
PLAYBOOK = REPO_ROOT / "playbooks" / "directory.yml"
RECAP = re.compile(r"^\S+\s*: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def _run(workdir: Path, variables: dict) -> tuple[int, str]:
    """One run of the playbook; (changed tasks, output)."""
    (workdir / "vars.json").write_text(json.dumps(variables, ensure_ascii=False),
                                       encoding="utf-8")
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
           "ANSIBLE_INVENTORY_ENABLED": "yaml", "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_CACHE_PLUGIN": "memory",  # facts of an earlier container of that name
           "CONTAINERS_CONF": str(podman.CONTAINERS_CONF),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    res = subprocess.run(["ansible-playbook", "-i", str(workdir / "hosts.yml"),
                          "-e", f"@{workdir / 'vars.json'}", str(PLAYBOOK)],
                         cwd=REPO_ROOT, env=env, text=True, capture_output=True, check=False,
                         timeout=1800)
    out = res.stdout + res.stderr
    recap = RECAP.findall(out)
    assert res.returncode == 0 and recap, out[-4000:]
    _, changed, unreachable, failed = map(int, recap[0])
    assert (unreachable, failed) == (0, 0), out[-4000:]
    return changed, out


def _ldb(expression: str, *attrs: str) -> str:
    return podman.exec_(NAME, "ldbsearch", "-H", "/var/lib/samba/private/sam.ldb",
                        expression, *attrs).stdout


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory):
    tag, _ = image.ensure(lambda _msg: None)
    with podman.throwaway(NAME, tag):
        ip = podman.exec_(NAME, "hostname", "-I").stdout.split()[0]
        inv = load(EXAMPLE)
        fqdn = f"{NAME}.{inv.municipality.realm.lower()}"
        podman.exec_(NAME, "sh", "-c", f"echo '{ip} {fqdn} {NAME}' >> /etc/hosts")
        path = tmp_path_factory.mktemp("dizin-olcek")
        (path / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {"directory": {
            "hosts": {NAME: {"ansible_connection": "containers.podman.podman"}}}}}}))
        yield path


def test_four_hundred_people_converge_then_nothing_changes(workdir: Path):
    inv = load(EXAMPLE)
    assert len(inv.personel) >= 400
    state = directory_state(inv)
    # Throwaway passwords for a throwaway domain (the vault is not involved).
    secrets = {
        "vault_directory_admin_password": {inv.municipality.realm: new_directory_password()},
        "vault_directory_initial_passwords": {k.sicil_no: new_directory_password()
                                              for k in inv.personel if k.durum != "ayrildi"},
    }
    changed, out = _run(workdir, {**state, **secrets})
    assert changed > 0
    accounts = _ldb("(&(objectClass=user)(employeeID=*))", "dn")
    # Everyone who has not left has an account (nobody who left before gets one).
    assert f"# returned {sum(u['enabled'] for u in state['directory_users'])} records" \
        in accounts, accounts[-500:]

    changed, out = _run(workdir, {**state, **secrets})
    assert changed == 0, out[-4000:]

    # One person changes müdürlük: the same account moves (OU and group), nothing recreated.
    mover = next(u for u in state["directory_users"] if u["enabled"])
    old_ou = mover["ou"]
    new_ou = next(d["code"] for d in state["directory_departments"] if d["code"] != old_ou)
    before = _ldb(f"(sAMAccountName={mover['sam']})", "objectGUID", "memberOf")
    inv.personel[:] = [k.model_copy(update={"mudurluk": new_ou})
                       if inv.usernames[k.sicil_no] == mover["sam"] else k
                       for k in inv.personel]
    moved_state = directory_state(inv)
    changed, out = _run(workdir, {**moved_state, **secrets})
    assert changed > 0 and f"{mover['sam']}: CN={mover['sam']},OU={old_ou}" in out, out[-4000:]
    after = _ldb(f"(sAMAccountName={mover['sam']})", "objectGUID", "memberOf")
    guid = re.compile(r"^objectGUID: (\S+)$", re.M)
    assert guid.findall(before) == guid.findall(after) != []
    assert f"dn: CN={mover['sam']},OU={new_ou}," in after
    assert f"CN=mud-{new_ou}," in after and f"CN=mud-{old_ou}," not in after
    folder = podman.exec_(NAME, "test", "-d", f"/srv/paylasim/{new_ou}/{mover['sam']}",
                          check=False)
    assert folder.returncode == 0, f"the folder did not move to {new_ou}"

    changed, out = _run(workdir, {**moved_state, **secrets})
    assert changed == 0, out[-4000:]
