"""Generate inventory/example/personel.yml: ~400 fictional staff of Yeşilyayla Belediyesi.

Run once from the repository root (the output is committed and edited like real data)::

    .venv/bin/python tests/validation/make_example_personel.py [OUTPUT]

The generator is seeded, so the same version of this script always writes the same file. It
exercises what real personnel data contains: Turkish letters (ş ğ ı İ ö ü ç), double given
names, long surnames (username truncation), people who share a name (username suffixes),
people on leave and people who left, extensions unique within the municipality's range, and a
couple of explicit usernames.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from bilgiislem import naming

SEED = 20260315
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "inventory/example/personel.yml"
EXTENSION_FIRST, EXTENSION_BLOCK = 3000, 70  # must match municipality.yml extension_range
TODAY = date(2026, 3, 1)

# (code, name as in municipality.yml, head count, titles with weights)
DEPARTMENTS: list[tuple[str, str, int, dict[str, int]]] = [
    ("bilgi-islem", "Bilgi İşlem", 12, {
        "Bilgisayar Mühendisi": 3, "Sistem Yöneticisi": 2, "Ağ Teknisyeni": 2,
        "Programcı": 2, "Bilgisayar İşletmeni": 2}),
    ("yazi-isleri", "Yazı İşleri", 18, {
        "Memur": 5, "Veri Hazırlama ve Kontrol İşletmeni": 4, "Evrak Kayıt Memuru": 2}),
    ("fen-isleri", "Fen İşleri", 48, {
        "İnşaat Mühendisi": 4, "Makine Mühendisi": 2, "Harita Mühendisi": 2, "Tekniker": 4,
        "Teknisyen": 4, "İş Makinesi Operatörü": 5, "Şoför": 5, "Usta": 4, "Memur": 2}),
    ("imar", "İmar ve Şehircilik", 26, {
        "Mimar": 3, "İnşaat Mühendisi": 3, "Şehir Plancısı": 2, "Harita Teknikeri": 3,
        "Memur": 3}),
    ("zabita", "Zabıta", 40, {
        "Zabıta Amiri": 1, "Zabıta Komiseri": 2, "Zabıta Memuru": 12}),
    ("itfaiye", "İtfaiye", 52, {
        "İtfaiye Amiri": 1, "İtfaiye Çavuşu": 3, "İtfaiye Eri": 14, "İtfaiye Şoförü": 4}),
    ("mali-hizmetler", "Mali Hizmetler", 24, {
        "Muhasebeci": 3, "Gelir Uzmanı": 2, "Tahsildar": 3, "Memur": 3}),
    ("insan-kaynaklari", "İnsan Kaynakları ve Eğitim", 12, {
        "İnsan Kaynakları Uzmanı": 2, "Memur": 3, "Eğitim Koordinatörü": 1}),
    ("kultur", "Kültür ve Sosyal İşler", 30, {
        "Kütüphaneci": 4, "Kültür ve Turizm Uzmanı": 2, "Sosyal Çalışmacı": 2,
        "Psikolog": 1, "Memur": 3}),
    ("park-bahceler", "Park ve Bahçeler", 36, {
        "Peyzaj Mimarı": 2, "Ziraat Mühendisi": 2, "Bahçıvan": 8, "Teknisyen": 2,
        "Şoför": 2}),
    ("temizlik", "Temizlik İşleri", 44, {
        "Çevre Mühendisi": 2, "Temizlik Personeli": 12, "Şoför": 5, "Veteriner Hekim": 1,
        "İş Makinesi Operatörü": 2}),
    ("su-kanalizasyon", "Su ve Kanalizasyon", 38, {
        "Çevre Mühendisi": 2, "Kimyager": 2, "Tekniker": 3, "Arıtma Tesisi Operatörü": 5,
        "Tesisatçı": 4, "Sayaç Okuma Memuru": 3}),
    ("destek", "Destek Hizmetleri", 14, {
        "Satın Alma Memuru": 2, "Ambar Memuru": 1, "Şoför": 2, "Teknisyen": 1}),
    ("hukuk", "Hukuk İşleri", 6, {"Avukat": 3, "Memur": 1}),
]
# Field staff without a desk phone.
NO_EXTENSION = {"İtfaiye Eri", "Şoför", "İtfaiye Şoförü", "Bahçıvan", "Temizlik Personeli",
                "İş Makinesi Operatörü", "Usta", "Tesisatçı"}

# (name, weight): common names are common, so some people share a name.
MALE = {
    "Mehmet": 12, "Mustafa": 10, "Ahmet": 9, "Ali": 8, "Hüseyin": 6, "Hasan": 6,
    "İbrahim": 5, "İsmail": 4, "Osman": 3, "Yusuf": 4, "Murat": 4, "Ömer": 3, "Ramazan": 3,
    "Halil": 2, "Süleyman": 2, "Abdullah": 2, "Mahmut": 2, "Recep": 2, "Kemal": 2,
    "Emre": 3, "Burak": 3, "Serkan": 2, "Oğuz": 2, "Gökhan": 2, "Çağrı": 2, "Uğur": 2,
    "Barış": 2, "Tolga": 1, "Volkan": 1, "Şükrü": 1, "Doğan": 1, "Ercan": 1, "Cüneyt": 1,
    "Erdoğan": 1, "Tuğrul": 1, "Levent": 1, "Ilgaz": 1, "Abdurrahman": 1, "Hakkı": 1,
    "Yiğit": 1, "Berkay": 1, "Enes": 2, "Furkan": 2, "Özgür": 1, "İlker": 1,
}
FEMALE = {
    "Ayşe": 10, "Fatma": 10, "Emine": 7, "Hatice": 6, "Zeynep": 6, "Elif": 5, "Meryem": 3,
    "Şerife": 2, "Zehra": 2, "Sultan": 2, "Hanife": 1, "Merve": 3, "Özlem": 2, "Büşra": 3,
    "Esra": 3, "Gülşen": 2, "Gülay": 1, "Sevgi": 2, "Dilek": 2, "Tuğba": 2, "Derya": 2,
    "Şeyma": 2, "Çiğdem": 1, "Gökçe": 1, "Işıl": 1, "Irmak": 1, "İlknur": 1, "İpek": 1,
    "Nilüfer": 1, "Hülya": 1, "Songül": 1, "Öznur": 1, "Ülkü": 1, "Aslı": 2, "Buket": 1,
}
# Common Turkish double given names; the username uses only the first one.
DOUBLE = ["Ayşe Nur", "Fatma Zehra", "Mehmet Ali", "Ali Rıza", "Hüseyin Cahit",
          "Mehmet Emin", "Ayşe Gül", "Emine Şule", "Mustafa Kemal", "Zeynep Büşra",
          "Muhammed Yusuf", "Elif Naz", "Ahmet Can", "Şule Nur", "Halil İbrahim",
          "Gül Sena", "Ömer Faruk", "İrem Su"]
SURNAMES = {
    "Yılmaz": 12, "Kaya": 9, "Demir": 9, "Şahin": 8, "Çelik": 8, "Yıldız": 7,
    "Yıldırım": 6, "Öztürk": 6, "Aydın": 6, "Özdemir": 5, "Arslan": 5, "Doğan": 5,
    "Kılıç": 4, "Aslan": 4, "Çetin": 4, "Kara": 4, "Koç": 4, "Kurt": 4, "Özkan": 3,
    "Şimşek": 3, "Polat": 3, "Korkmaz": 3, "Karataş": 2, "Güneş": 3, "Erdoğan": 2,
    "Aksoy": 2, "Ünal": 2, "Acar": 2, "Işık": 2, "Güler": 2, "Bulut": 2, "Keskin": 2,
    "Tekin": 2, "Bozkurt": 2, "Uçar": 1, "Ateş": 1, "Özer": 1, "Gündoğdu": 1,
    "Akgül": 1, "Sarıkaya": 1, "Türkmen": 1, "Köse": 1, "Ağaoğlu": 1, "Çakır": 2,
    "İnce": 1, "Gök": 1, "Erşahin": 1, "Dönmez": 1, "Ölmez": 1, "Çağlayan": 1,
    "Karamustafaoğlu": 1, "Hacıhasanoğlu": 1, "Kahramanmaraşlı": 1, "Bayraktaroğlu": 1,
    "Kara-Yılmaz": 1, "Ilıcak": 1, "Irmak": 1, "İlhan": 1,
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _given_name(rng: random.Random) -> str:
    if rng.random() < 0.09:
        return rng.choice(DOUBLE)
    return _pick(rng, MALE if rng.random() < 0.6 else FEMALE)


def generate(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    people: list[dict[str, object]] = []
    for code, name, count, titles in DEPARTMENTS:
        for n in range(count):
            if n == 0:
                title = f"{name} Müdürü"
            elif n <= (2 if count > 20 else 1):
                title = "Şef"
            else:
                title = _pick(rng, titles)
            people.append({
                "ad": _given_name(rng),
                "soyad": _pick(rng, SURNAMES),
                "mudurluk": code,
                "unvan": title,
                "baslama": _day(rng, date(1994, 1, 3), date(2026, 2, 2)),
            })
    # A few namesakes on purpose, hired later than the original, so the suffix rule shows.
    for original in rng.sample(people, 5):
        twin = dict(original)
        twin["mudurluk"], _, _, titles = rng.choice(DEPARTMENTS)
        twin["unvan"] = _pick(rng, titles)
        twin["baslama"] = _day(rng, original["baslama"], TODAY)  # type: ignore[arg-type]
        people.append(twin)
    # The long-serving pair with the same name hired on the same day: sicil no decides.
    same_day = date(2003, 9, 1)
    for dept in ("fen-isleri", "zabita"):
        people.append({"ad": "Mehmet", "soyad": "Yılmaz", "mudurluk": dept,
                       "unvan": "Memur", "baslama": same_day})

    # Sicil numbers follow the hiring order, as the personnel office issues them.
    people.sort(key=lambda p: (p["baslama"], p["mudurluk"], p["soyad"], p["ad"]))
    number = 100
    for person in people:
        number += rng.randint(1, 9)
        person["sicil_no"] = f"{number:05d}"

    # Status: about 5% on leave, 5% left (with a leaving date after the start).
    for person in people:
        roll = rng.random()
        start: date = person["baslama"]  # type: ignore[assignment]
        if roll < 0.05 and start < date(2025, 6, 1):
            person["durum"] = "ayrildi"
            person["ayrilis"] = _day(rng, start + timedelta(days=180), TODAY)
        elif roll < 0.10:
            person["durum"] = "izinli"
        else:
            person["durum"] = "aktif"

    # Extensions: each department has a block of numbers; field staff and leavers have none.
    next_ext = {code: EXTENSION_FIRST + i * EXTENSION_BLOCK
                for i, (code, *_rest) in enumerate(DEPARTMENTS)}
    for person in people:
        if person["durum"] == "ayrildi" or person["unvan"] in NO_EXTENSION:
            continue
        code = str(person["mudurluk"])
        next_ext[code] += 1
        person["dahili"] = next_ext[code]

    # Two people with an explicit username: the head of IT, who asked for a short one, and
    # someone known by a second given name.
    head = next(p for p in people if p["unvan"] == "Bilgi İşlem Müdürü")
    head["kullanici_adi"] = "bim." + naming.base_username("x", str(head["soyad"]))[2:]
    known_as = next(p for p in people if p["durum"] == "aktif" and p["mudurluk"] == "imar"
                    and p["unvan"] == "Mimar")
    known_as["ad"] = "Mehmet Emin"
    known_as["kullanici_adi"] = "emin." + naming.base_username("x", str(known_as["soyad"]))[2:]
    return sorted(people, key=lambda p: str(p["sicil_no"]))


FIELDS = ("sicil_no", "ad", "soyad", "mudurluk", "unvan", "durum", "baslama", "ayrilis",
          "dahili", "kullanici_adi")
HEADER = """\
---
# Personnel file (personel dosyası) of the fictional Yeşilyayla Belediyesi. Field names follow
# the personnel office's export. Usernames are derived by the rule in docs/inventory.md unless
# kullanici_adi is given.
# First written by tests/validation/make_example_personel.py (seeded); edit it like real data.
personel:
"""


def render(people: list[dict[str, object]]) -> str:
    out = [HEADER]
    for person in people:
        first = True
        for key in FIELDS:
            if key not in person:
                continue
            value = person[key]
            text = f'"{value}"' if key == "sicil_no" else str(value)
            out.append(f"  {'- ' if first else '  '}{key}: {text}\n")
            first = False
    return "".join(out)


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    output.write_text(render(generate()), encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
