"""Vietnamese text primitives shared by the NLU components, the risk lexicon and the tools.

Children type with tone marks, without them, in teencode, or a mix. Everything that decides
what a message means works on the output of `normalise` and, where spelling must not matter,
on `fold`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterator, Mapping

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


@dataclass(frozen=True)
class ContextRule:
    """One reading of an ambiguous abbreviation: `means` when the previous word is one of `after`
    or the next word is one of `before`; with neither, always. Words compare as the risk lexicon
    compares syllables: the same word, or typed without any marks and equal to one without its
    marks ("me" may be "mẹ"; "sẵn" is not "sân")."""

    means: str
    after: frozenset[str] = frozenset()
    before: frozenset[str] = frozenset()

    @cached_property
    def _folded(self) -> tuple[frozenset[str], frozenset[str]]:
        return frozenset(map(fold, self.after)), frozenset(map(fold, self.before))

    def holds(self, previous: str, following: str) -> bool:
        if not self.after and not self.before:
            return True
        folded_after, folded_before = self._folded
        return (self._is(previous, self.after, folded_after)
                or self._is(following, self.before, folded_before))

    @staticmethod
    def _is(typed: str, words: frozenset[str], folded: frozenset[str]) -> bool:
        typed = typed.lower()
        return typed in words or (not has_diacritics(typed) and typed in folded)


@dataclass
class Teencode(Mapping[str, str]):
    """The teencode table (nlu/resources/teencode.yml): `words` always read one way ("ko" ->
    "không"); `in_context` words are read from a neighbour ("mẹ oy" -> "mẹ ơi", "xong oy" ->
    "xong rồi"), the first rule that holds wins, and a word no rule explains stays as typed.
    As a mapping it is `words`, so a plain dict works wherever a table is expected."""

    words: dict[str, str]
    in_context: dict[str, tuple[ContextRule, ...]] = field(default_factory=dict)

    def __getitem__(self, word: str) -> str:
        return self.words[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def reading(self, word: str, previous: str, following: str) -> str | None:
        for rule in self.in_context.get(word, ()):
            if rule.holds(previous, following):
                return rule.means
        return None

    @classmethod
    def from_dict(cls, data: Mapping) -> "Teencode":
        in_context = {
            str(word).lower(): tuple(
                ContextRule(str(rule["means"]), frozenset(str(w).lower() for w in rule.get("after") or []),
                            frozenset(str(w).lower() for w in rule.get("before") or []))
                for rule in rules)
            for word, rules in (data.get("in_context") or {}).items()
        }
        overlap = set(in_context) & {str(k).lower() for k in data.get("teencode") or {}}
        if overlap:
            raise ValueError(f"teencode: {sorted(overlap)} both in `teencode` and in `in_context`")
        return cls({str(k).lower(): str(v) for k, v in (data.get("teencode") or {}).items()}, in_context)

    def to_dict(self) -> dict:
        """The form nlu/resources/teencode.yml has; `from_dict(to_dict())` rebuilds the table."""
        return {
            "teencode": dict(self.words),
            "in_context": {word: [{"means": r.means, "after": sorted(r.after), "before": sorted(r.before)}
                                  for r in rules] for word, rules in self.in_context.items()},
        }


def expand_teencode(text: str, table: Mapping[str, str]) -> str:
    """Replace whole words found in the teencode table ('ko' -> 'không'), case-insensitively.

    With a `Teencode` table, ambiguous words are read from the words as typed around them."""
    in_context = isinstance(table, Teencode) and table.in_context
    matches = list(_WORD.finditer(text))
    pieces, end = [], 0
    for i, match in enumerate(matches):
        word = match.group(0)
        key = word.lower()
        expansion = table.get(key)
        if expansion is None and in_context and key in in_context:
            previous = matches[i - 1].group(0) if i else ""
            following = matches[i + 1].group(0) if i + 1 < len(matches) else ""
            expansion = table.reading(key, previous, following)
        pieces += [text[end:match.start()], expansion if expansion is not None else word]
        end = match.end()
    return "".join([*pieces, text[end:]])


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
def default_teencode() -> Teencode:
    """The teencode table shipped in nlu/resources/teencode.yml."""
    return load_teencode(RESOURCES / "teencode.yml")


def load_teencode(path: Path) -> Teencode:
    import yaml

    return Teencode.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
