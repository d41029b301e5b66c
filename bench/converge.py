#!/usr/bin/env python3
"""No-op re-deploy of the lab: the project's Ansible settings against stock Ansible settings.

Both runs use the same inventory, playbook and converged lab in the same session. Stock means
an ansible.cfg with only what is needed to find the inventory plugin and the roles; everything
else at Ansible's defaults (no pipelining, ControlPersist=60s, implicit fact gathering without
a cache, 5 forks). Each side gets one untimed warm-up run, then --runs timed runs; the median
is compared.

    .venv/bin/python bench/converge.py [--runs 3] [--inventory inventory/lab]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bilgiislem import REPO_ROOT, ansible_run, lab
from bilgiislem.inventory import load

STOCK_CFG = """\
[defaults]
inventory = {inventory}/inventory.yml
inventory_plugins = {root}/plugins/inventory
roles_path = {root}/roles

[inventory]
enable_plugins = belediye
unparsed_is_failed = True

[ssh_connection]
control_path_dir = {tmp}/cp
"""


def timed_run(inventory: Path, extra_env: dict[str, str]) -> float:
    start = time.monotonic()
    result = ansible_run.playbook(REPO_ROOT / "playbooks/site.yml", inventory, quiet=True,
                                  extra_env=extra_env)
    elapsed = time.monotonic() - start
    if not result.ok or result.changed:
        sys.exit(f"benchmark run was not a clean no-op (rc={result.returncode}, "
                 f"changed={result.changed}):\n{result.output[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--inventory", default="inventory/lab")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    inventory = (REPO_ROOT / args.inventory).resolve()
    inv = load(inventory)

    print("preparing: lab up and one converging deploy", file=sys.stderr)
    lab.up(inv)
    first = ansible_run.playbook(REPO_ROOT / "playbooks/site.yml", inventory, quiet=True)
    if not first.ok:
        sys.exit(first.output[-3000:])

    tmp = Path(tempfile.mkdtemp(prefix="bench-converge-"))
    try:
        stock_cfg = tmp / "ansible.cfg"
        stock_cfg.write_text(STOCK_CFG.format(inventory=inventory, root=REPO_ROOT, tmp=tmp))
        sides = {
            "stock": {"ANSIBLE_CONFIG": str(stock_cfg)},
            "project": {"ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg")},
        }
        times: dict[str, list[float]] = {}
        for name, env in sides.items():
            print(f"{name}: warm-up", file=sys.stderr)
            timed_run(inventory, env)
            times[name] = []
            for i in range(args.runs):
                times[name].append(timed_run(inventory, env))
                print(f"{name}: run {i + 1}/{args.runs}: {times[name][-1]:.1f}s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    stock = statistics.median(times["stock"])
    project = statistics.median(times["project"])
    result = {
        "benchmark": "no-op re-deploy of playbooks/site.yml",
        "hosts": len(inv.hosts),
        "runs": args.runs,
        "stock_median_s": round(stock, 2),
        "project_median_s": round(project, 2),
        "speedup": round(stock / project, 2),
        "stock_runs_s": [round(t, 2) for t in times["stock"]],
        "project_runs_s": [round(t, 2) for t in times["project"]],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"no-op re-deploy, {len(inv.hosts)} hosts, median of {args.runs}: "
              f"stock {stock:.1f}s, project {project:.1f}s -> "
              f"{stock / project:.2f}x faster with the project's settings")


if __name__ == "__main__":
    main()
