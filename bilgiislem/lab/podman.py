"""Thin podman CLI wrapper that always uses the project's containers.conf."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CONTAINERS_CONF = Path(__file__).with_name("containers.conf")
LABEL = "io.bilgiislem.lab"  # value: the municipality code of the lab inventory
SPEC_LABEL = "io.bilgiislem.spec"  # hash of what the object was created from


class PodmanError(RuntimeError):
    pass


def env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF)}


def available() -> bool:
    return shutil.which("podman") is not None


def run(*args: str, check: bool = True, input_data: bytes | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        ["podman", *args], env=env(), capture_output=True, timeout=timeout,
        input=input_data, check=False,
    )
    result = subprocess.CompletedProcess(
        proc.args, proc.returncode,
        proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
    )
    if check and result.returncode != 0:
        raise PodmanError(f"podman {' '.join(args)} failed ({result.returncode}): "
                          f"{result.stderr.strip() or result.stdout.strip()}")
    return result


def json_out(*args: str) -> Any:
    out = run(*args).stdout.strip()
    return json.loads(out) if out else []


def image_exists(tag: str) -> bool:
    return run("image", "exists", tag, check=False).returncode == 0


def containers() -> list[dict[str, Any]]:
    """Every container on the machine; callers pick the lab's by label."""
    return json_out("ps", "-a", "--format", "json")


def alive(container: dict[str, Any]) -> bool:
    """Whether a container ``containers()`` lists as running still has its init process (a
    container of a session that ended keeps podman's "running" record with no process)."""
    pid = container.get("Pid") or 0
    return bool(pid) and Path(f"/proc/{pid}").exists()


def networks() -> list[dict[str, Any]]:
    return json_out("network", "ls", "--format", "json")


def exec_(container: str, *cmd: str, input_data: bytes | None = None,
          check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    args = ["exec", "-i", container, *cmd] if input_data is not None else \
        ["exec", container, *cmd]
    return run(*args, check=check, input_data=input_data, timeout=timeout)


def wait_booted(container: str, timeout: float = 90) -> str:
    """Wait until systemd in ``container`` has finished booting; its state (running/degraded)."""
    deadline = time.monotonic() + timeout
    state = ""
    while time.monotonic() < deadline:
        state = exec_(container, "systemctl", "is-system-running", check=False).stdout.strip()
        if state in ("running", "degraded"):
            return state
        time.sleep(1)
    raise PodmanError(f"{container} did not finish booting in {timeout:.0f}s "
                      f"(systemd state: {state or 'unknown'})")


def start_throwaway(name: str, image: str, capabilities: str = "NET_RAW,NET_ADMIN") -> None:
    """A booted systemd container outside the lab (benchmarks): replaces one of that name.
    Host name = container name and the capabilities of the lab and Molecule containers."""
    run("rm", "-f", "-t", "1", name, check=False)  # left over from an earlier run
    run("run", "-d", "--name", name, "--hostname", name, "--systemd=always", "--no-hosts",
        "--stop-timeout", "5", "--cap-add", capabilities, image, "/sbin/init")
    wait_booted(name)


@contextlib.contextmanager
def throwaway(name: str, image: str, *, keep: bool = False) -> Iterator[str]:
    """start_throwaway, and the container removed again on leaving unless ``keep``."""
    start_throwaway(name, image)
    try:
        yield name
    finally:
        if not keep:
            run("rm", "-f", "-t", "1", name, check=False)
