"""The risk lexicon: phrases that put a floor under the risk of a message, whatever the classifier says.

The lexicon lives in nlu/resources/risk_lexicon.yml (its header documents the format). It reads text
that went through `nlu.text.normalise`. Matching is syllable by syllable: a message syllable matches a
lexicon syllable when it is the same word case-insensitively, or when it carries no diacritics at all
and equals the folded lexicon syllable ("tu tu" and "tựtử" match "tự tử"; "từ từ" does not, its marks
say it is another word). Syllables may be joined by up to three spaces or punctuation characters (never a
clause break: , ; : ! ?), and a phrase matches whole words only.

A match is dropped when it overlaps an everyday exception ("đánh răng", "nóng muốn chết") or when a
framing shows it is not about the writer: a question about a word ("xâm hại là gì") or a news report
("em đọc báo thấy vụ ..."). Framings never apply to self-harm or immediate danger, and none applies to
a message in which the writer says the case is their own ("nếu ai đó dọa tung ảnh của mình thì làm gì?
chuyện này đang xảy ra với em"): the lexicon's `own_story` phrases.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from nlu.text import RESOURCES, fold

RISK_LEVELS = ("none", "low", "medium", "high", "imminent")
_FLOORS = RISK_LEVELS[1:]
DEFAULT_WINDOW = 60  # characters an all_of rule may span, first match start to last match end
# Up to three characters may join two syllables ("tự-tử", "tự.tử", "tự  tử"), but never a clause
# break: "cắt vào tay, chảy máu" typed without marks is not "tẩy chay".
_SEPARATOR = r"(?:[^\w,;:!?]|_){0,3}"
_START = r"(?<![^\W_])"
_END = r"(?![^\W_]|[\u0300-\u036f])"
_CLAUSE_END = re.compile(r"[.,!?;:\n]")
_SYLLABLE = re.compile(r"[^\W_]+")


def max_risk(*levels: str) -> str:
    """The highest of the given risk levels ("none" when given none)."""
    for level in levels:
        if level not in RISK_LEVELS:
            raise ValueError(f"unknown risk level {level!r}")
    return max(levels, key=RISK_LEVELS.index, default="none")


@dataclass(frozen=True)
class RiskSignal:
    """One lexicon rule that fired: its category and floor, the phrase(s) and where they lie."""

    category: str
    floor: str
    phrase: str
    start: int
    end: int


class _Phrase:
    """A lexicon phrase compiled once to one regex.

    `whole_marking`: a match typed partly with marks must carry the phrase's own marks. Used for
    exceptions, which should hide a risk only when sure: "đồ ngu" (an insult, "đồ" typed with its
    marks) is not the exception "đồ ngủ"; "do ngu", typed with none, may be either.
    `marks_required`: only the phrase's own marks match, never the bare form. Used for framing
    phrases whose bare form is common in reports: "gia su" is a tutor far more often than "giả sử"."""

    def __init__(self, text: str, whole_marking: bool = False, marks_required: bool = False):
        syllables = unicodedata.normalize("NFC", str(text)).lower().split()
        if not syllables or not all(_SYLLABLE.fullmatch(s) for s in syllables):
            raise ValueError(f"a lexicon phrase is words separated by spaces, got {text!r}")
        self.text = " ".join(syllables)
        # A match starts a message word that, folded, begins with this (see `_Scan`).
        self.key = fold(syllables[0])
        self.identity = (self.text, whole_marking, marks_required)  # equal phrases share one search
        parts = [re.escape(s) if marks_required else _syllable_pattern(s) for s in syllables]
        self.regex = re.compile(_START + _SEPARATOR.join(parts) + _END, re.IGNORECASE)
        self.whole_marking = whole_marking
        self.marks_required = marks_required

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.regex.finditer(text) if not self.whole_marking or self._marked_alike(m.group())]

    def _marked_alike(self, typed: str) -> bool:
        syllables = [s.lower() for s in _SYLLABLE.findall(typed)]
        return syllables == self.text.split() or all(fold(s) == s for s in syllables)


def _syllable_pattern(syllable: str) -> str:
    bare = fold(syllable)
    if bare == syllable:
        return re.escape(syllable)
    # The bare alternative is all plain letters, so it can only match a syllable without marks.
    return f"(?:{re.escape(syllable)}|{re.escape(bare)})"


@dataclass(frozen=True)
class _Rule:
    floor: str
    phrases: tuple[_Phrase, ...]
    all_of: tuple[tuple[tuple[_Phrase, ...], ...], ...]
    window: int | None
    # The first-syllable keys (`_Phrase.key`) a message must hold for the rule to have a chance: one of
    # the phrases' keys; for each all_of combination, one key of every group.
    phrase_keys: frozenset[str] = field(init=False)
    combo_keys: tuple[tuple[frozenset[str], ...], ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "phrase_keys", frozenset(p.key for p in self.phrases))
        object.__setattr__(self, "combo_keys", tuple(
            tuple(frozenset(p.key for p in group) for group in combo) for combo in self.all_of))


@dataclass(frozen=True)
class _Framing:
    name: str
    categories: frozenset[str]
    before: tuple[_Phrase, ...]
    after: tuple[_Phrase, ...]
    gap: int


class _Scan:
    """One message being scanned: each phrase is searched at most once, and only when it could match.

    A lexicon has thousands of phrases and a message a few dozen words, so nearly every phrase is ruled
    out by its first syllable before any regex runs: a match starts at the start of a message word, and
    that word, folded, begins with the phrase's folded first syllable (syllables may be typed joined,
    "tựtử", so the word may go on)."""

    def __init__(self, text: str):
        self.text = text
        self.word_starts = {folded[:i] for word in _SYLLABLE.findall(text)
                            for folded in (fold(word),) for i in range(1, len(folded) + 1)}
        self._spans: dict[tuple[str, bool, bool], list[tuple[int, int]]] = {}

    def could_match(self, keys: frozenset[str]) -> bool:
        return not keys.isdisjoint(self.word_starts)

    def could_start(self, phrase: _Phrase) -> bool:
        return phrase.key in self.word_starts

    def spans(self, phrase: _Phrase) -> list[tuple[int, int]]:
        if not self.could_start(phrase):
            return []
        found = self._spans.get(phrase.identity)
        if found is None:
            found = self._spans[phrase.identity] = phrase.spans(self.text)
        return found

    def all_spans(self, phrases: Iterable[_Phrase]) -> list[tuple[int, int]]:
        return sorted(span for phrase in phrases for span in self.spans(phrase))

    def close(self, start: int, end: int, gap: int) -> bool:
        """True when text[start:end] stays in one clause and holds at most `gap` words."""
        between = self.text[start:end]
        return not _CLAUSE_END.search(between) and len(_SYLLABLE.findall(between)) <= gap


class _Filter:
    """Whether a match counts: it overlaps no everyday exception and no framing explains it away."""

    def __init__(self, scan: _Scan, excepted: list[tuple[int, int]], framings: list[_Framing]):
        self._scan = scan
        self._excepted = excepted
        self._exception_starts = [s for s, _ in excepted]
        self._reach = max((e - s for s, e in excepted), default=0)  # the longest exception match
        self._framing_phrases = framings
        self._framings_found: list | None = None  # searched on the first match: most categories have none

    def _framings(self) -> list:
        if self._framings_found is None:
            scan = self._scan
            self._framings_found = [(f.gap, sorted(e for _, e in scan.all_spans(f.before)),
                                     [s for s, _ in scan.all_spans(f.after)]) for f in self._framing_phrases]
        return self._framings_found

    def __call__(self, span: tuple[int, int]) -> bool:
        start, end = span
        first = bisect_left(self._exception_starts, start - self._reach)
        if any(e > start for _, e in self._excepted[first:bisect_left(self._exception_starts, end)]):
            return False
        for gap, ends, starts in self._framings():
            # Only the nearest framing phrase on each side can be close enough: a farther one has
            # at least the same words and clause ends in between.
            i = bisect_right(ends, start)
            if i and self._scan.close(ends[i - 1], start, gap):
                return False
            j = bisect_left(starts, end)
            if j < len(starts) and self._scan.close(end, starts[j], gap):
                return False
        return True


class RiskLexicon:
    """Phrases, co-occurrence rules, exceptions, framings and own-story phrases, compiled once."""

    def __init__(self, rules: dict[str, tuple[_Rule, ...]], exceptions: tuple[_Phrase, ...],
                 framings: tuple[_Framing, ...], own_story: tuple[_Phrase, ...] = ()):
        self._rules = rules
        self._exceptions = exceptions
        self._framings = framings
        self._own_story = own_story
        self.categories: tuple[str, ...] = tuple(rules)

    # ----------------------------------------------------------------------------- loading
    @classmethod
    def from_file(cls, path) -> "RiskLexicon":
        import yaml

        return cls.from_dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})

    @classmethod
    def from_dict(cls, data: dict) -> "RiskLexicon":
        _check_keys(data, {"categories", "exceptions", "framings", "own_story"}, "lexicon")
        categories = data.get("categories") or {}
        if not categories:
            raise ValueError("a risk lexicon needs at least one category")
        rules = {str(name): tuple(_load_rule(r, name) for r in _rule_dicts(body, name))
                 for name, body in categories.items()}
        exceptions = tuple(_Phrase(p, whole_marking=True) for p in data.get("exceptions") or [])
        framings = tuple(_load_framing(f, rules) for f in data.get("framings") or [])
        own_story = tuple(_Phrase(p) for p in data.get("own_story") or [])
        return cls(rules, exceptions, framings, own_story)

    def to_dict(self) -> dict:
        """The canonical form of this lexicon; `from_dict(to_dict())` rebuilds it."""

        def rule(r: _Rule) -> dict:
            out: dict = {"floor": r.floor}
            if r.phrases:
                out["phrases"] = [p.text for p in r.phrases]
            if r.all_of:
                out["all_of"] = [[[p.text for p in group] for group in combo] for combo in r.all_of]
                if r.window is not None:
                    out["window"] = r.window
            return out

        return {
            "categories": {name: {"rules": [rule(r) for r in rules]} for name, rules in self._rules.items()},
            "exceptions": [p.text for p in self._exceptions],
            "framings": [
                {"name": f.name, "categories": [c for c in self.categories if c in f.categories],
                 "before": [p.text for p in f.before if not p.marks_required],
                 "before_with_marks": [p.text for p in f.before if p.marks_required],
                 "after": [p.text for p in f.after], "gap": f.gap}
                for f in self._framings
            ],
            "own_story": [p.text for p in self._own_story],
        }

    # ---------------------------------------------------------------------------- matching
    def scan(self, text: str) -> list[RiskSignal]:
        """Every rule that fires on `text`, in text order. Offsets refer to the NFC form of `text`."""
        if not isinstance(text, str) or not text.strip():
            return []
        scan = _Scan(unicodedata.normalize("NFC", text))
        excepted = scan.all_spans(self._exceptions)
        # A supposition or a story the writer then owns is a disclosure: no framing explains it away.
        framings = () if any(scan.spans(p) for p in self._own_story) else self._framings
        signals: list[RiskSignal] = []
        for category, rules in self._rules.items():
            valid = _Filter(scan, excepted, [f for f in framings if category in f.categories])
            for rule in rules:
                if scan.could_match(rule.phrase_keys):
                    # (spans() checks could_start too; filtering first skips the generator: 12% of a scan)
                    for phrase in filter(scan.could_start, rule.phrases):
                        signals.extend(RiskSignal(category, rule.floor, phrase.text, *span)
                                       for span in scan.spans(phrase) if valid(span))
                for combo, keys in zip(rule.all_of, rule.combo_keys):
                    if all(map(scan.could_match, keys)):
                        signal = _co_occurrence(scan, combo, rule, category, valid)
                        if signal:
                            signals.append(signal)
        signals.sort(key=lambda s: (s.start, -RISK_LEVELS.index(s.floor)))
        return signals

    def floor(self, text: str) -> tuple[str, str | None]:
        """The highest floor any rule puts under `text` and its category, or ("none", None).

        Ties go to the category listed first in the lexicon."""
        signals = self.scan(text)
        if not signals:
            return "none", None
        best = max(signals, key=lambda s: (RISK_LEVELS.index(s.floor), -self.categories.index(s.category)))
        return best.floor, best.category


def _co_occurrence(scan: _Scan, combo, rule: _Rule, category: str, valid: _Filter) -> RiskSignal | None:
    """The first place where one phrase of every group occurs within the rule's window."""
    found = []
    for group in combo:
        hits = sorted((span, p.text) for p in group for span in scan.spans(p) if valid(span))
        if not hits:
            return None
        found.append(hits)
    window = rule.window if rule.window is not None else DEFAULT_WINDOW
    for anchor in sorted(span[0] for hits in found for span, _ in hits):
        limit = anchor + window
        chosen = []
        for hits in found:
            i = bisect_left(hits, ((anchor, -1), ""))
            while i < len(hits) and hits[i][0][0] <= limit and hits[i][0][1] > limit:
                i += 1
            if i == len(hits) or hits[i][0][0] > limit:
                break
            chosen.append(hits[i])
        else:
            chosen.sort()
            return RiskSignal(category, rule.floor, " + ".join(text for _, text in chosen),
                              chosen[0][0][0], max(span[1] for span, _ in chosen))
    return None


# --------------------------------------------------------------------------------- loading
def _check_keys(data, allowed: set[str], where: str) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(data).__name__}")
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")


def _rule_dicts(body, category: str) -> list[dict]:
    """A category holds `rules: [...]`, or one rule's keys directly (the short form)."""
    _check_keys(body, {"rules", "floor", "phrases", "all_of", "window"}, category)
    if "rules" in body:
        if set(body) != {"rules"}:
            raise ValueError(f"{category}: use either `rules` or one rule's keys, not both")
        return list(body["rules"] or [])
    return [body]


def _load_rule(data, category: str) -> _Rule:
    _check_keys(data, {"floor", "phrases", "all_of", "window"}, category)
    floor = data.get("floor")
    if floor not in _FLOORS:
        raise ValueError(f"{category}: floor must be one of {_FLOORS}, got {floor!r}")
    phrases = tuple(_Phrase(p) for p in data.get("phrases") or [])
    all_of = tuple(
        tuple(tuple(_Phrase(p) for p in group) for group in combo) for combo in data.get("all_of") or []
    )
    if any(len(combo) < 2 or not all(combo) for combo in all_of):
        raise ValueError(f"{category}: an all_of entry needs two or more non-empty groups")
    window = data.get("window")
    if window is not None and (not isinstance(window, int) or window <= 0 or not all_of):
        raise ValueError(f"{category}: window is a positive number of characters for all_of rules")
    if not phrases and not all_of:
        raise ValueError(f"{category}: a rule needs phrases or all_of")
    return _Rule(floor, phrases, all_of, window)


def _load_framing(data, rules: dict) -> _Framing:
    _check_keys(data, {"name", "categories", "before", "before_with_marks", "after", "gap"}, "framing")
    categories = frozenset(data.get("categories") or [])
    unknown = categories - set(rules)
    if unknown:
        raise ValueError(f"framing {data.get('name')!r}: unknown categories {sorted(unknown)}")
    gap = data.get("gap", 0)
    if not isinstance(gap, int) or gap < 0:
        raise ValueError(f"framing {data.get('name')!r}: gap is a number of words")
    before = tuple(_Phrase(p) for p in data.get("before") or []) + tuple(
        _Phrase(p, marks_required=True) for p in data.get("before_with_marks") or [])
    return _Framing(str(data.get("name", "")), categories, before,
                    tuple(_Phrase(p) for p in data.get("after") or []), gap)


@lru_cache(maxsize=1)
def default_lexicon() -> RiskLexicon:
    """The lexicon shipped in nlu/resources/risk_lexicon.yml."""
    return RiskLexicon.from_file(RESOURCES / "risk_lexicon.yml")
