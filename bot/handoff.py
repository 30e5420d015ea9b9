"""The gateway's side of cases: a person takes over a conversation.

* Child -> counsellor: `converse` (bot/conversation.py) hands a child's text to `cases` while a
  live chat is on; the desk tells the counsellors' Telegram chat (anonymised, as stored); the
  console shows it from the database.
* Counsellor -> child: messages wait in the database (actions/cases.py). The desk's relay loop
  sends them through the channel the child uses, found by opening the case's sealed reply
  address; the web chat page fetches its own with GET /api/chat/updates.
* In the counsellors' Telegram chat: the card's buttons act on the case, and a reply to a
  card goes to the child while the live chat is on.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Optional

from sqlalchemy import select
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from actions.cases import Cases
from actions.store import OutboxRow, Report, ReportStore
from bot.counsellor_chat import current_card, handle_case_button
from bot.periodic import repeat_until_stopped
from khien.privacy import open_address, pseudonym
from khien.reference import find_reference
from khien.settings import Settings

logger = logging.getLogger(__name__)

Sender = Callable[[str, str], Awaitable[None]]  # (channel address, text)


class CaseDesk:
    def __init__(self, settings: Settings, store: ReportStore) -> None:
        self.settings = settings
        self.cases = Cases(store)
        self.senders: dict[str, Sender] = {}
        self.counsellor_chat_id = int(settings.counsellor_chat_id) if settings.counsellor_chat_id else None
        self._telegram = None  # the TelegramChannel, when the counsellors' chat is on Telegram

    # -- wiring --------------------------------------------------------------------------
    def attach(self, channel_name: str, channel) -> None:
        """A chat-app channel: it relays live chats, and can send a counsellor's words."""
        channel.desk = self
        self.senders[channel_name] = channel.send_text
        if channel_name == "telegram" and self.counsellor_chat_id is not None:
            self._telegram = channel
            chat = filters.Chat(self.counsellor_chat_id)
            application = channel.application
            # group -1: tried before the children's handlers, which stop nothing
            application.add_handler(CallbackQueryHandler(self._on_case_button, pattern=r"^case:"), group=-1)
            application.add_handler(MessageHandler(chat & filters.REPLY & filters.TEXT, self._on_counsellor_reply),
                                    group=-1)

    def converse_options(self) -> dict:
        return {"cases": self.cases, "notify_counsellor": self.notify_counsellor}

    # -- child -> counsellor -------------------------------------------------------------
    async def notify_counsellor(self, reference: str, text: str) -> None:
        if self._telegram is None:
            return  # the console shows the chat from the database
        card = await asyncio.to_thread(self._card_message_id, reference)
        await self._telegram.application.bot.send_message(
            self.counsellor_chat_id, f"💬 {reference}: {text}", reply_to_message_id=card)

    def _card_message_id(self, reference: str) -> Optional[int]:
        with self.cases.store.session() as session:
            ref = session.execute(
                select(OutboxRow.target_ref).join(Report).where(
                    Report.reference == reference, OutboxRow.target == "counsellors",
                    OutboxRow.target_ref.is_not(None)).order_by(OutboxRow.id)
            ).scalars().first()
        return int(ref) if ref and ref.isdigit() else None

    # -- counsellor -> child -------------------------------------------------------------
    async def relay_once(self) -> int:
        """Sends what counsellors wrote to children on chat apps; returns how many."""
        pending = await asyncio.to_thread(self.cases.undelivered_to_child)
        delivered = []
        for message, report in pending:
            channel, address = self._address(report)
            if channel == "web":
                continue  # the web page fetches its own (web_updates)
            send = self.senders.get(channel)
            if send is None:
                if channel is None:  # nowhere to send it, ever: do not retry forever
                    logger.warning("case %s has no reply address; message %d not sent", report.reference, message.id)
                    delivered.append(message.id)
                continue
            try:
                await send(address, message.text)
            except Exception as error:
                logger.warning("message %d to the child of %s not sent yet: %s", message.id, report.reference,
                               type(error).__name__)
                continue
            delivered.append(message.id)
        await asyncio.to_thread(self.cases.mark_delivered, delivered)
        return len(delivered)

    def _address(self, report: Report) -> tuple[Optional[str], Optional[str]]:
        if not report.reply_address:
            return None, None
        try:
            return open_address(self.settings.reply_key, report.reply_address)
        except Exception:  # a wrong key or a damaged token
            logger.error("case %s: reply address cannot be opened", report.reference)
            return None, None

    async def web_updates(self, web_sender: str) -> list[dict]:
        """Messages waiting for one web chat user, as Rasa-style replies; marked delivered."""
        user = pseudonym(self.settings.pseudonym_secret, "web", web_sender)
        pending = await asyncio.to_thread(self.cases.undelivered_to_child, user)
        await asyncio.to_thread(self.cases.mark_delivered, [m.id for m, _ in pending])
        return [{"text": m.text, "from": "counsellor" if m.author != "system" else "khien"} for m, _ in pending]

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        await repeat_until_stopped(self.relay_once, stop, interval, "handoff relay")

    # -- the counsellors' Telegram chat --------------------------------------------------
    async def _on_case_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        counsellor = _counsellor_name(update)
        accepted, answer = await handle_case_button(self.cases, self.counsellor_chat_id or 0,
                                                    query.message.chat.id if query.message else 0,
                                                    counsellor, query.data or "")
        await query.answer(answer)
        if accepted:
            reference = (query.data or "").split(":", 2)[2]
            text, markup = await asyncio.to_thread(current_card, self.cases, reference)
            await query.edit_message_text(text, parse_mode="HTML", reply_markup=markup)
        raise ApplicationHandlerStop

    async def _on_counsellor_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply to a card (or to a relayed message) goes to that case's child."""
        message = update.effective_message
        reference = _reference_in(message.reply_to_message.text or "") if message.reply_to_message else None
        if reference:
            try:
                await asyncio.to_thread(self.cases.send_to_child, reference, _counsellor_name(update), message.text)
            except PermissionError:
                await message.reply_text("Ca này chưa bật trò chuyện trực tiếp (bấm Trò chuyện trên thẻ).")
        raise ApplicationHandlerStop


def _counsellor_name(update: Update) -> str:
    user = update.effective_user
    return f"tg:{user.username or user.id}" if user else "tg:unknown"


def _reference_in(text: str) -> Optional[str]:
    return find_reference(text)
