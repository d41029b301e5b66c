"""inventory/example is the realistic sample: check it stays that way."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import make_example_personel
import pytest
from casekit import REPO

from bilgiislem.inventory import Inventory, load

EXAMPLE = REPO / "inventory" / "example"


@pytest.fixture(scope="module")
def inv() -> Inventory:
    return load(EXAMPLE)


def test_shape(inv: Inventory) -> None:
    assert inv.municipality.domain == "yesilyayla.bel.tr"
    assert len(inv.municipality.departments) == 14
    assert [s.type for s in inv.sites].count("central") == 1
    assert len(inv.sites) == 13
    assert 380 <= len(inv.personel) <= 420
    assert {"switch", "ups"} <= {d.kind for d in inv.devices}
    assert inv.cameras is not None
    assert {c.class_ for c in inv.cameras.cameras} == {"entrance", "indoor", "outdoor", "ptz",
                                                        "live"}
    assert {c.nvr for c in inv.cameras.cameras} == {"srv-nvr"}
    assert {"cisco_ios", "huawei_vrp", "hp_procurve"} <= {d.vendor for d in inv.devices}
    assert not inv.connection.private_key_file and not inv.connection.known_hosts_file
    assert (EXAMPLE / "inventory.yml").read_text().count("plugin: belediye") == 1
    # the register: managed assets by name, a phone by MAC, unmanaged ones by serial alone,
    # and a licence whose installations are not on the servers
    assert inv.varliklar is not None
    kinds = {("mac" if ":" in (v.cihaz or "") else "name" if v.cihaz else "serial")
             for v in inv.varliklar.varliklar}
    assert kinds == {"name", "mac", "serial"}
    assert any(not x.paketler for x in inv.varliklar.lisanslar)


def test_every_site_has_its_networks_and_a_gateway(inv: Inventory) -> None:
    central = next(s.code for s in inv.sites if s.type == "central")
    purposes = {(n.site, n.purpose) for n in inv.networks}
    for purpose in ("data", "voice", "camera", "management", "server", "guest"):
        assert (central, purpose) in purposes
    assert any(n.purpose == "wan" for n in inv.networks)
    for site in (s.code for s in inv.sites if s.type == "remote"):
        assert {(site, "data"), (site, "camera"), (site, "management")} <= purposes
        gateways = [h for h in inv.hosts if h.site == site and "vpn_gateway" in h.roles]
        assert len(gateways) == 1, site
    central_roles = {r for h in inv.hosts if h.site == central for r in h.roles}
    assert {"vpn_hub", "ntp_server", "log_collector", "directory", "backup_server"} <= (
        central_roles)


def test_devices_are_managed_on_management_or_camera_networks(inv: Inventory) -> None:
    for device in inv.devices:
        purpose = inv.network(device.network).purpose
        assert purpose == ("camera" if device.kind == "camera" else "management"), device.name


def test_personnel_is_realistic(inv: Inventory) -> None:
    status = Counter(k.durum for k in inv.personel)
    assert 0.03 <= status["izinli"] / len(inv.personel) <= 0.08
    assert 0.03 <= status["ayrildi"] / len(inv.personel) <= 0.08
    assert all(k.ayrilis for k in inv.personel if k.durum == "ayrildi")
    assert len([k for k in inv.personel if k.kullanici_adi]) == 2
    assert any(" " in k.ad for k in inv.personel)  # double given names
    assert any(u[-1].isdigit() for u in inv.usernames.values())  # namesakes got a suffix
    assert any(len(u) == 20 for u in inv.usernames.values())  # a long name was cut
    letters = set("".join(k.ad + k.soyad for k in inv.personel))
    assert set("şğıİöüçŞÇÖÜ") <= letters
    assert {k.mudurluk for k in inv.personel} == {d.code for d in inv.municipality.departments}


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = make_example_personel.render(make_example_personel.generate())
    assert make_example_personel.render(make_example_personel.generate()) == first
    out = tmp_path / "personel.yml"
    assert make_example_personel.main(["make_example_personel.py", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == first
