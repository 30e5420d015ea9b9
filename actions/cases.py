"""Cases: what counsellors do with a report, in one place for every surface that acts on one
(the console, the counsellors' Telegram chat, the gateway's live handoff, status questions).

Every change writes a CaseEvent (status history) and an audit entry. Nothing here stores what
a child wrote except anonymised: the child's side of a live chat goes through the anonymiser.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from actions.anonymiser import anonymise
from actions.store import AuditEntry, CaseEvent, HandoffMessage, Report, ReportStore, utcnow
from nlu.risk_lexicon import RISK_LEVELS

CONTENT = Path(__file__).resolve().parent.parent / "content" / "cases.yml"
OPEN_STATUSES = ("received", "claimed", "referred")


class CaseNotFound(LookupError):
    pass


class CaseTaken(PermissionError):
    """Another counsellor claimed the case first."""


def case_texts() -> dict:
    """What the child is told about their case (content/cases.yml, editable by experts)."""
    return yaml.safe_load(CONTENT.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class QueueItem:
    reference: str
    risk: str
    category: str
    age_band: Optional[str]
    province: Optional[str]
    status: str
    claimed_by: Optional[str]
    created_at: datetime
    waiting_seconds: int


class Cases:
    def __init__(self, store: ReportStore) -> None:
        self.store = store

    # -- reading -------------------------------------------------------------------------
    def queue(self, now: Optional[datetime] = None) -> list[QueueItem]:
        """Open cases, highest risk first, then longest waiting."""
        now = now or utcnow()
        with self.store.session() as session:
            reports = session.execute(select(Report).where(Report.status.in_(OPEN_STATUSES))).scalars().all()
        items = [QueueItem(r.reference, r.risk, r.category, r.age_band, r.province, r.status, r.claimed_by,
                           r.created_at, int((now - r.created_at).total_seconds())) for r in reports]
        return sorted(items, key=lambda i: (-RISK_LEVELS.index(i.risk), i.created_at))

    def reported_since(self, since: datetime) -> list:
        """(created_at, claimed_at, category, risk, province, age_band, status) of each case
        reported since `since`: what aggregate statistics are made of, and nothing more."""
        with self.store.session() as session:
            return session.execute(
                select(Report.created_at, Report.claimed_at, Report.category, Report.risk, Report.province,
                       Report.age_band, Report.status).where(Report.created_at >= since)
            ).all()

    def get(self, reference: str) -> Report:
        with self.store.session() as session:
            report = session.execute(
                select(Report).where(Report.reference == reference)
                .options(selectinload(Report.events), selectinload(Report.messages))
            ).scalar_one_or_none()
        if report is None:
            raise CaseNotFound(reference)
        return report

    def status_for(self, pseudonym: str, reference: str) -> Optional[str]:
        """The status of the caller's own case; None for a wrong or someone else's code."""
        report = self.store.find_by_reference(reference.strip().upper())
        if report is None or report.reporter_pseudonym != pseudonym:
            return None
        return report.status

    def active_handoff_for(self, pseudonym: str) -> Optional[Report]:
        with self.store.session() as session:
            return session.execute(
                select(Report).where(Report.reporter_pseudonym == pseudonym, Report.handoff_active.is_(True))
                .order_by(Report.id.desc())
            ).scalars().first()

    # -- changing ------------------------------------------------------------------------
    def _change(self, reference: str, actor: str, kind: str, apply, note: Optional[str] = None) -> Report:
        with self.store.session() as session, session.begin():
            report = session.execute(
                select(Report).where(Report.reference == reference).with_for_update()
            ).scalar_one_or_none()
            if report is None:
                raise CaseNotFound(reference)
            apply(report, session)
            session.add(CaseEvent(report_id=report.id, actor=actor, kind=kind, note=note))
            session.add(AuditEntry(actor=actor, action=kind, target=reference))
        return report

    def claim(self, reference: str, counsellor: str, override: bool = False) -> Report:
        """Atomic under the row lock: a case claimed by someone else stays theirs unless a
        supervisor overrides."""
        def apply(report: Report, session) -> None:
            if report.claimed_by not in (None, counsellor) and not override:
                raise CaseTaken(report.claimed_by)
            report.status, report.claimed_by, report.claimed_at = "claimed", counsellor, utcnow()
        return self._change(reference, counsellor, "claimed", apply)

    def refer(self, reference: str, counsellor: str) -> Report:
        def apply(report: Report, session) -> None:
            report.status = "referred"
        return self._change(reference, counsellor, "referred", apply)

    def close(self, reference: str, counsellor: str) -> Report:
        texts = case_texts()

        def apply(report: Report, session) -> None:
            if report.handoff_active:
                session.add(HandoffMessage(report_id=report.id, direction="to_child", author="system",
                                           text=texts["counsellor_left"]))
            report.status, report.closed_at, report.handoff_active = "closed", utcnow(), False
        return self._change(reference, counsellor, "closed", apply)

    def start_handoff(self, reference: str, counsellor: str) -> Report:
        """A counsellor talks to the child; the bot stays quiet until handed back."""
        text = case_texts()["counsellor_joined"]

        def apply(report: Report, session) -> None:
            if report.status == "received":
                report.status, report.claimed_by, report.claimed_at = "claimed", counsellor, utcnow()
            report.handoff_active = True
            session.add(HandoffMessage(report_id=report.id, direction="to_child", author="system", text=text))
        return self._change(reference, counsellor, "handoff_started", apply)

    def end_handoff(self, reference: str, counsellor: str) -> Report:
        text = case_texts()["counsellor_left"]

        def apply(report: Report, session) -> None:
            report.handoff_active = False
            session.add(HandoffMessage(report_id=report.id, direction="to_child", author="system", text=text))
        return self._change(reference, counsellor, "handoff_ended", apply)

    def send_to_child(self, reference: str, counsellor: str, text: str) -> None:
        def apply(report: Report, session) -> None:
            if not report.handoff_active:
                raise PermissionError("no live chat on this case")
            session.add(HandoffMessage(report_id=report.id, direction="to_child", author=counsellor, text=text[:2000]))
        self._change(reference, counsellor, "message_to_child", apply)

    def record_from_child(self, report_id: int, text: str) -> str:
        """Stores what the child wrote in a live chat, anonymised; returns the stored text."""
        anonymised = anonymise(text)[:2000]
        with self.store.session() as session, session.begin():
            session.add(HandoffMessage(report_id=report_id, direction="from_child", author="child",
                                       text=anonymised, delivered_at=utcnow()))
        return anonymised

    def undelivered_to_child(self, pseudonym: Optional[str] = None) -> list[tuple[HandoffMessage, Report]]:
        """Messages a channel still has to send to a child (all children, or one)."""
        with self.store.session() as session:
            query = (select(HandoffMessage, Report).join(Report)
                     .where(HandoffMessage.direction == "to_child", HandoffMessage.delivered_at.is_(None))
                     .order_by(HandoffMessage.id))
            if pseudonym:
                query = query.where(Report.reporter_pseudonym == pseudonym)
            return [(m, r) for m, r in session.execute(query).all()]

    def mark_delivered(self, message_ids: list[int]) -> None:
        if not message_ids:
            return
        with self.store.session() as session, session.begin():
            for message in session.execute(select(HandoffMessage).where(HandoffMessage.id.in_(message_ids))).scalars():
                message.delivered_at = utcnow()

    def audit(self, actor: str, action: str, target: Optional[str] = None, detail: Optional[str] = None) -> None:
        with self.store.session() as session, session.begin():
            session.add(AuditEntry(actor=actor, action=action, target=target, detail=(detail or "")[:200] or None))

    def audit_log(self, limit: int = 500) -> list[AuditEntry]:
        with self.store.session() as session:
            return list(session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).scalars())
