"""Cases: counsellors' operations write status history and the audit log; live chat stores the
child's side anonymised; the queue puts the most urgent first."""
from datetime import timedelta

import pytest

from actions.cases import CaseNotFound, Cases, case_texts
from actions.reporting import intake_payload
from actions.store import NewReport, utcnow


def report(store, risk="high", pseudonym="u_child"):
    return store.create_report(NewReport(channel="web", reporter_role="child", reporter_pseudonym=pseudonym,
                                         category="physical_violence", risk=risk, consent=True,
                                         consent_basis="consent", summary="..."), intake_payload)


def test_queue_is_ordered_by_risk_then_waiting_time(report_db):
    medium = report(report_db, "medium")
    imminent = report(report_db, "imminent")
    high_old = report(report_db, "high")
    high_new = report(report_db, "high")
    queue = Cases(report_db).queue(now=utcnow() + timedelta(minutes=5))
    assert [item.reference for item in queue] == [imminent.reference, high_old.reference, high_new.reference,
                                                  medium.reference]
    assert queue[0].waiting_seconds >= 299


def test_claim_refer_close_are_recorded_and_audited(report_db):
    cases = Cases(report_db)
    case = report(report_db)
    cases.claim(case.reference, "lan")
    cases.refer(case.reference, "lan")
    cases.close(case.reference, "lan")
    stored = cases.get(case.reference)
    assert stored.status == "closed" and stored.claimed_by == "lan" and stored.closed_at is not None
    assert [e.kind for e in stored.events] == ["received", "claimed", "referred", "closed"]
    assert [a.action for a in cases.audit_log()][:3] == ["closed", "referred", "claimed"]
    assert case.reference not in [item.reference for item in cases.queue()]
    with pytest.raises(CaseNotFound):
        cases.claim("AAA-AAA-AAA", "lan")


def test_live_chat_stores_the_child_anonymised_and_queues_the_counsellor(report_db):
    cases = Cases(report_db)
    case = report(report_db, pseudonym="u_kid")
    with pytest.raises(PermissionError):
        cases.send_to_child(case.reference, "lan", "chào em")
    cases.start_handoff(case.reference, "lan")
    assert cases.active_handoff_for("u_kid").reference == case.reference
    cases.send_to_child(case.reference, "lan", "Chị là Lan, chị nghe em đây.")
    stored = cases.record_from_child(case.id, "em tên Hoa, số em 0912 345 678")
    assert "0912" not in stored and "Hoa" not in stored
    waiting = [m.text for m, _ in cases.undelivered_to_child("u_kid")]
    assert waiting == [case_texts()["counsellor_joined"], "Chị là Lan, chị nghe em đây."]
    cases.mark_delivered([m.id for m, _ in cases.undelivered_to_child("u_kid")])
    cases.end_handoff(case.reference, "lan")
    assert cases.active_handoff_for("u_kid") is None
    assert [m.text for m, _ in cases.undelivered_to_child("u_kid")] == [case_texts()["counsellor_left"]]


def test_a_deleted_user_leaves_no_case_behind(report_db):
    cases = Cases(report_db)
    case = report(report_db, pseudonym="u_gone")
    cases.start_handoff(case.reference, "lan")
    cases.record_from_child(case.id, "xin chào")
    assert report_db.delete_user("u_gone") == 1
    with pytest.raises(CaseNotFound):
        cases.get(case.reference)


def test_a_claimed_case_stays_with_its_counsellor_unless_overridden(report_db):
    from actions.cases import CaseTaken

    cases = Cases(report_db)
    case = report(report_db)
    cases.claim(case.reference, "lan")
    with pytest.raises(CaseTaken):
        cases.claim(case.reference, "minh")
    cases.claim(case.reference, "lan")  # claiming one's own case again is harmless
    assert cases.claim(case.reference, "supervisor", override=True).claimed_by == "supervisor"
