"""The outbox dispatcher: delivers every report to its targets, and never loses one.

A report and its outbox rows are written in one transaction by the action server. Here each
row is claimed with a lease (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, and on every
database a conditional UPDATE that only one dispatcher can win), delivered, and marked
delivered; a failure or a timeout schedules a retry with exponential back-off (1 s, 2 s, 4 s …
capped at 5 minutes). A dispatcher that dies mid-delivery loses its lease and another one
retries; the 111 intake de-duplicates by the Idempotency-Key, which is the same on every try.

Runs inside the gateway (KHIEN_DISPATCHER=on, the default) or alone: `khien dispatch`.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import socket
import uuid
from datetime import datetime, timedelta
from typing import Optional, Protocol

import httpx
from sqlalchemy import and_, or_, select, update

from actions.cases import case_texts
from actions.store import HandoffMessage, OutboxRow, Report, ReportStore, utcnow
from bot.periodic import repeat_until_stopped

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300
LEASE_SECONDS = 60


class DeliveryFailed(Exception):
    """The target did not confirm; `reason` is safe to log (no content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Target(Protocol):
    async def deliver(self, row: OutboxRow, payload: dict) -> Optional[str]:
        """Deliver one row; return a reference the target gave (or None); raise DeliveryFailed."""


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class HotlineIntake:
    """The 111 intake: a signed JSON POST, any 2xx confirms (schemas/hotline_intake.v1.json)."""

    def __init__(self, url: str, secret: str, timeout: float = 10.0) -> None:
        self.url, self.secret = url, secret
        self.client = httpx.AsyncClient(timeout=timeout)

    async def deliver(self, row: OutboxRow, payload: dict) -> Optional[str]:
        body = row.payload.encode("utf-8")
        headers = {"Content-Type": "application/json", "X-Khien-Signature": sign(self.secret, body),
                   "Idempotency-Key": row.idempotency_key}
        try:
            response = await self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(type(error).__name__)
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"HTTP {response.status_code}")
        return None

    async def close(self) -> None:
        await self.client.aclose()


def backoff(attempts: int) -> timedelta:
    """1 s after the first failure, doubling, capped at 5 minutes, with ±20% jitter."""
    seconds = min(MAX_BACKOFF_SECONDS, 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


class Dispatcher:
    def __init__(self, store: ReportStore, targets: dict[str, Target], name: Optional[str] = None,
                 batch: int = 20, claim_sla_seconds: int = 120, high_sla_seconds: int = 900) -> None:
        self.store, self.targets, self.batch = store, targets, batch
        self.name = name or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self.sla = {"imminent": timedelta(seconds=claim_sla_seconds), "high": timedelta(seconds=high_sla_seconds)}

    # -- claiming ------------------------------------------------------------------------
    def claim_due(self, now: Optional[datetime] = None) -> list[OutboxRow]:
        now = now or utcnow()
        free = or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < now)
        due = and_(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= now,
                   OutboxRow.target.in_(list(self.targets)), free)
        claimed = []
        with self.store.session() as session, session.begin():
            candidates = session.execute(
                select(OutboxRow.id).where(due).order_by(OutboxRow.id).limit(self.batch)
                .with_for_update(skip_locked=True)  # PostgreSQL; SQLite relies on the UPDATE below
            ).scalars().all()
            for row_id in candidates:
                won = session.execute(
                    update(OutboxRow).where(OutboxRow.id == row_id, due)
                    .values(claimed_by=self.name, claimed_until=now + timedelta(seconds=LEASE_SECONDS))
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won:
                    claimed.append(row_id)
            return list(session.execute(select(OutboxRow).where(OutboxRow.id.in_(claimed))).scalars()) if claimed else []

    def _finish(self, row: OutboxRow, **values) -> None:
        with self.store.session() as session, session.begin():
            session.execute(
                update(OutboxRow).where(OutboxRow.id == row.id, OutboxRow.claimed_by == self.name)
                .values(claimed_by=None, claimed_until=None, **values)
                .execution_options(synchronize_session=False)
            )

    # -- delivering ----------------------------------------------------------------------
    async def deliver(self, row: OutboxRow) -> bool:
        payload = json.loads(row.payload)
        try:
            target_ref = await self.targets[row.target].deliver(row, payload)
        except Exception as error:  # any failure retries; the reason logged carries no content
            reason = error.reason if isinstance(error, DeliveryFailed) else type(error).__name__
            attempts = row.attempts + 1
            self._finish(row, attempts=attempts, next_attempt_at=utcnow() + backoff(attempts),
                         last_error=reason[:200])
            logger.warning("delivery of %s to %s failed (%s), attempt %d", row.idempotency_key,
                           row.target, reason, attempts)
            return False
        self._finish(row, status="delivered", delivered_at=utcnow(), attempts=row.attempts + 1,
                     target_ref=str(target_ref)[:64] if target_ref is not None else None, last_error=None)
        logger.info("delivered %s to %s", row.idempotency_key, row.target)
        return True

    async def run_once(self) -> int:
        rows = await asyncio.to_thread(self.claim_due)
        results = await asyncio.gather(*(self.deliver(row) for row in rows))
        await asyncio.to_thread(self.reannounce_unclaimed)
        return sum(results)

    async def run_forever(self, stop: asyncio.Event, interval: float = 0.5) -> None:
        logger.info("dispatcher %s delivering to %s", self.name, ", ".join(self.targets) or "no target")
        await repeat_until_stopped(self.run_once, stop, interval, "dispatcher")

    # -- unclaimed cases -----------------------------------------------------------------
    def reannounce_unclaimed(self, now: Optional[datetime] = None) -> int:
        """An imminent case nobody claimed within the SLA (a high one within 15 minutes) is
        announced to the counsellors again, and the child is told again how to reach 111/113/115."""
        now = now or utcnow()
        count = 0
        reminder = case_texts()["unclaimed_reminder"]
        with self.store.session() as session, session.begin():
            for risk, sla in self.sla.items():
                reports = session.execute(
                    select(Report).where(
                        Report.status == "received", Report.risk == risk, Report.created_at <= now - sla,
                        or_(Report.reannounced_at.is_(None), Report.reannounced_at <= now - sla),
                    ).with_for_update(skip_locked=True)
                ).scalars().all()
                for report in reports:
                    report.reannounced_at = now
                    count += 1
                    key = f"{report.reference}:counsellors:reannounce:{int(now.timestamp())}"
                    source = next((r for r in report.outbox if r.target == "counsellors"), None)
                    if source is not None:
                        payload = {**json.loads(source.payload), "reannounced": True}
                        session.add(OutboxRow(report_id=report.id, target="counsellors", idempotency_key=key,
                                              payload=json.dumps(payload, ensure_ascii=False), next_attempt_at=now))
                    session.add(HandoffMessage(report_id=report.id, direction="to_child", author="system",
                                               text=reminder))
        if count:
            logger.warning("%d unclaimed case(s) announced again", count)
        return count


def dispatcher_from_settings(settings, store: ReportStore) -> Dispatcher:
    """The dispatcher with every target the settings configure: the 111 intake
    (KHIEN_HOTLINE_URL) and the counsellors' Telegram chat (TELEGRAM_BOT_TOKEN and
    KHIEN_COUNSELLOR_CHAT_ID). Rows for a target that is not configured wait, and are delivered
    once it is."""
    targets: dict[str, Target] = {}
    if settings.hotline_url:
        targets["hotline"] = HotlineIntake(settings.hotline_url, settings.hotline_secret)
    if settings.telegram_bot_token and settings.counsellor_chat_id:
        from telegram import Bot

        from bot.counsellor_chat import CounsellorChat

        api = settings.telegram_api_base_url
        bot = Bot(settings.telegram_bot_token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot")
        targets["counsellors"] = CounsellorChat(bot, int(settings.counsellor_chat_id))
    return Dispatcher(store, targets, claim_sla_seconds=settings.claim_sla_seconds)
