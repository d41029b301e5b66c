"""Turkish naming rules: transliteration, slugs, usernames (bilgiislem/naming.py)."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from bilgiislem import naming
from bilgiislem.inventory import load

REPO = Path(__file__).resolve().parents[2]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- transliteration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Şükrü Öztürk", "sukru ozturk"),
        ("ÇAĞLAYAN", "caglayan"),
        ("Gülşen Doğan", "gulsen dogan"),
        ("İSMAİL IŞIK", "ismail isik"),  # İ -> i and I -> i, both without a dot accent
        ("ılık ırmak", "ilik irmak"),
        ("Işıl İnce", "isil ince"),
        ("Âli Îmâm Ûmran", "ali imam umran"),  # circumflex of Ottoman-origin words
        ("Hélène Núñez", "helene nunez"),  # other diacritics just lose the accent
    ],
)
def test_ascii_fold(text: str, folded: str) -> None:
    assert naming.ascii_fold(text) == folded
    assert naming.ascii_fold(nfd(text)) == folded


def test_dotted_capital_i_is_plain_i() -> None:
    # str.lower() would give "i" + U+0307 COMBINING DOT ABOVE; the rule transliterates first.
    assert "İ".lower() == "i\u0307"
    assert naming.ascii_fold("İ") == "i"
    assert naming.base_username("İlknur", "İnce") == "ilknur.ince"


def test_decomposed_input_is_composed_first() -> None:
    decomposed = "S\u0327u\u0308kru\u0308"  # S + cedilla, u + diaeresis
    assert decomposed != "Şükrü"
    assert naming.nfc(decomposed) == "Şükrü"
    assert naming.base_username(decomposed, nfd("Öztürk")) == "sukru.ozturk"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Zabıta Müdürlüğü", "zabita-mudurlugu"),
        ("İmar ve Şehircilik", "imar-ve-sehircilik"),
        ("  Kültür & Sosyal İşler  ", "kultur-sosyal-isler"),
        ("Su ve Kanalizasyon (SKİ)", "su-ve-kanalizasyon-ski"),
        ("kütüphane", "kutuphane"),
        ("Çarşı İtfaiye Grubu No:2", "carsi-itfaiye-grubu-no-2"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert naming.slugify(text) == slug
    assert naming.SLUG_RE.match(slug)


# --- base usernames ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ad", "soyad", "username"),
    [
        ("Şükrü", "Öztürk", "sukru.ozturk"),
        ("Ayşe Nur", "Çelik", "ayse.celik"),  # only the first given name
        ("İsmail", "Işık", "ismail.isik"),
        ("Hüseyin", "Kara-Yılmaz", "huseyin.karayilmaz"),  # hyphen dropped
        ("Ali", "Ağaoğlu", "ali.agaoglu"),
        ("Mehmet", "D'Ali", "mehmet.dali"),  # apostrophe dropped
        ("Ayşe-Gül", "Şen", "aysegul.sen"),
    ],
)
def test_base_username(ad: str, soyad: str, username: str) -> None:
    assert naming.base_username(ad, soyad) == username
    assert naming.USERNAME_RE.match(username)


def test_base_username_is_cut_at_20_characters() -> None:
    name = naming.base_username("Abdurrahman", "Karamustafaoğlu")
    assert name == "abdurrahman.karamust"
    assert len(name) == naming.USERNAME_MAX == 20


def test_cut_never_ends_in_a_dot() -> None:
    # 19 letters + "." is exactly 20 characters: the dangling dot goes.
    assert naming.base_username("Abdulkerimmuhammedx", "Öz") == "abdulkerimmuhammedx"


def test_name_in_another_script_gives_an_empty_part_not_a_crash() -> None:
    assert naming.base_username("Ахмед", "Çelik") == ".celik"
    assert naming.base_username("Ахмед Ali", "Çelik") == "ali.celik"


# --- assigning usernames ----------------------------------------------------------------------


def person(sicil: str, ad: str, soyad: str, start: str, explicit: str | None = None) -> tuple:
    return (sicil, ad, soyad, date.fromisoformat(start), explicit)


def test_collisions_are_numbered_by_start_date() -> None:
    people = [
        person("300", "Ayşe", "Çelik", "2021-04-05"),
        person("100", "Ayşe Gül", "Çelik", "2018-02-12"),
        person("200", "AYŞE", "ÇELİK", "2019-09-01"),
    ]
    assert naming.assign_usernames(people) == {
        "100": "ayse.celik", "200": "ayse.celik2", "300": "ayse.celik3",
    }


def test_same_start_date_is_ordered_by_sicil_no() -> None:
    people = [
        person("2002", "Mehmet", "Yılmaz", "2003-09-01"),
        person("2001", "Mehmet", "Yılmaz", "2003-09-01"),
    ]
    assert naming.assign_usernames(people) == {"2001": "mehmet.yilmaz", "2002": "mehmet.yilmaz2"}
    assert naming.assign_usernames(people[::-1]) == naming.assign_usernames(people)


def test_suffix_keeps_the_20_character_limit() -> None:
    people = [
        person("1", "Abdurrahman", "Karamustafaoğlu", "2010-01-04"),
        person("2", "Abdurrahman", "Karamustafaoğlu", "2012-01-02"),
        *(person(str(n), "Abdurrahman", "Karamustafaoğlu", f"20{n}-01-02")
          for n in range(13, 22)),
    ]
    names = naming.assign_usernames(people)
    assert names["1"] == "abdurrahman.karamust"
    assert names["2"] == "abdurrahman.karamus2"
    assert names["19"] == "abdurrahman.karamus9"
    assert names["20"] == "abdurrahman.karamu10"  # the 10th: two digits, one letter less
    assert all(len(n) <= naming.USERNAME_MAX for n in names.values())
    assert len(set(names.values())) == len(people)


def test_a_new_hire_never_renames_anyone() -> None:
    staff = [
        person("1001", "Şükrü", "Öztürk", "2012-09-03"),
        person("1002", "Ayşe Gül", "Çelik", "2018-02-12"),
        person("1005", "Ayşe", "Çelik", "2021-04-05"),
    ]
    before = naming.assign_usernames(staff)
    hired = [*staff, person("1010", "Ayşe", "Çelik", "2026-03-02"),
             person("1011", "Şükrü", "Öztürk", "2026-03-02")]
    after = naming.assign_usernames(hired)
    assert {k: after[k] for k in before} == before
    assert after["1010"] == "ayse.celik3"
    assert after["1011"] == "sukru.ozturk2"


def test_a_new_hire_never_renames_anyone_in_the_example() -> None:
    people = sorted(
        ((k.sicil_no, k.ad, k.soyad, k.baslama, k.kullanici_adi)
         for k in load(REPO / "inventory/example").personel),
        key=lambda p: (p[3], p[0]),
    )
    final = naming.assign_usernames(people)
    for size in range(1, len(people), 25):  # the staff as it was after each 25 hires
        earlier = naming.assign_usernames(people[:size])
        assert earlier == {k: final[k] for k in earlier}


def test_explicit_usernames_are_reserved_first() -> None:
    people = [
        person("1", "Ayşe", "Çelik", "2010-01-04"),
        person("2", "Ayşe", "Çelik", "2011-01-03"),
        # Hired last, but an explicit name wins and is taken before any derived one.
        person("3", "Ayşe Nur", "Kaya", "2020-06-01", explicit="ayse.celik2"),
        person("4", "Mehmet Emin", "Aydın", "2021-06-01", explicit="emin.aydin"),
        person("5", "Emin", "Aydın", "2022-06-01"),
    ]
    assert naming.assign_usernames(people) == {
        "1": "ayse.celik", "2": "ayse.celik3", "3": "ayse.celik2",
        "4": "emin.aydin", "5": "emin.aydin2",
    }


# --- patterns and suggestions -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["Ayşe Nur", "Kara-Yılmaz", "O'Neil", "D’Ali", "İÇÖĞÜŞ"])
def test_valid_person_names(name: str) -> None:
    assert naming.PERSON_NAME_RE.match(name)


@pytest.mark.parametrize("name", ["Ali2", "Ali  Veli", " Ali", "Ali ", "Ali_Veli", "-Ali", "",
                                  nfd("Şükrü")])  # NFD must be composed before matching
def test_invalid_person_names(name: str) -> None:
    assert not naming.PERSON_NAME_RE.match(name)


def test_suggest() -> None:
    sites = ["merkez", "kutuphane", "itfaiye"]
    assert naming.suggest("kutuphne", sites) == "kutuphane"
    assert naming.suggest("itfaye", sites) == "itfaiye"
    assert naming.suggest("zabita", sites) is None
    roles = ["ntp_server", "log_collector", "nvr"]
    assert naming.suggest("ntp", roles) == "ntp_server"  # unique prefix
    assert naming.suggest("n", roles) is None  # ambiguous prefix
    assert naming.suggest("", roles) is None


# --- whole inventories ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lab", "example"])
def test_inventories_load(name: str) -> None:
    inv = load(REPO / "inventory" / name)
    assert inv.personel and inv.hosts
    assert len(set(inv.usernames.values())) == len(inv.personel)
    for username in inv.usernames.values():
        assert naming.USERNAME_RE.match(username), username
        assert len(username) <= naming.USERNAME_MAX


def test_lab_usernames() -> None:
    inv = load(REPO / "inventory/lab")
    assert inv.usernames == {
        "1001": "sukru.ozturk", "1002": "ayse.celik", "1003": "ismail.isik",
        "1004": "gulsen.dogan", "1005": "ayse.celik2", "0998": "huseyin.gunes",
    }


def test_decomposed_names_in_a_file_are_stored_composed(tmp_path: Path) -> None:
    root = tmp_path / "inventory"
    shutil.copytree(REPO / "inventory/lab", root)
    personel = root / "personel.yml"
    personel.write_text(nfd(personel.read_text(encoding="utf-8")), encoding="utf-8")
    inv = load(root)
    first = inv.personel[0]
    assert (first.ad, first.soyad) == ("Şükrü", "Öztürk")
    assert inv.usernames["1001"] == "sukru.ozturk"
    assert inv.usernames["1003"] == "ismail.isik"
