"""The report store, on SQLite and on the real PostgreSQL server."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from actions.store import NewReport, OutboxRow, Report, ReportStore, utcnow


def payload(report):
    return {"reference": report.reference, "risk": report.risk}


def new_report(pseudonym="u_abc", **overrides):
    fields = dict(channel="web", reporter_role="child", reporter_pseudonym=pseudonym,
                  category="sexual_abuse", risk="high", consent=True, consent_basis="consent",
                  summary="[TÊN] sờ vào chỗ kín của em", age_band="11_15", relation="neighbour",
                  setting="home", province="Hải Phòng", reply_address="gAAAA-encrypted")
    fields.update(overrides)
    return NewReport(**fields)


@pytest.fixture
def store(store_url):
    store = ReportStore(store_url, retention_days=30)
    store.migrate()
    yield store
    store.engine.dispose()


def test_a_report_and_its_outbox_rows_are_written_together(store):
    report = store.create_report(new_report(), payload)
    with store.session() as session:
        rows = session.execute(select(OutboxRow).order_by(OutboxRow.target)).scalars().all()
    assert [r.target for r in rows] == ["counsellors", "hotline"]
    assert {r.idempotency_key for r in rows} == {f"{report.reference}:hotline", f"{report.reference}:counsellors"}
    assert all(report.reference in r.payload for r in rows)


def test_a_failed_write_leaves_neither_report_nor_outbox_rows(store, monkeypatch):
    taken = store.create_report(new_report(), payload, ["hotline"]).reference
    # a reference that already exists violates the unique key: the transaction rolls back whole
    monkeypatch.setattr("actions.store.new_reference", lambda: taken)
    with pytest.raises(Exception):
        store.create_report(new_report("u_other"), payload, ["hotline"])
    assert store.reports_of("u_other") == []
    with store.session() as session:
        assert len(session.execute(select(OutboxRow)).scalars().all()) == 1


def test_reference_codes_are_short_unique_and_readable(store):
    references = {store.create_report(new_report(), payload).reference for _ in range(20)}
    assert len(references) == 20
    assert all(len(r) == 11 and r.count("-") == 2 for r in references)
    assert not any(c in "".join(references) for c in "01OILSZB258")


def test_delete_user_removes_every_report_and_outbox_row(store):
    store.create_report(new_report("u_child"), payload, ["hotline"])
    store.create_report(new_report("u_child"), payload, ["counsellors"])
    store.create_report(new_report("u_someone_else"), payload, ["hotline"])
    assert store.delete_user("u_child") == 2
    assert store.reports_of("u_child") == []
    with store.session() as session:
        assert session.execute(select(OutboxRow)).scalars().all().__len__() == 1
        assert session.execute(select(Report)).scalars().one().reporter_pseudonym == "u_someone_else"


def test_purge_removes_only_expired_reports(store):
    kept = store.create_report(new_report(), payload, ["hotline"])
    store.create_report(new_report(), payload, ["hotline"])
    assert store.purge_expired(now=utcnow() + timedelta(days=29)) == 0
    assert store.purge_expired(now=utcnow() + timedelta(days=31)) == 2
    assert store.find_by_reference(kept.reference) is None


def test_export_holds_anonymised_fields_only(store):
    store.create_report(new_report(), payload)
    exported = list(store.export())
    assert len(exported) == 1
    assert "reporter_pseudonym" not in exported[0] and "reply_address" not in exported[0]


def test_migrate_twice_is_harmless(store):
    store.migrate()
    store.create_report(new_report(), payload)


def test_an_update_raises_risk_extends_summary_and_tells_targets_again(store):
    report = store.create_report(new_report(risk="medium"), payload)
    store.update_report(report.reference, "[TÊN] lại đến", "imminent", payload)
    updated = store.find_by_reference(report.reference)
    assert updated.risk == "imminent" and updated.summary.endswith("[TÊN] lại đến")
    with store.session() as session:
        keys = sorted(r.idempotency_key for r in session.execute(select(OutboxRow)).scalars())
    ref = report.reference
    assert keys == sorted([f"{ref}:hotline", f"{ref}:counsellors", f"{ref}:hotline:v2", f"{ref}:counsellors:v2"])
