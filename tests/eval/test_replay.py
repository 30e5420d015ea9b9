"""tests/eval/replay.py: triage replayed on stored rankings, without a model."""
from tests.eval.replay import labelled_items, score_stored

BENIGN = [{"name": "out_of_scope", "confidence": 0.9}, {"name": "greet", "confidence": 0.1}]


def row(set_name: str, text: str, escalate: bool, **item) -> dict:
    item = {"id": f"{set_name}-{len(text)}", "text": text, "escalate": escalate, "category": "none",
            "min_risk": "none", "form": "tone", "label": "disclosure" if escalate else "chitchat", **item}
    return {"set": set_name, "item": item, "ranking": BENIGN}


def test_the_lexicon_is_replayed_on_a_stored_ranking():
    rows = [row("dev9", "chu hang xom so cho kin cua em", True, category="sexual_abuse", min_risk="high"),
            row("dev9", "chiều nay em đi đánh cầu lông", False)]
    lines = score_stored(rows, show={"dev9"}, with_eval=False)
    # the classifier said out_of_scope both times: the lexicon alone escalates the disclosure
    assert lines[0].startswith("dev9    recall 1.000 (misses 0)  false alarms 0.000 (0)")
    assert not any(line.startswith("  MISS") or line.startswith("  ALARM") for line in lines)


def test_a_miss_is_shown_for_a_development_set_and_never_for_the_evaluation_set():
    quiet = "em thấy buồn"
    rows = [row("dev9", quiet, True, category="emotional_abuse", min_risk="medium"),
            row("eval", quiet, True, category="emotional_abuse", min_risk="medium")]
    shown = score_stored(rows, show={"dev9", "eval"}, with_eval=True)
    assert any(line.startswith("  MISS") and quiet in line for line in shown)
    assert sum(quiet in line for line in shown) == 1          # the dev9 line only
    assert not any(line.startswith("eval") for line in score_stored(rows, show=set(), with_eval=False))


def test_a_release_gate_failure_is_listed():
    rows = [{"set": "gate", "item": {"text": "em thấy buồn", "escalate": True, "min_risk": "high",
                                     "category": "self_harm"}, "ranking": BENIGN}]
    assert score_stored(rows, show=set(), with_eval=False)[:2] == ["gate    1 failures", "  GATE em thấy buồn -> none"]


def test_every_labelled_set_and_the_gate_are_read():
    names = {name for name, _ in labelled_items()}
    assert {"eval", "dev", "dev9", "gate"} <= names


def test_a_lexicon_change_is_found_in_exactly_the_training_examples_it_reaches():
    from nlu.risk_lexicon import RiskLexicon
    from nlu.text import Teencode

    from tests.eval.replay import changed_training_examples

    teencode = Teencode.from_dict({"teencode": {"e": "em", "rk": "rạch"}})
    before = RiskLexicon.from_dict({"categories": {"self_harm": {"floor": "high", "phrases": ["muốn chết"]}}})
    # the same words at another floor: DIET's features do not change, only RiskTriage's floor does
    refloored = RiskLexicon.from_dict({"categories": {"self_harm": {"floor": "imminent", "phrases": ["muốn chết"]}}})
    widened = RiskLexicon.from_dict({"categories": {"self_harm": {"floor": "high",
                                                                  "phrases": ["muốn chết", "rạch tay"]}}})
    texts = ["e muốn chết", "em rach tay", "chiều nay em đi đá bóng"]
    assert changed_training_examples(texts, (before, teencode), (refloored, teencode)) == []
    assert changed_training_examples(texts, (before, teencode), (widened, teencode)) == ["em rach tay"]
    # a teencode change reaches the features through the normalised text
    assert changed_training_examples(["e rk tay"], (widened, Teencode.from_dict({})), (widened, teencode)) == ["e rk tay"]
    # and it changes what DIET reads even where the lexicon finds nothing either way
    assert changed_training_examples(["e đi học"], (widened, Teencode.from_dict({})), (widened, teencode)) == ["e đi học"]
    assert changed_training_examples(["em đi học"], (widened, Teencode.from_dict({})), (widened, teencode)) == []


def test_the_shipped_training_data_is_read_as_rasa_reads_it():
    from tests.eval.replay import rasa_training_examples

    texts = rasa_training_examples()
    assert len(texts) > 3000
    assert not any("](" in text for text in texts)  # entity markup removed


def test_lexicon_coverage_gives_each_intent_its_share_marked_and_unmarked(tmp_path):
    from tests.eval.replay import lexicon_coverage

    (tmp_path / "disclosure.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: disclose_self_harm\n  examples: |\n'
        "    - em muốn tự tử\n    - em buồn lắm\n", encoding="utf-8")
    (tmp_path / "everyday.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: out_of_scope\n  examples: |\n    - em đi đánh cầu lông\n',
        encoding="utf-8")
    assert [row.split() for row in lexicon_coverage(tmp_path)] == [
        ["disclosure:", "disclose_self_harm", "2", "50%", "unmarked", "50%"],
        ["everyday:", "out_of_scope", "1", "0%", "unmarked", "0%"]]
