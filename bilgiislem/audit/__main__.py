"""Summarize the raw results of one host: ``python -m bilgiislem.audit <dir>``.

``<dir>`` holds what role ``audit_scan`` fetched for the host (``lynis-report.dat``,
``lynis.log``, ``oscap-results.xml``, ``scan.json``). Prints the scores as JSON; Molecule's
verify step of the role uses it, and it is handy on a results folder copied from elsewhere.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bilgiislem.audit import report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    run = report.RunInfo(stamp="", time="")
    rec = report.evaluate_host(args.directory.name, args.directory, [], run)
    ly, osc = rec["lynis"] or {}, rec["openscap"] or {}
    print(json.dumps({
        "host": rec["host"],
        "container": rec["system"]["container"],
        "lynis_hardening_index": ly.get("hardening_index"),
        "lynis_tests_performed": ly.get("tests_performed"),
        "lynis_warnings": len(ly.get("warnings", [])),
        "openscap_profile": osc.get("profile"),
        "openscap_counts": {k: v for k, v in (osc.get("counts") or {}).items() if v},
        "openscap_pass_rate": osc.get("pass_rate"),
        "errors": rec["errors"],
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
