"""Serve simulated devices until SIGTERM or Ctrl+C.

``python -m bilgiislem.netsim --devices devices.json --state-dir DIR`` prints one JSON line per
device once it accepts connections (``{"ready": "sw1", "vendor": ..., "host": ..., "port": ...}``)
and runs until it is told to stop; the devices file format is described in ``device.py``.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import threading
from pathlib import Path
from types import FrameType

from bilgiislem.netsim import Simulator, load_devices
from bilgiislem.netsim.server import SSH_LOG


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bilgiislem.netsim", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--devices", type=Path, required=True, help="JSON or YAML device list (see device.py)"
    )
    parser.add_argument("--state-dir", type=Path, required=True, help="per-device state")
    parser.add_argument("--verbose", action="store_true", help="log connections (debug)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    if args.verbose:
        logging.getLogger(SSH_LOG).setLevel(logging.DEBUG)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with Simulator(load_devices(args.devices), args.state_dir) as sim:
        for name, state in sim.devices.items():
            host, port = sim.addresses[name]
            ready = {"ready": name, "vendor": state.spec.vendor, "host": host, "port": port}
            print(json.dumps(ready), flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
