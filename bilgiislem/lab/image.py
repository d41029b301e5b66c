"""The lab's base image: Debian 12 made with debootstrap and `podman import`, cached by recipe.

The tag carries a hash of the recipe (suite, package list, setup script, host apt settings),
so the image is rebuilt only when the recipe changes, and an image left over from an earlier
run is reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from bilgiislem.lab import podman

SUITE = "bookworm"
PACKAGES = ("systemd", "systemd-sysv", "dbus", "python3", "python3-apt", "sudo",
            "openssh-server", "iproute2", "iputils-ping", "ca-certificates",
            # the simulated switches (bilgiislem/netsim) run in a lab container
            # (python3-cffi-backend named: debootstrap does not resolve the virtual package
            # python3-bcrypt needs)
            "python3-cffi-backend", "python3-paramiko", "python3-yaml")
SETUP_SCRIPT = Path(__file__).with_name("image-setup.sh")
REPOSITORY = "localhost/bilgiislem-base"
AUTOMATION_USER = "ansible"  # created by image-setup.sh; the lab inventory connects as it
MIRROR = os.environ.get("BILGIISLEM_DEBIAN_MIRROR", "http://deb.debian.org/debian")
APT_CONF_DIR = Path("/etc/apt/apt.conf.d")


def _host_apt_settings() -> str:
    """The host's apt Acquire settings (proxy, snapshot validity), so the lab's apt works
    wherever the host's does."""
    if not APT_CONF_DIR.is_dir():
        return ""
    lines = []
    for path in sorted(APT_CONF_DIR.iterdir()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines += [ln for ln in text.splitlines() if ln.strip().startswith("Acquire::")
                  and "IndexTargets" not in ln]
    return "\n".join(lines) + ("\n" if lines else "")


def recipe() -> dict[str, str]:
    return {
        "suite": SUITE,
        "variant": "minbase",
        "packages": ",".join(PACKAGES),
        "mirror": MIRROR,
        "setup": SETUP_SCRIPT.read_text(encoding="utf-8"),
        "apt": _host_apt_settings(),
    }


def tag() -> str:
    digest = hashlib.sha256(json.dumps(recipe(), sort_keys=True).encode()).hexdigest()[:12]
    return f"{REPOSITORY}:{SUITE}-{digest}"


def ensure(say: Callable[[str], None], dry_run: bool = False) -> tuple[str, bool]:
    """Return (tag, built). Builds only when no image with this recipe exists."""
    wanted = tag()
    if podman.image_exists(wanted):
        say(f"base image {wanted} is cached")
        return wanted, False
    if dry_run:
        say(f"would build base image {wanted} (debootstrap {SUITE}, about a minute)")
        return wanted, True
    if not shutil.which("debootstrap"):
        raise podman.PodmanError("debootstrap is not installed: run `./scripts/invoke setup`")
    work = Path(tempfile.mkdtemp(prefix="bilgiislem-rootfs-", dir="/var/tmp"))
    try:
        say(f"building base image {wanted}: debootstrap {SUITE} (about a minute)")
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}",
             SUITE, str(work), MIRROR],
            check=True, capture_output=True,
        )
        apt = recipe()["apt"]
        if apt:
            (work / "etc/apt/apt.conf.d/90lab-host-acquire").write_text(apt, encoding="utf-8")
        say("customising the root file system (automation account, SSH, units)")
        subprocess.run(["chroot", str(work), "/bin/sh", "-s"], check=True,
                       input=SETUP_SCRIPT.read_bytes(), capture_output=True)
        say("importing into podman")
        tar = subprocess.Popen(["tar", "-C", str(work), "--numeric-owner", "-c", "."],
                               stdout=subprocess.PIPE)
        assert tar.stdout is not None
        try:
            imported = subprocess.run(
                ["podman", "import", "--change", "CMD=/sbin/init",
                 "--change", f"LABEL {podman.LABEL}=base", "-", wanted],
                stdin=tar.stdout, env=podman.env(), capture_output=True, check=False,
            )
        finally:
            tar.stdout.close()
            tar.wait()
        if imported.returncode != 0 or tar.returncode != 0:
            raise podman.PodmanError(f"podman import failed: {imported.stderr.decode()}")
    except subprocess.CalledProcessError as exc:
        # debootstrap says what failed on stdout
        err = (exc.stderr or exc.stdout or b"").decode("utf-8", "replace")[-2000:]
        raise podman.PodmanError(f"base image build failed: {' '.join(exc.cmd[:2])}: {err}") \
            from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune_old(wanted, say)
    return wanted, True


def _prune_old(keep: str, say: Callable[[str], None]) -> None:
    """Remove base images of older recipes that no container uses."""
    for img in podman.json_out("images", "--format", "json", "--filter",
                               f"reference={REPOSITORY}"):
        names = img.get("Names") or []
        if keep in names:
            continue
        if podman.run("rmi", img["Id"], check=False).returncode == 0:
            say(f"removed old base image {', '.join(names)}")
