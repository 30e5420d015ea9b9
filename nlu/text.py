"""Vietnamese text primitives shared by the NLU components, the risk lexicon and the tools.

Children type with tone marks, without them, in teencode, or a mix. Everything that decides
what a message means works on the output of `normalise` and, where spelling must not matter,
on `fold`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from khien.reference import PATTERN as REFERENCE

RESOURCES = Path(__file__).parent / "resources"

_CONTROL_CHARS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]")
_WHITESPACE = re.compile(r"\s+")
# A "word" for teencode purposes: letters/digits, with Vietnamese letters included by \w.
_WORD = re.compile(r"\w+", re.UNICODE)
# "/intent" or "/intent{json}", what Rasa's RegexMessageHandler reads.
PAYLOAD = re.compile(r"^/\w+(\{.*\})?$", re.DOTALL)


def fold(text: str) -> str:
    """Lowercase and strip every diacritic ('Tự Tử' -> 'tu tu', 'đ' -> 'd')."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


def has_diacritics(word: str) -> bool:
    """True when the word carries any Vietnamese mark (tone or vowel mark, or đ)."""
    return fold(word) != word.lower()


def clean(text: str) -> str:
    """NFC, control and zero-width characters to spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_CHARS.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()


def place_tone_marks(text: str) -> str:
    """Put tone marks where modern Vietnamese orthography puts them ('hoà' -> 'hòa').

    underthesea's normaliser works word by word; it never changes the number of words.
    """
    from underthesea import text_normalize

    try:
        return unicodedata.normalize("NFC", text_normalize(text))
    except Exception:  # underthesea must never break a message; keep the cleaned text
        return text


def expand_teencode(text: str, table: Mapping[str, str]) -> str:
    """Replace whole words found in the teencode table ('ko' -> 'không'), case-insensitively."""

    def replace(match: re.Match) -> str:
        word = match.group(0)
        return table.get(word.lower(), word)

    return _WORD.sub(replace, text)


def normalise(text: str, teencode: Mapping[str, str] | None = None) -> str:
    """The one normalisation every component applies: clean, expand teencode, place tone marks.

    A button payload ("/quiz_answer{"option":"2"}") is an intent, not language: it stays as it
    is, or its JSON would no longer parse."""
    text = clean(text)
    if not text or PAYLOAD.match(text):
        return text
    # A case code ("9NJ-7WF-RMQ") is not language either: underthesea would split it
    # ("9NJ-7 WF - RMQ") and a group could read as teencode ("KHG"). Only the words around it change.
    pieces, start = [], 0
    for code in REFERENCE.finditer(text):
        pieces += [_normalise_words(text[start:code.start()], teencode), code.group(0)]
        start = code.end()
    return "".join([*pieces, _normalise_words(text[start:], teencode)])


def _normalise_words(text: str, teencode: Mapping[str, str] | None) -> str:
    """Teencode and tone marks for a stretch of text, keeping the spaces at its edges."""
    words = text.strip()
    if not words:
        return text
    if teencode:
        words = expand_teencode(words, teencode)
    leading, trailing = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return leading + place_tone_marks(words) + trailing


def strip_tone_marks(text: str) -> str:
    """What a child typing without marks would send: diacritics removed, case kept."""
    return "".join(
        ch if ch == fold(ch) else (fold(ch).upper() if ch.isupper() else fold(ch)) for ch in text
    )


@lru_cache(maxsize=1)
def default_teencode() -> dict[str, str]:
    """The teencode dictionary shipped in nlu/resources/teencode.yml."""
    return load_teencode(RESOURCES / "teencode.yml")


def load_teencode(path: Path) -> dict[str, str]:
    import yaml

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k).lower(): str(v) for k, v in entries.get("teencode", {}).items()}
