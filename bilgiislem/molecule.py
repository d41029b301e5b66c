"""Run a role's Molecule scenario: create → converge → idempotence → check mode → verify.

``molecule test`` has no step that asserts a check-mode run on the converged host reports no
change, so this runs the steps one by one and asserts that from the PLAY RECAP.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bilgiislem import REPO_ROOT, ansible_run, ui
from bilgiislem.lab import image, podman

ROLES_DIR = REPO_ROOT / "roles"
# Molecule keeps its state (``created: true`` ...) under ~/.ansible/tmp keyed by the role name
# only, so a second checkout on the same machine would read this one's state and skip `create`.
# Each checkout keeps its own, and a run starts from none.
STATE_DIR = REPO_ROOT / ".cache" / "molecule"
# Molecule connects by SSH through `podman exec -i <instance> sshd -i` (.config/molecule/
# sshd-over-podman) with this checkout's own throwaway key.
SSH_KEY = STATE_DIR / "ssh" / "id_ed25519"


@dataclass
class ScenarioResult:
    role: str
    ok: bool
    failed_step: str = ""
    detail: str = ""


# Minutes each scenario took in CI (2 CPUs), to start the long ones first when scenarios run
# side by side; a scenario not listed counts as long.
MINUTES = {"hardening": 7, "backup_client": 7, "vpn": 6, "common": 5, "mail": 5, "directory": 4,
           "pbx": 3, "nvr": 3, "audit_scan": 3, "log_collector": 3, "dhcp_server": 2,
           "database": 2, "dns_resolver": 1, "connection_log": 1, "ups": 4}


# Roles whose scenario `invoke test` leaves out because the lab end-to-end suite, in the same
# run, deploys them on the lab inventory and tests them with real clients (check mode of the
# whole lab included). CI has 90 minutes on 2 CPUs; these scenarios repeat about 12 minutes of
# it. `invoke molecule` (no --role) still runs every scenario; run it before changing one of
# these roles. Kept in CI: the scenarios of roles the lab does not cover end to end (mail,
# audit_scan), common and hardening (the lab's servers start from an image with their
# packages, Molecule from the bare base image), and the short ones.
LAB_COVERED = {
    "backup_client": "tests/e2e/test_lab_backup.py",
    "directory": "tests/e2e/test_lab_directory.py",
    "vpn": "tests/e2e/test_lab_vpn.py",
    "pbx": "tests/e2e/test_lab_pbx.py",
    "nvr": "tests/e2e/test_lab_cameras.py",
    "database": "tests/e2e/test_lab_backup.py",
}


def ci_roles() -> list[str]:
    """The scenarios `invoke test` runs: every one but those in LAB_COVERED."""
    return [r for r in roles_with_scenarios() if r not in LAB_COVERED]


# Scenarios that run on the PBX image (Debian sid, sysvinit) rather than the base image.
PBX_IMAGE_ROLES = ("pbx",)


def roles_with_scenarios() -> list[str]:
    return sorted(p.parent.parent.parent.name
                  for p in ROLES_DIR.glob("*/molecule/default/molecule.yml"))


def run_all(roles: list[str], jobs: int = 1) -> list[ScenarioResult]:
    """Every scenario, ``jobs`` at a time, longest first; results in the order of ``roles``.
    Scenarios do not share containers or networks (each is named after its role), and a
    scenario spends about half its time waiting on apt and systemd, so two at a time on 2
    CPUs take much less than one after the other."""
    image.ensure(ui.info)  # once, before scenarios could both want to build it
    if any(r in PBX_IMAGE_ROLES for r in roles):
        image.ensure(ui.info, r=image.PBX)
    order = sorted(roles, key=lambda r: -MINUTES.get(r, 60))
    ssh_key()  # before the threads, so that they do not race to make it
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = dict(zip(order, pool.map(run, order), strict=True))
    return [results[r] for r in roles]


def _env(role: str, image_tag: str) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update({
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
        "CONTAINERS_CONF": str(podman.CONTAINERS_CONF),
        "BILGIISLEM_IMAGE": image_tag,
        "BILGIISLEM_PBX_IMAGE": image.tag(image.PBX),
        "BILGIISLEM_MOLECULE_NAME": f"molecule-{role}",
        "BILGIISLEM_MOLECULE_SSH_KEY": str(SSH_KEY),
        "MOLECULE_EPHEMERAL_DIRECTORY": str(STATE_DIR / role),
        "ANSIBLE_FORCE_COLOR": "0",
        "NO_COLOR": "1",
        "PY_COLORS": "0",
    })
    return env


def _molecule(role: str, step: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["molecule", step], cwd=ROLES_DIR / role, env=env, text=True,
                          capture_output=True, check=False)


def _remove_leftovers(role: str) -> None:
    """State, containers and networks of an interrupted run would make `create` skip or fail. A
    scenario's instances are named molecule-<role> or molecule-<role>-<name>; so is its network."""
    shutil.rmtree(STATE_DIR / role, ignore_errors=True)
    prefix = f"molecule-{role}"
    names = [c["Names"][0] for c in podman.containers()
             if c["Names"][0] == prefix or c["Names"][0].startswith(prefix + "-")]
    if names:
        podman.run("rm", "-f", "-t", "1", *names, check=False)
    for net in podman.networks():
        if net["name"] == prefix or net["name"].startswith(prefix + "-"):
            podman.run("network", "rm", "-f", net["name"], check=False)


def ssh_key() -> Path:
    """The throwaway key Molecule logs in with (made once per checkout, never committed)."""
    if not SSH_KEY.exists():
        SSH_KEY.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "molecule",
                        "-f", str(SSH_KEY)], check=True)
    return SSH_KEY


def run(role: str) -> ScenarioResult:
    ssh_key()
    tag, _ = image.ensure(ui.info)
    if role in PBX_IMAGE_ROLES:
        image.ensure(ui.info, r=image.PBX)
    env = _env(role, tag)
    _remove_leftovers(role)
    steps = ["create", "converge", "idempotence", "check", "verify"]
    try:
        for step in steps:
            ui.info(f"molecule {role}: {step}")
            res = _molecule(role, step, env)
            output = res.stdout + res.stderr
            if res.returncode != 0:
                return ScenarioResult(role, False, step, output[-6000:])
            if step == "check":
                recap = ansible_run.parse_recap(output)
                bad = [r for r in recap if r.changed or r.failed or r.unreachable]
                if not recap or bad:
                    return ScenarioResult(role, False, "check",
                                          "check mode on the converged host reported changes "
                                          f"or failures: {bad or 'no recap'}\n{output[-6000:]}")
        return ScenarioResult(role, True)
    finally:
        _molecule(role, "destroy", env)
