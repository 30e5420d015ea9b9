"""The counsellors' Telegram chat: a card per case, with buttons that act on the case.

The card is sent by the dispatcher (target "counsellors") with python-telegram-bot; pressing
**Nhận ca**, **Trò chuyện** (live chat with the child; reply to the card to write to them),
**Chuyển 111** or **Đóng** in that chat updates the case (actions/cases.py) and edits the card. Presses from any other chat are refused: only members of the counsellors'
chat see the card, so the chat is the membership check.
"""
from __future__ import annotations

import html
import logging
from datetime import datetime
from typing import Optional

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from actions.cases import CaseNotFound, Cases, CaseTaken
from actions.store import OutboxRow
from bot.dispatcher import DeliveryFailed

logger = logging.getLogger(__name__)

RISK_LABELS = {"imminent": "🔴 NGUY HIỂM NGAY", "high": "🟠 cao", "medium": "🟡 trung bình", "low": "⚪ thấp"}
STATUS_LABELS = {"received": "chờ nhận", "claimed": "đã nhận", "referred": "đã chuyển 111", "closed": "đã đóng"}
ACTIONS = {"claim": "Nhận ca", "chat": "Trò chuyện", "end_chat": "Kết thúc trò chuyện",
           "refer": "Chuyển 111", "close": "Đóng"}


def card_text(payload: dict, status: str = "received", claimed_by: Optional[str] = None,
              now: Optional[datetime] = None) -> str:
    """The card, as HTML-escaped Telegram text. Anonymised fields only."""
    created = datetime.fromisoformat(payload["created_at"].rstrip("Z"))
    waiting = int(((now or datetime.utcnow()) - created).total_seconds() // 60)
    lines = [
        f"<b>Ca {html.escape(payload['reference'])}</b> · {RISK_LABELS.get(payload['risk'], payload['risk'])}"
        + (" · <b>báo lại: chưa ai nhận</b>" if payload.get("reannounced") else ""),
        f"Loại: {html.escape(payload['category'])} · Người báo: {html.escape(payload['reporter_role'])}",
        f"Tuổi: {html.escape(payload.get('age_band') or '?')} · Quan hệ: {html.escape(payload.get('relation') or '?')}"
        f" · Tỉnh: {html.escape(payload.get('province') or '?')}",
        f"Đồng ý: {'có' if payload['consent'] else 'không — chuyển vì an toàn tính mạng'}",
        f"Chờ: {waiting} phút · Trạng thái: {STATUS_LABELS.get(status, status)}"
        + (f" ({html.escape(claimed_by)})" if claimed_by else ""),
        "",
        html.escape(payload.get("summary") or "")[:3000],
    ]
    return "\n".join(lines)


def card_buttons(reference: str, status: str, live_chat: bool = False) -> Optional[InlineKeyboardMarkup]:
    if status == "closed":
        return None
    shown = [a for a in ACTIONS if a != ("chat" if live_chat else "end_chat")]
    return InlineKeyboardMarkup([[InlineKeyboardButton(ACTIONS[a], callback_data=f"case:{a}:{reference}")
                                  for a in shown]])


class CounsellorChat:
    """Dispatcher target: posts the card to KHIEN_COUNSELLOR_CHAT_ID."""

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot, self.chat_id = bot, chat_id

    async def deliver(self, row: OutboxRow, payload: dict) -> Optional[str]:
        try:
            message = await self.bot.send_message(
                self.chat_id, card_text(payload), parse_mode="HTML",
                reply_markup=card_buttons(payload["reference"], "received"))
        except TelegramError as error:
            raise DeliveryFailed(type(error).__name__)
        return str(message.message_id)


async def handle_case_button(cases: Cases, counsellor_chat_id: int, chat_id: int, counsellor: str,
                             data: str) -> tuple[bool, str]:
    """A button on a card was pressed: (accepted, short answer for the presser)."""
    if chat_id != counsellor_chat_id:
        logger.warning("case button pressed outside the counsellors' chat (chat=%s)", chat_id)
        return False, "Không có quyền."
    _, action, reference = (data.split(":", 2) + ["", ""])[:3]
    operation = {"claim": cases.claim, "chat": cases.start_handoff, "end_chat": cases.end_handoff,
                 "refer": cases.refer, "close": cases.close}.get(action)
    if operation is None:
        return False, "Không rõ thao tác."
    try:
        operation(reference, counsellor)
    except CaseNotFound:
        return False, "Không tìm thấy ca này."
    except CaseTaken as taken:
        return False, f"Ca này đã có người nhận ({taken})."
    return True, f"{ACTIONS[action]}: {reference}"


def current_card(cases: Cases, reference: str) -> tuple[str, Optional[InlineKeyboardMarkup]]:
    """The card as it should look now, after a change to the case."""
    from actions.reporting import intake_payload

    report = cases.get(reference)
    return (card_text(intake_payload(report), report.status, report.claimed_by),
            card_buttons(reference, report.status, report.handoff_active))
