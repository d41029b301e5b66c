"""Lab end-to-end of the directory (issue 5): people of personel.yml log on to srv-dc from
another lab host with the real clients (smbpasswd, ldapsearch over LDAPS, kinit, smbclient);
then one of them leaves in a copy of the inventory, and every way in closes while her
successor reads her handed-over files."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

import pytest
from labtools import INVENTORY, inventory_copy, invoke, ssh_argv

from bilgiislem import REPO_ROOT, secrets
from bilgiislem.inventory import load

pytestmark = pytest.mark.lab

DC, CLIENT = "srv-dc", "srv-log"
FQDN = "srv-dc.ad.ornekkoy.bel.tr"
REALM = "AD.ORNEKKOY.BEL.TR"
BASE = "DC=ad,DC=ornekkoy,DC=bel,DC=tr"
KRB5 = f"""[libdefaults]
\tdefault_realm = {REALM}
\tdns_lookup_kdc = false
[realms]
\t{REALM} = {{
\t\tkdc = {FQDN}
\t\tkpasswd_server = {FQDN}
\t}}
"""


def run_on(inv, host: str, script: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ssh_argv(inv, host), "bash", "-c", shlex.quote(script)],
                          input=stdin, capture_output=True, text=True, check=False, timeout=120)


@pytest.fixture(scope="module")
def client(deployed):
    """srv-log as a workstation: the client tools, the DC's CA and a krb5.conf of its own
    (KRB5_CONFIG), so no file a role manages is touched."""
    inv = deployed
    ca = run_on(inv, DC, "sudo cat /var/lib/samba/private/tls/ca.pem")
    assert ca.returncode == 0, ca.stderr
    setup = run_on(inv, CLIENT, (
        "sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "
        "ldap-utils krb5-user smbclient >/dev/null && cat > /tmp/e2e-ad-ca.pem && printf %s "
        f"{shlex.quote(KRB5)} > /tmp/e2e-krb5.conf"), stdin=ca.stdout)
    assert setup.returncode == 0, setup.stderr
    return inv


def initial_password(inv, sicil: str) -> str:
    return secrets.read(inv)[secrets.INITIAL_PASSWORDS][sicil]


def ldap_bind(inv, user: str, password: str, *attrs: str) -> subprocess.CompletedProcess[str]:
    return run_on(inv, CLIENT, (
        "LDAPTLS_CACERT=/tmp/e2e-ad-ca.pem LDAPTLS_REQCERT=demand ldapsearch -LLL "
        f"-H ldaps://{FQDN} -x -D {user}@{REALM} -y /dev/stdin -b {BASE} "
        f"'(sAMAccountName={user})' dn {' '.join(attrs)}"), stdin=password)


def kinit(inv, user: str, password: str) -> subprocess.CompletedProcess[str]:
    return run_on(inv, CLIENT, f"KRB5_CONFIG=/tmp/e2e-krb5.conf KRB5CCNAME=/tmp/e2e-cc-{user} "
                               f"kinit {user}@{REALM} && KRB5CCNAME=/tmp/e2e-cc-{user} klist",
                  stdin=password)


def smb(inv, user: str, password: str, share: str, command: str = "ls") -> \
        subprocess.CompletedProcess[str]:
    # The password goes through an authentication file, not the command line.
    return run_on(inv, CLIENT, (
        f"f=$(mktemp) && printf 'username = {user}\\npassword = %s\\ndomain = ORNEKKOY\\n' "
        f"\"$(cat)\" > $f && smbclient //{FQDN}/{share} -A $f -c {shlex.quote(command)}; "
        "rc=$?; rm -f $f; exit $rc"), stdin=password)


def first_logon(inv, user: str, sicil: str, new: str) -> None:
    """The initial password must be changed at first logon (LDAP: data 773)."""
    if ldap_bind(inv, user, new).returncode == 0:
        return  # changed by an earlier run (BILGIISLEM_E2E_REUSE_LAB=1)
    old = initial_password(inv, sicil)
    first = ldap_bind(inv, user, old)
    assert first.returncode == 49 and "data 773" in first.stderr, first.stderr
    change = run_on(inv, CLIENT, f"smbpasswd -s -r {FQDN} -U {user}",
                    stdin=f"{old}\n{new}\n{new}\n")
    assert change.returncode == 0, change.stderr + change.stdout


def test_active_user_logs_on_everywhere_and_only_to_her_share(client):
    inv = client
    new = "Kutuphane-Yeni-Parola-2026"
    first_logon(inv, "gulsen.dogan", "1004", new)
    entry = ldap_bind(inv, "gulsen.dogan", new, "memberOf", "department", "mail", "title")
    assert entry.returncode == 0, entry.stderr
    assert "memberOf: CN=mud-kultur,OU=Gruplar,OU=Belediye," in entry.stdout
    assert "memberOf: CN=hizmet-kamera,OU=Gruplar,OU=Belediye," in entry.stdout
    assert "mail: gulsen.dogan@ornekkoy.bel.tr" in entry.stdout
    ticket = kinit(inv, "gulsen.dogan", new)
    assert ticket.returncode == 0 and f"krbtgt/{REALM}@{REALM}" in ticket.stdout, ticket.stderr
    own = smb(inv, "gulsen.dogan", new, "kultur")
    assert own.returncode == 0 and "gulsen.dogan" in own.stdout, own.stdout + own.stderr
    other = smb(inv, "gulsen.dogan", new, "bilgi-islem")
    assert other.returncode != 0 and "NT_STATUS_ACCESS_DENIED" in other.stdout + other.stderr


def test_person_who_left_before_the_directory_has_no_account(client):
    """0998 left in 2025: no account is created for him, and nobody holds his name."""
    res = run_on(client, DC, "sudo ldbsearch -H /var/lib/samba/private/sam.ldb "
                             "'(sAMAccountName=huseyin.gunes)' dn")
    assert res.returncode == 0 and "# 0 entries" in res.stdout, res.stdout


def test_offboarding_closes_every_way_in_and_hands_over_the_files(client, tmp_path: Path):
    inv = client
    new = "Kutuphane-Yeni-Parola-2026"
    put = smb(inv, "gulsen.dogan", new, "kultur",
              "cd gulsen.dogan; put /etc/hostname kitap-listesi.txt")
    assert put.returncode == 0, put.stdout + put.stderr
    copy = _leaving_copy(tmp_path, sicil="1004", successor="1001")
    res = invoke("users.offboard", "gulsen.dogan", "--inventory", str(copy))
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "gulsen.dogan: KAPANDI" in res.stdout
    evidence = REPO_ROOT / res.stdout.split("kayıt / evidence: ")[1].split()[0]
    record = json.loads(evidence.read_text(encoding="utf-8"))
    assert record["ok"] and record["directory"] == {"read": True, "account": "devre dışı",
                                                    "groups": []}
    assert record["handover"]["successor_can_read"] is True
    # a camera operator: her accounts are gone from both cameras (test_lab_cameras.py made
    # them)
    assert record["cameras"] == {"total": 2, "removed_from": ["kam-giris", "kam-otopark"],
                                 "failed": []}
    assert evidence.name.endswith("-ayrilis-gulsen.dogan.json")
    assert record["git_commit"] and evidence.with_name(
        evidence.name.replace(".json", ".html")).is_file()
    bind = ldap_bind(inv, "gulsen.dogan", new)
    assert bind.returncode == 49 and "data 533" in bind.stderr, bind.stderr
    assert kinit(inv, "gulsen.dogan", new).returncode != 0
    assert smb(inv, "gulsen.dogan", new, "kultur").returncode != 0
    # The successor (Şükrü Öztürk) reads the file from the hand-over share.
    sukru = "Bilgi-Islem-Yeni-Parola-2026"
    first_logon(inv, "sukru.ozturk", "1001", sukru)
    got = smb(inv, "sukru.ozturk", sukru, "devir", "get gulsen.dogan/kitap-listesi.txt /dev/stdout")
    assert got.returncode == 0 and "srv-log" in got.stdout, got.stdout + got.stderr
    members = run_on(inv, DC, "sudo ldbsearch -H /var/lib/samba/private/sam.ldb "
                              "'(sAMAccountName=gulsen.dogan)' memberOf userAccountControl")
    assert "memberOf" not in members.stdout and "userAccountControl: 514" in members.stdout
    # Back to the real data: she is enabled again (the same account: the password she set).
    res = invoke("deploy", "--inventory", INVENTORY, "--playbook", "directory")
    assert res.returncode == 0, res.stdout[-4000:]
    assert ldap_bind(inv, "gulsen.dogan", new).returncode == 0


def test_access_report_reads_the_hosts(client):
    res = invoke("users.report", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "ayrılıp erişimi süren / left with access: yok" in res.stdout
    evidence = REPO_ROOT / res.stdout.split("kayıt / evidence: ")[1].split()[0]
    record = json.loads(evidence.read_text(encoding="utf-8"))
    people = {p["kullanici"]: p for p in record["people"]}
    assert people["huseyin.gunes"]["dizin"] == "yok" and not people["huseyin.gunes"]["ihlal"]
    assert people["gulsen.dogan"]["paylasimlar"] == ["kultur"]
    # The hand-over of the offboarding test stays readable by the successor.
    assert people["sukru.ozturk"]["devir_okur"] == ["gulsen.dogan"]
    assert set(record["servers_read"]) == {h.name for h in client.servers()}


def _leaving_copy(tmp_path: Path, *, sicil: str, successor: str) -> Path:
    """inventory/lab with one person marked as left; the connection paths stay valid."""
    copy = inventory_copy(tmp_path)
    personel = copy / "personel.yml"
    text = personel.read_text(encoding="utf-8")
    marker = f'  - sicil_no: "{sicil}"\n'
    head, _, tail = text.partition(marker)
    block, sep, rest = tail.partition("  - sicil_no:")
    block = block.replace("    durum: aktif\n",
                          f"    durum: ayrildi\n    ayrilis: 2026-11-20\n"
                          f"    devir_alan: \"{successor}\"\n")
    personel.write_text(head + marker + block + sep + rest, encoding="utf-8")
    load(copy)  # the edited copy is valid
    return copy
