"""Law 5651 sealing (roles/log_collector/files/bilgiislem-5651) against a real RFC 3161 TSA
(bilgiislem.tsa, openssl ts -reply) on localhost: the İç IP Dağıtım Logu derived from Kea lease
rows, seal → verify, plain `openssl ts -verify` and `sha256sum -c`, look-up, tamper detection,
retention on a fake clock, the hand-over package."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bilgiislem import tsa
from bilgiislem.legallog import sealer

S = sealer()
TZ = dt.timezone(dt.timedelta(hours=3))
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 21, 0, 30, tzinfo=TZ)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    d = tmp_path_factory.mktemp("tsa")
    ca = tsa.make_authority(d)
    srv = tsa.server(d)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_port}/", ca
    srv.shutdown()


def _t(day: dt.date, hhmm: str) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=TZ)


def lease_line(received: dt.datetime, ip: str, mac: str, valid: int, expire: dt.datetime,
               hostname: str = "", state: int = 0) -> str:
    row = f"{ip},{mac},01:{mac},{valid},{int(expire.timestamp())},1,0,0,{hostname},{state},"
    return f"{received.isoformat(timespec='milliseconds')} gw-merkez 10.10.20.1 kea-leases4: {row}"


def grant(received: dt.datetime, ip: str, mac: str, hostname: str = "", valid: int = 3600) -> str:
    return lease_line(received, ip, mac, valid, received + dt.timedelta(seconds=valid), hostname)


def write_incoming(root: Path, source: str, day: dt.date, program: str,
                   lines: list[str]) -> None:
    d = root / source / day.isoformat()
    d.mkdir(parents=True, exist_ok=True)
    with (d / f"{program}.log").open("a", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))


@pytest.fixture
def cfg(tmp_path: Path, authority: tuple[str, Path]):
    url, ca = authority
    static = tmp_path / "statik.json"
    static.write_text(json.dumps([{"ip": "10.10.20.10", "mac": "", "hostname": "srv-log",
                                   "user": "-"}]), encoding="utf-8")
    conf = {"incoming": str(tmp_path / "gelen"), "archive": str(tmp_path / "arsiv"),
            "tsa_url": url, "tsa_ca": str(ca), "timezone": "Europe/Istanbul",
            "static_file": str(static), "municipality": "Örnekköy Belediyesi"}
    path = tmp_path / "5651.json"
    path.write_text(json.dumps(conf), encoding="utf-8")
    return S.Config.load(path)


def a_day_of_leases(cfg, day: dt.date = DAY) -> None:
    prev = day - dt.timedelta(days=1)
    write_incoming(cfg.incoming, "gw-merkez", prev, "kea-leases4", [
        # granted the evening before, renewed across midnight, released at 09:10
        grant(_t(prev, "23:00"), "10.10.10.150", "02:aa:00:00:00:01", "pc-ayse"),
        grant(_t(prev, "23:30"), "10.10.10.150", "02:aa:00:00:00:01", "pc-ayse"),
    ])
    write_incoming(cfg.incoming, "gw-merkez", day, "kea-leases4", [
        "2026-11-20T00:00:01.000+03:00 gw-merkez 10.10.20.1 kea-leases4: address,hwaddr,"
        "client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context",
        grant(_t(day, "00:15"), "10.10.10.150", "02:aa:00:00:00:01", "pc-ayse", valid=36000),
        grant(_t(day, "08:30"), "10.10.10.151", "02:aa:00:00:00:02", "pc-mehmet"),
        grant(_t(day, "09:00"), "10.10.10.151", "02:aa:00:00:00:02", "pc-mehmet"),
        lease_line(_t(day, "09:10"), "10.10.10.150", "02:aa:00:00:00:01", 0,
                   _t(day, "00:00"), "pc-ayse"),
        # mehmet's lease runs out (no renewal after 09:00 + 1 h), then another PC gets it
        grant(_t(day, "14:00"), "10.10.10.151", "02:aa:00:00:00:03", "kiosk-1"),
        grant(_t(day, "23:30"), "10.10.10.152", "02:aa:00:00:00:04", "pc-gece"),
    ])
    write_incoming(cfg.incoming, "gw-merkez", day, "sshd", [
        "2026-11-20T10:00:00.000+03:00 gw-merkez 10.10.20.1 sshd[42]: Accepted publickey",
    ])


def sealed(cfg) -> None:
    a_day_of_leases(cfg)
    ok, log = S.seal(cfg, NOW)
    assert ok, log


def test_seal_writes_the_day_and_verifies(cfg):
    sealed(cfg)
    bundle = cfg.archive / "2026-11-20" / "gw-merkez"
    assert sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()) \
        == ["MANIFEST.sha256", "MANIFEST.tsr", "ham/kea-leases4.log.gz", "ham/sshd.log.gz",
            "ic-ip-dagitim.tsv"]
    assert not (cfg.incoming / "gw-merkez" / "2026-11-20").exists()  # moved into the bundle
    assert (cfg.archive / "2026-11-20" / "statik" / "ic-ip-dagitim.tsv").exists()
    report = S.verify(cfg)
    assert report["basarisiz"] == 0 and report["paket"] == 4, report  # 2 days x 2 sources
    records = [json.loads(x) for x in
               (cfg.archive / "kayit" / "muhur.jsonl").read_text().splitlines()]
    assert {r["gun"] for r in records} == {"2026-11-19", "2026-11-20"}


def test_plain_openssl_and_sha256sum_verify_a_bundle(cfg):
    """What an auditor runs with nothing of ours (docs/legal-logging.md)."""
    sealed(cfg)
    rel = "2026-11-20/gw-merkez"
    ts = subprocess.run(["openssl", "ts", "-verify", "-data", f"{rel}/MANIFEST.sha256",
                         "-in", f"{rel}/MANIFEST.tsr", "-CAfile", "tsa-ca.pem"],
                        cwd=cfg.archive, capture_output=True, text=True, check=False)
    assert ts.returncode == 0 and "Verification: OK" in ts.stdout, ts.stdout + ts.stderr
    sums = subprocess.run(["sha256sum", "-c", f"{rel}/MANIFEST.sha256"], cwd=cfg.archive,
                          capture_output=True, text=True, check=False)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sums.stdout.count(": OK") == 3


def test_ip_log_has_start_end_mac_hostname(cfg):
    sealed(cfg)
    log = cfg.archive / "2026-11-20" / "gw-merkez" / "ic-ip-dagitim.tsv"
    text = log.read_text(encoding="utf-8")
    assert text.startswith("# İç IP Dağıtım Logu (5651) - Örnekköy Belediyesi\n")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert rows == [
        ["10.10.10.150", "02:aa:00:00:00:01", "2026-11-19T23:00:00+03:00",
         "2026-11-20T09:10:00+03:00", "pc-ayse", "-", "dhcp", "birakildi"],
        ["10.10.10.151", "02:aa:00:00:00:02", "2026-11-20T08:30:00+03:00",
         "2026-11-20T10:00:00+03:00", "pc-mehmet", "-", "dhcp", "suresi-doldu"],
        ["10.10.10.151", "02:aa:00:00:00:03", "2026-11-20T14:00:00+03:00",
         "2026-11-20T15:00:00+03:00", "kiosk-1", "-", "dhcp", "suresi-doldu"],
        ["10.10.10.152", "02:aa:00:00:00:04", "2026-11-20T23:30:00+03:00",
         "2026-11-21T00:30:00+03:00", "pc-gece", "-", "dhcp", "gun-sonunda-suruyor"],
    ]
    static = (cfg.archive / "2026-11-20" / "statik" / "ic-ip-dagitim.tsv").read_text()
    assert "10.10.20.10\t-\t2026-11-20T00:00:00+03:00\t2026-11-21T00:00:00+03:00\tsrv-log" \
        in static


def test_address_handed_to_another_mac_before_expiry():
    rows = S.lease_rows([
        grant(_t(DAY, "10:00"), "10.10.10.160", "02:bb:00:00:00:01"),
        grant(_t(DAY, "10:20"), "10.10.10.160", "02:bb:00:00:00:02"),
    ])
    uses = S.dhcp_uses(rows, DAY, TZ)
    assert [(u.mac, u.end.strftime("%H:%M"), u.state) for u in uses] == [
        ("02:bb:00:00:00:01", "10:20", "devredildi"),
        ("02:bb:00:00:00:02", "11:20", "suresi-doldu")]


def test_reclaimed_expiry_row_ends_the_use():
    rows = S.lease_rows([
        grant(_t(DAY, "10:00"), "10.10.10.161", "02:bb:00:00:00:03"),
        lease_line(_t(DAY, "11:00"), "10.10.10.161", "02:bb:00:00:00:03", 3600,
                   _t(DAY, "11:00"), state=2),
    ])
    [use] = S.dhcp_uses(rows, DAY, TZ)
    assert (use.start.strftime("%H:%M"), use.end.strftime("%H:%M"), use.state) == \
        ("10:00", "11:00", "suresi-doldu")


def test_who_finds_the_mac_and_verifies_the_day(cfg):
    sealed(cfg)
    found = S.who(cfg, "10.10.10.151", dt.datetime(2026, 11, 20, 14, 5, tzinfo=TZ))
    assert [(h["mac"], h["bilgisayar_adi"], h["dogrulama"]) for h in found["kayitlar"]] == \
        [("02:aa:00:00:00:03", "kiosk-1", "OK")]
    earlier = S.who(cfg, "10.10.10.151", dt.datetime(2026, 11, 20, 9, 30, tzinfo=TZ))
    assert [h["mac"] for h in earlier["kayitlar"]] == ["02:aa:00:00:00:02"]
    assert S.who(cfg, "10.10.10.151", dt.datetime(2026, 11, 20, 12, 0, tzinfo=TZ))[
        "kayitlar"] == []


def test_seal_waits_for_the_day_to_end(cfg):
    a_day_of_leases(cfg)
    ok, log = S.seal(cfg, dt.datetime(2026, 11, 20, 23, 0, tzinfo=TZ))
    assert ok
    assert {r["gun"] for r in log} == {"2026-11-19"}
    assert (cfg.incoming / "gw-merkez" / "2026-11-20").is_dir()


def test_tsa_down_keeps_the_lines_and_the_next_run_seals(cfg, tmp_path):
    a_day_of_leases(cfg)
    broken = S.Config(**{**cfg.__dict__, "tsa_url": "http://127.0.0.1:9/"})
    ok, log = S.seal(broken, NOW)
    assert not ok and log[0]["sonuc"] == "muhursuz" and "did not answer" in log[0]["hata"]
    assert (cfg.incoming / "gw-merkez" / "2026-11-20" / "kea-leases4.log").exists()
    assert S.verify(cfg)["basarisiz"] > 0  # an unstamped bundle is reported, never hidden
    ok, _ = S.seal(cfg, NOW)
    assert ok and S.verify(cfg)["basarisiz"] == 0


def test_short_retention_is_refused(tmp_path, cfg):
    conf = json.loads((cfg.archive.parent / "5651.json").read_text())
    (tmp_path / "short.json").write_text(json.dumps({**conf, "retention_days": 365}))
    with pytest.raises(S.ConfigError, match="below the legal minimum of 730 days"):
        S.Config.load(tmp_path / "short.json")
    (tmp_path / "override.json").write_text(json.dumps(
        {**conf, "retention_days": 365, "allow_short_retention": True}))
    assert S.Config.load(tmp_path / "override.json").retention_days == 365


def test_retention_destroys_old_bundles_with_records(cfg):
    for day in (dt.date(2024, 11, 1), dt.date(2024, 12, 5), dt.date(2024, 12, 7)):
        write_incoming(cfg.incoming, "gw-merkez", day, "kea-leases4",
                       [grant(_t(day, "10:00"), "10.10.10.170", "02:cc:00:00:00:01")])
    ok, _ = S.seal(cfg, dt.datetime(2024, 12, 8, 1, 0, tzinfo=TZ))
    assert ok
    now = dt.datetime(2026, 12, 7, 3, 0, tzinfo=TZ)  # 730 days after 2024-12-07
    preview = S.purge(cfg, now, dry_run=True)
    assert {(r["gun"], r["kaynak"]) for r in preview} == {
        ("2024-11-01", "gw-merkez"), ("2024-11-01", "statik"),
        ("2024-12-05", "gw-merkez"), ("2024-12-05", "statik")}
    assert (cfg.archive / "2024-11-01").exists()  # a preview destroys nothing
    done = S.purge(cfg, now)
    assert len(done) == 4 and all(r["dogrulama"] == "OK" for r in done)
    assert not (cfg.archive / "2024-11-01").exists()
    assert (cfg.archive / "2024-12-07" / "gw-merkez" / "MANIFEST.tsr").exists()
    record = json.loads((cfg.archive / "kayit" / "imha" / "2024-11-01_gw-merkez.json")
                        .read_text(encoding="utf-8"))
    assert record["manifest"].count("2024-11-01/gw-merkez/") == 2
    assert record["imha_zamani"].startswith("2026-12-07T")
    assert S.verify(cfg)["basarisiz"] == 0
    assert S.purge(cfg, now) == []  # records stay; nothing left to destroy


def test_export_package_verifies_with_openssl(cfg, tmp_path):
    sealed(cfg)
    out = tmp_path / "teslim.tar.gz"
    result = S.export(cfg, DAY, DAY, out, NOW)
    assert result["paketler"] == 2 and result["basarisiz"] == []
    dest = tmp_path / "acilan"
    with tarfile.open(out) as tar:
        tar.extractall(dest, filter="data")
    assert "sha256sum -c" in (dest / "OKU-BENI.txt").read_text(encoding="utf-8")
    rel = "2026-11-20/gw-merkez"
    ts = subprocess.run(["openssl", "ts", "-verify", "-data", f"{rel}/MANIFEST.sha256",
                         "-in", f"{rel}/MANIFEST.tsr", "-CAfile", "tsa-ca.pem"],
                        cwd=dest, capture_output=True, text=True, check=False)
    assert ts.returncode == 0, ts.stderr


def test_cli_exit_codes(cfg, capsys):
    conf = str(cfg.archive.parent / "5651.json")
    a_day_of_leases(cfg)
    assert S.main(["--config", conf, "--now", NOW.isoformat(), "seal"]) == 0
    assert S.main(["--config", conf, "verify", "--day", "2026-11-20"]) == 0
    assert S.main(["--config", conf, "who", "--ip", "10.10.10.151",
                   "--at", "2026-11-20 14:05"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["kayitlar"][0]["mac"] == \
        "02:aa:00:00:00:03"
    assert S.main(["--config", conf, "who", "--ip", "10.10.10.99",
                   "--at", "2026-11-20 14:05"]) == 1
    assert S.main(["--config", conf, "verify", "--day", "2026-10-01"]) == 1
    assert S.main(["--config", str(cfg.archive.parent / "yok.json"), "verify"]) == 2


# --- tampering: every change after sealing is reported, naming the file --------------------

B = "2026-11-20/gw-merkez"
B2 = "2026-11-19/gw-merkez"


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset % len(data)] ^= 0x01
    path.write_bytes(bytes(data))


def _gz_edit(path: Path, edit: Callable[[list[str]], list[str]]) -> None:
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    path.write_bytes(gzip.compress(("\n".join(edit(lines)) + "\n").encode(), mtime=0))


def _text_edit(path: Path, edit: Callable[[list[str]], list[str]]) -> None:
    path.write_text("\n".join(edit(path.read_text().splitlines())) + "\n")


def _swap(a: Path, b: Path) -> None:
    tmp = a.with_name("swap.tmp")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)


TAMPERS: dict[str, tuple[Callable[[Path], None], str]] = {
    "flip byte in raw gz header": (lambda a: _flip(a / B / "ham/sshd.log.gz", 3),
                                   f"{B}/ham/sshd.log.gz: SHA-256 differs"),
    "flip byte in raw gz middle": (lambda a: _flip(a / B / "ham/kea-leases4.log.gz", 40),
                                   f"{B}/ham/kea-leases4.log.gz: SHA-256 differs"),
    "flip last byte of raw gz": (lambda a: _flip(a / B / "ham/kea-leases4.log.gz", -1),
                                 f"{B}/ham/kea-leases4.log.gz: SHA-256 differs"),
    "delete a raw line": (lambda a: _gz_edit(a / B / "ham/kea-leases4.log.gz",
                                             lambda ls: ls[:2] + ls[3:]),
                          f"{B}/ham/kea-leases4.log.gz: SHA-256 differs"),
    "append a raw line": (lambda a: _gz_edit(a / B / "ham/sshd.log.gz",
                                             lambda ls: [*ls, "forged"]),
                          f"{B}/ham/sshd.log.gz: SHA-256 differs"),
    "reorder raw lines": (lambda a: _gz_edit(a / B / "ham/kea-leases4.log.gz",
                                             lambda ls: ls[::-1]),
                          f"{B}/ham/kea-leases4.log.gz: SHA-256 differs"),
    "delete a raw file": (lambda a: (a / B / "ham/sshd.log.gz").unlink(),
                          f"{B}/ham/sshd.log.gz: missing"),
    "empty a raw file": (lambda a: (a / B / "ham/sshd.log.gz").write_bytes(b""),
                         f"{B}/ham/sshd.log.gz: SHA-256 differs"),
    "delete an IP log line": (lambda a: _text_edit(a / B / "ic-ip-dagitim.tsv",
                                                   lambda ls: ls[:3] + ls[4:]),
                              f"{B}/ic-ip-dagitim.tsv: SHA-256 differs"),
    "change a MAC in the IP log": (
        lambda a: _text_edit(a / B / "ic-ip-dagitim.tsv",
                             lambda ls: [x.replace("02:aa:00:00:00:03", "02:aa:00:00:00:09")
                                         for x in ls]),
        f"{B}/ic-ip-dagitim.tsv: SHA-256 differs"),
    "shift a time in the IP log": (
        lambda a: _text_edit(a / B / "ic-ip-dagitim.tsv",
                             lambda ls: [x.replace("T14:00:00", "T13:00:00") for x in ls]),
        f"{B}/ic-ip-dagitim.tsv: SHA-256 differs"),
    "delete the IP log": (lambda a: (a / B / "ic-ip-dagitim.tsv").unlink(),
                          f"{B}/ic-ip-dagitim.tsv: missing"),
    "add a file": (lambda a: (a / B / "ham/extra.log.gz").write_bytes(b"x"),
                   f"{B}/ham/extra.log.gz: not in MANIFEST.sha256"),
    "edit a manifest hash": (lambda a: _text_edit(a / B / "MANIFEST.sha256",
                                                  lambda ls: ["0" * 64 + ls[0][64:], *ls[1:]]),
                             f"{B}/MANIFEST.tsr: time stamp does not verify"),
    "drop a manifest line": (lambda a: _text_edit(a / B / "MANIFEST.sha256", lambda ls: ls[1:]),
                             f"{B}/MANIFEST.tsr: time stamp does not verify"),
    "delete the manifest": (lambda a: (a / B / "MANIFEST.sha256").unlink(),
                            f"{B}/MANIFEST.sha256: missing"),
    "delete the time stamp": (lambda a: (a / B / "MANIFEST.tsr").unlink(),
                              f"{B}/MANIFEST.tsr: missing"),
    "flip byte in the time stamp": (lambda a: _flip(a / B / "MANIFEST.tsr", -20),
                                    f"{B}/MANIFEST.tsr: time stamp does not verify"),
    "swap the day's manifests": (lambda a: _swap(a / B / "MANIFEST.sha256",
                                                 a / B2 / "MANIFEST.sha256"),
                                 f"{B}/MANIFEST.tsr: time stamp does not verify"),
    "swap manifest and stamp with another day": (
        lambda a: (_swap(a / B / "MANIFEST.sha256", a / B2 / "MANIFEST.sha256"),
                   _swap(a / B / "MANIFEST.tsr", a / B2 / "MANIFEST.tsr")),
        f"{B}/MANIFEST.sha256: line 1 lists {B2}/"),
    "swap the day's raw files": (lambda a: _swap(a / B / "ham/kea-leases4.log.gz",
                                                 a / B2 / "ham/kea-leases4.log.gz"),
                                 f"{B}/ham/kea-leases4.log.gz: SHA-256 differs"),
    "replace the stamp with another day's": (
        lambda a: shutil.copyfile(a / B2 / "MANIFEST.tsr", a / B / "MANIFEST.tsr"),
        f"{B}/MANIFEST.tsr: time stamp does not verify"),
    "static log edited": (lambda a: _text_edit(a / "2026-11-20/statik/ic-ip-dagitim.tsv",
                                               lambda ls: [*ls, "\t".join(["10.10.20.99"] * 8)]),
                          "2026-11-20/statik/ic-ip-dagitim.tsv: SHA-256 differs"),
}


@pytest.mark.parametrize("case", sorted(TAMPERS))
def test_tampering_is_detected_naming_the_file(cfg, case):
    sealed(cfg)
    assert S.verify(cfg)["basarisiz"] == 0
    tamper, expected = TAMPERS[case]
    tamper(cfg.archive)
    report = S.verify(cfg)
    failed = [p for r in report["sonuclar"] if r["sonuc"] == "FAIL" for p in r["sorunlar"]]
    assert any(p.startswith(expected) for p in failed), failed


def test_watch_alerts_once_when_a_source_falls_silent_and_when_it_is_back(cfg, tmp_path):
    w = S.Config(**{**cfg.__dict__, "sources": ["gw-merkez", "srv-db"],
                    "silent_after_minutes": 10, "watch_state": tmp_path / "nobet.json",
                    "alert_log": tmp_path / "uyari.jsonl"})
    now = dt.datetime.now(TZ)
    write_incoming(w.incoming, "gw-merkez", now.date(), "sshd", ["x"])
    write_incoming(w.incoming, "srv-db", now.date(), "sshd", ["x"])
    assert S.watch(w, now) == []
    later = now + dt.timedelta(minutes=11)
    assert [(a["kaynak"], a["olay"]) for a in S.watch(w, later)] == [
        ("gw-merkez", "kaynak-sessiz"), ("srv-db", "kaynak-sessiz")]
    assert S.watch(w, later + dt.timedelta(minutes=1)) == []  # told once, not every minute
    old = (now - dt.timedelta(minutes=20)).timestamp()
    os.utime(w.incoming / "gw-merkez" / now.date().isoformat() / "sshd.log", (old, old))
    write_incoming(w.incoming, "srv-db", now.date(), "sshd", ["y"])
    back = S.watch(w, dt.datetime.now(TZ))
    assert [(a["kaynak"], a["olay"]) for a in back] == [("srv-db", "kaynak-geri-geldi")]
    assert len((tmp_path / "uyari.jsonl").read_text().splitlines()) == 3


def test_lines_filed_under_a_sealed_day_get_a_supplement_bundle(cfg):
    sealed(cfg)
    write_incoming(cfg.incoming, "gw-merkez", DAY, "sshd", ["2026-11-20T23:59:59.000+03:00 "
                                                            "gw-merkez 10.10.20.1 sshd[1]: late"])
    ok, log = S.seal(cfg, NOW)
    assert ok and [r["kaynak"] for r in log] == ["gw-merkez.ek1"], log
    assert (cfg.archive / "2026-11-20" / "gw-merkez.ek1" / "ham" / "sshd.log.gz").exists()
    assert S.verify(cfg)["basarisiz"] == 0
