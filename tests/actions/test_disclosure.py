"""The disclosure flow's actions on real trackers, with a real report store."""
import asyncio

import pytest
from sqlalchemy import select

from actions.disclosure import (
    ActionEmergency, ActionFinishDisclosure, ActionStartDisclosure, ValidateDisclosureForm, age_band_of,
)
from actions.store import OutboxRow
from nlu.text import fold
from tests.actions.conftest import make_tracker, user_event


def run(action, dispatcher, tracker, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


DISCLOSURE = user_event("chú hàng xóm tên Tuấn sờ vào chỗ kín của em, số chú là 0912 345 678",
                        intent="disclose_sexual_abuse", risk="high", category="sexual_abuse",
                        timestamp=100.0, metadata={"channel": "web", "reply_to": "sealed-token"})


def test_start_believes_the_child_and_remembers_where_the_story_starts(dispatcher, domain):
    events = run(ActionStartDisclosure(), dispatcher, make_tracker([DISCLOSURE]), domain)
    assert responses(dispatcher) == ["utter_believe", "utter_give_111"]
    assert slots(events)["risk_level"] == "high"
    assert slots(events)["risk_category"] == "sexual_abuse"
    assert slots(events)["disclosure_started_at"] == 100.0


def test_online_exploitation_gets_immediate_practical_help(dispatcher, domain):
    message = user_event("nó dọa tung ảnh của em", intent="disclose_online_exploitation", risk="high",
                         category="online_exploitation")
    run(ActionStartDisclosure(), dispatcher, make_tracker([message]), domain)
    assert responses(dispatcher) == ["utter_believe", "utter_online_exploitation_help", "utter_give_111"]


def test_risk_never_goes_down(dispatcher, domain):
    message = user_event("bạn trêu em", intent="disclose_bullying", risk="medium", category="bullying")
    events = run(ActionStartDisclosure(), dispatcher, make_tracker([message], {"risk_level": "high"}), domain)
    assert slots(events)["risk_level"] == "high"


def validate(method, text, intent="out_of_scope", risk="none", slots_=None):
    tracker = make_tracker([user_event(text, intent=intent, risk=risk)], slots_)
    return getattr(ValidateDisclosureForm(), method)(text, None, tracker, {})


@pytest.mark.parametrize("text,intent,expected", [
    ("Đang an toàn", "out_of_scope", "yes"),
    ("em on", "affirm", "yes"),
    ("Đang gặp nguy hiểm", "out_of_scope", "no"),
    ("không", "deny", "no"),
    ("em ko an toan", "out_of_scope", "no"),
    ("hôm nay trời mưa", "out_of_scope", None),
])
def test_safe_now_answers(text, intent, expected):
    assert validate("validate_safe_now", text, intent)["safe_now"] == expected


@pytest.mark.parametrize("text,expected", [
    ("Dưới 11 tuổi", "under_11"), ("em 9 tuổi", "under_11"), ("11 đến 15 tuổi", "11_15"),
    ("em 13 tuoi", "11_15"), ("16 hoặc 17 tuổi", "16_17"), ("Bỏ qua", "skipped"), ("lớn rồi", None),
])
def test_age_band_answers(text, expected):
    assert validate("validate_age_band", text)["age_band"] == expected


@pytest.mark.parametrize("text,expected", [
    ("chú hàng xóm", "neighbour"), ("bố dượng", "step_parent"), ("bà nội", "relative"),
    ("thầy giáo dạy toán", "teacher"), ("Nguyễn Văn Tuấn", "other"), ("Bỏ qua", "skipped"),
])
def test_relation_is_stored_as_a_category_never_as_typed(text, expected):
    assert validate("validate_relation", text)["relation"] == expected


def test_province_is_kept_only_when_it_is_a_province():
    assert validate("validate_province", "hai phong")["province"] == "Hải Phòng"
    assert validate("validate_province", "trường THCS Lê Lợi")["province"] == "skipped"


def test_required_slots_follow_consent_and_stop():
    form = ValidateDisclosureForm()

    def required(text, intent="out_of_scope", risk="none", **slot_values):
        tracker = make_tracker([user_event(text, intent=intent, risk=risk)], slot_values)
        return asyncio.run(form.required_slots([], None, tracker, {}))

    assert required("Đồng ý") == ["safe_now", "age_band", "consent"]
    assert required("x", consent="yes") == ["safe_now", "age_band", "consent", "relation", "setting", "province"]
    assert required("thôi", intent="stop_flow", consent="yes") == []
    assert required("bố đang tới", risk="imminent") == []
    assert required("x", risk_level="medium", consent_declined_at="medium") == []
    assert required("x", risk_level="high", consent_declined_at="medium") == ["safe_now", "age_band", "consent"]


def test_consent_escalates_an_anonymised_report_with_a_reference(dispatcher, domain, report_db):
    answer = user_event("Hải Phòng", timestamp=110.0, metadata={"channel": "web", "reply_to": "sealed-token"})
    tracker = make_tracker([DISCLOSURE, answer], {
        "risk_level": "high", "risk_category": "sexual_abuse", "reporter_role": "child",
        "disclosure_started_at": 100.0, "safe_now": "yes", "age_band": "11_15", "consent": "yes",
        "relation": "neighbour", "setting": "skipped", "province": "Hải Phòng"})
    events = run(ActionFinishDisclosure(), dispatcher, tracker, domain)
    reference = slots(events)["disclosure_reference"]
    assert dispatcher.messages[0]["response"] == "utter_report_sent"
    report = report_db.find_by_reference(reference)
    assert report.consent and report.consent_basis == "consent"
    assert (report.category, report.risk, report.relation, report.province) == ("sexual_abuse", "high", "neighbour", "Hải Phòng")
    assert report.setting is None and report.reply_address == "sealed-token"
    assert report.reporter_pseudonym == "u_test_pseudonym"
    assert "0912" not in report.summary and "Tuấn" not in report.summary
    assert "chỗ kín" in report.summary
    assert "hai phong" not in fold(report.summary)  # button answers are not part of the story
    with report_db.session() as session:
        assert {row.target for row in session.execute(select(OutboxRow)).scalars()} == {"hotline", "counsellors"}


def test_not_safe_now_escalates_without_consent(dispatcher, domain, report_db):
    tracker = make_tracker([DISCLOSURE], {"risk_level": "high", "risk_category": "sexual_abuse",
                                          "disclosure_started_at": 100.0, "safe_now": "no"})
    events = run(ActionFinishDisclosure(), dispatcher, tracker, domain)
    assert responses(dispatcher)[:2] == ["utter_emergency", "utter_report_sent"]
    report = report_db.find_by_reference(slots(events)["disclosure_reference"])
    assert report.consent_basis == "vital_interest" and report.risk == "imminent"


def test_declined_consent_is_respected_and_nothing_is_stored(dispatcher, domain, report_db):
    tracker = make_tracker([DISCLOSURE], {"risk_level": "high", "safe_now": "yes", "consent": "no"})
    events = run(ActionFinishDisclosure(), dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_consent_declined"]
    assert slots(events)["consent_declined_at"] == "high"
    assert list(report_db.export()) == []


def test_a_dead_database_still_gives_111(dispatcher, domain, monkeypatch, tmp_path):
    from actions import reporting

    monkeypatch.setenv("KHIEN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    reporting.report_store.cache_clear()
    tracker = make_tracker([DISCLOSURE], {"risk_level": "high", "safe_now": "yes", "consent": "yes"})
    run(ActionFinishDisclosure(), dispatcher, tracker, domain)
    reporting.report_store.cache_clear()
    assert responses(dispatcher) == ["utter_report_failed"]
    text = domain["responses"]["utter_report_failed"][0]["text"]
    assert "111" in text and "113" in text


def test_emergency_escalates_at_once(dispatcher, domain, report_db):
    danger = user_event("bố đang cầm dao đuổi em", intent="disclose_immediate_danger", risk="imminent",
                        category="immediate_danger", timestamp=200.0)
    events = run(ActionEmergency(), dispatcher, make_tracker([danger]), domain)
    assert responses(dispatcher) == ["utter_emergency", "utter_report_sent", "utter_stay_with_you"]
    report = report_db.find_by_reference(slots(events)["disclosure_reference"])
    assert report.risk == "imminent" and report.consent_basis == "vital_interest"


def test_a_later_disclosure_updates_the_same_report(dispatcher, domain, report_db):
    first = run(ActionEmergency(), dispatcher, make_tracker([DISCLOSURE], {"disclosure_started_at": 100.0}), domain)
    reference = slots(first)["disclosure_reference"]
    more = user_event("chú ấy còn dọa em nữa", intent="disclose_sexual_abuse", risk="high", timestamp=300.0)
    tracker = make_tracker([DISCLOSURE, more], {"disclosure_reference": reference, "disclosure_started_at": 300.0,
                                                 "risk_level": "high"})
    run(ActionFinishDisclosure(), dispatcher, tracker, domain)
    assert responses(dispatcher)[-1] == "utter_report_updated"
    assert "dọa em" in report_db.find_by_reference(reference).summary


def test_the_intake_payload_matches_its_published_schema(dispatcher, domain, report_db):
    import json
    from pathlib import Path

    import jsonschema

    from actions.reporting import intake_payload

    tracker = make_tracker([DISCLOSURE], {"risk_level": "high", "risk_category": "sexual_abuse",
                                          "safe_now": "yes", "consent": "yes", "age_band": "skipped",
                                          "relation": "neighbour", "disclosure_started_at": 100.0})
    reference = slots(run(ActionFinishDisclosure(), dispatcher, tracker, domain))["disclosure_reference"]
    schema = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "hotline_intake.v1.json").read_text())
    payload = intake_payload(report_db.find_by_reference(reference))
    jsonschema.validate(payload, schema)
    assert payload["age_band"] is None  # "skipped" is stored as unknown


def test_outside_counsellor_hours_the_child_is_told_honestly(dispatcher, domain, report_db, monkeypatch):
    from actions.cases import case_texts

    monkeypatch.setenv("KHIEN_COUNSELLOR_HOURS", "00:00-00:01")
    tracker = make_tracker([DISCLOSURE], {"risk_level": "high", "safe_now": "yes", "consent": "yes",
                                          "disclosure_started_at": 100.0})
    run(ActionFinishDisclosure(), dispatcher, tracker, domain)
    texts = [m.get("text") for m in dispatcher.messages]
    assert case_texts()["outside_hours"] in texts and "111" in case_texts()["outside_hours"]


def test_counsellor_hours_across_midnight():
    from datetime import datetime

    from khien.settings import VIETNAM, Settings

    night = Settings(counsellor_hours="22:00-06:00", pseudonym_secret="k", reply_key="k")
    assert night.counsellors_on_duty(datetime(2026, 1, 1, 23, 0, tzinfo=VIETNAM))
    assert not night.counsellors_on_duty(datetime(2026, 1, 1, 12, 0, tzinfo=VIETNAM))
