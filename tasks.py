"""Invoke tasks: the one entry point for sysadmins and CI.

    ./scripts/invoke --list           all tasks
    ./scripts/invoke demo             set up, start the lab, deploy, show what runs
    ./scripts/invoke test             the whole test suite

Exit codes: 0 success, 1 a run or test failed, 2 invalid input (inventory, options),
3 a host prerequisite is missing.
"""

from __future__ import annotations

import json as jsonlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from invoke import Collection, Context, task
from invoke.exceptions import Exit

from bilgiislem import REPO_ROOT, ansible_run, docgen, hostsetup, legallog, ui
from bilgiislem import lab as labmod
from bilgiislem import molecule as mol
from bilgiislem import secrets as secretsmod
from bilgiislem.inventory import Inventory, InventoryError, load, models
from bilgiislem.inventory.ansible import unknown_limit_names

DEFAULT_INVENTORY = "inventory/lab"
INVENTORY_HELP = "inventory directory (default: inventory/lab)"
EXIT_FAILED, EXIT_INVALID, EXIT_PREREQ = 1, 2, 3


def _validated(inventory: str, limit: str | None = None) -> Inventory:
    """Validate before anything is contacted; exit 2 with every problem listed, or when a
    plain name in ``limit`` is neither a host nor a group of the inventory."""
    try:
        inv = load(REPO_ROOT / inventory, display=inventory)  # absolute paths stay absolute
    except InventoryError as exc:
        ui.error(f"inventory {inventory} is invalid:")
        print(exc.report(), file=sys.stderr)
        raise Exit(code=EXIT_INVALID) from None
    unknown = unknown_limit_names(inv, limit) if limit else []
    for name, guess in unknown:
        ui.error(f"--limit {name!r} is neither a host nor a group of {inventory}"
                 + (f"; did you mean {guess!r}?" if guess else ""))
    if unknown:
        raise Exit(code=EXIT_INVALID)
    return inv


def _ensure_secrets(inv: Inventory, inventory: str, *, dry_run: bool = False) -> list[str]:
    """Add the generated secrets the inventory lacks to its vault; print their names only."""
    try:
        added = secretsmod.ensure(inv, dry_run=dry_run)
    except secretsmod.SecretsError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None
    where = f"{inventory}/{models.SECRETS_FILE}"
    for name in added:
        ui.info(f"{'would add' if dry_run else 'added'} secret {name} to {where}")
    try:
        lacking = secretsmod.missing_given(inv)
    except secretsmod.SecretsError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None
    for name in lacking:
        var, key = name.split(".", 1)
        (ui.warn if dry_run else ui.error)(
            f"{where}: {name} is missing; it is given, not generated: add it with "
            f"`ansible-vault edit {where}` as '{var}: {{{key}: <password>}}'")
    if lacking and not dry_run:
        raise Exit(code=EXIT_INVALID)
    return added


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


@task(help={"dry_run": "only say what would be installed"})
def setup(c: Context, dry_run: bool = False) -> None:
    """Install host prerequisites: podman, runc, debootstrap, ... (the venv: scripts/invoke)."""
    ui.step("host prerequisites")
    try:
        hostsetup.ensure(dry_run=dry_run)
    except hostsetup.SetupError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_PREREQ) from None


@task(help={"inventory": INVENTORY_HELP, "json": "print the problems as JSON"})
def validate(c: Context, inventory: str = DEFAULT_INVENTORY, json: bool = False) -> None:
    """Validate the inventory: every problem at once, with file, line, path and a hint."""
    try:
        inv = load(REPO_ROOT / inventory, display=inventory)
    except InventoryError as exc:
        if json:
            print(jsonlib.dumps([i.as_dict() for i in exc.issues], ensure_ascii=False,
                                indent=2))
        else:
            print(exc.report(), file=sys.stderr)
        raise Exit(code=EXIT_INVALID) from None
    if json:
        print("[]")
        return
    print(f"{inventory}: valid — {inv.municipality.name}: {len(inv.sites)} sites, "
          f"{len(inv.networks)} networks, {len(inv.hosts)} hosts, {len(inv.devices)} devices, "
          f"{len(inv.personel)} people")


@task(help={"inventory": INVENTORY_HELP, "check": "preview only (ansible --check)",
            "diff": "show file differences", "limit": "only these hosts/groups",
            "tags": "only tasks with these tags", "playbook": "playbook name (default: site)"})
def deploy(c: Context, inventory: str = DEFAULT_INVENTORY, check: bool = False,
           diff: bool = False, limit: str | None = None, tags: str | None = None,
           playbook: str = "site") -> None:
    """Validate, then apply playbooks/<playbook>.yml; ends with a summary and evidence."""
    inv = _validated(inventory, limit)
    path = REPO_ROOT / "playbooks" / f"{playbook}.yml"
    if not path.is_file():
        ui.error(f"no playbook {path.relative_to(REPO_ROOT)}")
        raise Exit(code=EXIT_INVALID)
    if problem := legallog.tsa_ca_problem(inv):
        ui.error(problem)
        raise Exit(code=EXIT_INVALID)
    # A preview changes nothing, not even the vault: it lists what deploy would add.
    if _ensure_secrets(inv, inventory, dry_run=check) and check:
        ui.warn("the preview runs without these secrets; ./scripts/invoke secrets adds them")
    ui.step(f"{'preview of' if check else 'applying'} {path.relative_to(REPO_ROOT)} "
            f"to {inventory}{f' (limit {limit})' if limit else ''}")
    result = ansible_run.playbook(path, REPO_ROOT / inventory, check=check, diff=diff,
                                  limit=limit, tags=tags)
    evidence = ansible_run.record(result, inventory=Path(inventory), playbook_name=playbook,
                                  check=check, limit=limit, tags=tags)
    print()
    print(ansible_run.summary(result, check))
    print(f"kayıt / evidence: {evidence.relative_to(REPO_ROOT)} (+ .md)")
    if not result.ok:
        raise Exit(code=EXIT_FAILED)


@task(help={"inventory": INVENTORY_HELP,
            "dry_run": "only list the secrets that would be added; write nothing"})
def secrets(c: Context, inventory: str = DEFAULT_INVENTORY, dry_run: bool = False) -> None:
    """Add missing generated secrets (backup passphrases, SSH keys) to the inventory's vault."""
    inv = _validated(inventory)
    added = _ensure_secrets(inv, inventory, dry_run=dry_run)
    if not added:
        ui.info(f"{inventory}: every generated secret is in the vault")


@task
def lint(c: Context) -> None:
    """ansible-lint (production profile), yamllint and ruff."""
    failed = []
    for name, cmd in (
        ("yamllint", [_tool("yamllint"), "--strict", "."]),
        ("ansible-lint", [_tool("ansible-lint"), "--profile", "production"]),
        ("ruff", [_tool("ruff"), "check", "."]),
    ):
        ui.step(name)
        env = {**ansible_run.env()}
        if subprocess.run(cmd, cwd=REPO_ROOT, env=env, check=False).returncode != 0:
            failed.append(name)
    if failed:
        ui.error(f"lint failed: {', '.join(failed)}")
        raise Exit(code=EXIT_FAILED)
    ui.info("lint clean")


@task(help={"role": "roles, comma-separated (default: every role with a scenario)",
            "jobs": "scenarios run side by side (default 1)"})
def molecule(c: Context, role: str | None = None, jobs: int = 1) -> None:
    """Molecule: converge → idempotence → check mode (0 changed) → verify, per role."""
    known = mol.roles_with_scenarios()
    roles = [r.strip() for r in role.split(",") if r.strip()] if role else known
    unknown = [r for r in roles if r not in known]
    if unknown:
        ui.error(f"no Molecule scenario for {', '.join(unknown)}; scenarios: {', '.join(known)}")
        raise Exit(code=EXIT_INVALID)
    ui.step(f"molecule scenarios of {', '.join(roles)}"
            + (f", {jobs} at a time" if jobs > 1 and len(roles) > 1 else ""))
    failed = []
    for result in mol.run_all(roles, jobs):
        if not result.ok:
            print(result.detail, file=sys.stderr)
            ui.error(f"role {result.role}: step {result.failed_step} failed")
            failed.append(result.role)
    print(f"molecule: {len(roles) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise Exit(code=EXIT_FAILED)


@task(help={"skip_lab": "skip Molecule and the lab end-to-end test (no podman needed)"})
def test(c: Context, skip_lab: bool = False) -> None:
    """The whole suite: unit + validation tests, lint, Molecule, lab end-to-end."""
    results: list[tuple[str, bool]] = []

    def run(name: str, fn: object) -> None:
        ui.step(f"test step: {name}")
        try:
            fn()  # type: ignore[operator]
            results.append((name, True))
        except Exit as exc:
            results.append((name, exc.code == 0))

    def pytest(*args: str) -> None:
        if subprocess.run([_tool("pytest"), *args], cwd=REPO_ROOT, env=ansible_run.env(),
                          check=False).returncode != 0:
            raise Exit(code=EXIT_FAILED)

    if not skip_lab:
        run("setup", lambda: setup(c))
    run("unit and validation tests", lambda: pytest("-q", "-m", "not lab", "-n", "4"))
    run("lint", lambda: lint(c))
    if not skip_lab:
        # Without the scenarios the lab suite covers (mol.LAB_COVERED): CI's time limit.
        run("molecule", lambda: molecule(c, role=",".join(mol.ci_roles()), jobs=2))
        run("lab end-to-end", lambda: pytest("-q", "-m", "lab", "--durations=25", "tests/e2e"))
    print()
    print(ui.table(["step", "result"], [[n, "passed" if ok else "FAILED"] for n, ok in results]))
    passed = sum(ok for _, ok in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    if passed != len(results):
        raise Exit(code=EXIT_FAILED)


@task(help={"inventory": INVENTORY_HELP})
def demo(c: Context, inventory: str = DEFAULT_INVENTORY) -> None:
    """Quick start: host setup, lab up, full deploy, and a summary of what now runs."""
    setup(c)
    up(c, inventory=inventory)
    deploy(c, inventory=inventory)
    status(c, inventory=inventory)


@task(help={"check": "only list the generated docs that are out of date; write nothing"})
def docs(c: Context, check: bool = False) -> None:
    """Generate docs/inventory-schema.md and the Variables tables of the role READMEs."""
    try:
        paths = docgen.write_all(check=check)
    except docgen.DocgenError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_FAILED) from None
    for path in paths:
        print(f"{'out of date' if check else 'written'}: {path.relative_to(REPO_ROOT)}")
    if check and paths:
        ui.error("generated docs are out of date; run ./scripts/invoke docs and commit them")
        raise Exit(code=EXIT_FAILED)
    if not paths:
        ui.info("generated docs are up to date")


# --- lab ------------------------------------------------------------------------------------


def _lab_call(fn: object, *args: object, **kwargs: object) -> object:
    try:
        return fn(*args, **kwargs)  # type: ignore[operator]
    except (labmod.LabError, RuntimeError) as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_FAILED) from None


@task(name="up", help={"inventory": INVENTORY_HELP, "dry_run": "only show the plan"})
def up(c: Context, inventory: str = DEFAULT_INVENTORY, dry_run: bool = False) -> None:
    """Create or reconcile the lab: base image, networks, one container per host."""
    inv = _validated(inventory)
    if not dry_run and not labmod.manage.podman_ready():
        setup(c)
    _lab_call(labmod.up, inv, dry_run=dry_run)


@task(name="down", help={"inventory": INVENTORY_HELP, "dry_run": "only list what would go",
                         "image": "also remove the cached base image"})
def down(c: Context, inventory: str = DEFAULT_INVENTORY, dry_run: bool = False,
         image: bool = False) -> None:
    """Remove the lab's containers and networks (only what the lab created)."""
    inv = _validated(inventory)
    _lab_call(labmod.down, inv.municipality.code, dry_run=dry_run, remove_image=image)


@task(name="status", help={"inventory": INVENTORY_HELP})
def status(c: Context, inventory: str = DEFAULT_INVENTORY) -> None:
    """What runs in the lab: containers, addresses, SSH, services."""
    inv = _validated(inventory)
    rows = _lab_call(labmod.status, inv)
    print(ui.table(["host", "container", "addresses", "roles", "ssh", "services"],
                   [[r.name, r.container_state, r.addresses, r.roles, r.ssh, r.services]
                    for r in rows]))  # type: ignore[attr-defined]
    if any(r.ssh != "ok" for r in rows):  # type: ignore[attr-defined]
        raise Exit(code=EXIT_FAILED)


lab = Collection("lab", up, down, status)
ns = Collection(setup, validate, deploy, secrets, lint, molecule, test, demo, docs, lab)


# --- audit ----------------------------------------------------------------------------------
# Kept together at the end of the file; the import sits here with its section.

from bilgiislem.audit import hardening as audit_hardening  # noqa: E402


@task(name="hardening",
      help={"inventory": INVENTORY_HELP, "limit": "only these hosts/groups",
            "dry_run": "only show what would be scanned; contact nothing",
            "datastream": "use this SCAP data stream instead of trixie's ssg-debian",
            "baseline": "evidence folder to compare with (default: the host's previous audit)"})
def audit_hardening_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                         limit: str | None = None, dry_run: bool = False,
                         datastream: str | None = None, baseline: str | None = None) -> None:
    """Lynis + OpenSCAP on every server; scores vs targets and waivers, evidence in Turkish."""
    inv = _validated(inventory, limit)
    code = audit_hardening.run(inv, inventory, limit=limit, dry_run=dry_run,
                               datastream=datastream, baseline=baseline)
    if code:
        raise Exit(code=code)


from bilgiislem.audit import compliance  # noqa: E402


@task(name="map", help={"check": "only say whether docs/uyum-haritasi.md is up to date "
                        "(exit 1 if not); write nothing"})
def audit_map_task(c: Context, check: bool = False) -> None:
    """Compliance map: duties and Rehber measures → roles, tasks, tests; exit 1 on a missing one.
    Writes docs/uyum-haritasi.md and evidence/audit/uyum-haritasi.html + .json."""
    ui.step(f"compliance map {compliance.MAP_PATH.relative_to(REPO_ROOT)}")
    try:
        entries = compliance.load(task_names=ns.task_names)
    except compliance.ComplianceMapError as exc:
        ui.error(f"the compliance map is invalid:\n{exc}")
        raise Exit(code=EXIT_FAILED) from None
    print(compliance.summary_table(entries))
    if check:
        if compliance.stale(entries):
            ui.error(f"{compliance.DOC} is out of date; run {compliance.REGENERATE} and commit it")
            raise Exit(code=EXIT_FAILED)
        ui.info(f"{compliance.DOC} is up to date")
        return
    written = compliance.write_doc(entries)
    ui.info(f"{'written' if written else 'up to date'}: {compliance.DOC}")
    evidence = compliance.write_evidence(entries)
    print(f"kayıt / evidence: {evidence.relative_to(REPO_ROOT)} (+ .html)")


from bilgiislem.audit import evidence_report  # noqa: E402


@task(name="report",
      help={"period": "git history window: week (7 days), month (30) or year (365); "
                      "default month",
            "strict": "exit 1 when a section is red (evidence stale, failed or missing)",
            "out": "folder for the report (default evidence/audit)",
            "dry_run": "only print the summary; write nothing"})
def audit_report_task(c: Context, period: str = "month", strict: bool = False,
                      out: str | None = None, dry_run: bool = False) -> None:
    """One Turkish report (HTML + JSON) over the newest evidence: hardening, backups, 5651,
    network, cameras, VPN, access, and the period's changes; --strict fails on a red section."""
    code = evidence_report.run(period, strict=strict, dry_run=dry_run,
                               out=(REPO_ROOT / out) if out else None)
    if code:
        raise Exit(code=code)


audit = Collection("audit", audit_hardening_task, audit_map_task, audit_report_task)
ns.add_collection(audit)


# --- backup ---------------------------------------------------------------------------------

from bilgiislem.backup import report as backup_report  # noqa: E402
from bilgiislem.backup import status as backup_status  # noqa: E402


def _with_backups(inventory: str) -> Inventory:
    inv = _validated(inventory)
    if inv.backups is None:
        ui.error(f"{inventory} has no backups.yml: no backup set is declared")
        raise Exit(code=EXIT_INVALID)
    return inv


@task(name="drill",
      help={"inventory": INVENTORY_HELP,
            "set": "only these sets (comma-separated names from backups.yml)",
            "client": "only the sets of these client hosts (comma-separated)",
            "dry_run": "only list the sets that would be restored; contact nothing"})
def backup_drill_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                      set: str | None = None,  # the option is --set
                      client: str | None = None, dry_run: bool = False) -> None:
    """Restore drill: restore every set's newest snapshot, compare, RPO/RTO, evidence."""
    inv = _with_backups(inventory)
    errors = backup_report.selection_errors(inv, set, client)
    for error in errors:
        ui.error(error)
    if errors:
        raise Exit(code=EXIT_INVALID)
    code = backup_report.run(inv, inventory, sets=set, clients=client, dry_run=dry_run,
                             ensure_secrets=lambda: _ensure_secrets(inv, inventory))
    if code:
        raise Exit(code=code)


@task(name="status",
      help={"inventory": INVENTORY_HELP,
            "dry_run": "only list the set/class/host entries that would be read"})
def backup_status_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                       dry_run: bool = False) -> None:
    """Last success and age of every set and class per host: OK, STALE or MISSING."""
    inv = _with_backups(inventory)
    code = backup_status.run(inv, inventory, dry_run=dry_run)
    if code:
        raise Exit(code=code)


backup = Collection("backup", backup_drill_task, backup_status_task)
ns.add_collection(backup)


# --- users ----------------------------------------------------------------------------------

from bilgiislem.users import offboard as users_offboard  # noqa: E402
from bilgiislem.users import report as users_report  # noqa: E402


@task(name="report",
      help={"inventory": INVENTORY_HELP, "dry_run": "only say what would be read"})
def users_report_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                      dry_run: bool = False) -> None:
    """Access report: person × account/groups/shares/servers, orphans, leavers with access."""
    inv = _validated(inventory)
    code = users_report.run(inv, inventory, dry_run=dry_run)
    if code:
        raise Exit(code=code)


@task(name="offboard",
      help={"person": "username or sicil no of a person marked 'durum: ayrildi'",
            "inventory": INVENTORY_HELP, "check": "preview only (ansible --check)"})
def users_offboard_task(c: Context, person: str, inventory: str = DEFAULT_INVENTORY,
                        check: bool = False) -> None:
    """Apply a leaver of personel.yml now: disable, ungroup, hand over, lock; evidence."""
    inv = _validated(inventory)
    try:
        code = users_offboard.run(inv, inventory, person, check=check)
    except users_offboard.OffboardError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None
    if code:
        raise Exit(code=code)


users = Collection("users", users_report_task, users_offboard_task)
ns.add_collection(users)


# --- net ------------------------------------------------------------------------------------

from bilgiislem.netops import devices as net_devices  # noqa: E402
from bilgiislem.netops import run as net_run  # noqa: E402

NET_HELP = {
    "inventory": INVENTORY_HELP,
    "devices": "only these devices or sites (comma-separated; default: every managed device)",
    "workers": "devices handled at once (default 10)",
    "timeout": "seconds each wait on a device may last (default 30)",
    "retries": "more attempts after a network error (default 2; never after a refused login)",
}


def _net_devices(inventory: str, devices: str | None,
                 secrets_needed: bool = True) -> tuple[Inventory, list[models.Device]]:
    """The inventory (validated) and the chosen devices, the vault's secrets ensured."""
    inv = _validated(inventory)
    try:
        chosen = net_devices.select(inv, devices)
    except net_devices.DeviceSelectionError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None
    if not chosen:
        ui.error(f"{inventory}/devices.yml has no switch, router or firewall of a vendor with "
                 f"templates ({', '.join(models.NETWORK_VENDORS)})")
        raise Exit(code=EXIT_INVALID)
    if secrets_needed:
        _ensure_secrets(inv, inventory)
    return inv, chosen


def _net_exit(code: int) -> None:
    if code:
        raise Exit(code=code)


def _net_call(fn: object, *args: object, **kwargs: object) -> int:
    try:
        return fn(*args, **kwargs)  # type: ignore[operator,no-any-return]
    except secretsmod.SecretsError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None


@task(name="backup", help={**NET_HELP, "repo": "git repository of the configurations "
                           "(default: ag-yedekleri/<municipality code>)",
                           "dry_run": "only list the devices; contact nothing"})
def net_backup_task(c: Context, inventory: str = DEFAULT_INVENTORY, devices: str | None = None,
                    repo: str | None = None, workers: int = 10, timeout: float = 30,
                    retries: int = 2, dry_run: bool = False) -> None:
    """Back up every device's configuration (masked, no noise) into git; evidence."""
    inv, chosen = _net_devices(inventory, devices, secrets_needed=not dry_run)
    where = Path(repo) if repo else net_run.default_repo(inv)
    _net_exit(_net_call(net_run.backup, inv, inventory, chosen, repo=where, workers=workers,
                        timeout=timeout, retries=retries, dry_run=dry_run))


@task(name="plan", help={"inventory": INVENTORY_HELP, "devices": NET_HELP["devices"],
                         "repo": "the backup repository (default as net.backup)",
                         "json": "print the plan as JSON"})
def net_plan_task(c: Context, inventory: str = DEFAULT_INVENTORY, devices: str | None = None,
                  repo: str | None = None, json: bool = False) -> None:
    """What net.push would send, per device, against the last backup; touches no device."""
    inv, chosen = _net_devices(inventory, devices)
    where = Path(repo) if repo else net_run.default_repo(inv)
    _net_exit(_net_call(net_run.plan, inv, chosen, repo=where, as_json=json))


@task(name="push", help={**NET_HELP, "dry_run": "read the devices and show what would be "
                         "sent; send nothing"})
def net_push_task(c: Context, inventory: str = DEFAULT_INVENTORY, devices: str | None = None,
                  workers: int = 10, timeout: float = 30, retries: int = 2,
                  dry_run: bool = False) -> None:
    """Push the intended configurations: save, verify, or restore the pre-push one; evidence."""
    inv, chosen = _net_devices(inventory, devices)
    _net_exit(_net_call(net_run.push, inv, inventory, chosen, workers=workers, timeout=timeout,
                        retries=retries, dry_run=dry_run))


@task(name="drift", help={**NET_HELP, "json": "print the report as JSON"})
def net_drift_task(c: Context, inventory: str = DEFAULT_INVENTORY, devices: str | None = None,
                   workers: int = 10, timeout: float = 30, retries: int = 2,
                   json: bool = False) -> None:
    """Running against intended configuration on every device; exit 1 on drift; evidence."""
    inv, chosen = _net_devices(inventory, devices)
    _net_exit(_net_call(net_run.drift, inv, inventory, chosen, workers=workers,
                        timeout=timeout, retries=retries, as_json=json))


net = Collection("net", net_backup_task, net_plan_task, net_push_task, net_drift_task)
ns.add_collection(net)


# --- vpn ------------------------------------------------------------------------------------

from bilgiislem.vpn import mikrotik as vpn_mikrotik  # noqa: E402
from bilgiislem.vpn import plan as vpn_plan  # noqa: E402
from bilgiislem.vpn import render as vpn_render  # noqa: E402
from bilgiislem.vpn import rotate as vpn_rotate  # noqa: E402
from bilgiislem.vpn import status as vpn_status  # noqa: E402


def _vpn(inventory: str) -> tuple[Inventory, vpn_plan.VpnPlan]:
    inv = _validated(inventory)
    plan = vpn_plan.build(inv)
    if plan is None:
        ui.error(f"{inventory} has no vpn.yml: describe the hub and the remote units there "
                 "(see inventory/lab/vpn.yml)")
        raise Exit(code=EXIT_INVALID)
    return inv, plan


@task(name="status", help={"inventory": INVENTORY_HELP})
def vpn_status_task(c: Context, inventory: str = DEFAULT_INVENTORY) -> None:
    """Every remote unit's tunnel from the hub: handshake, counters, ping; exit 1 if one is down."""
    inv, _ = _vpn(inventory)
    _net_exit(_net_call(vpn_status.run, inv, inventory))


@task(name="rotate", help={"site": "a site code, several separated by commas, or 'all' (the "
                           "hub's key is under its site's code)",
                           "inventory": INVENTORY_HELP,
                           "dry_run": "only say which keys would be replaced and where applied"})
def vpn_rotate_task(c: Context, site: str, inventory: str = DEFAULT_INVENTORY,
                    dry_run: bool = False) -> None:
    """New VPN keys in the vault, applied hub first; waits for the tunnels; evidence."""
    inv, _ = _vpn(inventory)
    if not dry_run:
        _ensure_secrets(inv, inventory)
    try:
        code = vpn_rotate.run(inv, inventory, site, dry_run=dry_run)
    except (vpn_rotate.RotateError, secretsmod.SecretsError) as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None
    _net_exit(code)


@task(name="render", help={"site": "the code of an ipsec-appliance or mikrotik-wireguard site",
                           "inventory": INVENTORY_HELP,
                           "show_secrets": "print the keys instead of <gizli>",
                           "strongswan": "an appliance's swanctl configuration instead of "
                           "its vendor's"})
def vpn_render_task(c: Context, site: str, inventory: str = DEFAULT_INVENTORY,
                    show_secrets: bool = False, strongswan: bool = False) -> None:
    """Print a remote unit's router or appliance configuration (FortiGate CLI, RouterOS)."""
    inv, plan = _vpn(inventory)
    devices = [s.code for s in plan.sites if s.type != "linux-wireguard"]
    if site not in devices:
        ui.error(f"{site!r} is not an ipsec-appliance or mikrotik-wireguard site of "
                 f"{inventory}/vpn.yml; those are: {', '.join(devices) or 'none'}")
        raise Exit(code=EXIT_INVALID)
    target = plan.site(site)
    vault = secretsmod.read(inv) if show_secrets or target.wireguard else {}
    if target.wireguard:
        try:
            text = vpn_mikrotik.site_script(plan, target, vault, mask=not show_secrets)
        except KeyError:
            ui.error(f"the vault has no WireGuard key for {site} or the hub: run "
                     "./scripts/invoke secrets")
            raise Exit(code=EXIT_INVALID) from None
        sys.stdout.write(text)
        return
    psk = None
    if show_secrets:
        psk = (vault.get(secretsmod.VPN_IPSEC_PSKS) or {}).get(site)
        if not psk:
            ui.error(f"the vault has no pre-shared key for {site}: run ./scripts/invoke secrets")
            raise Exit(code=EXIT_INVALID)
    fn = vpn_render.strongswan if strongswan else vpn_render.appliance
    sys.stdout.write(fn(plan, target, psk))


@task(name="push", help={"sites": "only these MikroTik sites (comma-separated; default: all)",
                         "inventory": INVENTORY_HELP,
                         "dry_run": "log in and read each router, show what would be sent; "
                         "send nothing"})
def vpn_push_task(c: Context, sites: str | None = None, inventory: str = DEFAULT_INVENTORY,
                  dry_run: bool = False) -> None:
    """Send each MikroTik site its RouterOS script over SSH; per-site result; evidence."""
    inv, _ = _vpn(inventory)
    if not dry_run:
        _ensure_secrets(inv, inventory)
    codes = [x.strip() for x in sites.split(",") if x.strip()] if sites else None
    try:
        results = vpn_mikrotik.push(inv, codes, dry_run=dry_run)
    except (vpn_mikrotik.MikrotikError, secretsmod.SecretsError) as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None
    if not results:
        ui.info(f"{inventory}/vpn.yml has no mikrotik-wireguard site")
        return
    for r in results:
        if r["diff"] or dry_run:
            print("\n".join(r["script"] if dry_run else [r["diff"]]))
    path = vpn_status.write_push(results, inventory)
    print(ui.table(["birim", "adres", "sonuç", "hata"],
                   [[r["site"], f"{r['host']}:{r['port']}", r["status"], r["error"] or ""]
                    for r in results]))
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    if any(r["status"] in vpn_mikrotik.FAILED for r in results):
        raise Exit(code=EXIT_FAILED)


vpn = Collection("vpn", vpn_status_task, vpn_rotate_task, vpn_render_task, vpn_push_task)
ns.add_collection(vpn)


# --- telephone exchange ------------------------------------------------------------------------

import datetime  # noqa: E402

from bilgiislem.pbx import plan as pbx_plan  # noqa: E402
from bilgiislem.pbx import provision as pbx_provision  # noqa: E402


def _pbx(inventory: str) -> Inventory:
    inv = _validated(inventory)
    if inv.pbx is None:
        ui.error(f"{inventory} has no pbx.yml: describe the exchange there "
                 "(see inventory/lab/pbx.yml)")
        raise Exit(code=EXIT_INVALID)
    return inv


@task(name="phones", help={"inventory": INVENTORY_HELP,
                           "show_secrets": "print the SIP passwords instead of ********"})
def pbx_phones_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                    show_secrets: bool = False) -> None:
    """Print each phone's provisioning file as the exchange serves it (passwords masked)."""
    inv = _pbx(inventory)
    secrets = {}
    if show_secrets:
        try:
            secrets = secretsmod.read(inv).get(pbx_plan.SIP_SECRETS) or {}
        except secretsmod.SecretsError as exc:
            ui.error(str(exc))
            raise Exit(code=EXIT_INVALID) from None
    for phone in pbx_plan.phones(inv):
        secret = secrets.get(phone["sicil_no"], "")
        if show_secrets and not secret:
            ui.warn(f"{phone['file']}: no SIP password in the vault yet (run ./scripts/invoke "
                    "secrets)")
        text = pbx_provision.render(pbx_provision.from_vars(phone, secret),
                                    show_secrets=show_secrets)
        print(f"# --- {phone['file']} ({phone['model']}, dahili {phone['extension']})")
        print(text, end="")


@task(name="holidays", help={"inventory": INVENTORY_HELP,
                             "year": "the year (default: this one)"})
def pbx_holidays_task(c: Context, year: int = 0, inventory: str = DEFAULT_INVENTORY) -> None:
    """The days the main number plays the after-hours announcement (all day or from the
    half-day closing time): Turkey's public holidays and pbx.yml's extra days."""
    inv = _pbx(inventory)
    assert inv.pbx is not None
    year = year or datetime.date.today().year
    close = inv.pbx.business_hours.half_day_close
    for h in pbx_plan.holidays(inv, [year]):
        when = f"{close}'dan sonra kapalı" if h.half_day else "tüm gün kapalı"
        day = ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz")[h.date.weekday()]
        print(f"{h.date.isoformat()}  {day}  {when:<24}  {h.name}")


pbx = Collection("pbx", pbx_phones_task, pbx_holidays_task)
ns.add_collection(pbx)


# --- cameras --------------------------------------------------------------------------------

from bilgiislem.cameras import run as cam_run  # noqa: E402
from bilgiislem.cameras.target import CameraTarget  # noqa: E402

CAM_HELP = {
    "inventory": INVENTORY_HELP,
    "cameras": "only these cameras (comma-separated names; default: every camera)",
    "concurrency": "cameras handled at once (default 20)",
}


def _cameras(inventory: str, cameras: str | None) -> tuple[Inventory, list[CameraTarget]]:
    """The validated inventory and the chosen cameras' targets (secrets ensured first)."""
    inv = _validated(inventory)
    if inv.cameras is None or not inv.cameras.cameras:
        ui.error(f"{inventory} has no cameras: describe them in cameras.yml "
                 "(see inventory/lab/cameras.yml)")
        raise Exit(code=EXIT_INVALID)
    _ensure_secrets(inv, inventory)
    names = [n.strip() for n in cameras.split(",") if n.strip()] if cameras else None
    try:
        return inv, cam_run.targets(inv, names)
    except ValueError as exc:
        ui.error(f"--cameras: {exc}")
        raise Exit(code=EXIT_INVALID) from None
    except secretsmod.SecretsError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_INVALID) from None


@task(name="apply", help={**CAM_HELP, "check": "read every camera and report what would "
                          "change; change nothing"})
def cameras_apply_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                       cameras: str | None = None, concurrency: int = 20,
                       check: bool = False) -> None:
    """Configure the cameras over ONVIF (NTP, time zone, host name, DNS, accounts, video),
    read back and verify; per-camera report; evidence."""
    inv, chosen = _cameras(inventory, cameras)
    code = cam_run.apply(inv, inventory, chosen, check=check, concurrency=concurrency)
    if code:
        raise Exit(code=code)


@task(name="audit", help={**CAM_HELP, "drift_limit": "seconds of clock difference that "
                          "count as a finding (default 60)"})
def cameras_audit_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                       cameras: str | None = None, concurrency: int = 20,
                       drift_limit: int = 60) -> None:
    """Audit the cameras: clock drift, default passwords, firmware, settings against the data,
    asset data; JSON + Turkish HTML evidence; exit 1 on any finding."""
    inv, chosen = _cameras(inventory, cameras)
    code = cam_run.audit(inv, inventory, chosen, concurrency=concurrency,
                         drift_limit_s=drift_limit)
    if code:
        raise Exit(code=code)


cameras_ns = Collection("cameras", cameras_apply_task, cameras_audit_task)
ns.add_collection(cameras_ns)


# --- Law 5651 legal logging --------------------------------------------------------------------
from bilgiislem.legallog import run as legal_run  # noqa: E402


def _legal(code_fn: Callable[[], int]) -> None:
    try:
        code = code_fn()
    except legal_run.LegalLogError as exc:
        ui.error(str(exc))
        raise Exit(code=EXIT_FAILED) from None
    if code:
        raise Exit(code=code)


@task(name="seal", help={"inventory": INVENTORY_HELP,
                         "day": "only this day (YYYY-MM-DD); default: every finished day",
                         "now": "the collector's clock for this run (tests; ISO 8601)",
                         "dry_run": "only list the days and sources waiting; seal nothing"})
def logs_seal_task(c: Context, inventory: str = DEFAULT_INVENTORY, day: str | None = None,
                   now: str | None = None, dry_run: bool = False) -> None:
    """Seal the finished days on the log collector now (the nightly timer's job): hashes,
    İç IP Dağıtım Logu, RFC 3161 time stamp; evidence."""
    inv = _validated(inventory)
    _legal(lambda: legal_run.seal(inv, inventory, day=day, clock=now, dry_run=dry_run))


@task(name="verify", help={"inventory": INVENTORY_HELP,
                           "date": "only this day (YYYY-MM-DD)",
                           "all": "every sealed day (the default)"})
def logs_verify_task(c: Context, inventory: str = DEFAULT_INVENTORY, date: str | None = None,
                     all: bool = False) -> None:
    """Check every hash and time stamp of the sealed days; names each failing file; exit 1 on
    any failure; evidence."""
    inv = _validated(inventory)
    _legal(lambda: legal_run.verify(inv, inventory, day=None if all else date))


@task(name="who", help={"inventory": INVENTORY_HELP, "ip": "the internal IP address",
                        "at": "the moment, 'YYYY-MM-DD HH:MM' local time (or ISO 8601)"})
def logs_who_task(c: Context, ip: str, at: str, inventory: str = DEFAULT_INVENTORY) -> None:
    """Who held an internal IP at a time (official requests): MAC, host name, user, from the
    sealed records, with that day's verification; evidence."""
    inv = _validated(inventory)
    _legal(lambda: legal_run.who(inv, inventory, ip=ip, at=at))


@task(name="export", help={"inventory": INVENTORY_HELP, "from_": "first day (YYYY-MM-DD)",
                           "to": "last day (YYYY-MM-DD)"})
def logs_export_task(c: Context, from_: str, to: str,
                     inventory: str = DEFAULT_INVENTORY) -> None:
    """A hand-over package of a date range (sealed bundles, the TSA certificate, a Turkish
    read-me with the openssl commands) into evidence/legal-log/."""
    inv = _validated(inventory)
    _legal(lambda: legal_run.export(inv, inventory, first=from_, last=to))


logs_ns = Collection("logs", logs_seal_task, logs_verify_task, logs_who_task, logs_export_task)
ns.add_collection(logs_ns)


# --- holiday power schedule ------------------------------------------------------------------
from bilgiislem.power import holiday as power_holiday  # noqa: E402
from bilgiislem.power import run as power_run  # noqa: E402


@task(name="plan", help={"inventory": INVENTORY_HELP, "year": "the year (default: this one)",
                         "json": "print the plan as JSON"})
def holiday_plan_task(c: Context, year: int = 0, inventory: str = DEFAULT_INVENTORY,
                      json: bool = False) -> None:
    """When the machines marked tatilde_kapat go down and come back in a year: public holidays
    (half days included) and holiday_power.yml's administrative leave."""
    inv = _validated(inventory)
    p = power_holiday.plan(inv, year or datetime.date.today().year)
    if json:
        print(jsonlib.dumps(power_holiday.to_json(p), ensure_ascii=False, indent=2))
    else:
        print(power_run.plan_text(p), end="")


@task(name="power", help={"inventory": INVENTORY_HELP, "action": "shutdown or startup",
                          "check": "preview: run the checks, shut down and power on nothing"})
def holiday_power_task(c: Context, action: str, inventory: str = DEFAULT_INVENTORY,
                       check: bool = False) -> None:
    """Shut down the hosts marked tatilde_kapat (checks first, power_on.order) or power them
    on and report what did not come back; evidence in evidence/power/."""
    if action not in ("shutdown", "startup"):
        ui.error(f"--action must be shutdown or startup, not {action!r}")
        raise Exit(code=EXIT_INVALID)
    inv = _validated(inventory)
    code = power_run.power(inv, inventory, action, check=check)
    if code:
        raise Exit(code=EXIT_FAILED)


holiday_ns = Collection("holiday", holiday_plan_task, holiday_power_task)
ns.add_collection(holiday_ns)


# --- asset inventory ----------------------------------------------------------------------------
# The collection is `inventory_ns`: `inventory` is every task's option for the inventory
# directory.
from bilgiislem.assets import run as assets_run  # noqa: E402


@task(name="collect",
      help={"inventory": INVENTORY_HELP,
            "dry_run": "only list what would be read; contact nothing",
            "workers": "network devices and cameras read at once (default 10)",
            "timeout": "seconds each wait on a device may last (default 30)",
            "retries": "more attempts on a network device after a network error (default 2; "
            "never after a refused login)"})
def inventory_collect_task(c: Context, inventory: str = DEFAULT_INVENTORY, dry_run: bool = False,
                           workers: int = 10, timeout: float = 30, retries: int = 2) -> None:
    """Asset inventory: read every server (Ansible facts, packages), network device (SSH),
    camera (ONVIF) and phone (pbx.yml); Taşınır list (CSV) and Turkish HTML report with
    varliklar.yml; exit 1 if a device could not be read."""
    inv = _validated(inventory)
    if dry_run:
        assets_run.dry_run(inv, inventory)
        return
    code = assets_run.collect(inv, inventory, workers=workers, timeout=timeout,
                              retries=retries)
    if code:
        raise Exit(code=code)


@task(name="report",
      help={"inventory": INVENTORY_HELP,
            "source": "a collected record (evidence/inventory/*-varlik-envanteri.json; "
            "default: the newest)",
            "today": "the day warranties and licences are judged on (YYYY-MM-DD; default: "
            "today)"})
def inventory_report_task(c: Context, inventory: str = DEFAULT_INVENTORY,
                          source: str | None = None, today: str | None = None) -> None:
    """The asset report again from the last collection and the current varliklar.yml; contacts
    nothing; exit 1 if a warranty or licence has ended or ends soon, a licence is over its
    count or a serial differs from the register."""
    inv = _validated(inventory)
    day = None
    if today:
        try:
            day = datetime.date.fromisoformat(today)
        except ValueError:
            ui.error(f"--today {today!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-07")
            raise Exit(code=EXIT_INVALID) from None
    code = assets_run.report(inv, inventory, source=Path(source) if source else None,
                             today=day)
    if code:
        raise Exit(code=code)


inventory_ns = Collection("inventory", inventory_collect_task, inventory_report_task)
ns.add_collection(inventory_ns)
