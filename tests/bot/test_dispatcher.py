"""The outbox dispatcher against a fake 111 intake on 127.0.0.1, on SQLite and PostgreSQL."""
import asyncio
import json
from datetime import timedelta

import jsonschema
import pytest
from sqlalchemy import select, update

from actions.reporting import intake_payload
from actions.store import HandoffMessage, NewReport, OutboxRow, Report, ReportStore, utcnow
from bot.dispatcher import Dispatcher, HotlineIntake, backoff
from tests.fakes.hotline_intake import FakeHotlineIntake

SECRET = "test-hotline-secret"
SCHEMA = json.loads(open("schemas/hotline_intake.v1.json").read())


def new_report(risk="high", pseudonym="u_child"):
    return NewReport(channel="web", reporter_role="child", reporter_pseudonym=pseudonym, category="sexual_abuse",
                     risk=risk, consent=True, consent_basis="consent", summary="[TÊN] sờ vào chỗ kín của em",
                     age_band="11_15", relation="neighbour", setting="home", province="Hải Phòng")


@pytest.fixture
def store(store_url):
    store = ReportStore(store_url)
    store.migrate()
    yield store
    store.engine.dispose()


def deliver_until_done(dispatcher, rows_expected, rounds=200):
    async def loop():
        for _ in range(rounds):
            await dispatcher.run_once()
            with dispatcher.store.session() as session:
                pending = session.execute(select(OutboxRow).where(OutboxRow.status == "pending")).scalars().all()
            if not pending:
                return
            # make retries due now instead of waiting out the back-off
            with dispatcher.store.session() as session, session.begin():
                session.execute(update(OutboxRow).values(next_attempt_at=utcnow()))
            await asyncio.sleep(0.01)
    asyncio.run(loop())


def test_a_report_reaches_the_intake_once_signed_despite_three_failures(store):
    with FakeHotlineIntake(SECRET, fail_first=3) as intake:
        report = store.create_report(new_report(), intake_payload, targets=["hotline"])
        dispatcher = Dispatcher(store, {"hotline": HotlineIntake(intake.intake_url, SECRET)})
        deliver_until_done(dispatcher, 1)
        assert intake.calls == 4 and intake.bad_signatures == 0
        assert list(intake.accepted) == [f"{report.reference}:hotline"]
        jsonschema.validate(intake.accepted[f"{report.reference}:hotline"], SCHEMA)
    with store.session() as session:
        row = session.execute(select(OutboxRow)).scalar_one()
    assert row.status == "delivered" and row.attempts == 4 and row.claimed_by is None


def test_a_timeout_counts_as_a_failure_and_is_retried(store):
    with FakeHotlineIntake(SECRET, fail_first=1, hang_seconds=3) as intake:
        store.create_report(new_report(), intake_payload, targets=["hotline"])
        dispatcher = Dispatcher(store, {"hotline": HotlineIntake(intake.intake_url, SECRET, timeout=0.5)})
        deliver_until_done(dispatcher, 1)
        assert len(intake.accepted) == 1
    with store.session() as session:
        assert session.execute(select(OutboxRow.last_error)).scalar_one() is None


def test_an_unconfigured_target_waits_and_loses_nothing(store):
    store.create_report(new_report(), intake_payload)  # hotline and counsellors rows
    with FakeHotlineIntake(SECRET) as intake:
        dispatcher = Dispatcher(store, {"hotline": HotlineIntake(intake.intake_url, SECRET)})
        deliver_until_done(dispatcher, 1)
    with store.session() as session:
        statuses = dict(session.execute(select(OutboxRow.target, OutboxRow.status)).all())
    assert statuses == {"hotline": "delivered", "counsellors": "pending"}


def test_backoff_starts_within_seconds_and_is_capped_at_five_minutes():
    assert backoff(1) <= timedelta(seconds=1.2)
    assert backoff(3) <= timedelta(seconds=4.8)
    assert backoff(30) <= timedelta(seconds=360) and backoff(30) >= timedelta(seconds=240)


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(store):
    store.create_report(new_report(), intake_payload, targets=["hotline"])
    first = Dispatcher(store, {"hotline": None}, name="first")
    second = Dispatcher(store, {"hotline": None}, name="second")
    assert len(first.claim_due()) == 1
    assert second.claim_due() == []
    assert len(second.claim_due(now=utcnow() + timedelta(seconds=61))) == 1  # first died: lease over


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_two_dispatchers_share_one_outbox_and_deliver_each_row_once(store):
    with FakeHotlineIntake(SECRET, fail_first=5) as intake:
        references = [store.create_report(new_report(), intake_payload, targets=["hotline"]).reference
                      for _ in range(30)]
        dispatchers = [Dispatcher(store, {"hotline": HotlineIntake(intake.intake_url, SECRET)}, name=n)
                       for n in ("a", "b")]

        async def both():
            stop = asyncio.Event()
            tasks = [asyncio.create_task(d.run_forever(stop, interval=0.05)) for d in dispatchers]
            for _ in range(400):
                await asyncio.sleep(0.05)
                with store.session() as session, session.begin():
                    session.execute(update(OutboxRow).where(OutboxRow.status == "pending")
                                    .values(next_attempt_at=utcnow()))
                if len(intake.accepted) == 30:
                    break
            stop.set()
            await asyncio.gather(*tasks)

        asyncio.run(both())
        assert sorted(intake.accepted) == sorted(f"{r}:hotline" for r in references)
        assert intake.calls == 30 + 5  # every success exactly once, plus the five failures
    with store.session() as session:
        assert {s for (s,) in session.execute(select(OutboxRow.status))} == {"delivered"}


def test_an_unclaimed_imminent_case_is_announced_again_and_the_child_reminded(store):
    report = store.create_report(new_report(risk="imminent"), intake_payload)
    dispatcher = Dispatcher(store, {}, claim_sla_seconds=120)
    assert dispatcher.reannounce_unclaimed() == 0
    later = utcnow() + timedelta(seconds=121)
    assert dispatcher.reannounce_unclaimed(now=later) == 1
    assert dispatcher.reannounce_unclaimed(now=later + timedelta(seconds=10)) == 0  # not again at once
    with store.session() as session:
        rows = session.execute(select(OutboxRow).where(OutboxRow.target == "counsellors")).scalars().all()
        reminders = session.execute(select(HandoffMessage)).scalars().all()
    assert len(rows) == 2 and json.loads(rows[1].payload)["reannounced"] is True
    assert len(reminders) == 1 and "113" in reminders[0].text and "111" in reminders[0].text


def test_a_high_case_waits_fifteen_minutes_before_it_is_announced_again(store):
    store.create_report(new_report(risk="high"), intake_payload)
    dispatcher = Dispatcher(store, {})
    assert dispatcher.reannounce_unclaimed(now=utcnow() + timedelta(minutes=14)) == 0
    assert dispatcher.reannounce_unclaimed(now=utcnow() + timedelta(minutes=16)) == 1
