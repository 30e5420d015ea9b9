"""The report store (SQLAlchemy): reports and their outbox rows.

SQLite file under var/ by default, PostgreSQL when KHIEN_DATABASE_URL says so. The schema is
owned by the Alembic migrations in actions/migrations/; `ReportStore.migrate()` applies them.

Privacy: a report holds only anonymised text and a keyed pseudonym of the reporter. The one
reversible link to a child, the reply address, is stored encrypted and goes with the report.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from sqlalchemy import (
    Boolean, Column, DateTime, ForeignKey, Integer, String, Text, create_engine, delete, event,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, relationship, sessionmaker

from khien.reference import new_reference

Base = declarative_base()
MIGRATIONS = Path(__file__).parent / "migrations"

REPORT_STATUSES = ("received", "claimed", "referred", "closed")
OUTBOX_TARGETS = ("hotline", "counsellors")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Report(Base):
    __tablename__ = "reports"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), unique=True, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    reporter_role = Column(String(16), nullable=False)  # child | witness | parent
    reporter_pseudonym = Column(String(64), nullable=False, index=True)
    age_band = Column(String(16))  # under_11 | 11_15 | 16_17 | None when skipped
    category = Column(String(32), nullable=False)
    risk = Column(String(16), nullable=False)
    relation = Column(String(32))  # a relation word, never a name
    setting = Column(String(32))  # home | school | online | neighbourhood | other
    province = Column(String(64))
    consent = Column(Boolean, nullable=False)
    consent_basis = Column(String(32), nullable=False)  # consent | vital_interest
    summary = Column(Text, nullable=False)  # anonymised before it gets here
    status = Column(String(16), nullable=False, default="received")
    reply_address = Column(Text)  # encrypted (Fernet); deleted with the report
    claimed_by = Column(String(64))  # the counsellor (console user or Telegram user) on the case
    claimed_at = Column(DateTime)
    closed_at = Column(DateTime)
    reannounced_at = Column(DateTime)  # last time an unclaimed case was announced again
    handoff_active = Column(Boolean, nullable=False, default=False)  # a person talks to the child

    outbox = relationship("OutboxRow", back_populates="report", cascade="all, delete-orphan",
                          passive_deletes=True)
    events = relationship("CaseEvent", back_populates="report", cascade="all, delete-orphan",
                          passive_deletes=True, order_by="CaseEvent.id")
    messages = relationship("HandoffMessage", back_populates="report", cascade="all, delete-orphan",
                            passive_deletes=True, order_by="HandoffMessage.id")


class OutboxRow(Base):
    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    report_id = Column(Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True)
    target = Column(String(16), nullable=False)  # hotline | counsellors
    idempotency_key = Column(String(64), unique=True, nullable=False)
    payload = Column(Text, nullable=False)  # JSON; anonymised fields only
    status = Column(String(16), nullable=False, default="pending", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    delivered_at = Column(DateTime)
    last_error = Column(String(200))
    claimed_by = Column(String(64))  # the dispatcher delivering it now
    claimed_until = Column(DateTime)  # its lease: after this another dispatcher may take over
    target_ref = Column(String(64))  # what the target answered, e.g. the card's Telegram message id

    report = relationship("Report", back_populates="outbox")


class CaseEvent(Base):
    """A case's status history; never holds what the child wrote."""

    __tablename__ = "case_events"

    id = Column(Integer, primary_key=True)
    report_id = Column(Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    actor = Column(String(64), nullable=False)  # a counsellor, or "system"
    kind = Column(String(32), nullable=False)  # received | claimed | referred | closed | reannounced | handoff_started | handoff_ended
    note = Column(String(200))

    report = relationship("Report", back_populates="events")


class HandoffMessage(Base):
    """Live chat between a counsellor and the child. The child's words are stored anonymised;
    a message to the child waits here (`delivered_at` empty) until its channel has sent it."""

    __tablename__ = "handoff_messages"

    id = Column(Integer, primary_key=True)
    report_id = Column(Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    direction = Column(String(16), nullable=False)  # to_child | from_child
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    delivered_at = Column(DateTime)

    report = relationship("Report", back_populates="messages")


class ConsoleUser(Base):
    __tablename__ = "console_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    password_hash = Column(String(256), nullable=False)
    role = Column(String(16), nullable=False)  # counsellor | supervisor
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    """Every view and change in the console; supervisors read it."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    target = Column(String(64))
    detail = Column(String(200))


@dataclass(frozen=True)
class NewReport:
    """What the disclosure flow knows when it escalates. `summary` is already anonymised."""

    channel: str
    reporter_role: str
    reporter_pseudonym: str
    category: str
    risk: str
    consent: bool
    consent_basis: str
    summary: str
    age_band: Optional[str] = None
    relation: Optional[str] = None
    setting: Optional[str] = None
    province: Optional[str] = None
    reply_address: Optional[str] = None


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _on_connect(connection, _record):  # ON DELETE CASCADE needs this on SQLite
            connection.execute("PRAGMA foreign_keys=ON")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    _enable_sqlite_foreign_keys(engine)
    return engine


class ReportStore:
    def __init__(self, url: str, retention_days: int = 365) -> None:
        self.url = url
        self.retention = timedelta(days=retention_days)
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, future=True, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url)
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def session(self) -> Session:
        return self._sessions()

    def create_report(
        self, new: NewReport, payload_for: Callable[[Report], dict[str, Any]],
        targets: Iterable[str] = OUTBOX_TARGETS,
    ) -> Report:
        """The report and one outbox row per target, in one transaction: all or nothing."""
        now = utcnow()
        report = Report(
            reference=new_reference(), created_at=now, updated_at=now, expires_at=now + self.retention,
            status="received", **new.__dict__,
        )
        self._enqueue(report, payload_for, targets, version=1)
        with self.session() as session, session.begin():
            session.add(report)
            session.flush()
            session.add(CaseEvent(report_id=report.id, actor="system", kind="received",
                                  note=f"{new.category}/{new.risk}/{new.consent_basis}"))
        return report

    def update_report(
        self, reference: str, summary_addition: str, risk: str,
        payload_for: Callable[[Report], dict[str, Any]], targets: Iterable[str] = OUTBOX_TARGETS,
    ) -> Report:
        """More from the same conversation: summary extended, risk raised, targets told again."""
        from nlu.risk_lexicon import max_risk

        with self.session() as session, session.begin():
            report = session.execute(
                select(Report).where(Report.reference == reference).with_for_update()
            ).scalar_one()
            if summary_addition:
                report.summary = f"{report.summary} / {summary_addition}"[-4000:]
            report.risk = max_risk(report.risk, risk)
            version = 1 + sum(1 for row in report.outbox if row.target == next(iter(targets), None))
            self._enqueue(report, payload_for, targets, version=version)
        return report

    @staticmethod
    def _enqueue(report: Report, payload_for, targets: Iterable[str], version: int) -> None:
        payload = json.dumps(payload_for(report), ensure_ascii=False)
        for target in targets:
            suffix = "" if version == 1 else f":v{version}"
            report.outbox.append(OutboxRow(
                target=target, idempotency_key=f"{report.reference}:{target}{suffix}",
                payload=payload, next_attempt_at=utcnow(),
            ))

    def find_by_reference(self, reference: str) -> Optional[Report]:
        with self.session() as session:
            return session.execute(select(Report).where(Report.reference == reference)).scalar_one_or_none()

    def reports_of(self, pseudonym: str) -> list[Report]:
        with self.session() as session:
            return list(session.execute(
                select(Report).where(Report.reporter_pseudonym == pseudonym).order_by(Report.id)
            ).scalars())

    def delete_user(self, pseudonym: str) -> int:
        """Everything stored about one user (reports, their outbox rows, reply addresses)."""
        with self.session() as session, session.begin():
            ids = list(session.execute(select(Report.id).where(Report.reporter_pseudonym == pseudonym)).scalars())
            if ids:
                session.execute(delete(OutboxRow).where(OutboxRow.report_id.in_(ids)))
                session.execute(delete(Report).where(Report.id.in_(ids)))
        return len(ids)

    def purge_expired(self, now: Optional[datetime] = None) -> int:
        """Deletes reports past their retention; safe to run from cron as often as you like."""
        now = now or utcnow()
        with self.session() as session, session.begin():
            ids = list(session.execute(select(Report.id).where(Report.expires_at <= now)).scalars())
            if ids:
                session.execute(delete(OutboxRow).where(OutboxRow.report_id.in_(ids)))
                session.execute(delete(Report).where(Report.id.in_(ids)))
        return len(ids)

    def export(self) -> Iterator[dict[str, Any]]:
        """Stored reports, anonymised fields only (no pseudonym, no reply address)."""
        with self.session() as session:
            for report in session.execute(select(Report).order_by(Report.id)).scalars():
                yield {
                    "reference": report.reference,
                    "created_at": report.created_at.isoformat() + "Z",
                    "channel": report.channel, "reporter_role": report.reporter_role,
                    "age_band": report.age_band, "category": report.category, "risk": report.risk,
                    "relation": report.relation, "setting": report.setting, "province": report.province,
                    "consent": report.consent, "consent_basis": report.consent_basis,
                    "summary": report.summary, "status": report.status,
                }
