"""The measuring sets stay unseen: no sentence of the evaluation set (tests/eval/) or the
development sets (nlu/dev/, sealed ones included) is in the training data, the FAQ content or the other set,
compared as tests/eval/README.md says (tone marks folded, lower case, word characters only).
Formulas of one or two words ("xin chào", "cứu em") cannot be written another way and are
not counted."""
import json
import re
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def folded(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", text))


def sentences(texts) -> set[str]:
    return {text for text in map(folded, texts) if len(text.split()) > 2}


def jsonl_texts(path: Path) -> set[str]:
    return sentences(json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip())


def training_texts() -> set[str]:
    texts = []
    for path in [*(REPO / "nlu" / "data").rglob("*.yml"), *(REPO / "content" / "faq").glob("*.yml")]:
        for line in path.read_text("utf-8").splitlines():
            match = re.match(r"\s*-\s+(.*)$", line)
            if match:
                texts.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1)))
    return sentences(texts)


EVALUATION = jsonl_texts(REPO / "tests" / "eval" / "triage_eval.jsonl")
GATE = yaml.safe_load((REPO / "tests" / "eval" / "release_gate.yml").read_text("utf-8"))
GATE_TEXTS = sentences([e["text"] for e in GATE["must_escalate"]] + GATE["must_not_escalate"])
DEVELOPMENT = set().union(*(jsonl_texts(path) for path in sorted((REPO / "nlu" / "dev").rglob("*.jsonl"))))


def test_no_evaluation_or_gate_sentence_is_trained_on():
    assert (EVALUATION | GATE_TEXTS) & training_texts() == set()


def test_no_development_sentence_is_trained_on():
    assert DEVELOPMENT & training_texts() == set()


def test_development_and_evaluation_sets_share_no_sentence():
    assert DEVELOPMENT & (EVALUATION | GATE_TEXTS) == set()
