"""RiskTriage's rules on hand-made classifier rankings (no trained model needed)."""
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.components import RISK_SIGNALS, RiskTriage

INTENTS = {
    "disclose_physical_violence": {"category": "physical_violence", "risk": "high"},
    "disclose_bullying": {"category": "bullying", "risk": "medium"},
    "disclose_self_harm": {"category": "self_harm", "risk": "high"},
    "disclose_immediate_danger": {"category": "immediate_danger", "risk": "imminent"},
    "risk_unclear": {"category": "unclear", "risk": "low"},
}


def triage(ranking: list[tuple[str, float]], signals: list[dict] | None = None) -> Message:
    component = RiskTriage({**RiskTriage.get_default_config(), "intents": INTENTS})
    rows = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: "...", INTENT: rows[0], INTENT_RANKING_KEY: rows, RISK_SIGNALS: signals or []})
    component.process([message])
    return message


def test_a_confident_risk_intent_escalates_at_its_risk():
    message = triage([("disclose_physical_violence", 0.8), ("greet", 0.2)])
    assert (message.get("risk"), message.get("category"), message.get("escalate")) == ("high", "physical_violence", True)


def test_a_classifier_torn_between_kinds_of_harm_gets_a_gentle_check_not_an_escalation():
    # risk intents hold 0.5 of the ranking, but none is said: everyday sentences about a parent
    # ("Bố em đánh xe ra khỏi nhà để đi làm") look like this too
    message = triage([("nlu_fallback", 0.4), ("disclose_bullying", 0.22), ("out_of_scope", 0.2),
                      ("disclose_physical_violence", 0.18), ("disclose_self_harm", 0.1)])
    assert (message.get(INTENT)["name"], message.get("risk"), message.get("escalate")) == ("risk_unclear", "low", False)
    assert message.get("category") == "bullying"


def test_a_benign_best_intent_with_some_risk_weight_gets_a_gentle_check_not_an_escalation():
    message = triage([("out_of_scope", 0.28), ("disclose_bullying", 0.24), ("disclose_self_harm", 0.2), ("greet", 0.28)])
    assert (message.get(INTENT)["name"], message.get("risk"), message.get("escalate")) == ("risk_unclear", "low", False)


def test_a_weak_risk_intent_alone_does_not_escalate():
    message = triage([("disclose_bullying", 0.22), ("out_of_scope", 0.21), ("greet", 0.2), ("thank", 0.19), ("affirm", 0.18)])
    assert not message.get("escalate")


def test_the_lexicon_floor_rules_and_imminent_becomes_immediate_danger():
    signal = {"category": "self_harm", "floor": "imminent", "phrase": "vừa uống thuốc ngủ"}
    message = triage([("out_of_scope", 0.9), ("greet", 0.1)], [signal])
    assert (message.get("risk"), message.get(INTENT)["name"]) == ("imminent", "disclose_immediate_danger")
