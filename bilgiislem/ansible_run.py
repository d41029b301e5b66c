"""Run ansible-playbook the way every task does: project config, live output, parsed recap."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bilgiislem import REPO_ROOT, ui
from bilgiislem.inventory import InventoryError, load

RECAP_RE = re.compile(
    r"^(?P<host>\S+)\s*:\s*ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+"
    r"unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)\s+"
    r"rescued=(?P<rescued>\d+)\s+ignored=(?P<ignored>\d+)"
)
EVIDENCE_DIR = REPO_ROOT / "evidence"


@dataclass
class HostRecap:
    host: str
    ok: int
    changed: int
    unreachable: int
    failed: int
    skipped: int
    rescued: int
    ignored: int


@dataclass
class RunResult:
    returncode: int
    recap: list[HostRecap] = field(default_factory=list)
    output: str = ""

    @property
    def changed(self) -> int:
        return sum(r.changed for r in self.recap)

    @property
    def failed_hosts(self) -> list[str]:
        return [r.host for r in self.recap if r.failed or r.unreachable]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failed_hosts


def parse_recap(output: str) -> list[HostRecap]:
    """Host lines of the last PLAY RECAP in ``output``."""
    recap: dict[str, HostRecap] = {}
    in_recap = False
    for line in output.splitlines():
        if line.startswith("PLAY RECAP"):
            in_recap, recap = True, {}
            continue
        m = RECAP_RE.match(line) if in_recap else None
        if m:
            values = {k: int(v) for k, v in m.groupdict().items() if k != "host"}
            recap[m["host"]] = HostRecap(host=m["host"], **values)
    return list(recap.values())


def env() -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }


def vault_password_file(inventory: Path) -> Path | None:
    """The vault password file that ``connection:`` in hosts.yml names, if any."""
    try:
        inv = load(inventory)
    except InventoryError:
        return None  # Ansible's inventory plugin reports the problems itself
    name = inv.connection.vault_password_file
    return inv.resolve(name) if name else None


def playbook(path: str | Path, inventory: Path, *, check: bool = False, diff: bool = False,
             limit: str | None = None, tags: str | None = None, quiet: bool = False,
             extra_env: dict[str, str] | None = None,
             extra_vars: dict[str, object] | None = None) -> RunResult:
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(path),
           "-i", str(inventory / "inventory.yml")]
    vault_pw = vault_password_file(inventory)
    # A missing file is left out: without a vault there is nothing to decrypt, and with one
    # Ansible itself says that it has no password for it.
    if vault_pw is not None and vault_pw.is_file():
        cmd += ["--vault-password-file", str(vault_pw)]
    for key, value in (extra_vars or {}).items():
        # key=value is split at spaces by Ansible; structured values go as JSON
        cmd += ["-e", f"{key}={value}" if isinstance(value, str)
                else json.dumps({key: value}, ensure_ascii=False)]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    if limit:
        cmd += ["--limit", limit]
    if tags:
        cmd += ["--tags", tags]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env={**env(), **(extra_env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if not quiet:
            sys.stdout.write(line)
            sys.stdout.flush()
    proc.wait()
    output = "".join(lines)
    return RunResult(proc.returncode, parse_recap(output), output)


def summary(result: RunResult, check: bool) -> str:
    rows = [[r.host, str(r.ok), str(r.changed), str(r.failed), str(r.unreachable),
             "HATA" if (r.failed or r.unreachable) else ("değişti" if r.changed else "aynı")]
            for r in result.recap]
    mode = "önizleme (--check)" if check else "uygulama"
    head = (f"Özet / summary ({mode}): {len(result.recap)} host, "
            f"{result.changed} change{'s' if result.changed != 1 else ''}, "
            f"{len(result.failed_hosts)} failed")
    return head + "\n" + ui.table(["host", "ok", "changed", "failed", "unreachable", "durum"],
                                  rows)


def _git(*args: str) -> str:
    res = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=False)
    return res.stdout.strip()


def stamp(now: dt.datetime) -> str:
    """The UTC time of a run as evidence files are named: YYYYMMDDTHHMMSSZ."""
    return now.strftime("%Y%m%dT%H%M%SZ")


def provenance(kind: str, inventory: Path | str,
               now: dt.datetime | None = None) -> dict[str, object]:
    """What every evidence record starts with: kind, time, operator, git commit, inventory."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {
        "kind": kind,
        "time": now.isoformat(),
        "operator": os.environ.get("SUDO_USER") or getpass.getuser(),
        "git_commit": _git("rev-parse", "HEAD") or None,
        "git_dirty": bool(_git("status", "--porcelain")),
        "inventory": str(inventory),
    }


def record(result: RunResult, *, inventory: Path, playbook_name: str, check: bool,
           limit: str | None, tags: str | None) -> Path:
    """Dated evidence of a deploy: JSON for machines, Markdown in Turkish for people."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    folder = EVIDENCE_DIR / "deploy"
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        **provenance("deploy", inventory, now),
        "playbook": playbook_name,
        "check_mode": check,
        "limit": limit,
        "tags": tags,
        "returncode": result.returncode,
        "hosts": [asdict(r) for r in result.recap],
    }
    base = folder / f"{stamp(now)}-{'check' if check else 'apply'}"
    base.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    durum = "BAŞARILI" if result.ok else "HATALI"
    lines = [
        f"# Yapılandırma uygulama kaydı — {now:%d.%m.%Y %H:%M} UTC",
        "",
        f"- Durum: **{durum}**",
        f"- Kip: {'önizleme (değişiklik yapılmadı)' if check else 'uygulama'}",
        f"- Uygulayan: {data['operator']}",
        f"- Git sürümü: {data['git_commit'] or 'bilinmiyor'}"
        + (" (kaydedilmemiş değişiklik var)" if data["git_dirty"] else ""),
        f"- Envanter: {inventory}",
        f"- Playbook: {playbook_name}; sınır: {limit or 'tümü'}; etiketler: {tags or 'tümü'}",
        "",
        "| Sunucu | Başarılı | Değişen | Hatalı | Erişilemeyen |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r.host} | {r.ok} | {r.changed} | {r.failed} | {r.unreachable} |"
              for r in result.recap]
    base.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return base.with_suffix(".json")
