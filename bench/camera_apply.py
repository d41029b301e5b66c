#!/usr/bin/env python3
"""Camera configuration throughput: ``cameras.apply`` concurrent against serial.

One simulator process (``python -m bilgiislem.onvifsim serve --latency-ms N``) serves
``--cameras`` factory-fresh cameras of six vendors, each on its own port of 127.0.0.1, and
answers every SOAP request after ``--latency-ms`` (real cameras answer in tens of
milliseconds). In the same run, each on a fresh state directory:

1. ``apply()`` serially (``concurrency=1``): the baseline, what a loop over the cameras does;
2. ``apply()`` with ``--concurrency`` cameras at once;
3. a second ``apply()`` at ``--concurrency`` on the cameras of run 2 (the no-op run a
   scheduled apply usually is).

Every camera must end ``ok`` in runs 1 and 2 and ``unchanged`` in run 3. Each apply from
factory state is about 20 requests in sequence per camera (login with the vendor default,
create the admin, reads in parallel, one Set per setting, read back), so the serial run takes
about ``cameras * 20 * latency``.

The simulator runs in its own process (its threads do not share the client's GIL) but on the
same CPUs as the client.

    .venv/bin/python bench/camera_apply.py [--cameras 200] [--latency-ms 30]
                                           [--concurrency 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT
from bilgiislem.cameras.apply import apply
from bilgiislem.cameras.target import Account, CameraTarget, Encoder
from bilgiislem.onvifsim import init_camera

VENDORS = ["hikvision", "dahua", "axis", "uniview", "hanwha", "generic"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_state(folder: Path, cameras: int) -> None:
    for i in range(cameras):
        vendor = VENDORS[i % len(VENDORS)]
        init_camera(folder, f"kam-{i:04d}", listen="127.0.0.1:0", vendor=vendor,
                    model=f"{vendor}-model", firmware="V5.7.10", serial=f"SN{i:08d}")


@contextmanager
def simulator(folder: Path, cameras: int, latency_ms: float) -> Iterator[list[CameraTarget]]:
    proc = subprocess.Popen([sys.executable, "-m", "bilgiislem.onvifsim", "serve", str(folder),
                             "--latency-ms", str(latency_ms)], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith(f"onvifsim: {cameras} cameras"):
            sys.exit(f"simulator did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
        targets = []
        for path in sorted(folder.glob("*.json")):
            state = json.loads(path.read_text(encoding="utf-8"))
            host, _, port = state["listen"].rpartition(":")
            targets.append(CameraTarget(
                name=state["name"], address=host, port=int(port), vendor=state["vendor"],
                model=state["identity"]["model"],
                admin=Account("bilgiislem", f"Adm1n{state['name']}", "Administrator"),
                accounts=(Account("kayit", f"Kay1t{state['name']}", "User"),
                          Account("operator1", "Op3rator1Sifre", "Operator"),
                          Account("operator2", "Op3rator2Sifre", "Operator")),
                ntp_servers=("10.20.0.1", "10.20.0.2"), dns_servers=("10.20.0.53",),
                timezone="<+03>-3", encoder=Encoder()))
        yield targets
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def timed(targets: list[CameraTarget], concurrency: int, expect: str) -> float:
    start = time.monotonic()
    results = asyncio.run(apply(targets, check=False, concurrency=concurrency))
    elapsed = time.monotonic() - start
    wrong = [(r.name, r.status, r.errors) for r in results if r.status != expect]
    if wrong:
        sys.exit(f"{len(wrong)} cameras did not end {expect}: {wrong[:5]}")
    return elapsed


def run(cameras: int, latency_ms: float, concurrency: int) -> dict[str, Any]:
    result: dict[str, Any] = {"cameras": cameras, "latency_ms": latency_ms,
                              "concurrency": concurrency}
    with tempfile.TemporaryDirectory(prefix="bench-cameras-") as tmp:
        for label in ("serial", "concurrent"):
            folder = Path(tmp) / label
            make_state(folder, cameras)
            with simulator(folder, cameras, latency_ms) as targets:
                log(f"{label}: applying to {cameras} factory-fresh cameras ...")
                result[label] = round(timed(targets, 1 if label == "serial" else concurrency,
                                            "ok"), 2)
                if label == "concurrent":
                    log("no-op: applying again ...")
                    result["noop_concurrent"] = round(timed(targets, concurrency,
                                                            "unchanged"), 2)
    result["ratio"] = round(result["serial"] / result["concurrent"], 2)
    result["serial_per_camera"] = round(result["serial"] / cameras, 3)
    return result


def report(r: dict[str, Any]) -> str:
    return "\n".join([
        f"cameras.apply on {r['cameras']} simulated cameras (6 vendors, "
        f"{r['latency_ms']:g} ms per request), from factory state:",
        f"  serial (concurrency 1):          {r['serial']:8.2f} s "
        f"({r['serial_per_camera']:.3f} s per camera)",
        f"  concurrent (concurrency {r['concurrency']}):     {r['concurrent']:8.2f} s",
        f"  no-op re-apply (concurrency {r['concurrency']}): {r['noop_concurrent']:8.2f} s",
        f"  concurrent is {r['ratio']:.2f}x faster than serial",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.cameras, args.latency_ms, args.concurrency)
    print(json.dumps(result, indent=2) if args.json else report(result))


if __name__ == "__main__":
    main()
