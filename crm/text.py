"""Text hygiene for names and the normalised keys used by search."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "search_key"]

# Control characters and bidirectional overrides/isolates: they can disguise a name
# ("Trojan Source") or break layouts, and never belong in a contact record.
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
)
_SPACES = re.compile(r"\s+")

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ـ": None,  # tatweel
    }
)
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


def clean_text(value: str | None) -> str:
    """Strip control and bidi-override characters, collapse white space, NFC-normalise."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value).translate(_BIDI_CONTROLS)
    value = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return _SPACES.sub(" ", value).strip()


def search_key(*parts: str | None) -> str:
    """Lower-case, accent-free, Arabic-folded text of ``parts`` for matching.

    >>> search_key("Hoceïma", "الحسيمة")
    'hoceima الحسيمه'
    """
    text = " ".join(clean_text(p) for p in parts if p)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = _ARABIC_DIACRITICS.sub("", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_ARABIC_FOLD)
    text = re.sub(r"[^\w\s]", " ", text)
    return _SPACES.sub(" ", text).strip()
