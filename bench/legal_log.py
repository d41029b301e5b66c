#!/usr/bin/env python3
"""Law 5651 archive: sealing throughput and ``who`` latency, each against a baseline of the
same run.

1. **Sealing.** ``--size-mb`` of synthetic collector lines (``--sources`` hosts, one day) are
   sealed by ``bilgiislem-5651 seal`` (gzip, SHA-256 manifest, one RFC 3161 stamp per source
   from a local ``openssl ts`` authority). Floor: ``sha256sum`` over the same files, what any
   integrity scheme must at least read. Prints MB/s of both and the ratio.
2. **Look-up.** Two years (``--days``) of sealed İç IP Dağıtım Logu for ``--devices`` devices
   (two DHCP uses per device a day) are written straight as bundles (manifest + stamp, as
   ``seal`` leaves them). ``who`` for random (ip, time) pairs reads one day and verifies that
   day's bundle. Baseline: the naive look-up, ``grep`` of the address through every day's log.

    .venv/bin/python bench/legal_log.py [--size-mb 1024] [--sources 8] [--days 730]
                                        [--devices 5000] [--lookups 20] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bilgiislem import tsa
from bilgiislem.legallog import sealer

S = sealer()
TZ = "Europe/Istanbul"


def _config(root: Path, url: str, ca: Path) -> object:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "5651.json"
    path.write_text(json.dumps({"incoming": str(root / "gelen"), "archive": str(root / "arsiv"),
                                "tsa_url": url, "tsa_ca": str(ca), "timezone": TZ}))
    return S.Config.load(path)


def _write_lines(folder: Path, size: int, source: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(source)
    block = "".join(
        f"2026-11-20T{h:02d}:{m:02d}:{s:02d}.{rnd.randrange(1000):03d}+03:00 {source} "
        f"10.10.20.{rnd.randrange(2, 250)} sshd[{rnd.randrange(99999)}]: Accepted publickey "
        f"for user{rnd.randrange(500)} from 10.10.10.{rnd.randrange(2, 250)} port "
        f"{rnd.randrange(1024, 65535)} ssh2: ED25519 SHA256:{rnd.getrandbits(128):032x}\n"
        for h, m, s in ((i // 3600 % 24, i // 60 % 60, i % 60) for i in range(4000)))
    data = block.encode()
    with (folder / "sshd.log").open("wb") as f:
        written = 0
        while written < size:
            f.write(data)
            written += len(data)


def bench_seal(root: Path, url: str, ca: Path, size_mb: int, sources: int) -> dict:
    cfg = _config(root / "muhur", url, ca)
    per = size_mb * 2**20 // sources
    files = []
    for i in range(sources):
        folder = cfg.incoming / f"srv-{i:02d}" / "2026-11-20"
        _write_lines(folder, per, f"srv-{i:02d}")
        files.append(folder / "sshd.log")
    total = sum(f.stat().st_size for f in files)
    t0 = time.perf_counter()
    subprocess.run(["sha256sum", *map(str, files)], check=True, capture_output=True)
    floor = time.perf_counter() - t0
    t0 = time.perf_counter()
    ok, _ = S.seal(cfg, dt.datetime(2026, 11, 21, 0, 30, tzinfo=cfg.tz))
    took = time.perf_counter() - t0
    assert ok and S.verify(cfg)["basarisiz"] == 0
    mb = total / 2**20
    return {"mb": round(mb), "sha256sum_mb_s": round(mb / floor, 1),
            "seal_mb_s": round(mb / took, 1), "seal_s": round(took, 1),
            "ratio_seal_to_floor": round(took / floor, 2)}


def bench_who(root: Path, url: str, ca: Path, *, days: int, devices: int, lookups: int) -> dict:
    cfg = _config(root / "sorgu", url, ca)
    tz = cfg.tz
    first = dt.date(2024, 12, 1)
    t0 = time.perf_counter()
    for d in range(days):
        day = first + dt.timedelta(days=d)
        bundle = cfg.archive / day.isoformat() / "gw-merkez"
        bundle.mkdir(parents=True)
        start = dt.datetime.combine(day, dt.time(8), tzinfo=tz)
        rows = []
        for n in range(devices):
            ip = f"10.{10 + n // 60000}.{n // 250 % 240}.{n % 250 + 2}"
            mac = f"02:00:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}:{d % 256:02x}"
            for k in range(2):
                a = start + dt.timedelta(hours=5 * k, minutes=n % 60)
                rows.append(S.Use(ip, mac, a, a + dt.timedelta(hours=4), f"pc-{n}",
                                  "-", "dhcp", "suresi-doldu"))
        (bundle / S.IP_LOG).write_bytes(S.render_ip_log(cfg, day, "gw-merkez", rows))
        digest = S.sha256_file(bundle / S.IP_LOG)
        (bundle / S.MANIFEST).write_text(f"{digest}  {day.isoformat()}/gw-merkez/{S.IP_LOG}\n")
        (bundle / S.STAMP).write_bytes(S.request_stamp(cfg, bundle / S.MANIFEST))
    (cfg.archive / "tsa-ca.pem").write_bytes(ca.read_bytes())
    build = time.perf_counter() - t0
    rnd = random.Random(5651)
    who_t, grep_t = [], []
    for _ in range(lookups):
        n = rnd.randrange(devices)
        ip = f"10.{10 + n // 60000}.{n // 250 % 240}.{n % 250 + 2}"
        day = first + dt.timedelta(days=rnd.randrange(days))
        at = dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)
        t0 = time.perf_counter()
        hits = S.who(cfg, ip, at)["kayitlar"]
        who_t.append(time.perf_counter() - t0)
        assert hits and hits[0]["dogrulama"] == "OK", (ip, at, hits)
        t0 = time.perf_counter()
        subprocess.run(["grep", "-rh", "--include", S.IP_LOG, f"^{ip}\t", str(cfg.archive)],
                       check=True, capture_output=True)
        grep_t.append(time.perf_counter() - t0)
    return {"days": days, "devices": devices, "uses": days * devices * 2,
            "build_s": round(build, 1),
            "who_median_ms": round(statistics.median(who_t) * 1000, 1),
            "who_max_ms": round(max(who_t) * 1000, 1),
            "grep_all_days_median_ms": round(statistics.median(grep_t) * 1000, 1),
            "ratio_grep_to_who": round(statistics.median(grep_t) / statistics.median(who_t), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--sources", type=int, default=8)
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--devices", type=int, default=5000)
    ap.add_argument("--lookups", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-5651-") as tmp:
        root = Path(tmp)
        ca = tsa.make_authority(root / "tsa")
        srv = tsa.server(root / "tsa")
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{srv.server_port}/"
        tsa._Handler.log_message = lambda *a: None  # type: ignore[method-assign]
        result = {"seal": bench_seal(root, url, ca, args.size_mb, args.sources),
                  "who": bench_who(root, url, ca, days=args.days, devices=args.devices,
                                         lookups=args.lookups)}
        srv.shutdown()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    s, w = result["seal"], result["who"]
    print(f"sealing {s['mb']} MB: bilgiislem-5651 {s['seal_mb_s']} MB/s, sha256sum (floor) "
          f"{s['sha256sum_mb_s']} MB/s -> seal takes {s['ratio_seal_to_floor']}x the floor")
    print(f"who over {w['days']} days x {w['devices']} devices ({w['uses']} uses): median "
          f"{w['who_median_ms']} ms (max {w['who_max_ms']} ms) incl. the day's verification; "
          f"grep of every day {w['grep_all_days_median_ms']} ms -> {w['ratio_grep_to_who']}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
