"""The recorder's retention purge (roles/nvr/files/bilgiislem-kayit-temizle) on a fake clock:
what is older than the camera's class's days goes, the rest stays, the recordings of a camera
no longer in the data are never touched, and every run is logged."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from bilgiislem import REPO_ROOT

SCRIPT = REPO_ROOT / "roles" / "nvr" / "files" / "bilgiislem-kayit-temizle"
NOW = dt.datetime(2026, 12, 7, 3, 15, tzinfo=dt.UTC)


def _recording(root: Path, camera: str, days_old: int) -> Path:
    when = NOW - dt.timedelta(days=days_old)
    path = root / camera / when.strftime("%Y-%m-%d") / f"{camera}-{when:%Y%m%d-%H%M%S}.mkv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * 2048)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def _run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--config", str(tmp_path / "c.json"),
                           "--log", str(tmp_path / "log.jsonl"), "--now", NOW.isoformat(),
                           *extra], capture_output=True, text=True, check=False)


def test_purge_keeps_each_class_its_days_and_logs_it(tmp_path: Path) -> None:
    store = tmp_path / "kayit"
    (tmp_path / "c.json").write_text(json.dumps({
        "storage_dir": str(store), "max_days": 90,
        "cameras": {"kam-giris": {"class": "entrance", "retention_days": 30},
                    "kam-otopark": {"class": "outdoor", "retention_days": 60}}}))
    old_giris = _recording(store, "kam-giris", 31)
    new_giris = _recording(store, "kam-giris", 29)
    kept_otopark = _recording(store, "kam-otopark", 45)
    old_otopark = _recording(store, "kam-otopark", 61)
    removed_camera = _recording(store, "kam-eski", 400)

    dry = _run(tmp_path, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert old_giris.exists() and old_otopark.exists()

    res = _run(tmp_path)
    assert res.returncode == 0, res.stderr
    assert not old_giris.exists() and not old_giris.parent.exists()  # its day directory too
    assert not old_otopark.exists()
    assert new_giris.exists() and kept_otopark.exists()
    assert removed_camera.exists()  # not in the data: a person decides
    lines = [json.loads(x) for x in (tmp_path / "log.jsonl").read_text().splitlines()]
    last = {e.get("camera"): e for e in lines if not e.get("dry_run")}
    assert (last["kam-giris"]["files_deleted"], last["kam-giris"]["files_kept"]) == (1, 1)
    assert last["kam-otopark"]["files_deleted"] == 1
    assert last["kam-otopark"]["oldest_kept"].startswith("2026-10-23")
    assert (last["kam-eski"]["status"], last["kam-eski"]["files_deleted"]) == ("not-in-data", 0)
