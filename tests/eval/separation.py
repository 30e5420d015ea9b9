"""The measuring sets stay unseen: how a sentence is compared with the others, and where a new set collides.

Sentences compare as tests/eval/README.md says: tone marks folded, lower case, word characters only.
Formulas of one or two words ("xin chào", "cứu em") cannot be written another way and are not counted.
`tests/nlu/test_data_separation.py` checks the sets in the repository; `python -m tests.eval.replay
separation FILE` checks a new blind set while it is still outside nlu/dev/ (inside, it would match itself).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from nlu.text import fold

REPO = Path(__file__).resolve().parents[2]


def folded(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def counted(sentence: str) -> bool:
    """A folded sentence of three words or more: shorter formulas are not counted."""
    return len(sentence.split()) > 2


def sentences(texts) -> set[str]:
    return set(filter(counted, map(folded, texts)))


def jsonl_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def jsonl_texts(path: Path) -> set[str]:
    return sentences(row["text"] for row in jsonl_rows(path))


def training_texts(repo: Path = REPO) -> set[str]:
    """Every example line of the training data and the FAQ content, folded (entity markup removed).

    Raw lines, to compare with the sets; `tests.eval.replay.rasa_training_examples` reads the same data
    as Rasa does, for what DIET trains on."""
    texts = []
    for path in [*(repo / "nlu" / "data").rglob("*.yml"), *(repo / "content" / "faq").glob("*.yml")]:
        for line in path.read_text("utf-8").splitlines():
            match = re.match(r"\s*-\s+(.*)$", line)
            if match:
                texts.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1)))
    return sentences(texts)


def evaluation_texts(repo: Path = REPO) -> set[str]:
    return jsonl_texts(repo / "tests" / "eval" / "triage_eval.jsonl")


def gate_texts(repo: Path = REPO) -> set[str]:
    gate = yaml.safe_load((repo / "tests" / "eval" / "release_gate.yml").read_text("utf-8"))
    return sentences([e["text"] for e in gate["must_escalate"]] + gate["must_not_escalate"])


def development_texts(repo: Path = REPO) -> set[str]:
    return set().union(*(jsonl_texts(path) for path in sorted((repo / "nlu" / "dev").rglob("*.jsonl"))))


def colliding_ids(path: Path, repo: Path = REPO) -> list[str]:
    """The ids of a new set's lines that another set, the release gate or the training data already holds
    (or that the new set holds twice). Only ids: the set stays unread until its first measure."""
    taken = training_texts(repo) | evaluation_texts(repo) | gate_texts(repo) | development_texts(repo)
    seen: set[str] = set()
    ids = []
    for row in jsonl_rows(path):
        sentence = folded(row["text"])
        if counted(sentence) and (sentence in taken or sentence in seen):
            ids.append(row["id"])
        seen.add(sentence)
    return ids
