"""Thin podman CLI wrapper that always uses the project's containers.conf."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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


def networks() -> list[dict[str, Any]]:
    return json_out("network", "ls", "--format", "json")


def exec_(container: str, *cmd: str, input_data: bytes | None = None,
          check: bool = True) -> subprocess.CompletedProcess[str]:
    args = ["exec", "-i", container, *cmd] if input_data is not None else \
        ["exec", container, *cmd]
    return run(*args, check=check, input_data=input_data, timeout=120)
