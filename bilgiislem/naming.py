"""Turkish-aware naming rules: transliteration, slugs and usernames.

The username rule (documented in docs/inventory.md, section "Kullanıcı adı kuralı"):

1. Names are normalised to Unicode NFC, so a decomposed "s + combining cedilla" is "ş".
2. Turkish letters are transliterated before lower-casing, so "İ" becomes "i" (Python's
   ``"İ".lower()`` would give "i" plus a combining dot) and "I" becomes "i":
   ç→c, ğ→g, ı→i, İ→i, ö→o, ş→s, ü→u, â→a, î→i, û→u.
3. The base username is ``<first given name>.<surname>``. Spaces, hyphens and apostrophes
   inside a surname are dropped ("Kara-Yılmaz" → "karayilmaz").
4. The base is cut to 20 characters (the sAMAccountName limit of Active Directory), leaving
   room for a numeric suffix.
5. Collisions: people sharing a base are ordered by start date, then by sicil no. The first
   keeps the base; the next ones get ``2``, ``3``, ... appended. New staff start later than
   existing staff, so adding someone never renames an existing account.
6. An explicit ``kullanici_adi`` in the personnel file always wins and takes its name first;
   the validator refuses one that is the base name of a person without an explicit name
   (that person would be renamed).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

USERNAME_MAX = 20

_TRANSLIT = str.maketrans(
    {
        "ç": "c", "Ç": "c",
        "ğ": "g", "Ğ": "g",
        "ı": "i", "I": "i", "İ": "i",
        "ö": "o", "Ö": "o",
        "ş": "s", "Ş": "s",
        "ü": "u", "Ü": "u",
        "â": "a", "Â": "a",
        "î": "i", "Î": "i",
        "û": "u", "Û": "u",
    }
)

USERNAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:[.\-][a-z0-9]+)*$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Letters of any script Turkish names use, plus space, hyphen and apostrophe between letters.
PERSON_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '\-’][^\W\d_]+)*$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def ascii_fold(text: str) -> str:
    """Transliterate Turkish letters and lower-case: 'Şükrü İNCE' -> 'sukru ince'."""
    folded = nfc(text).translate(_TRANSLIT).lower()
    # Anything else with a diacritic (é, ñ ...) loses it; what is left that is not ASCII goes.
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if ord(ch) < 128)


def slugify(text: str) -> str:
    """'Zabıta Müdürlüğü' -> 'zabita-mudurlugu'."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text)).strip("-")


def base_username(given_names: str, surname: str) -> str:
    # A name in another script (e.g. Cyrillic) folds to nothing; the validator reports that.
    words = ascii_fold(given_names).split()
    first = re.sub(r"[^a-z0-9]", "", words[0]) if words else ""
    last = re.sub(r"[^a-z0-9]", "", ascii_fold(surname))
    return f"{first}.{last}"[:USERNAME_MAX].rstrip(".")


def assign_usernames(
    people: Sequence[tuple[str, str, str, date, str | None]],
) -> dict[str, str]:
    """Return {sicil_no: username} for (sicil_no, given names, surname, start, explicit).

    Explicit usernames are reserved first; derived ones are numbered as described above.
    Duplicate explicit usernames are left for the validator to report.
    """
    result: dict[str, str] = {}
    taken: set[str] = set()
    for sicil, _ad, _soyad, _start, explicit in people:
        if explicit:
            result[sicil] = explicit
            taken.add(explicit)
    derived = sorted(
        (p for p in people if not p[4]),
        key=lambda p: (p[3], p[0]),
    )
    for sicil, ad, soyad, _start, _explicit in derived:
        base = base_username(ad, soyad)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            suffix = str(n)
            candidate = base[: USERNAME_MAX - len(suffix)].rstrip(".") + suffix
        taken.add(candidate)
        result[sicil] = candidate
    return result


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """Closest known name, for 'did you mean' hints: 'kutuphne' -> 'kutuphane', 'ntp' ->
    'ntp_server' (a unique choice that starts with the value)."""
    choices = list(choices)
    found = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if not found and value:
        found = [c for c in choices if c.startswith(value)]
    return found[0] if len(found) == 1 else None
