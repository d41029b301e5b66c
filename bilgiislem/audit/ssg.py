"""The OpenSCAP content for Debian 12: ``ssg-debian12-ds.xml`` from trixie's ``ssg-debian``.

Debian 12's own ``ssg-*`` packages carry no Debian 12 content; trixie's ``ssg-debian``
(architecture ``all``, so it needs nothing from trixie) does. The controller fetches it the
way apt would, and checks it the same way:

1. ``dists/trixie/InRelease``, verified with ``gpgv`` against the Debian archive keyring;
2. ``main/binary-all/Packages.xz``, checked against the SHA-256 in that Release file;
3. the ``ssg-debian`` stanza gives the pool file name, version and SHA-256 of the ``.deb``;
4. the ``.deb`` is downloaded, checked, and the data stream extracted from it.

Everything is cached under ``.cache/ssg/<version>/``; the index is looked at again at most
once a day (``.cache/ssg/index.json``). Without network the newest cached version is used.

    .venv/bin/python -m bilgiislem.audit.ssg [--refresh]    prints the data stream's path
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bilgiislem import REPO_ROOT
from bilgiislem.lab.image import MIRROR

SUITE = "trixie"
PACKAGE = "ssg-debian"
DATASTREAM_MEMBER = "usr/share/xml/scap/ssg/content/ssg-debian12-ds.xml"
DATASTREAM_NAME = "ssg-debian12-ds.xml"
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
CACHE_DIR = REPO_ROOT / ".cache" / "ssg"
RECHECK_AFTER = dt.timedelta(hours=24)
# A known-good package, its SHA-256 kept here: taken when the mirror's signed index cannot be
# checked (a mirror or cache caught between two updates serves a Release whose Packages.xz it
# does not have yet) and nothing is cached. The download is checked against this hash.
TIMEOUT = 60


class SsgError(RuntimeError):
    """The content cannot be obtained: a missing prerequisite of the audit."""


@dataclass(frozen=True)
class Content:
    version: str
    datastream: Path
    source: str  # where the .deb came from
    sha256: str  # of the .deb

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "datastream": str(self.datastream), "package": PACKAGE,
                "suite": SUITE}


@dataclass(frozen=True)
class PackageEntry:
    version: str
    filename: str
    sha256: str
    size: int


PINNED = PackageEntry(
    "0.1.76-1", "pool/main/s/scap-security-guide/ssg-debian_0.1.76-1_all.deb",
    "f6880719015c16e8e221bc2503c0e5a9f83d6a09fc6f9292d3522e46bf4fc9d7", 1232452)


def _fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
            return resp.read()
    except (urllib.error.URLError, OSError) as exc:
        raise SsgError(f"cannot download {url}: {exc}") from None


def verify_release(inrelease: bytes, keyring: Path = KEYRING) -> str:
    """The signed text of an InRelease file, after gpgv has checked its signature."""
    if not shutil.which("gpgv"):
        raise SsgError("gpgv is not installed (apt-get install gpgv)")
    if not keyring.is_file():
        raise SsgError(f"{keyring} is missing (apt-get install debian-archive-keyring)")
    res = subprocess.run(["gpgv", "--keyring", str(keyring), "--output", "-", "-"],
                         input=inrelease, capture_output=True, check=False)
    if res.returncode != 0:
        raise SsgError("the signature of trixie's InRelease does not verify: "
                       + res.stderr.decode("utf-8", "replace").strip())
    return res.stdout.decode("utf-8", "replace")


def release_sha256(release: str, path: str) -> tuple[str, int]:
    """(sha256, size) of ``path`` from the SHA256 section of a Release file."""
    in_sha = False
    for line in release.splitlines():
        if not line.startswith(" "):
            in_sha = line.strip() == "SHA256:"
            continue
        parts = line.split()
        if in_sha and len(parts) == 3 and parts[2] == path:
            return parts[0], int(parts[1])
    raise SsgError(f"{path} is not listed in trixie's Release file")


def find_package(packages: str, name: str = PACKAGE) -> PackageEntry:
    """The newest stanza of ``name`` in a Packages index."""
    best: PackageEntry | None = None
    for stanza in re.split(r"\n\s*\n", packages):
        fields = dict(re.findall(r"^([A-Za-z0-9-]+):[ \t]*(.*)$", stanza, flags=re.M))
        if fields.get("Package") != name:
            continue
        entry = PackageEntry(fields["Version"], fields["Filename"], fields["SHA256"],
                             int(fields.get("Size", "0")))
        if best is None or _version_key(entry.version) > _version_key(best.version):
            best = entry
    if best is None:
        raise SsgError(f"package {name} is not in trixie's Packages index")
    return best


def _version_key(version: str) -> list[object]:
    # Enough for one package's versions (digits compared as numbers); dpkg decides for real.
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", version)]


def extract_member(deb: bytes, member: str) -> bytes:
    """One file from a .deb (an ar archive holding data.tar.*)."""
    if not deb.startswith(b"!<arch>\n"):
        raise SsgError("not a .deb (ar) file")
    pos = 8
    while pos + 60 <= len(deb):
        header = deb[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = deb[pos + 60:pos + 60 + size]
        pos += 60 + size + (size % 2)
        if not name.startswith("data.tar"):
            continue
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
            for info in tar:
                if info.name.lstrip("./") == member and info.isfile():
                    fh = tar.extractfile(info)
                    if fh is not None:
                        return fh.read()
        raise SsgError(f"{member} is not in the package")
    raise SsgError("the .deb has no data.tar member")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _resolve(mirror: str) -> PackageEntry:
    base = f"{mirror.rstrip('/')}/dists/{SUITE}"
    release = verify_release(_fetch(f"{base}/InRelease"))
    want, size = release_sha256(release, "main/binary-all/Packages.xz")
    index = _fetch(f"{base}/main/binary-all/Packages.xz")
    if _sha256(index) != want or len(index) != size:
        raise SsgError("trixie's Packages.xz does not match its Release file")
    return find_package(lzma.decompress(index).decode("utf-8", "replace"))


def _cached(cache: Path) -> list[Content]:
    out = []
    for meta in cache.glob("*/content.json"):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        ds = meta.parent / DATASTREAM_NAME
        if ds.is_file():
            out.append(Content(data["version"], ds, data["source"], data["sha256"]))
    return sorted(out, key=lambda c: _version_key(c.version), reverse=True)


def ensure(say: Callable[[str], None] = print, *, refresh: bool = False,
           mirror: str = MIRROR, cache: Path = CACHE_DIR, offline: bool = False) -> Content:
    """The data stream on the controller: cached, or fetched and verified."""
    cached = _cached(cache)
    stamp = cache / "index.json"
    if cached and not refresh:
        try:
            checked = dt.datetime.fromisoformat(
                json.loads(stamp.read_text(encoding="utf-8"))["checked"])
        except (OSError, ValueError, KeyError):
            checked = None
        fresh = checked is not None and dt.datetime.now(dt.UTC) - checked < RECHECK_AFTER
        if offline or fresh:
            say(f"OpenSCAP content: {PACKAGE} {cached[0].version} (cached)")
            return cached[0]
    if offline:
        raise SsgError(f"no cached {PACKAGE} in {cache}; run once with network access")
    try:
        say(f"OpenSCAP content: checking {SUITE}'s {PACKAGE} on {mirror}")
        entry = _resolve(mirror)
    except SsgError as exc:
        if cached:
            say(f"OpenSCAP content: {exc}; using the cached {cached[0].version}")
            return cached[0]
        say(f"OpenSCAP content: {exc}; taking {PACKAGE} {PINNED.version}, whose SHA-256 "
            "this repository keeps")
        entry = PINNED
    cache.mkdir(parents=True, exist_ok=True)
    if entry is not PINNED:  # a pinned fallback is no check of the mirror: ask again next time
        stamp.write_text(json.dumps({"checked": dt.datetime.now(dt.UTC).isoformat(),
                                     "version": entry.version}) + "\n", encoding="utf-8")
    hit = next((c for c in cached if c.version == entry.version and c.sha256 == entry.sha256),
               None)
    if hit:
        say(f"OpenSCAP content: {PACKAGE} {hit.version} (cached, still current)")
        return hit
    url = f"{mirror.rstrip('/')}/{entry.filename}"
    say(f"OpenSCAP content: downloading {url}")
    deb = _fetch(url)
    if _sha256(deb) != entry.sha256:
        where = "kept in this repository" if entry is PINNED else "of trixie's Packages index"
        raise SsgError(f"{url} does not match the SHA-256 {where}")
    ds = extract_member(deb, DATASTREAM_MEMBER)
    target = cache / entry.version
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache))
    tmp.chmod(0o755)
    try:
        (tmp / Path(entry.filename).name).write_bytes(deb)
        (tmp / DATASTREAM_NAME).write_bytes(ds)
        (tmp / "content.json").write_text(json.dumps(
            {"version": entry.version, "source": url, "sha256": entry.sha256,
             "datastream_sha256": _sha256(ds)}, indent=2) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Content(entry.version, target / DATASTREAM_NAME, url, entry.sha256)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fetch or reuse the OpenSCAP content for "
                                                 "Debian 12 and print its path.")
    parser.add_argument("--refresh", action="store_true", help="check the index now")
    parser.add_argument("--offline", action="store_true", help="only use the cache")
    parser.add_argument("--json", action="store_true", help="print every detail as JSON")
    args = parser.parse_args()
    try:
        content = ensure(lambda m: print(m, file=sys.stderr),
                         refresh=args.refresh, offline=args.offline)
    except SsgError as exc:
        raise SystemExit(f"error: {exc}") from None
    print(json.dumps(content.as_dict(), indent=2) if args.json else content.datastream)


if __name__ == "__main__":
    main()
