"""IP phone provisioning files against golden files (one Yealink, one Grandstream), their masked
form, file names, the time zone derived from the IANA name, and escaping of display names.

A change in a template shows as a diff here. To accept it:
BILGIISLEM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_pbx_provision.py
"""

from __future__ import annotations

import dataclasses
import os
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem.pbx import provision
from bilgiislem.pbx.provision import Phone

GOLDEN = REPO_ROOT / "tests" / "golden" / "pbx"
UPDATE = os.environ.get("BILGIISLEM_UPDATE_GOLDEN") == "1"
# Fixed fake secrets: real ones come from the vault.
YEALINK = Phone(
    mac="805ec0112233", vendor="yealink", model="T46U", extension=2100,
    display_name="Şükrü Öztürk", secret="test-sip-secret-2100", server="10.10.30.10",
    port=5060, transport="udp", ntp_servers=("10.10.20.10", "10.10.20.11"),
    timezone="Europe/Istanbul", voice_vlan=30, provisioning_url="http://10.10.30.10/prov")
GRANDSTREAM = Phone(
    mac="000b82445566", vendor="grandstream", model="GXP2170", extension=2101,
    display_name="Ayşe Gül Çelik & Co <test>", secret="test-sip-secret-2101",
    server="10.10.30.10", port=5061, transport="tls", ntp_servers=("10.10.20.10",),
    timezone="Europe/Istanbul", voice_vlan=None, provisioning_url="http://10.10.30.10/prov")


@pytest.mark.parametrize("phone", [YEALINK, GRANDSTREAM], ids=["yealink", "grandstream"])
def test_file_matches_golden(phone: Phone):
    text = provision.render(phone)
    path = GOLDEN / provision.filename(phone)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; see the module doc"
    assert phone.secret in text


@pytest.mark.parametrize("phone", [YEALINK, GRANDSTREAM], ids=["yealink", "grandstream"])
def test_masked_file_holds_no_secret(phone: Phone):
    text = provision.render(phone, show_secrets=False)
    assert phone.secret not in text
    assert provision.MASK in text
    assert text == provision.render(phone).replace(phone.secret, provision.MASK)


def test_file_names_and_render_all():
    assert provision.filename(YEALINK) == "805ec0112233.cfg"
    assert provision.filename(GRANDSTREAM) == "cfg000b82445566.xml"
    files = provision.render_all([YEALINK, GRANDSTREAM], show_secrets=False)
    assert list(files) == ["805ec0112233.cfg", "cfg000b82445566.xml"]
    assert files["805ec0112233.cfg"] == provision.render(YEALINK, show_secrets=False)
    with pytest.raises(ValueError, match="two phones with the MAC address 805ec0112233"):
        provision.render_all([YEALINK, dataclasses.replace(YEALINK, extension=2102)])


def test_yealink_file():
    lines = provision.render(YEALINK).splitlines()
    assert lines[0] == "#!version:1.0.0.1"
    for line in ["account.1.display_name = Şükrü Öztürk", "account.1.label = 2100",
                 "account.1.sip_server.1.transport_type = 0", "local_time.time_zone = +3",
                 "local_time.time_zone_name = Turkey(Ankara)", "local_time.summer_time = 0",
                 "local_time.ntp_server2 = 10.10.20.11",
                 "static.network.vlan.internet_port_vid = 30", "lang.gui = Turkish"]:
        assert line in lines
    untagged = provision.render(dataclasses.replace(YEALINK, voice_vlan=None, transport="tls",
                                                    port=5061, ntp_servers=("10.10.20.10",)))
    assert "static.network.vlan.internet_port_enable = 0" in untagged
    assert "internet_port_vid" not in untagged and "ntp_server2" not in untagged
    assert "account.1.sip_server.1.transport_type = 2" in untagged


def test_grandstream_file_is_xml_and_escapes_the_display_name():
    text = provision.render(GRANDSTREAM)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert "Ayşe Gül Çelik &amp; Co &lt;test&gt;" in text
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "gs_provision" and root.findtext("mac") == "000b82445566"
    found = root.find("config")
    assert found is not None
    config = {e.tag: e.text or "" for e in found}
    assert config["P3"] == "Ayşe Gül Çelik & Co <test>"
    assert (config["P47"], config["P130"], config["P34"]) == (
        "10.10.30.10:5061", "2", "test-sip-secret-2101")
    assert (config["P64"], config["P246"], config["P51"]) == ("customize", "<+03>-3", "0")
    assert (config["P212"], config["P237"], config["P1362"]) == ("1", "10.10.30.10/prov", "tr")
    assert "P8333" not in config  # one NTP server
    tagged = provision.render(dataclasses.replace(GRANDSTREAM, voice_vlan=30))
    assert "<P51>30</P51>" in tagged


def test_time_zone_is_derived_from_the_iana_name():
    offset, name = provision.zone_offset("Europe/Istanbul")
    assert (offset, name) == (timedelta(hours=3), "+03")
    assert provision.yealink_time_zone(offset) == "+3"
    assert provision.posix_tz(offset, name) == "<+03>-3"
    # other fixed offsets: half and quarter hours, west of UTC, a lettered abbreviation
    kolkata = provision.zone_offset("Asia/Kolkata")
    assert (provision.yealink_time_zone(kolkata[0]), provision.posix_tz(*kolkata)) == (
        "+5:30", "IST-5:30")
    kathmandu = provision.zone_offset("Asia/Kathmandu")
    assert provision.posix_tz(*kathmandu) == "<+0545>-5:45"
    caracas = provision.zone_offset("America/Caracas")
    assert (provision.yealink_time_zone(caracas[0]), provision.posix_tz(*caracas)) == (
        "-4", "<-04>4")
    assert provision.posix_tz(*provision.zone_offset("UTC")) == "UTC0"
    # a fixed zone without a Yealink name gets the offset only
    moscow = provision.render(dataclasses.replace(YEALINK, timezone="Europe/Moscow"))
    assert "local_time.time_zone = +3" in moscow and "time_zone_name" not in moscow


def test_zone_with_daylight_saving_time_is_refused():
    with pytest.raises(ValueError, match=r"time zone Europe/Berlin changes its UTC offset "
                                         r"during 2025 \(\+1, \+2: daylight saving time\)"):
        provision.zone_offset("Europe/Berlin", 2025)
    with pytest.raises(ValueError, match="Europe/Berlin changes its UTC offset"):
        provision.render(dataclasses.replace(GRANDSTREAM, timezone="Europe/Berlin"))
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Ankara'"):
        provision.zone_offset("Europe/Ankara")
    # Turkey kept summer time until 2016
    with pytest.raises(ValueError, match="Europe/Istanbul changes its UTC offset during 2015"):
        provision.zone_offset("Europe/Istanbul", 2015)


@pytest.mark.parametrize(("change", "message"), [
    ({"mac": "80:5E:C0:11:22:33"}, "12 lowercase hex digits"),
    ({"mac": "805EC0112233"}, "12 lowercase hex digits"),
    ({"display_name": "Ali\nlinekey.9.type = 16"}, "display_name holds a line break"),
    ({"secret": "a\rb"}, "secret holds a line break"),
    ({"ntp_servers": ()}, "one or two NTP servers"),
    ({"ntp_servers": ("a", "b", "c")}, "one or two NTP servers"),
    ({"voice_vlan": 4095}, "voice VLAN 4095"),
    ({"transport": "sctp"}, "transport 'sctp'"),
    ({"vendor": "cisco"}, "vendor 'cisco'"),
    ({"model": "T46U -- x"}, "not a model name"),
    ({"provisioning_url": "10.10.30.10/prov"}, "needs one of the schemes"),
])
def test_invalid_phone_is_refused(change: dict, message: str):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(YEALINK, **change)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language 'ku'"):
        provision.render(dataclasses.replace(YEALINK, language="ku"))
    with pytest.raises(ValueError, match="language 'ku'"):
        provision.render(dataclasses.replace(GRANDSTREAM, language="ku"))
    english = provision.render(dataclasses.replace(YEALINK, language="en"))
    assert "lang.wui = English" in english
