"""Escalation: turn a conversation into an anonymised report and its outbox rows.

Nothing here sees a channel id: the sender is the gateway's keyed pseudonym, and the reply
address arrives already sealed (encrypted) in the message metadata.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Iterable, Optional

from rasa_sdk import Tracker

from actions.anonymiser import anonymise
from actions.store import NewReport, Report, ReportStore
from khien.settings import get_settings
from nlu.text import fold

logger = logging.getLogger(__name__)

HOTLINE_SCHEMA_VERSION = "1.0"
MAX_SUMMARY_CHARS = 2000


@lru_cache(maxsize=1)
def report_store() -> ReportStore:
    """One store per action-server process, migrated on first use."""
    settings = get_settings()
    store = ReportStore(settings.database_url, settings.retention_days)
    store.migrate()
    return store


def quick_answers(domain: dict) -> set[str]:
    """Folded texts of every button payload: answers to our questions, not the child's story."""
    answers = set()
    for variations in (domain.get("responses") or {}).values():
        for variation in variations:
            for button in variation.get("buttons") or []:
                answers.add(fold(str(button.get("payload", ""))).strip())
    return answers


def disclosure_texts(tracker: Tracker, since: Optional[float], domain: dict) -> list[str]:
    """What the user wrote from the start of the disclosure, minus answers to our buttons."""
    skip = quick_answers(domain)
    texts = []
    for event in tracker.events:
        if event.get("event") != "user" or not event.get("text"):
            continue
        if since is not None and float(event.get("timestamp") or 0) < since:
            continue
        text = event["text"]
        if text.startswith("/") or fold(text).strip() in skip:
            continue
        texts.append(text)
    return texts


def anonymised_summary(texts: Iterable[str]) -> str:
    summary = " / ".join(anonymise(text) for text in texts)
    return summary[:MAX_SUMMARY_CHARS]


def intake_payload(report: Report) -> dict[str, Any]:
    """The versioned 111 intake payload (schemas/hotline_intake.v1.json); anonymised fields only."""
    return {
        "schema_version": HOTLINE_SCHEMA_VERSION,
        "reference": report.reference,
        "created_at": report.created_at.isoformat(timespec="seconds") + "Z",
        "category": report.category,
        "risk": report.risk,
        "reporter_role": report.reporter_role,
        "age_band": report.age_band,
        "relation": report.relation,
        "setting": report.setting,
        "province": report.province,
        "consent": report.consent,
        "consent_basis": report.consent_basis,
        "channel": report.channel,
        "summary": report.summary,
    }


def _answer(tracker: Tracker, slot: str) -> Optional[str]:
    value = tracker.get_slot(slot)
    return None if value in (None, "skipped") else value


def escalate(tracker: Tracker, domain: dict, consent_basis: str) -> Optional[str]:
    """Stores the report and its outbox rows in one transaction; returns the reference code,
    or None when the store is unavailable (the caller still gives the child 111)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    texts = disclosure_texts(tracker, tracker.get_slot("disclosure_started_at"), domain)
    new = NewReport(
        channel=str(metadata.get("channel") or "unknown")[:16],
        reporter_role=tracker.get_slot("reporter_role") or "child",
        reporter_pseudonym=tracker.sender_id,
        category=tracker.get_slot("risk_category") or "unclear",
        risk=tracker.get_slot("risk_level") or "medium",
        consent=tracker.get_slot("consent") == "yes",
        consent_basis=consent_basis,
        summary=anonymised_summary(texts),
        age_band=_answer(tracker, "age_band"),
        relation=_answer(tracker, "relation"),
        setting=_answer(tracker, "setting"),
        province=_answer(tracker, "province"),
        reply_address=metadata.get("reply_to"),
    )
    try:
        report = report_store().create_report(new, intake_payload)
    except Exception as error:  # the child must still get 111; no message text in the log
        logger.error("report not stored for sender=%s category=%s: %s",
                     tracker.sender_id, new.category, type(error).__name__)
        return None
    logger.info("report %s stored: category=%s risk=%s basis=%s",
                report.reference, report.category, report.risk, consent_basis)
    return report.reference


def add_to_report(tracker: Tracker, domain: dict, reference: str) -> bool:
    """A later disclosure in the same conversation: the anonymised text and a raised risk go to
    the existing report, with fresh outbox rows so the counsellors see the update."""
    texts = disclosure_texts(tracker, tracker.get_slot("disclosure_started_at"), domain)
    try:
        report_store().update_report(
            reference, anonymised_summary(texts), tracker.get_slot("risk_level") or "medium",
            intake_payload,
        )
        return True
    except Exception as error:
        logger.error("report %s not updated: %s", reference, type(error).__name__)
        return False
