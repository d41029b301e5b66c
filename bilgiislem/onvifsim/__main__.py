"""Command line of the simulator::

    python3 -m bilgiislem.onvifsim init STATE_DIR NAME --listen IP:PORT --vendor V --model M \\
        --firmware F --serial S [--user admin --password 12345]
    python3 -m bilgiislem.onvifsim serve STATE_DIR [--latency-ms N]
    python3 -m bilgiislem.onvifsim fault STATE_DIR NAME [--clock-offset SECONDS] \\
        [--unreachable | --reachable] [--factory-password]
    python3 -m bilgiislem.onvifsim show STATE_DIR NAME
"""

from __future__ import annotations

import argparse
import json
import signal
import sys

from .server import Simulator
from .state import VENDORS, fault, init_camera, load, state_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bilgiislem.onvifsim",
                                     description="stateful ONVIF camera simulator")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="create a factory-fresh camera")
    p.add_argument("state_dir")
    p.add_argument("name")
    p.add_argument("--listen", required=True, help="IP:PORT (port 0: a free one at serve)")
    p.add_argument("--vendor", default="generic", choices=sorted(VENDORS))
    p.add_argument("--model", default="IPC")
    p.add_argument("--firmware", default="V1.0.0")
    p.add_argument("--serial")
    p.add_argument("--user", help="factory account (default: the vendor's)")
    p.add_argument("--password", help="its password (default: the vendor's)")
    p = sub.add_parser("serve", help="serve every camera of the directory")
    p.add_argument("state_dir")
    p.add_argument("--latency-ms", type=float, default=0)
    p = sub.add_parser("fault", help="inject or clear a fault")
    p.add_argument("state_dir")
    p.add_argument("name")
    p.add_argument("--clock-offset", type=float, help="camera clock minus real time, seconds")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--unreachable", dest="unreachable", action="store_true", default=None)
    group.add_argument("--reachable", dest="unreachable", action="store_false")
    p.add_argument("--factory-password", action="store_true",
                   help="the vendor's default account and password work again")
    p = sub.add_parser("show", help="print a camera's state (passwords included)")
    p.add_argument("state_dir")
    p.add_argument("name")
    args = parser.parse_args(argv)

    if args.command == "init":
        path = init_camera(args.state_dir, args.name, listen=args.listen, vendor=args.vendor,
                           model=args.model, firmware=args.firmware, serial=args.serial,
                           user=args.user, password=args.password)
        print(path)
    elif args.command == "fault":
        data = fault(args.state_dir, args.name, clock_offset=args.clock_offset,
                     unreachable=args.unreachable, factory_password=args.factory_password)
        print(json.dumps({"clock_offset": data["clock_offset"], **data["faults"]}))
    elif args.command == "show":
        print(json.dumps(load(state_path(args.state_dir, args.name)), indent=2))
    else:
        sim = Simulator(args.state_dir, latency_ms=args.latency_ms).start()
        signal.signal(signal.SIGTERM, lambda *_: sim._stop.set())
        print(f"onvifsim: {len(sim.servers)} cameras", flush=True)
        for name in sorted(sim.cameras):
            print(f"  {name} {sim.cameras[name].data['listen']}", flush=True)
        sim.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
