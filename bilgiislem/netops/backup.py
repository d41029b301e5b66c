"""``net.backup``: every device's configuration, normalised and masked, in a git repository.

What Oxidized and RANCID do, for the inventory's switches: read the running configuration of
every device at once (a thread per device, up to ``workers``), make it fit for a diff
(:mod:`bilgiislem.netops.normalize`), write it to ``<repo>/<name>.cfg`` and commit what changed
in one commit. A device that cannot be read keeps its previous file: a failed read never blanks
a backup.

Transient failures (timeouts, refused or reset connections, a configuration cut short) are
retried ``retries`` more times with a short backoff; a refused login is not, so that a wrong
password does not lock the account. The outcome per device:

- ``ok``: read, changed since the last commit, saved (with the diff);
- ``unchanged``: read, the same as the last commit;
- ``unreachable``: no SSH session (connection refused or timed out, no SSH banner);
- ``auth-failed``: the device refused the login;
- ``failed``: logged in, but the configuration could not be read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import re
import subprocess
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import paramiko
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
)

from bilgiislem import ui
from bilgiislem.ansible_run import stamp
from bilgiislem.netops.normalize import normalize
from bilgiislem.netops.targets import Target, vendor

Status = Literal["ok", "unchanged", "failed", "unreachable", "auth-failed"]
STATUSES: tuple[Status, ...] = ("ok", "unchanged", "failed", "unreachable", "auth-failed")
FAILED: tuple[Status, ...] = ("failed", "unreachable", "auth-failed")

# who commits in a repository that has no identity of its own (a bare machine)
GIT_NAME = "bilgiislem net.backup"
GIT_EMAIL = "net-backup@localhost"

# errors of the network that another attempt may not meet
_TRANSIENT = (NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError, ReadException)
# a vendor's error message in place of the configuration
_REFUSED = re.compile(r"(?:% |Error: |Invalid input)")


class BackupError(Exception):
    """The backup repository could not be prepared or committed to."""


@dataclass
class DeviceResult:
    name: str
    vendor: str
    host: str
    status: Status
    attempts: int
    duration: float  # seconds, all attempts and the waits between them
    error: str | None = None
    diff: str | None = None  # unified diff against the last commit, when changed

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "vendor": self.vendor,
            "host": self.host,
            "status": self.status,
            "attempts": self.attempts,
            "duration": round(self.duration, 2),
            "error": self.error,
            "diff": self.diff,
        }


@dataclass
class BackupRun:
    time: dt.datetime
    repo: Path
    devices: list[DeviceResult] = field(default_factory=list)
    commit: str | None = None  # the commit this run made, None when nothing changed
    duration: float = 0.0

    @property
    def changed(self) -> list[DeviceResult]:
        return [d for d in self.devices if d.status == "ok"]

    @property
    def failed(self) -> list[DeviceResult]:
        return [d for d in self.devices if d.status in FAILED]

    def counts(self) -> dict[str, int]:
        return {s: sum(d.status == s for d in self.devices) for s in STATUSES}

    def as_dict(self) -> dict[str, Any]:
        """The run report, JSON-ready."""
        return {
            "kind": "net-backup",
            "time": self.time.isoformat(),
            "stamp": stamp(self.time),
            "repo": str(self.repo),
            "commit": self.commit,
            "duration": round(self.duration, 2),
            "counts": self.counts(),
            "devices": [d.as_dict() for d in self.devices],
        }


# --- reading one device ------------------------------------------------------------------


class ReadFailure(Exception):
    """One attempt to read a device failed: how (a :data:`Status`) and whether to retry."""

    def __init__(self, status: Status, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient


def describe(exc: BaseException) -> str:
    """One line for an exception; Netmiko's are paragraphs around the cause they wrap."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    cause = exc.__cause__ or exc.__context__
    if cause is not None and str(cause).strip() and str(cause).strip() not in text:
        text = f"{text.rstrip(':')} ({str(cause).strip().splitlines()[0]})"
    return text


def connect(target: Target, timeout: float) -> BaseConnection:
    """An SSH session to ``target`` in privileged mode (one attempt).

    Raises :class:`ReadFailure`: ``auth-failed`` (not to be retried) or ``unreachable``.
    """
    try:
        conn = ConnectHandler(**target.netmiko_args(timeout))
    except (NetmikoAuthenticationException, paramiko.AuthenticationException) as e:
        raise ReadFailure("auth-failed", describe(e), transient=False) from e
    except _TRANSIENT as e:
        message = describe(e)
        # what paramiko says when no SSH banner came (which one depends on the timing)
        if "No existing session" in message or "Error reading SSH protocol banner" in message:
            message = f"no SSH session within {timeout:g} s (no SSH banner from the device)"
        raise ReadFailure("unreachable", message, transient=True) from e
    if target.secret:
        try:
            conn.enable()
        except (ValueError, ReadException) as e:
            disconnect(conn)
            raise ReadFailure("auth-failed", f"enable failed (wrong enable secret?): "
                              f"{describe(e)}", transient=False) from e
    return conn


def disconnect(conn: BaseConnection) -> None:
    """Log out. Netmiko's Huawei driver waits for 2 s of silence after ``quit``; nothing is
    left to read by then, so the session is just closed after it."""
    with contextlib.suppress(Exception):
        if conn.device_type == "huawei":
            conn.write_channel("quit" + conn.RETURN)
            conn.paramiko_cleanup()
        else:
            conn.disconnect()


def running_config(conn: BaseConnection, target: Target, timeout: float) -> str:
    """The running configuration as the device prints it."""
    text: str = conn.send_command(vendor(target.vendor).show_config, read_timeout=timeout)
    return text


def read_config(target: Target, timeout: float) -> str:
    """The running configuration of ``target`` as the device prints it (one attempt).

    Raises :class:`ReadFailure` with the outcome (``auth-failed``, ``unreachable``, ``failed``).
    """
    conn = connect(target, timeout)
    try:
        return running_config(conn, target, timeout)
    except _TRANSIENT as e:
        raise ReadFailure("failed", describe(e), transient=True) from e
    finally:
        disconnect(conn)


def _checked(text: str, target: Target) -> str:
    """``text`` normalised, if it is a whole configuration."""
    config = normalize(text, target.vendor)
    lines = config.splitlines()
    if not lines:
        raise ReadFailure("failed", "empty configuration", transient=True)
    refused = next((line for line in lines[:3] if _REFUSED.match(line)), None)
    if refused:  # `% Invalid input` in user mode: no enable secret given?
        raise ReadFailure("failed", f"the device refused the command: {refused}",
                          transient=False)
    last = vendor(target.vendor).last_line
    if last and lines[-1] != last:
        raise ReadFailure("failed", f"configuration cut short (no {last!r} at the end)",
                          transient=True)
    return config


@dataclass
class Fetched:
    target: Target
    config: str | None
    status: Status | None  # None: read (ok or unchanged is decided against the repository)
    attempts: int
    duration: float
    error: str | None = None


def fetch(target: Target, *, timeout: float, retries: int, backoff: float) -> Fetched:
    """Read and normalise ``target``'s configuration, retrying transient failures."""
    start = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        try:
            config = _checked(read_config(target, timeout), target)
            return Fetched(target, config, None, attempts, time.monotonic() - start)
        except ReadFailure as e:
            failure = e
        except Exception as e:  # a bug or an unexpected answer: this device only, no retry
            failure = ReadFailure("failed", f"{type(e).__name__}: {describe(e)}", transient=False)
        if not failure.transient or attempts > retries:
            return Fetched(target, None, failure.status, attempts,
                            time.monotonic() - start, str(failure))
        time.sleep(backoff * attempts)


# --- the repository ----------------------------------------------------------------------


def _git(repo: Path, *args: str, stdin: bytes | None = None,
         env: dict[str, str] | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              env={**os.environ, **(env or {})}, check=False)
    except OSError as e:
        raise BackupError(f"git: {e}") from e
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip() or f"exit {proc.returncode}"
        raise BackupError(f"git {args[0]} ({repo}): {message}")
    return proc.stdout


def prepare_repo(repo: Path) -> None:
    """Make ``repo`` a git repository of its own, with an identity to commit with."""
    if (repo / ".git").exists():
        return
    repo.mkdir(parents=True, exist_ok=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", GIT_NAME)
    _git(repo, "config", "user.email", GIT_EMAIL)


def head(repo: Path) -> str | None:
    """The short hash of the last commit, None before the first."""
    try:
        return _git(repo, "rev-parse", "--short=12", "HEAD").decode().strip()
    except BackupError:
        return None


def committed(repo: Path, files: Iterable[str]) -> dict[str, str]:
    """The content of ``files`` in the last commit (the ones it has)."""
    files = list(files)
    try:
        _git(repo, "rev-parse", "--verify", "-q", "HEAD")
    except BackupError:
        return {}  # no commit yet
    out = _git(repo, "cat-file", "--batch", stdin="".join(f"HEAD:{f}\n" for f in files).encode())
    found: dict[str, str] = {}
    pos = 0
    for name in files:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode().split()
        pos = end + 1
        if header[-1] == "missing":
            continue
        size = int(header[2])
        if header[1] == "blob":
            found[name] = out[pos : pos + size].decode("utf-8", errors="replace")
        pos += size + 1
    return found


def _write(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8", errors="replace") == text:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def commit_message(changed: list[str]) -> str:
    n = len(changed)
    head = f"ag yedegi: {n} cihaz degisti / network backup: {n} device{'s' * (n != 1)} changed"
    return head + "\n\n" + "".join(f"{name}\n" for name in changed)


def _commit(repo: Path, files: list[str], message: str, now: dt.datetime) -> str:
    identity: list[str] = []
    try:
        _git(repo, "config", "user.email")
    except BackupError:  # an existing repository, on a machine without a git identity
        identity = ["-c", f"user.name={GIT_NAME}", "-c", f"user.email={GIT_EMAIL}"]
    when = {"GIT_AUTHOR_DATE": now.isoformat(), "GIT_COMMITTER_DATE": now.isoformat()}
    _git(repo, "add", "--", *files)
    _git(repo, *identity, "commit", "-q", "-F", "-", "--", *files, stdin=message.encode(),
         env=when)
    return _git(repo, "rev-parse", "HEAD").decode().strip()


def _diff(name: str, old: str | None, new: str) -> str:
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{name}" if old is not None else "/dev/null",
        tofile=f"b/{name}",
    )
    return "".join(lines)


# --- the run -----------------------------------------------------------------------------


def backup(
    targets: Iterable[Target],
    repo: Path,
    *,
    workers: int = 10,
    timeout: float = 30,
    retries: int = 2,
    backoff: float = 1.0,
    now: dt.datetime | None = None,
) -> BackupRun:
    """Back up ``targets`` into the git repository ``repo`` (made if missing); see the module.

    ``timeout`` bounds each wait of an attempt (TCP connect, SSH banner, login, the show
    command); attempt N+1 starts ``backoff * N`` seconds after attempt N failed.
    """
    targets = list(targets)
    names = [t.name for t in targets]
    if len(set(names)) != len(names):
        raise ValueError("device names must be unique")
    if workers < 1 or retries < 0 or timeout <= 0:
        raise ValueError("workers must be >= 1, retries >= 0 and timeout > 0")
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    start = time.monotonic()
    repo = Path(repo)
    prepare_repo(repo)

    with ThreadPoolExecutor(max_workers=min(workers, len(targets) or 1)) as pool:
        fetched = list(pool.map(
            lambda t: fetch(t, timeout=timeout, retries=retries, backoff=backoff), targets
        ))

    previous = committed(repo, [t.file_name for t in targets])
    run = BackupRun(time=now, repo=repo)
    for f in fetched:
        t = f.target
        result = DeviceResult(t.name, t.vendor, t.host, f.status or "unchanged", f.attempts,
                              f.duration, f.error)
        if f.config is not None:
            _write(repo / t.file_name, f.config)
            old = previous.get(t.file_name)
            if f.config != old:
                result.status = "ok"
                result.diff = _diff(t.file_name, old, f.config)
        run.devices.append(result)

    if run.changed:
        files = [f"{d.name}.cfg" for d in run.changed]
        run.commit = _commit(repo, files, commit_message([d.name for d in run.changed]), now)
    run.duration = time.monotonic() - start
    return run


def summary(run: BackupRun) -> str:
    """The run as a table, for people."""
    rows = [[d.name, d.vendor, d.host, d.status, str(d.attempts), f"{d.duration:.1f}s",
             d.error or ""] for d in run.devices]
    counts = ", ".join(f"{n} {s}" for s, n in run.counts().items() if n)
    head = (f"Ağ yedeği / network backup: {len(run.devices)} cihaz/devices ({counts or '-'}), "
            f"commit {run.commit[:12] if run.commit else 'yok / none'}")
    return head + "\n" + ui.table(
        ["cihaz", "vendor", "host", "durum", "deneme", "süre", "hata"], rows
    )


def print_run(run: BackupRun) -> None:
    print(summary(run), flush=True)
    for d in run.failed:
        ui.warn(f"{d.name}: {d.status}: {d.error}")
