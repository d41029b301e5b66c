"""Rendered switch configurations against golden files, one per vendor (example inventory).

A change in a template shows as a diff here. To accept it:
BILGIISLEM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_netconfig.py
"""

from __future__ import annotations

import os

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load, models
from bilgiislem.netconfig import intent, render

EXAMPLE = REPO_ROOT / "inventory" / "example"
GOLDEN = REPO_ROOT / "tests" / "golden" / "netconfig"
# Fixed stand-ins: real ones come from the vault.
SECRETS = intent.Secrets(
    automation=intent.Account("bilgiislem", "Golden-Otomasyon-1"),
    snmp=intent.Snmp("izleme", "Golden-Snmp-Auth-1", "Golden-Snmp-Priv-1"),
    admins=(intent.Account("sukru.ozturk", "Golden-Yonetici-1"),))
DEVICES = ["sw-merkez-cekirdek", "sw-merkez-kat3", "sw-merkez-sunucu", "sw-merkez-zemin"]


@pytest.mark.parametrize("name", DEVICES)
def test_rendered_config_matches_golden(name: str):
    inv = load(EXAMPLE)
    text = render.render(intent.device_intent(inv, name, SECRETS))
    path = GOLDEN / f"{name}.cfg"
    if os.environ.get("BILGIISLEM_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; see the module doc"


def test_golden_files_cover_every_vendor_and_feature():
    """Each vendor has every feature template, and its golden devices use every port feature
    the vendor supports."""
    inv = load(EXAMPLE)
    for vendor, supported in models.NETWORK_VENDORS.items():
        for feature in render.FEATURES:
            assert (render.TEMPLATES / vendor / f"{feature}.j2").is_file(), (vendor, feature)
        devices = [d for d in inv.devices if d.name in DEVICES and d.vendor == vendor]
        used = {"lag" for d in devices if d.lags}
        for d in devices:
            for p in [*d.ports, *d.lags]:
                used |= _features(inv.port_profiles[p.profile])
        assert used == supported, vendor


def _features(p: models.PortProfile) -> set[str]:
    return {f for f, on in (("voice_vlan", p.voice_vlan), ("edge", p.edge),
                            ("port_security", p.port_security)) if on}


def test_turkish_banner_is_folded_to_ascii():
    assert intent.banner()[0] == ("UYARI: Bu sistem yalnizca yetkili kullanicilarin kullanimi "
                                  "icindir.")


def test_vlan_and_port_lists_are_compressed():
    assert render._vlan_list([30, 10, 11, 12, 20]) == "10-12,20,30"
    assert render._port_list(["1", "2", "3", "7", "Trk1"]) == "1-3,7,Trk1"
    assert render._vrp_vlan_list([10, 20, 99, 100, 101]) == "10 20 99 to 101"
