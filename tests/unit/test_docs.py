"""Generated docs are in sync with the schema and the roles' argument_specs (bilgiislem/docgen.py).

When this fails, run `./scripts/invoke docs` and commit the result.
"""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
import yaml

from bilgiislem import docgen
from bilgiislem.inventory import models

REPO = Path(__file__).resolve().parents[2]


def test_generated_docs_are_up_to_date() -> None:
    stale = [str(p.relative_to(REPO)) for p in docgen.write_all(check=True)]
    assert stale == [], f"out of date: {stale}; run ./scripts/invoke docs"


def test_schema_doc_covers_every_file_and_field() -> None:
    text = docgen.render_schema_doc()
    for name in models.FILES:
        assert f"## `{name}`" in text
    # A sample of paths, with what the models say about them.
    lines = [line for line in text.splitlines() if line.startswith("| `")]
    # (two files may share a path: sites.yml and vpn.yml both have sites[].type)
    rows = {line.split(" | ")[0].strip("| `"): line for line in lines}
    assert "1–4094" in rows["networks[].vlan"]
    assert "**required**" in rows["hosts[].interfaces[].ip"]
    assert "default `Europe/Istanbul`" in rows["municipality.timezone"]
    assert "`ayrildi`" in rows["personel[].durum"]
    assert "default `{first: 2000, last: 2999}`" in rows["municipality.extension_range"]
    for role in models.HOST_ROLES:
        assert f"`{role}`" in rows["hosts[].roles"]
    # Every leaf field of every model has a row.
    count = 0

    def walk(model: type) -> None:
        nonlocal count
        for info in model.model_fields.values():
            count += 1
            for arg in typing.get_args(info.annotation) or (info.annotation,):
                inner = typing.get_args(arg)[0] if typing.get_origin(arg) is list else arg
                if isinstance(inner, type) and issubclass(inner, models.Strict):
                    walk(inner)

    for model in models.FILES.values():
        walk(model)
    assert len(lines) == count
    assert "`linux-wireguard`" in rows["sites[].type"]


def test_every_field_needs_a_description(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = dict(docgen.FIELD_DOCS)
    del docs["Network.vlan"]
    monkeypatch.setattr(docgen, "FIELD_DOCS", docs)
    with pytest.raises(docgen.DocgenError, match=r"Network\.vlan"):
        docgen.render_schema_doc()


def test_role_table_lists_every_argument() -> None:
    role = REPO / "roles" / "common"
    specs = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    table = docgen.render_role_variables(role)
    for name in specs["argument_specs"]["main"]["options"]:
        assert re.search(rf"^\| `{name}` \|", table, re.M), name
    assert "| `common_hosts_entries[].ip` | str | **required** |" in table
    assert "| `common_chrony_set_clock` | bool | `true` |" in table
    assert "O(" not in table and "C(" not in table  # Ansible markup became Markdown


def test_check_finds_and_write_fixes_a_stale_readme(tmp_path: Path) -> None:
    shutil.copytree(REPO / "roles" / "common", tmp_path / "roles" / "common")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "inventory-schema.md").write_text(docgen.render_schema_doc(),
                                                           encoding="utf-8")
    readme = tmp_path / "roles" / "common" / "README.md"
    original = readme.read_text(encoding="utf-8")
    assert docgen.write_all(check=True, root=tmp_path) == []
    start = original.index(docgen.BEGIN) + len(docgen.BEGIN)
    end = original.index(docgen.END)
    readme.write_text(original[:start] + "\nstale\n" + original[end:], encoding="utf-8")
    assert docgen.write_all(check=True, root=tmp_path) == [readme]
    assert "stale" in readme.read_text(encoding="utf-8")  # check mode writes nothing
    assert docgen.write_all(root=tmp_path) == [readme]
    assert readme.read_text(encoding="utf-8") == original
    assert docgen.write_all(check=True, root=tmp_path) == []
