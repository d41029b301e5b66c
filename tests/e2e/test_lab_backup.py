"""Lab end-to-end of the backups (docs/backup.md): seed the automation database, back up,
`invoke backup.status`, destroy the data on the client, `invoke backup.drill` with zero
differences, append-only refusal from a client, and finally a corrupted pack that the drill must
report by set name. The corruption test runs last and repairs after itself (the damaged
repository is removed and re-initialised by a deploy of playbooks/backup.yml).

Run by `./scripts/invoke test` after test_lab.py (marker: lab), on the lab that test deployed
(the fixtures in conftest.py recreate and deploy the lab once per run).
"""

from __future__ import annotations

import json
import shlex
import subprocess

import pytest
from labtools import INVENTORY, invoke, ssh_argv

from bilgiislem import REPO_ROOT

pytestmark = pytest.mark.lab

DB_HOST = "srv-db"
REPO_HOST = "srv-yedek"
OFFSITE_HOST = "srv-yedek-dis"
LOG_HOST = "srv-log"
EVIDENCE = REPO_ROOT / "evidence" / "backup"


def root(lab_inv, host: str, script: str, check: bool = True,
         timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run a shell script as root on a lab host (the automation account has sudo)."""
    res = subprocess.run([*ssh_argv(lab_inv, host), "sudo", "sh", "-c", shlex.quote(script)],
                         capture_output=True, text=True, check=False, timeout=timeout)
    if check and res.returncode != 0:
        raise AssertionError(f"{host}: {script}\nrc {res.returncode}\n{res.stdout}\n{res.stderr}")
    return res


def client_restic(lab_inv, set_name: str) -> str:
    repo = next(h for h in lab_inv.hosts if h.name == REPO_HOST)
    program = ("ssh -i /root/.ssh/bilgiislem-yedek -o IdentitiesOnly=yes -o BatchMode=yes "
               "-o LogLevel=ERROR -o UserKnownHostsFile=/etc/bilgiislem/yedek/known_hosts "
               f"yedek@{lab_inv.management_ip(repo)}")
    return (f"RESTIC_PASSWORD_FILE=/etc/bilgiislem/yedek/parola restic -r rclone:{set_name} "
            f"-o rclone.program={shlex.quote(program)}")


def server_snapshots(lab_inv, host: str, client: str, set_name: str) -> list[dict]:
    res = root(lab_inv, host, f"RESTIC_PASSWORD_FILE=/etc/bilgiislem/yedek/parolalar/{client} "
                          f"restic -r /srv/yedek/{client}/{set_name} snapshots --json --no-lock")
    return json.loads(res.stdout)


def latest_drill() -> dict:
    """The evidence record `invoke backup.drill` wrote last (evidence/backup/<time>-drill.json)."""
    newest = sorted(EVIDENCE.glob("*-drill.json"))[-1]
    return json.loads(newest.read_text(encoding="utf-8"))


# The clients' timers run the real schedule (otomasyon-db is hourly at :15): a backup taken
# after the data is destroyed would make the drill restore the destroyed state. They are
# paused for this module (a run they started is waited for) and started again at the end.
PAUSE_TIMERS = """
systemctl stop 'bilgiislem-yedek-*.timer'
for i in $(seq 120); do
  systemctl list-units --no-legend --state=activating 'bilgiislem-yedek-*.service' \
    | grep -q . || exit 0
  sleep 5
done
echo 'a backup run did not end' >&2; exit 1
"""


@pytest.fixture(scope="module")
def timers_paused(deployed):
    lab_inv = deployed
    for host in (DB_HOST, LOG_HOST):
        root(lab_inv, host, PAUSE_TIMERS, timeout=700)
    yield lab_inv
    for host in (DB_HOST, LOG_HOST):
        root(lab_inv, host, "systemctl start --all 'bilgiislem-yedek-*.timer'")


@pytest.fixture(scope="module")
def seeded(timers_paused):
    lab_inv = timers_paused
    root(lab_inv, DB_HOST, """
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d otomasyon <<'SQL'
DROP TABLE IF EXISTS e2e_basvuru;
CREATE TABLE e2e_basvuru (id serial PRIMARY KEY, konu text NOT NULL);
INSERT INTO e2e_basvuru (konu) SELECT 'Başvuru ' || g FROM generate_series(1, 2500) g;
SQL
mkdir -p /etc/bilgiislem-e2e && echo "e2e öğesi" > /etc/bilgiislem-e2e/not.txt
""")
    return lab_inv


@pytest.fixture(scope="module")
def backed_up(seeded):
    lab_inv = seeded
    # Every class of every set once, so `backup.status` finds each one fresh (OK).
    units: dict[str, list[str]] = {}
    for s in lab_inv.backups.sets:
        for host in s.hosts:
            units.setdefault(host, []).extend(
                f"bilgiislem-yedek-{s.name}-{cls}.service" for cls in s.classes)
    assert {DB_HOST, LOG_HOST} <= set(units), units
    for host, names in units.items():
        root(lab_inv, host, f"systemctl start {' '.join(names)}", timeout=1200)
    return lab_inv


def test_backup_writes_status_and_snapshots(backed_up):
    lab_inv = backed_up
    status = json.loads(root(lab_inv, DB_HOST,
                             "cat /var/lib/bilgiislem/yedek/durum/otomasyon-db-daily.json").stdout)
    assert status["last_success"] and status["last_error"] is None and status["snapshot"]
    snaps = server_snapshots(lab_inv, REPO_HOST, DB_HOST, "otomasyon-db")
    assert any("class:daily" in s["tags"] and "set:otomasyon-db" in s["tags"] for s in snaps)


def test_backup_status_task(backed_up):
    res = invoke("backup.status", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "otomasyon-db" in res.stdout and "etc" in res.stdout


def test_drill_after_destroying_the_data(backed_up):
    lab_inv = backed_up
    # Destroy the data on the client: the drill restores from the repository, never from it.
    root(lab_inv, DB_HOST,
         "runuser -u postgres -- psql -X -q -d otomasyon -c 'DROP TABLE e2e_basvuru'"
         " && rm -rf /etc/bilgiislem-e2e")
    res = invoke("backup.drill", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    record = latest_drill()
    assert record["sets"], record
    for s in record["sets"]:
        assert s["status"] == "PASS", s
        assert s["file_differences"] == [], s
        assert all(t["expected"] == t["restored"] for t in s["tables"]), s
    db = next(s for s in record["sets"] if s["client"] == DB_HOST and s["set"] == "otomasyon-db")
    table = next(t for t in db["tables"] if t["table"] == "otomasyon.public.e2e_basvuru")
    assert table["restored"] == 2500
    etc = next(s for s in record["sets"] if s["client"] == DB_HOST and s["set"] == "etc")
    assert etc["files_compared"] > 0


def test_client_cannot_forget_a_snapshot(backed_up):
    lab_inv = backed_up
    before = server_snapshots(lab_inv, REPO_HOST, DB_HOST, "otomasyon-db")
    restic = client_restic(lab_inv, "otomasyon-db")
    res = root(lab_inv, DB_HOST, f"{restic} forget {before[0]['id']}", check=False)
    assert res.returncode != 0, res.stdout
    assert "403 Forbidden" in res.stderr, res.stderr[-2000:]
    root(lab_inv, DB_HOST, f"{restic} forget --keep-last 1 --prune", check=False)
    after = server_snapshots(lab_inv, REPO_HOST, DB_HOST, "otomasyon-db")
    assert [s["id"] for s in after] == [s["id"] for s in before]


def test_client_cannot_open_another_clients_set(backed_up):
    lab_inv = backed_up
    # srv-db declares no log-arsivi set (srv-log does): the forced command refuses it.
    res = root(lab_inv, DB_HOST, f"{client_restic(lab_inv, 'log-arsivi')} snapshots", check=False)
    assert res.returncode != 0
    assert "not a declared backup set" in res.stderr, res.stderr[-2000:]


def test_offsite_copy_has_the_snapshots(backed_up):
    lab_inv = backed_up
    # The timers keep running (hourly class): a snapshot taken after the copy is on the
    # primary only. So: everything from before the copy is off-site, nothing else is.
    key = lambda s: (s["time"], tuple(s["tags"]), s["hostname"])  # noqa: E731 - copy gives new IDs
    before = set(map(key, server_snapshots(lab_inv, REPO_HOST, DB_HOST, "otomasyon-db")))
    root(lab_inv, REPO_HOST, "systemctl start bilgiislem-yedek-disari.service")
    offsite = set(map(key, server_snapshots(lab_inv, OFFSITE_HOST, DB_HOST, "otomasyon-db")))
    after = set(map(key, server_snapshots(lab_inv, REPO_HOST, DB_HOST, "otomasyon-db")))
    assert before and before <= offsite <= after, (before, offsite, after)


def test_corrupted_pack_fails_the_drill_naming_the_set(backed_up):
    lab_inv = backed_up
    repo = f"/srv/yedek/{DB_HOST}/otomasyon-db"
    try:
        root(lab_inv, REPO_HOST, f"""
pack=$(find {repo}/data -type f -printf '%s %p\\n' | sort -n | tail -1 | cut -d' ' -f2)
size=$(stat -c %s "$pack")
head -c 64 /dev/urandom | dd of="$pack" bs=1 seek=$((size / 2)) conv=notrunc status=none
""")
        # Only this set: the drill takes the selection, and nothing else is reported missing.
        res = invoke("backup.drill", "--inventory", INVENTORY, "--set", "otomasyon-db",
                     "--client", DB_HOST)
        assert res.returncode == 1, res.stdout[-4000:] + res.stderr[-2000:]
        record = latest_drill()
        assert [(s["set"], s["client"]) for s in record["sets"]] == [("otomasyon-db", DB_HOST)]
        assert record["missing"] == []
        db = record["sets"][0]
        assert db["status"] == "FAIL" and db["check"] == "failed", db
        assert any("otomasyon-db" in r for r in db["reasons"]), db
        assert "otomasyon-db" in res.stdout + res.stderr
    finally:
        # Repair: a new, empty repository (the damaged one is gone), a fresh backup into it.
        root(lab_inv, REPO_HOST, f"rm -rf {repo}")
        res = invoke("deploy", "--inventory", INVENTORY, "--playbook", "backup",
                     "--limit", f"{REPO_HOST},{DB_HOST}")
        assert res.returncode == 0, res.stdout[-3000:]
        root(lab_inv, DB_HOST, "systemctl start bilgiislem-yedek-otomasyon-db-daily.service")
