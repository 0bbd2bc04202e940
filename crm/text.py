"""Text hygiene for names and the normalised keys used by search."""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["clean_text", "clear_caches", "joined_words", "name_key", "name_text", "search_key"]

# Control characters and bidirectional overrides/isolates: they can disguise a name
# ("Trojan Source") or break layouts, and never belong in a contact record.
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
)
# Invisible characters that join or hyphenate inside a word (soft hyphen, zero-width
# non-joiner and joiner, word joiner, BOM): removed, not turned into a word break.
_INVISIBLE_JOINERS = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"\s+")

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ٴ": None,  # high hamza, left by the decomposition of ٵ
        "ى": "ي",
        "ئ": "ي",
        "ی": "ي",  # Farsi yeh, typed by Persian keyboard layouts
        "ک": "ك",  # Farsi keheh, likewise
        "ة": "ه",
        "ۃ": "ه",
        "ە": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ؤ": "و",
        "ـ": None,  # tatweel
    }
)
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")


# The text functions are pure and called again and again on the same names and words (an
# import of 20,000 rows folds each name several times): their results are kept.
def _memoised(function):
    cached = functools.lru_cache(maxsize=65_536)(function)

    @functools.wraps(function)
    def memo(*args):
        try:
            return cached(*args)
        except TypeError:  # an unhashable argument: computed (and refused) as before
            return function(*args)

    memo.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    _MEMOS.append(cached)
    return memo


_MEMOS: list = []


def clear_caches() -> None:
    """Forget every kept result (benchmarks start cold, as a new process would)."""
    for cached in _MEMOS:
        cached.cache_clear()


@_memoised
def clean_text(value: str | None) -> str:
    """Strip control and bidi-override characters, collapse white space, NFC-normalise.

    Invisible joiners (soft hyphen, zero-width joiners) are removed; other control and format
    characters become a space.
    """
    if not value:
        return ""
    if value.isprintable():
        # No control, format or separator character but the space (nothing below would
        # remove or replace one): only the normal form and the spaces are left to do.
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        return _SPACES.sub(" ", value).strip()
    value = unicodedata.normalize("NFC", value).translate(_BIDI_CONTROLS)
    value = value.translate(_INVISIBLE_JOINERS)
    value = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return _SPACES.sub(" ", value).strip()


def search_key(*parts: str | None) -> str:
    """Lower-case, accent-free, Arabic-folded text of ``parts`` for matching.

    Every step folds character by character, and the parts are joined by a space and their
    runs of spaces collapsed: the key of several parts is the keys of each part joined, so
    each part is folded once and kept (``_part_key``), whatever it is combined with.

    >>> search_key("Hoceïma", "الحسيمة")
    'hoceima الحسيمه'
    """
    if len(parts) == 1:
        return _part_key(parts[0])
    return " ".join(key for key in map(_part_key, parts) if key)


# Between the parts of a sort key: below every character of a name, so the first part decides
# before the second ("Ait, Zineb" before "Ait Ahmed, Amina", as a (last, first) pair sorts).
SORT_SEPARATOR = "\x01"


def sort_key(*parts: str | None) -> str:
    """The key lists sort by: the ``search_key`` of each part (case and accents folded, so
    "Élise" sorts with "Elise"), parts kept apart by ``SORT_SEPARATOR``.

    >>> sort_key("Amrani", "Zineb") < sort_key("Amrani Alaoui", "Amina") < sort_key("Émir", "")
    True
    """
    return SORT_SEPARATOR.join(_part_key(part) for part in parts)


@_memoised
def _part_key(value: str | None) -> str:
    if not value:
        return ""
    text = clean_text(value)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = _ARABIC_DIACRITICS.sub("", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_ARABIC_FOLD)
    text = re.sub(r"[^\w\s]", " ", text)
    return _SPACES.sub(" ", text).strip()


# --- transliteration variants ------------------------------------------------------------
#
# Moroccan names are written in Latin script in many ways: Mohamed / Mohammed / Mohammad /
# Mhamed, El Alami / Al Alami / Alami, Benali / Ben Ali, Ould / Ouled. ``name_key`` maps all
# the spellings of a name to one skeleton, so search and duplicate detection agree on them.

_ARTICLES = frozenset({"el", "al", "l", "d", "ed", "er", "es", "et", "ez", "en"})
_FILIATION = {"ben": "ben", "bin": "ben", "ibn": "ben", "bent": "ben", "bint": "ben",
              "ould": "ould", "ouled": "ould", "oulad": "ould", "wld": "ould", "ait": "ait",
              "aith": "ait", "ayt": "ait", "bou": "bou", "abou": "bou", "abu": "bou"}  # fmt: skip
_DIGRAPHS = (
    ("sh", "ch"), ("dj", "j"), ("ph", "f"), ("kh", "k"), ("gh", "g"), ("q", "k"),
    ("ck", "k"), ("c", "s"), ("th", "t"), ("dh", "d"), ("w", "ou"), ("x", "ks"),
)  # fmt: skip
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")
# Spellings whose vowels differ too much for the skeleton (a shortened first syllable).
_VARIANTS = {
    v: "mohamed"
    for v in ("mohammed", "mohammad", "mohamad", "muhammad", "muhamad", "mhamed", "mhammed",
              "mouhamed", "mouhammed", "mohamd", "mhamd", "mohammed")
} | {"hmida": "hamida", "mhand": "mohand"}  # fmt: skip


_NOT_IN_NAMES = re.compile(r"[\d_]+")  # any script's digits, and underscores


def name_text(*parts: str | None) -> str:
    """``search_key`` of a person's name, without digits and underscores.

    A person's name holds letters only: what else is left once control characters and
    punctuation are gone ("Fatima_Zahra", "Mohamed 2" from an import, "2. Mohamed" from a
    numbered list) is noise that must not keep two spellings of a name apart. Organisation
    names keep their numbers ("Association 20 Février"): use ``search_key`` for them.

    >>> name_text("Fatima_Zahra 2", "Bennani ?")
    'fatima zahra bennani'
    """
    return _SPACES.sub(" ", _NOT_IN_NAMES.sub(" ", search_key(*parts))).strip()


@_memoised
def name_key(*parts: str | None) -> str:
    """Spelling-independent key of a name's Latin-script words (Arabic words are folded).

    >>> name_key("Mohammed El Alami") == name_key("Mohamed Alami") == name_key("mhamed al-alami")
    True
    """
    # "_" is a word character for ``search_key`` but never part of a name.
    words = search_key(*parts).replace("_", " ").split()
    keys: list[str] = []
    pending = ""
    for word in words:
        if not word.isascii():
            # Arabic script: search_key already folded letter variants; drop the article.
            keys.append(word[2:] if word.startswith("ال") and len(word) >= 5 else word)
            continue
        if word in _ARTICLES:
            continue
        if word in _FILIATION:
            pending = _FILIATION[word]
            continue
        if word.startswith("el") and len(word) >= 6:
            word = word[2:]  # "elalami", "elhachimi" written in one word
        keys.append(_skeleton(pending + word))
        pending = ""
    if pending:
        keys.append(pending)
    return " ".join(k for k in keys if k)


@_memoised
def _skeleton(word: str) -> str:
    """Consonants kept, every vowel run written 'a', doubled letters single.

    Vowels are kept as a marker (not dropped) so that Mohamed and Mahmoud stay apart.
    """
    word = _VARIANTS.get(word, word)
    head = "y" if word.startswith("y") else ""  # initial y is a consonant (Youssef)
    word = word[len(head) :]
    for written, said in _DIGRAPHS:
        word = word.replace(written, said)
    return _DOUBLE.sub(r"\1", head + _VOWELS.sub("a", word))


# --- compound first names ------------------------------------------------------------------
#
# Compound first names are written together or apart: Fatimazahra / Fatima Zahra /
# Fatima-Zahra, Abdelkader / Abdel Kader, Abderrahim / Abd Errahim. ``joined_words`` gives the
# written-together forms of a name written apart; the stored keys carry them, and a search
# also tries the typed words joined two by two (``crm.search``), so either way round meets.

MAX_JOINED_WORDS = 4  # a longer first name is not a compound name worth joining


def joined_words(key: str) -> list[str]:
    """Every run of two or more consecutive Latin-script words of ``key`` (a ``search_key``),
    written as one word, longest first; none for more than ``MAX_JOINED_WORDS`` words.

    >>> joined_words("fatima zahra")
    ['fatimazahra']
    >>> joined_words("abd el kader")
    ['abdelkader', 'abdel', 'elkader']
    """
    words = [w for w in key.split() if w.isascii()]
    if not 2 <= len(words) <= MAX_JOINED_WORDS:
        return []
    runs = [
        "".join(words[start : start + size])
        for size in range(len(words), 1, -1)
        for start in range(len(words) - size + 1)
    ]
    return list(dict.fromkeys(runs))
