"""Host prerequisites for the lab and the test suite (Debian/Ubuntu), checked before installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bilgiislem import ui

# Debian packages the lab and tests use on the machine running them.
APT_PACKAGES = (
    "podman", "runc", "netavark", "catatonit", "iptables", "debootstrap", "uidmap",
    "slirp4netns", "fuse-overlayfs", "openssh-client", "git", "python3-venv", "iproute2",
    # djpeg: the camera simulator's frames are checked with libjpeg, as a recorder reads them
    "libjpeg-turbo-progs",
    # openssl ts: the tests' time-stamp authority, and verifying Law 5651 seals as an auditor
    "openssl",
)


class SetupError(RuntimeError):
    pass


def _os_release() -> dict[str, str]:
    path = Path("/etc/os-release")
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v.strip('"')
    return out


def missing_packages() -> list[str]:
    if not shutil.which("dpkg-query"):
        return list(APT_PACKAGES)
    missing = []
    for pkg in APT_PACKAGES:
        res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True,
                             text=True, check=False)
        if "install ok installed" not in res.stdout:
            missing.append(pkg)
    return missing


def ensure(dry_run: bool = False) -> None:
    """Install what is missing, or say exactly what is needed when we cannot."""
    missing = missing_packages()
    if not missing:
        ui.info("host packages present: " + ", ".join(APT_PACKAGES))
        return
    release = _os_release()
    family = " ".join([release.get("ID", ""), release.get("ID_LIKE", "")])
    if dry_run:
        ui.info(f"would install with apt-get: {' '.join(missing)}")
        return
    if "debian" not in family and "ubuntu" not in family:
        raise SetupError(
            f"this machine is {release.get('PRETTY_NAME', 'not Debian/Ubuntu')}; install these "
            f"packages (or their equivalents) yourself: {' '.join(missing)}")
    if os.geteuid() != 0:
        raise SetupError(
            "installing host packages needs root; run as root, or run first:\n"
            f"    sudo apt-get install -y {' '.join(missing)}")
    ui.info(f"installing with apt-get: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", *missing]):
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if res.returncode != 0:
            raise SetupError(f"{' '.join(cmd)} failed:\n{res.stderr[-2000:]}")
