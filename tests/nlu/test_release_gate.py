"""Release gate: unmistakable disclosures escalate at the right level; everyday scary-sounding
sentences do not. Runs on the test model: the real pipeline and the real DIET (config.yml's epochs), fewer
epochs for the dialogue policy and the FAQ selectors (tests/conftest.py)."""
from pathlib import Path

import pytest
import yaml

from nlu.risk_lexicon import RISK_LEVELS

GATE = yaml.safe_load((Path(__file__).resolve().parents[1] / "eval" / "release_gate.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GATE["must_escalate"], ids=lambda c: c["text"][:40])
def test_must_escalate(model_parser, case):
    result = model_parser.triage(case["text"])
    assert result["escalate"], result
    assert RISK_LEVELS.index(result["risk"]) >= RISK_LEVELS.index(case["min_risk"]), result


@pytest.mark.parametrize("text", GATE["must_not_escalate"], ids=lambda t: t[:40])
def test_must_not_escalate(model_parser, text):
    result = model_parser.triage(text)
    assert not result["escalate"], result
