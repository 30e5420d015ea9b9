"""What the chat-app channels (bot/telegram.py, bot/zalo.py) share: reading a webhook body safely,
one turn through `converse`, splitting long replies, and the kind notes for what is not text."""
from __future__ import annotations

import json
import logging
from typing import Any

from starlette.requests import Request

from bot.conversation import converse
from bot.messages import InvalidMessage
from bot.rasa_client import RasaClient
from bot.rate_limit import Turn
from khien.settings import Settings

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 256 * 1024
ONLY_TEXT_NOTE = "Mình chỉ đọc được chữ thôi, em nhắn bằng chữ giúp mình nhé."
EDITED_NOTE = "Mình chưa đọc được tin nhắn đã sửa. Em gửi lại thành tin nhắn mới giúp mình nhé."


class BadRequest(ValueError):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


async def read_json_body(request: Request) -> tuple[bytes, dict]:
    """(raw body, JSON object) of a webhook call; raises BadRequest (4xx) for anything else."""
    if "application/json" not in request.headers.get("content-type", ""):
        raise BadRequest(415, "content type must be application/json")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            raise BadRequest(413, "request body too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest(400, "body must be valid UTF-8 JSON")
    if not isinstance(data, dict):
        raise BadRequest(400, "body must be a JSON object")
    return body, data


async def replies_for(rasa: RasaClient, settings: Settings, channel: str, user: str,
                      turn: Turn, desk=None) -> list[dict[str, Any]]:
    """The replies a turn gets: its notes first, then Rasa's answer to its text (if any).
    With a desk (bot/handoff.py), a turn during a live chat goes to the counsellor instead."""
    replies = [{"text": note} for note in turn.notes]
    if turn.text is not None:
        options = desk.converse_options() if desk is not None else {}
        try:
            replies += (await converse(rasa, settings, channel, user, turn.text, **options))[1]
        except InvalidMessage:  # empty or nothing but control characters
            if ONLY_TEXT_NOTE not in turn.notes:
                replies.append({"text": ONLY_TEXT_NOTE})
    return replies


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` UTF-16 code units (how Telegram counts), cut at a line break or
    a space where one is near."""
    pieces = []
    while True:
        units, cut = 0, len(text)
        for index, char in enumerate(text):
            units += 2 if ord(char) > 0xFFFF else 1
            if units > limit:
                cut = index
                break
        if cut == len(text):
            return [*pieces, text]
        at = max(text.rfind("\n", 0, cut), text.rfind(" ", 0, cut))
        if at > cut // 2:
            cut = at
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
