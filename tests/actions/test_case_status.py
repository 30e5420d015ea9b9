"""Status by reference code: own case only, nothing revealed otherwise, guessing rate-limited."""
import asyncio

from actions.case_status import MAX_FAILURES, ActionCaseStatus, find_reference
from actions.cases import Cases, case_texts
from actions.reporting import intake_payload
from actions.store import NewReport
from tests.actions.conftest import make_tracker, user_event


def report_for(store, pseudonym):
    return store.create_report(NewReport(channel="web", reporter_role="child", reporter_pseudonym=pseudonym,
                                         category="bullying", risk="medium", consent=True, consent_basis="consent",
                                         summary="..."), intake_payload)


def ask(dispatcher, domain, text, sender="u_owner", **slots):
    tracker = make_tracker([user_event(text, intent="ask_case_status")], slots, sender=sender)
    events = asyncio.run(ActionCaseStatus().run(dispatcher, tracker, domain))
    return dispatcher.messages[-1], {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_reference_codes_are_found_in_any_case_and_spacing():
    assert find_reference("mã của em là k7m - 4qx - 9pa ạ") == "K7M-4QX-9PA"
    assert find_reference("không có mã") is None


def test_the_owner_hears_the_status_in_plain_words(dispatcher, domain, report_db):
    report = report_for(report_db, "u_owner")
    message, _ = ask(dispatcher, domain, f"mã của em là {report.reference.lower()}")
    assert message["text"] == case_texts()["status"]["received"]
    Cases(report_db).claim(report.reference, "counsellor-1")
    message, _ = ask(dispatcher, domain, report.reference)
    assert message["text"] == case_texts()["status"]["claimed"]


def test_someone_elses_code_reveals_nothing(dispatcher, domain, report_db):
    report = report_for(report_db, "u_owner")
    theirs, _ = ask(dispatcher, domain, report.reference, sender="u_stranger")
    wrong, _ = ask(dispatcher, domain, "AAA-AAA-AAA", sender="u_stranger")
    assert theirs["text"] == wrong["text"] == case_texts()["unknown_reference"]


def test_guessing_is_paused_after_repeated_wrong_codes(dispatcher, domain, report_db):
    _, slots = ask(dispatcher, domain, "AAA-AAA-AAA", case_lookup_failures=MAX_FAILURES - 1)
    assert slots["case_lookup_paused_until"] > 0
    report = report_for(report_db, "u_owner")
    message, _ = ask(dispatcher, domain, report.reference, case_lookup_paused_until=slots["case_lookup_paused_until"])
    assert message["text"] == case_texts()["too_many_tries"]
