"""The disclosure flow (DESIGN.md step 3) as rasa_sdk actions.

action_start_disclosure   believe, not your fault; remember risk and where the story starts
validate_disclosure_form  reads the answers (buttons or typed), decides what is still needed
action_finish_disclosure  escalates with consent (or without, when the child is not safe now)
action_emergency          danger now: 113/115/111 and escalation without waiting

Answers are read as categories only: a typed answer is never stored as typed, so a name
written where a relation was asked cannot reach a report.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.cases import case_texts
from actions.reporting import add_to_report, escalate
from khien.settings import get_settings
from nlu.risk_lexicon import RISK_LEVELS, max_risk
from nlu.text import clean, default_teencode, expand_teencode, fold

STOP_WORDS = {"thoi", "dung", "dung lai", "/dung", "stop", "thoat", "huy", "thoi khong noi nua"}
SKIP_WORDS = {"bo qua", "skip", "khong muon noi", "khong biet"}


def _folded_answer(tracker: Tracker) -> str:
    """The latest answer, teencode expanded and tone-folded: "ko an toan" -> "khong an toan"."""
    text = expand_teencode(clean((tracker.latest_message or {}).get("text") or ""), default_teencode())
    return re.sub(r"[^\w\s/]", "", fold(text)).strip()


def _intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def wants_to_stop(tracker: Tracker) -> bool:
    """"thôi", "dừng", "đùa thôi": the flow stops, keeping what was already agreed.
    "Bỏ qua" (skip this question) is never a stop, whatever intent the classifier gave it."""
    if is_skip(tracker):
        return False
    return _intent(tracker) in ("stop_flow", "retract") or _folded_answer(tracker) in STOP_WORDS


def is_skip(tracker: Tracker) -> bool:
    return _folded_answer(tracker) in SKIP_WORDS


def latest_risk(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("risk") or "none"


def _contains(text: str, phrases) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", text) for p in phrases)


# Typed answers -> stored categories; the longest matching phrase decides ("bà nội" is a
# relative even though "ba" alone means a parent in the South).
RELATIONS = {
    "step_parent": ["bo duong", "me ke", "cha duong", "duong"],
    "parent": ["bo", "me", "cha", "ba", "ma", "bo me", "nguoi trong nha", "bo em", "me em"],
    "sibling": ["anh trai", "chi gai", "em trai", "em gai", "anh ruot", "chi ruot"],
    "relative": ["ho hang", "anh ho", "chi ho", "chu", "cau", "bac", "di", "thim", "mo", "ong",
                 "ba noi", "ba ngoai", "ong noi", "ong ngoai", "chu ruot"],
    "teacher": ["thay", "co giao", "thay co", "giao vien", "thay giao"],
    "peer": ["ban", "ban be", "ban cung lop", "anh lop tren", "chi lop tren", "hoc sinh"],
    "neighbour": ["hang xom", "chu hang xom", "bac hang xom"],
    "stranger": ["nguoi la", "tren mang", "nguoi tren mang", "nguoi quen tren mang"],
}
SETTINGS = {
    "online": ["tren mang", "online", "facebook", "zalo", "tiktok", "game", "mang xa hoi", "tin nhan"],
    "school": ["o truong", "truong", "lop", "lop hoc"],
    "home": ["o nha", "nha", "trong nha"],
    "neighbourhood": ["khu nha", "o khu nha", "xom", "hang xom", "ngoai duong"],
    "other": ["noi khac", "cho khac"],
}


def _category(text: str, table: Dict[str, List[str]]) -> str:
    matches = [(len(p), category) for category, phrases in table.items() for p in phrases if _contains(text, [p])]
    return max(matches)[1] if matches else "other"


def age_band_of(text: str) -> Optional[str]:
    if "duoi 11" in text:
        return "under_11"
    if "11 den 15" in text:
        return "11_15"
    if "16 hoac 17" in text:
        return "16_17"
    numbers = [int(n) for n in re.findall(r"\b(\d{1,2})\b", text)]
    if not numbers:
        return None
    age = numbers[0]
    if age < 11:
        return "under_11"
    if age <= 15:
        return "11_15"
    if age <= 17:
        return "16_17"
    return "skipped"  # an adult or a typo: the band stays unknown rather than wrong


def _yes_no(tracker: Tracker, yes: List[str], no: List[str]) -> Optional[str]:
    text = _folded_answer(tracker)
    if _contains(text, no) or _intent(tracker) == "deny":
        return "no"
    if _contains(text, yes) or _intent(tracker) == "affirm":
        return "yes"
    return None


def _provinces() -> Dict[str, str]:
    from actions.anonymiser import PROVINCES

    return {fold(name): name for name in PROVINCES}


def tell_if_off_duty(dispatcher: CollectingDispatcher) -> None:
    """Honesty: outside counsellor hours the child hears so, with 111 (24/7) and a safety plan."""
    if not get_settings().counsellors_on_duty():
        dispatcher.utter_message(text=case_texts()["outside_hours"])


class ActionStartDisclosure(Action):
    def name(self) -> Text:
        return "action_start_disclosure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        message = tracker.latest_message or {}
        risk = max_risk(tracker.get_slot("risk_level") or "none", latest_risk(tracker))
        events: List[EventType] = [
            SlotSet("risk_level", risk),
            SlotSet("risk_category", message.get("category") or tracker.get_slot("risk_category")),
            SlotSet("safe_now", None),
        ]
        if tracker.get_slot("disclosure_started_at") is None or tracker.get_slot("disclosure_reference"):
            events.append(SlotSet("disclosure_started_at", _latest_user_timestamp(tracker)))
        dispatcher.utter_message(response="utter_believe")
        if message.get("category") == "online_exploitation":
            dispatcher.utter_message(response="utter_online_exploitation_help")
        dispatcher.utter_message(response="utter_give_111")
        return events


def _latest_user_timestamp(tracker: Tracker) -> Optional[float]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return float(event.get("timestamp") or 0)
    return None


class ValidateDisclosureForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_disclosure_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        if wants_to_stop(tracker) or latest_risk(tracker) == "imminent":
            return []
        if tracker.get_slot("safe_now") == "no" or tracker.get_slot("disclosure_reference"):
            return []
        declined_at = tracker.get_slot("consent_declined_at")
        if declined_at and RISK_LEVELS.index(tracker.get_slot("risk_level") or "none") <= RISK_LEVELS.index(declined_at):
            return []  # asked already; ask again only when the risk rises
        needed = ["safe_now", "age_band", "consent"]
        if tracker.get_slot("consent") == "yes":
            needed += ["relation", "setting", "province"]
        return needed

    def validate_safe_now(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if _contains(_folded_answer(tracker), ["nguy hiem", "khong an toan", "cuu", "so qua"]):
            return {"safe_now": "no"}
        answer = _yes_no(tracker, ["an toan", "on", "co", "khong sao"], ["khong"])
        return {"safe_now": {"yes": "yes", "no": "no"}.get(answer) if answer else None}

    def validate_age_band(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if is_skip(tracker):
            return {"age_band": "skipped"}
        return {"age_band": age_band_of(_folded_answer(tracker))}

    def validate_consent(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"consent": _yes_no(tracker, ["dong y", "co", "duoc", "ok", "u"], ["khong dong y", "khong", "chua"])}

    def validate_relation(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"relation": "skipped" if is_skip(tracker) else _category(_folded_answer(tracker), RELATIONS)}

    def validate_setting(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"setting": "skipped" if is_skip(tracker) else _category(_folded_answer(tracker), SETTINGS)}

    def validate_province(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = _folded_answer(tracker)
        for folded, name in _provinces().items():
            if _contains(text, [folded]):
                return {"province": name}
        return {"province": "skipped"}  # not a province we know: never store what was typed


class ActionFinishDisclosure(Action):
    def name(self) -> Text:
        return "action_finish_disclosure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        reference = tracker.get_slot("disclosure_reference")
        in_danger = tracker.get_slot("safe_now") == "no" or latest_risk(tracker) == "imminent"
        events: List[EventType] = [SlotSet("safe_now", None)]
        if in_danger:
            dispatcher.utter_message(response="utter_emergency")
            events.append(SlotSet("risk_level", "imminent"))
            tracker.slots["risk_level"] = "imminent"
        if reference:
            if add_to_report(tracker, domain, reference):
                dispatcher.utter_message(response="utter_report_updated", disclosure_reference=reference)
            else:
                dispatcher.utter_message(response="utter_report_failed")
        elif in_danger or tracker.get_slot("consent") == "yes":
            reference = escalate(tracker, domain, "vital_interest" if in_danger else "consent")
            if reference:
                events.append(SlotSet("disclosure_reference", reference))
                dispatcher.utter_message(response="utter_report_sent", disclosure_reference=reference)
                tell_if_off_duty(dispatcher)
            else:
                dispatcher.utter_message(response="utter_report_failed")
        elif tracker.get_slot("consent") == "no":
            events += [SlotSet("consent_declined_at", tracker.get_slot("risk_level")), SlotSet("consent", None)]
            dispatcher.utter_message(response="utter_consent_declined")
        elif _intent(tracker) == "retract":
            dispatcher.utter_message(response="utter_check_in_again")  # risk stays: check gently
        elif wants_to_stop(tracker):
            dispatcher.utter_message(response="utter_flow_stopped")
        else:
            dispatcher.utter_message(response="utter_give_111")
        if in_danger:
            dispatcher.utter_message(response="utter_stay_with_you")
        return events


class ActionEmergency(Action):
    """Danger right now: numbers first, then escalation without waiting for consent (the law
    allows processing without consent to protect life and health; FACTS.md)."""

    def name(self) -> Text:
        return "action_emergency"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_emergency")
        events: List[EventType] = [SlotSet("risk_level", "imminent"),
                                   SlotSet("risk_category", (tracker.latest_message or {}).get("category") or "immediate_danger")]
        tracker.slots.update({"risk_level": "imminent",
                              "risk_category": (tracker.latest_message or {}).get("category") or "immediate_danger"})
        if tracker.get_slot("disclosure_started_at") is None:
            started = _latest_user_timestamp(tracker)
            events.append(SlotSet("disclosure_started_at", started))
            tracker.slots["disclosure_started_at"] = started
        reference = tracker.get_slot("disclosure_reference")
        if reference:
            add_to_report(tracker, domain, reference)
        else:
            reference = escalate(tracker, domain, "vital_interest")
            if reference:
                events.append(SlotSet("disclosure_reference", reference))
        if reference:
            dispatcher.utter_message(response="utter_report_sent", disclosure_reference=reference)
            tell_if_off_duty(dispatcher)
        else:
            dispatcher.utter_message(response="utter_report_failed")
        dispatcher.utter_message(response="utter_stay_with_you")
        return events
