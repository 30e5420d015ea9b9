"""The measuring sets stay unseen: no sentence of the evaluation set (tests/eval/) or the
development sets (nlu/dev/, sealed ones included) is in the training data, the FAQ content or the other set,
compared as tests/eval/separation.py says."""
from tests.eval.separation import development_texts, evaluation_texts, gate_texts, training_texts

EVALUATION = evaluation_texts()
GATE_TEXTS = gate_texts()
DEVELOPMENT = development_texts()


def test_no_evaluation_or_gate_sentence_is_trained_on():
    assert (EVALUATION | GATE_TEXTS) & training_texts() == set()


def test_no_development_sentence_is_trained_on():
    assert DEVELOPMENT & training_texts() == set()


def test_development_and_evaluation_sets_share_no_sentence():
    assert DEVELOPMENT & (EVALUATION | GATE_TEXTS) == set()
