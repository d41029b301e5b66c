"""Lab end-to-end of the telephone exchange (issue 8): srv-pbx (Asterisk from Debian sid,
under sysvinit) deployed from inventory/lab, and a phone container on the voice network
(lab-tel-merkez-ses, SIPp through tests/sipp/sipp-test) that registers with the vault's SIP
passwords.

What the staff meet: their extensions register and call each other, and each call leaves a
call record; a müdürlük's ring group rings its members; a wrong password and the phone of
someone who left are refused, and the departed person's number rings their müdürlük; the
phones fetch exactly the files the project renders; and when the personnel file says someone
left, the next deploy takes their extension away."""

from __future__ import annotations

import csv
import io
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from labtools import inventory_copy, invoke, ssh

from bilgiislem import REPO_ROOT
from bilgiislem import secrets as secretsmod
from bilgiislem.inventory import Inventory, load
from bilgiislem.lab import podman
from bilgiislem.pbx import plan as pbxplan
from bilgiislem.pbx import provision

pytestmark = pytest.mark.lab

PHONE = "lab-tel-merkez-ses"
PBX, ME = "10.10.30.10", "10.10.30.253"
# A second address of the phone container for the refused attempts: fail2ban bans the address
# that keeps failing, which must not be the phone's own.
SCANNER = "10.10.30.252"
SIPP_DIR = "/tmp/sipp"


@pytest.fixture(scope="module")
def secrets(deployed: Inventory) -> dict[str, str]:
    """The extensions' SIP passwords, by sicil no, as the vault holds them."""
    podman.run("cp", f"{REPO_ROOT / 'tests' / 'sipp'}/.", f"{PHONE}:{SIPP_DIR}")
    podman.exec_(PHONE, "ip", "address", "replace", f"{SCANNER}/24", "dev", "eth0")
    ssh(deployed, "srv-pbx", "sudo", "fail2ban-client", "unban", "--all")  # a reused lab
    return secretsmod.read(deployed)[pbxplan.SIP_SECRETS]


def sipp(script: str, me: str = ME, **passwords: str) -> str:
    """Run a shell script of sipp-test steps on the phone (from address ``me``); its output."""
    env = [f"--env={k}={v}" for k, v in {"PBX": PBX, "ME": me, **passwords}.items()]
    res = podman.run("exec", "-w", SIPP_DIR, *env, PHONE, "sh", "-c", script, check=False,
                     timeout=120)
    return res.stdout.strip()


def cdr(inv: Inventory, lines: int = 3) -> list[list[str]]:
    text = ssh(inv, "srv-pbx", "sudo", "tail", "-n", str(lines),
               "/var/log/asterisk/cdr-csv/Master.csv")
    return list(csv.reader(io.StringIO(text)))


def test_extensions_register_and_call_with_a_call_record(deployed, secrets) -> None:
    out = sipp("./sipp-test answer 2101 \"$B\" 5071 500 & A=$!; sleep 1; "
               "./sipp-test call 2100 \"$S\" 2101 1000; U=$?; wait $A; "
               "echo \"call=$U answer=$?\"", S=secrets["1001"], B=secrets["1002"])
    assert out == "call=0 answer=0"
    row = cdr(deployed, 1)[-1]
    # src, dst, context, ..., disposition, ..., userfield
    assert (row[1], row[2], row[3]) == ("2100", "2101", "dahili")
    assert row[6].startswith("PJSIP/2101-") and "ANSWERED" in row


def test_ring_group_rings_every_member_of_the_mudurluk(deployed, secrets) -> None:
    # The caller is İsmail Işık (2200): Gülşen Doğan (2300) is offboarded in the lab by the
    # directory's end-to-end test, which runs first.
    out = sipp("./sipp-test answer 2101 \"$B\" 5071 1000 & A=$!; "
               "./sipp-test ring 2100 \"$S\" 5072 & R=$!; sleep 1; "
               "./sipp-test call 2200 \"$Y\" 2050 1000; U=$?; wait $A; RA=$?; wait $R; "
               "echo \"call=$U answer=$RA ring=$?\"",
               S=secrets["1001"], B=secrets["1002"], Y=secrets["1003"])
    assert out == "call=0 answer=0 ring=0"
    rows = [r for r in cdr(deployed, 2) if r[1:3] == ["2200", "2050"]]
    assert {(r[6].split("-")[0], r[14]) for r in rows} == {
        ("PJSIP/2101", "ANSWERED"), ("PJSIP/2100", "NO ANSWER")}
    assert {r[-1] for r in rows} == {"grup"}


def test_wrong_password_and_departed_person_are_refused(deployed, secrets) -> None:
    try:
        assert sipp("./sipp-test rejected 2101 yanlis-parola 5074; echo $?", SCANNER) == "0"
        assert sipp("./sipp-test register 2101 yanlis-parola 5074; echo $?", SCANNER) != "0"
        # Hüseyin Güneş (0998) left: his extension 2102 has no endpoint whatever the password.
        assert "0998" not in secrets
        assert sipp("./sipp-test rejected 2102 \"$S\" 5074; echo $?", SCANNER,
                    S=secrets["1001"]) == "0"
        # Six failures from one address within minutes: fail2ban bans it (not the phone).
        deadline = time.monotonic() + 30
        while SCANNER not in (banned := ssh(deployed, "srv-pbx", "sudo", "fail2ban-client",
                                            "status", "asterisk")):
            assert time.monotonic() < deadline, banned
            time.sleep(2)
        assert ME not in banned
        assert sipp("./sipp-test register 2101 \"$B\" 5071; echo $?", B=secrets["1002"]) == "0"
    finally:
        ssh(deployed, "srv-pbx", "sudo", "fail2ban-client", "unban", SCANNER)


def test_departed_persons_number_rings_their_mudurluk(deployed, secrets) -> None:
    out = sipp("./sipp-test answer 2200 \"$Y\" 5073 500 & A=$!; sleep 1; "
               "./sipp-test call 2100 \"$S\" 2102 1000; U=$?; wait $A; "
               "echo \"call=$U answer=$?\"", S=secrets["1001"], Y=secrets["1003"])
    assert out == "call=0 answer=0"
    row = cdr(deployed, 1)[-1]
    assert (row[1], row[2]) == ("2100", "2060") and row[6].startswith("PJSIP/2200-")


def test_phones_fetch_the_files_the_project_renders(deployed, secrets) -> None:
    """The role's files, fetched as a phone does, are byte for byte what provision.render
    makes of the plan (one template, two renderers)."""
    for phone in pbxplan.phones(deployed):
        got = podman.run("exec", PHONE, "curl", "-fsS",
                         f"{phone['provisioning_url']}/{phone['file']}").stdout
        expected = provision.render(provision.from_vars(phone, secrets[phone["sicil_no"]]))
        assert got == expected, phone["file"]
    # Not from outside the voice network: the lab host's address on the server network.
    with pytest.raises(urllib.error.HTTPError, match="403"):
        urllib.request.urlopen(f"http://10.10.20.50{pbxplan.PROVISIONING_PATH}/805ec0112233.cfg",
                               timeout=10)


@pytest.fixture()
def leaver(deployed: Inventory, tmp_path: Path) -> Path:
    """A copy of the lab inventory in which Ayşe Çelik (1005, itfaiye, 2400) has left. (The
    lab keeps her extension off until its next deploy, which every e2e run starts with.)"""
    copy = inventory_copy(tmp_path)
    path = copy / "personel.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    person = next(k for k in data["personel"] if k["sicil_no"] == "1005")
    person.update(durum="ayrildi", ayrilis="2026-12-01")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load(copy)  # still valid
    return copy


def test_leaver_loses_the_extension_at_the_next_deploy(deployed, secrets, leaver) -> None:
    assert sipp("./sipp-test register 2400 \"$S\" 5075; echo $?", S=secrets["1005"]) == "0"
    before = ssh(deployed, "srv-pbx", "sudo", "asterisk", "-rx", "'core show uptime seconds'")
    res = invoke("deploy", "--inventory", str(leaver), "--playbook", "pbx")
    assert res.returncode == 0, res.stdout[-3000:]
    # The password she had is still in the vault (records are kept), but nothing accepts it.
    assert sipp("./sipp-test rejected 2400 \"$S\" 5075; echo $?", SCANNER,
                S=secrets["1005"]) == "0"
    endpoints = ssh(deployed, "srv-pbx", "sudo", "asterisk", "-rx", "'pjsip show endpoints'")
    assert " 2400 " not in endpoints and " 2100 " in endpoints
    # Reloaded, not restarted: the system uptime went on.
    after = ssh(deployed, "srv-pbx", "sudo", "asterisk", "-rx", "'core show uptime seconds'")
    up = [int(line.split(":")[1]) for text in (before, after) for line in text.splitlines()
          if line.startswith("System uptime")]
    assert up[1] >= up[0], (before, after)


def test_cdr_is_readable_by_the_auditors_tools(deployed) -> None:
    """Master.csv parses as CSV with the unique id and the handling (userfield) columns."""
    rows = cdr(deployed, 5)
    assert rows and all(len(r) == len(rows[0]) for r in rows)
    assert {r[-1] for r in rows} <= {"", "grup", "kayit", "mesai", "mesai-disi"}
