"""The lab's images, made with debootstrap and `podman import`, cached by recipe.

- the base image: Debian 12 with systemd, as an installer leaves it: Molecule's servers and the
  lab's simulators, workstations and appliances;
- the server image: the base image plus the packages roles common and hardening install on
  every server, for the lab's servers. Installing the same dozen packages on every lab server
  at every first deploy cost most of its time on 2 CPUs; Molecule's common and hardening
  scenarios start from the base image, so the installation itself stays tested;
- the PBX image: Debian sid with sysvinit, for Asterisk (Debian 12 has no Asterisk package,
  and sid's systemd does not start in a container here), and SIPp for the lab's phones.

The tag carries a hash of the recipe (suite, package list, setup script, host apt settings),
so an image is rebuilt only when its recipe changes, and one left over from an earlier run is
reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bilgiislem.lab import podman


@dataclass(frozen=True)
class Recipe:
    name: str  # the image's repository: localhost/bilgiislem-<name>
    suite: str
    packages: tuple[str, ...]
    setup_script: Path
    what: str  # for progress messages
    # installed with apt-get after the setup script (full dependency resolution and
    # Recommends, as a role's apt task installs them; services are not started)
    extra: tuple[str, ...] = ()

    @property
    def repository(self) -> str:
        return f"localhost/bilgiislem-{self.name}"


BASE = Recipe(
    "base", "bookworm",
    ("systemd", "systemd-sysv", "dbus", "python3", "python3-apt", "sudo",
     "openssh-server", "iproute2", "iputils-ping", "ca-certificates",
     # the simulated switches (bilgiislem/netsim) run in a lab container
     # (python3-cffi-backend named: debootstrap does not resolve the virtual package
     # python3-bcrypt needs)
     "python3-cffi-backend", "python3-paramiko", "python3-yaml",
     # the lab's DHCP clients (a PC on a user network asks Kea for an address) and what a
     # PC asks its resolver with (the content filter's e2e test)
     "isc-dhcp-client", "bind9-dnsutils"),
    Path(__file__).with_name("image-setup.sh"), "Debian 12, systemd")
# What roles common and hardening install on every server with their defaults (common's
# _common_packages, hardening's HARD-*-install tasks). tests/unit/test_lab_image.py checks
# that each one is named in those roles, so the list cannot drift from them unnoticed.
SERVER_PACKAGES = (
    # common
    "chrony", "locales", "tzdata", "rsyslog", "unattended-upgrades",
    # hardening
    "aide", "aide-common", "auditd", "audispd-plugins", "fail2ban", "python3-systemd",
    "nftables", "libpam-pwquality", "libpam-tmpdir", "debsums", "apt-listchanges",
    "needrestart", "rkhunter", "acct", "cron", "usbguard", "procps",
)
SERVER = Recipe("server", BASE.suite, BASE.packages, BASE.setup_script,
                "Debian 12, systemd, the packages of every server", extra=SERVER_PACKAGES)
PBX = Recipe(
    "pbx", "sid",
    ("sysvinit-core", "python3", "python3-apt", "sudo", "openssh-server", "iproute2",
     "iputils-ping", "ca-certificates", "procps", "curl",
     # what role pbx installs, so that a run does not download it every time
     "asterisk", "nginx", "fail2ban", "nftables", "python3-pyinotify",
     # SIPp, the lab's phones
     "sip-tester"),
    Path(__file__).with_name("image-setup-sid.sh"), "Debian sid, sysvinit, Asterisk")
REPOSITORY = BASE.repository
AUTOMATION_USER = "ansible"  # created by the setup scripts; the lab inventory connects as it
MIRROR = os.environ.get("BILGIISLEM_DEBIAN_MIRROR", "http://deb.debian.org/debian")
APT_CONF_DIR = Path("/etc/apt/apt.conf.d")


# No service starts inside the chroot (policy-rc.d), and the image keeps no .deb files.
_EXTRA_SCRIPT = """set -eu
printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d
chmod 0755 /usr/sbin/policy-rc.d
apt-get -q update
DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Options::=--force-confold install {}
rm -f /usr/sbin/policy-rc.d
: > /etc/machine-id
apt-get clean
"""


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


def recipe(r: Recipe = BASE) -> dict[str, str]:
    # "extra" only when there is some: the base image's tag (and any image cached under it)
    # stays what it was before the server image existed.
    extra = {"extra": ",".join(r.extra)} if r.extra else {}
    return {
        "suite": r.suite,
        "variant": "minbase",
        "packages": ",".join(r.packages),
        "mirror": MIRROR,
        "setup": r.setup_script.read_text(encoding="utf-8"),
        "apt": _host_apt_settings(),
        **extra,
    }


def tag(r: Recipe = BASE) -> str:
    digest = hashlib.sha256(json.dumps(recipe(r), sort_keys=True).encode()).hexdigest()[:12]
    return f"{r.repository}:{r.suite}-{digest}"


def ensure(say: Callable[[str], None], dry_run: bool = False,
           r: Recipe = BASE) -> tuple[str, bool]:
    """Return (tag, built). Builds only when no image with this recipe exists."""
    wanted = tag(r)
    if podman.image_exists(wanted):
        say(f"{r.name} image {wanted} is cached")
        return wanted, False
    if dry_run:
        say(f"would build {r.name} image {wanted} (debootstrap {r.suite}, about a minute)")
        return wanted, True
    if not shutil.which("debootstrap"):
        raise podman.PodmanError("debootstrap is not installed: run `./scripts/invoke setup`")
    work = Path(tempfile.mkdtemp(prefix="bilgiislem-rootfs-", dir="/var/tmp"))
    # mkdtemp makes 0700; a root file system's / is 0755, or every service account (apt's
    # _apt, exim's Debian-exim) fails to reach its files.
    work.chmod(0o755)
    try:
        say(f"building {r.name} image {wanted}: debootstrap {r.suite} ({r.what}, about a "
            "minute)")
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(r.packages)}",
             r.suite, str(work), MIRROR],
            check=True, capture_output=True,
        )
        apt = recipe(r)["apt"]
        if apt:
            (work / "etc/apt/apt.conf.d/90lab-host-acquire").write_text(apt, encoding="utf-8")
        say("customising the root file system (automation account, SSH, services)")
        subprocess.run(["chroot", str(work), "/bin/sh", "-s"], check=True,
                       input=r.setup_script.read_bytes(), capture_output=True)
        if r.extra:
            say(f"installing {len(r.extra)} packages every server gets")
            subprocess.run(["chroot", str(work), "/bin/sh", "-s"], check=True,
                           input=_EXTRA_SCRIPT.format(" ".join(r.extra)).encode(),
                           capture_output=True)
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
        raise podman.PodmanError(f"{r.name} image build failed: {' '.join(exc.cmd[:2])}: "
                                 f"{err}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune_old(wanted, say, r)
    return wanted, True


def _prune_old(keep: str, say: Callable[[str], None], r: Recipe) -> None:
    """Remove images of older recipes that no container uses."""
    for img in podman.json_out("images", "--format", "json", "--filter",
                               f"reference={r.repository}"):
        names = img.get("Names") or []
        if keep in names:
            continue
        if podman.run("rmi", img["Id"], check=False).returncode == 0:
            say(f"removed old {r.name} image {', '.join(names)}")
