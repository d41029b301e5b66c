"""A small secret scanner for the repository: nothing secret may be committed in plain text.

It checks every tracked file for private keys and token-like strings, YAML for secret-named
keys with literal values, and that vault files are really encrypted. Run by the test suite.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bilgiislem import REPO_ROOT

PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")
TOKENS = re.compile(
    r"(?:AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]{10,}|"
    r"\$6\$[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86})"
)
# "password: hunter2" but not "password: '{{ vault_x }}'", "password: !vault |", lookups,
# empty values ({} and [] too), or names that only point at a secret (…_file, …_path,
# …_length, ...).
SECRET_KEY = re.compile(
    r"^\s*-?\s*(?P<key>[A-Za-z0-9_]*(?:password|passwd|secret|psk|private_key|api_key|token)"
    r"[A-Za-z0-9_]*)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
POINTER_SUFFIXES = ("_file", "_path", "_length", "_policy", "_min", "_max", "_age", "_dir",
                    "_name", "_history")
SAFE_VALUE = re.compile(
    r"""^(?:!vault\b|["']?\{\{|null$|~$|""$|''$|\{\}$|\[\]$|\||>|true$|false$|\d+$)""")
VAULT_HEADER = "$ANSIBLE_VAULT;"
SKIP_SUFFIXES = (".png", ".jpg", ".gz", ".tar", ".pdf")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def tracked_files(root: Path = REPO_ROOT) -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                         check=True).stdout.decode()
    return [root / p for p in out.split("\0") if p]


def scan_text(rel: str, text: str) -> list[Finding]:
    findings = []
    is_yaml = rel.endswith((".yml", ".yaml"))
    if "vault" in Path(rel).name and is_yaml and not text.startswith(VAULT_HEADER):
        findings.append(Finding(rel, 1, "vault file is not encrypted (ansible-vault encrypt)"))
    for n, line in enumerate(text.splitlines(), 1):
        if PRIVATE_KEY.search(line):
            findings.append(Finding(rel, n, "private key"))
        if TOKENS.search(line):
            findings.append(Finding(rel, n, "token or password hash"))
        if is_yaml:
            m = SECRET_KEY.match(line)
            if m and not m["key"].lower().endswith(POINTER_SUFFIXES) \
                    and not SAFE_VALUE.match(m["value"]) and not m["value"].startswith("#"):
                findings.append(Finding(rel, n, f"plain-text value for {m['key']!r}"))
    return findings


def scan(root: Path = REPO_ROOT) -> list[Finding]:
    findings = []
    for path in tracked_files(root):
        if path.suffix in SKIP_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        findings += scan_text(str(path.relative_to(root)), text)
    return findings
