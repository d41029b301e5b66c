#!/usr/bin/env python3
"""Backup and restore throughput: restic (as the backup roles run it) against `tar | zstd`.

The script starts a container ``bench-backup`` from the lab's base image, installs restic and
zstd from Debian 12 (the versions the roles get), and writes a mixed 1 GiB data set into it
(seeded, so every run has the same data):

- 40 % log-like text (compresses well, like the 5651 archive and service logs),
- 30 % random binary files of 1-32 MiB (does not compress: photos, PDFs, media),
- 20 % small files of 4-64 KiB, half text and half binary (office documents, configs),
- 10 % copies of some of the binary files (the same document saved twice).

Then, in the same run and on the same data:

1. floor: ``tar -cf - | zstd -T0 -3`` to a file, and ``zstd -d | tar -x`` back;
2. restic 0.14 (repository format 2, zstd compression ``auto``, as ``restic init`` makes it)
   into a local repository, and ``restic restore`` of that snapshot;
3. a second day: 5 % of the data changes (logs grow, some new files); restic backs up again
   and only stores what is new, the floor has to write everything again.

Both restores are checked file by file (SHA-256 of every file) against the source. The page
cache is warmed before each side, so both read from memory. restic runs against a local
repository: the roles send the same data over SSH to ``rclone serve restic``, so this measures
the tool, not the network.

    .venv/bin/python bench/backup_throughput.py [--size-mib 1024] [--keep] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from typing import Any

from bilgiislem.lab import image, podman

NAME = "bench-backup"
DATA = "/srv/veri"
WORK = "/var/tmp/bench"
TIMEOUT = 1800  # seconds for one step (podman.exec_ allows 120)
PASSWORD = "bench-only-not-a-secret"  # a throwaway repository inside a throwaway container

# Runs inside the container (python3 is in the base image). Deterministic: random.Random(seed).
GENERATOR = r"""
import os, random, sys
root, total, day = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(5651 + day)
MiB = 1 << 20
words = ("belediye bilgi islem mudurlugu yedek kayit erisim kullanici sunucu dhcp ip mac "
         "baslangic bitis oturum izin reddedildi kabul edildi fen isleri zabita itfaiye "
         "kutuphane mali hizmetler imar").split()

def text(n):
    out, size = [], 0
    while size < n:
        line = (f"2026-11-{rng.randint(1, 30):02d}T{rng.randint(0, 23):02d}:"
                f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+03:00 srv-"
                f"{rng.choice(words)} 10.10.{rng.randint(0, 255)}.{rng.randint(1, 254)} "
                + " ".join(rng.choice(words) for _ in range(rng.randint(4, 14))) + "\n")
        out.append(line)
        size += len(line)
    return "".join(out).encode()[:n]

def put(path, data, append=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "ab" if append else "wb") as f:
        f.write(data)

if day == 0:
    for i in range(int(total * 0.40) // (8 * MiB)):
        put(f"{root}/log/{i:03d}.log", text(8 * MiB))
    binaries, left = [], int(total * 0.30)
    while left > 0:
        n = min(left, rng.randint(1, 32) * MiB)
        path = f"{root}/belge/{len(binaries):04d}.bin"
        put(path, rng.randbytes(n))
        binaries.append(path)
        left -= n
    left, i = int(total * 0.20), 0
    while left > 0:
        n = rng.randint(4, 64) * 1024
        put(f"{root}/ofis/{i // 500:02d}/{i:05d}.dat",
            text(n) if i % 2 else rng.randbytes(n))
        left -= n
        i += 1
    left = int(total * 0.10)
    for src in binaries:
        if left <= 0:
            break
        data = open(src, "rb").read()[:left]
        put(src.replace("/belge/", "/kopya/"), data)
        left -= len(data)
else:
    # A day later: logs grow, a few new documents and office files (about 5 % of the data).
    logs = sorted(os.listdir(f"{root}/log"))
    for name in logs[: len(logs) // 2]:
        put(f"{root}/log/{name}", text(int(total * 0.03) // max(1, len(logs) // 2)), True)
    put(f"{root}/belge/yeni-{day}.bin", rng.randbytes(int(total * 0.015)))
    for i in range(200):
        put(f"{root}/ofis/yeni-{day}/{i:04d}.dat", text(int(total * 0.005) // 200))
"""

# Every file's SHA-256, relative path first: two trees are equal when their lists are.
MANIFEST = "cd {} && find . -type f -print0 | sort -z | xargs -0 sha256sum"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sh(script: str, check: bool = True) -> str:
    res = podman.run("exec", NAME, "sh", "-ec", script, check=False, timeout=TIMEOUT)
    if check and res.returncode != 0:
        sys.exit(f"{NAME}: {script}\n{res.stdout}\n{res.stderr}")
    return res.stdout


def timed(script: str) -> tuple[float, str]:
    started = time.monotonic()
    out = sh(script)
    return time.monotonic() - started, out


def generate(size: int, day: int) -> None:
    res = podman.run("exec", "-i", NAME, "python3", "-", DATA, str(size), str(day),
                     input_data=GENERATOR.encode(), check=False, timeout=TIMEOUT)
    if res.returncode != 0:
        sys.exit(f"generating the data failed: {res.stderr}")


def du(path: str) -> int:
    return int(sh(f"du -sb {path} | cut -f1").strip())


def restic_summary(output: str) -> dict[str, Any]:
    for line in reversed(output.splitlines()):
        if '"message_type":"summary"' in line.replace(" ", ""):
            return json.loads(line)
    sys.exit(f"no summary in restic's output:\n{output[-2000:]}")


def check_restore(restored: str) -> None:
    if sh(MANIFEST.format(DATA)) != sh(MANIFEST.format(restored)):
        sys.exit(f"restore in {restored} differs from {DATA}")


def measure(size_mib: int) -> dict[str, Any]:
    env = f"export RESTIC_PASSWORD={PASSWORD} RESTIC_REPOSITORY={WORK}/repo; "
    warm = f"tar -cf - -C {DATA} . > /dev/null"
    say(f"writing the {size_mib} MiB data set")
    generate(size_mib << 20, 0)
    data_bytes = du(DATA)
    result: dict[str, Any] = {"data_bytes": data_bytes,
                              "versions": sh("restic version; zstd --version").splitlines()}

    say("floor: tar | zstd -T0 -3, then zstd -d | tar -x")
    sh(warm)
    t_floor, _ = timed(f"mkdir -p {WORK} && tar -cf - -C {DATA} . | zstd -T0 -3 -q "
                       f"-o {WORK}/day0.tar.zst")
    floor_size = int(sh(f"stat -c %s {WORK}/day0.tar.zst").strip())
    t_floor_restore, _ = timed(f"mkdir -p {WORK}/floor && zstd -dc {WORK}/day0.tar.zst | "
                               f"tar -xf - -C {WORK}/floor")
    check_restore(f"{WORK}/floor")
    sh(f"rm -rf {WORK}/floor")

    say("restic: init, backup, restore")
    sh(env + "restic init -q")
    sh(warm)
    t_restic, out = timed(env + f"restic backup -q --json {DATA}")
    first = restic_summary(out)
    t_restic_restore, _ = timed(env + f"restic restore latest -q --target {WORK}/restic")
    check_restore(f"{WORK}/restic{DATA}")
    sh(f"rm -rf {WORK}/restic")
    repo_after_first = du(f"{WORK}/repo")

    say("second day: 5 % changed; restic backs up again, the floor writes everything again")
    generate(size_mib << 20, 1)
    day1_bytes = du(DATA)
    sh(warm)
    t_floor2, _ = timed(f"tar -cf - -C {DATA} . | zstd -T0 -3 -q -o {WORK}/day1.tar.zst")
    floor2_size = int(sh(f"stat -c %s {WORK}/day1.tar.zst").strip())
    sh(warm)
    t_restic2, out = timed(env + f"restic backup -q --json {DATA}")
    second = restic_summary(out)
    repo_after_second = du(f"{WORK}/repo")
    t_restic_restore2, _ = timed(env + f"restic restore latest -q --target {WORK}/restic")
    check_restore(f"{WORK}/restic{DATA}")

    mib = 1 << 20
    result.update({
        "floor": {"backup_s": t_floor, "restore_s": t_floor_restore, "stored_bytes": floor_size,
                  "backup_mib_s": data_bytes / mib / t_floor,
                  "restore_mib_s": data_bytes / mib / t_floor_restore,
                  "day2_backup_s": t_floor2, "day2_stored_bytes": floor2_size},
        "restic": {"backup_s": t_restic, "restore_s": t_restic_restore,
                   "stored_bytes": repo_after_first,
                   "backup_mib_s": data_bytes / mib / t_restic,
                   "restore_mib_s": data_bytes / mib / t_restic_restore,
                   "data_added": first.get("data_added"),
                   "day2_bytes": day1_bytes, "day2_backup_s": t_restic2,
                   "day2_restore_s": t_restic_restore2,
                   "day2_data_added": second.get("data_added"),
                   "day2_stored_bytes": repo_after_second - repo_after_first},
    })
    # Dedup ratio of the second run: data it read / data it had to add to the repository.
    added = second.get("data_added") or 1
    result["restic"]["day2_dedup_ratio"] = day1_bytes / added
    return result


def table(r: dict[str, Any]) -> str:
    f, s = r["floor"], r["restic"]
    mib = 1 << 20
    rows = [
        ("backup, day 1 (s)", f"{f['backup_s']:.1f}", f"{s['backup_s']:.1f}",
         f"{s['backup_s'] / f['backup_s']:.2f}x"),
        ("backup throughput (MiB/s)", f"{f['backup_mib_s']:.0f}", f"{s['backup_mib_s']:.0f}",
         f"{s['backup_mib_s'] / f['backup_mib_s']:.2f}x"),
        ("restore, day 1 (s)", f"{f['restore_s']:.1f}", f"{s['restore_s']:.1f}",
         f"{s['restore_s'] / f['restore_s']:.2f}x"),
        ("restore throughput (MiB/s)", f"{f['restore_mib_s']:.0f}", f"{s['restore_mib_s']:.0f}",
         f"{s['restore_mib_s'] / f['restore_mib_s']:.2f}x"),
        ("stored, day 1 (MiB)", f"{f['stored_bytes'] / mib:.0f}",
         f"{s['stored_bytes'] / mib:.0f}", f"{s['stored_bytes'] / f['stored_bytes']:.2f}x"),
        ("backup, day 2 (s)", f"{f['day2_backup_s']:.1f}", f"{s['day2_backup_s']:.1f}",
         f"{s['day2_backup_s'] / f['day2_backup_s']:.2f}x"),
        ("stored, day 2 (MiB)", f"{f['day2_stored_bytes'] / mib:.0f}",
         f"{s['day2_stored_bytes'] / mib:.0f}",
         f"{s['day2_stored_bytes'] / f['day2_stored_bytes']:.2f}x"),
    ]
    head = ("", "tar | zstd", "restic", "restic / floor")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(4)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="data set size (MiB)")
    parser.add_argument("--keep", action="store_true", help=f"keep the {NAME} container")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    tag, _ = image.ensure(say)
    say(f"starting {NAME} from {tag}; installing restic and zstd")
    with podman.throwaway(NAME, tag, keep=args.keep):
        sh("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
           "restic zstd > /dev/null")
        result = measure(args.size_mib)
    result["cpus"] = int(re.sub(r"\D", "", podman.run("info", "--format",
                                                      "{{.Host.CPUs}}").stdout) or 0)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    s = result["restic"]
    print(f"Backup of {result['data_bytes'] / (1 << 20):.0f} MiB of mixed data, "
          f"{result['cpus']} CPUs ({'; '.join(result['versions'])})")
    print(table(result))
    print(f"Second day: restic read {s['day2_bytes'] / (1 << 20):.0f} MiB and added "
          f"{(s['day2_data_added'] or 0) / (1 << 20):.1f} MiB: dedup ratio "
          f"{s['day2_dedup_ratio']:.1f} : 1. Both restores were checked file by file "
          "(SHA-256) against the source.")


if __name__ == "__main__":
    main()
