"""A fake Telegram Bot API server (https://core.telegram.org/bots/api), enough of it for Khiên:
getMe, setWebhook, deleteWebhook, getWebhookInfo, getUpdates (long polling), sendMessage,
editMessageText, answerCallbackQuery. It checks what Telegram checks that matters here (the token, text length
after HTML parsing, HTML escaping, callback data size) and records every call.

    with FakeTelegram() as telegram:
        ... TELEGRAM_API_BASE_URL=telegram.url, TELEGRAM_BOT_TOKEN=telegram.token ...
        telegram.push_update(text_update(1, chat_id=42, text="xin chào"))   # for polling
        telegram.sent(42)                                                   # what the bot said
"""
from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes import ServerThread

JSON_FIELDS = {"reply_markup", "allowed_updates", "link_preview_options", "reply_parameters", "entities"}
INT_FIELDS = {"chat_id", "offset", "limit", "timeout", "message_id"}
ALLOWED_TAGS = re.compile(r"</?(b|strong|i|em|u|s|code|pre)>")
BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "Khiên", "username": "khien_test_bot"}


class FakeTelegram(ServerThread):
    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.webhook: dict = {}
        self._updates: list[dict] = []
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1000)
        app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])])
        super().__init__(app, lifespan="off")

    # What tests use

    def push_update(self, update: dict) -> None:
        with self._lock:
            self._updates.append(update)

    def calls_to(self, method: str) -> list[dict]:
        return [params for name, params in list(self.calls) if name == method]

    def sent(self, chat_id: int) -> list[dict]:
        return [params for params in self.calls_to("sendMessage") if params["chat_id"] == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [html.unescape(params["text"]) for params in self.sent(chat_id)]

    # The Bot API

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params = await _params(request)
        self.calls.append((method, params))
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        return await handler(params)

    async def _getMe(self, params: dict) -> JSONResponse:
        return _ok(BOT_USER)

    async def _setWebhook(self, params: dict) -> JSONResponse:
        if not str(params.get("url", "")).startswith("https://") and params.get("url"):
            return _error(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
        self.webhook = params
        return _ok(True)

    async def _deleteWebhook(self, params: dict) -> JSONResponse:
        self.webhook = {}
        return _ok(True)

    async def _getWebhookInfo(self, params: dict) -> JSONResponse:
        return _ok({"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)})

    async def _getUpdates(self, params: dict) -> JSONResponse:
        if self.webhook.get("url"):
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.get("offset", 0)
        deadline = time.monotonic() + min(params.get("timeout", 0), 2)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates[: params.get("limit", 100)])
            if ready or time.monotonic() >= deadline:
                return _ok(ready)
            await asyncio.sleep(0.02)

    async def _sendMessage(self, params: dict) -> JSONResponse:
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            text = ALLOWED_TAGS.sub("", text)  # Telegram's own formatting tags
            if "<" in text or re.search(r"&(?!(lt|gt|amp|quot|#\d+);)", text):
                return _error(400, "Bad Request: can't parse entities")
            text = html.unescape(text)
        if not 0 < len(text.encode("utf-16-le")) // 2 <= 4096:
            return _error(400, "Bad Request: message is too long" if text else "Bad Request: message text is empty")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if not button.get("text") or not 0 < len(button.get("callback_data", "").encode()) <= 64:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return _ok({"message_id": next(self._message_ids), "date": int(time.time()), "from": BOT_USER,
                    "chat": {"id": params["chat_id"], "type": "private"}, "text": text})

    async def _editMessageText(self, params: dict) -> JSONResponse:
        if not params.get("chat_id") or not params.get("message_id") or not params.get("text"):
            return _error(400, "Bad Request: message to edit not found")
        return _ok({"message_id": params["message_id"], "date": int(time.time()), "from": BOT_USER,
                    "chat": _chat(params["chat_id"]), "text": html.unescape(str(params["text"]))})

    async def _answerCallbackQuery(self, params: dict) -> JSONResponse:
        return _ok(True) if params.get("callback_query_id") else _error(400, "Bad Request: query id is empty")


async def _params(request: Request) -> dict:
    if request.headers.get("content-type", "").startswith("application/json"):
        params = await request.json()
    else:
        params = {**request.query_params, **dict(await request.form())}
        for key, value in params.items():
            if key in JSON_FIELDS:
                params[key] = json.loads(value)
            elif key in INT_FIELDS:
                params[key] = int(value)
    return params


def _ok(result) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": code, "description": description}, status_code=code)


# Updates as Telegram sends them

def _chat(chat_id: int) -> dict:
    """A private chat with a child, or (a negative id) a group such as the counsellors' chat."""
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Tư vấn viên"}
    return {"id": chat_id, "type": "private", "first_name": "Em"}


def _from(chat_id: int) -> dict:
    return {"id": chat_id, "is_bot": False, "first_name": "Em", "language_code": "vi"}


def message_update(update_id: int, chat_id: int, edited: bool = False, **content) -> dict:
    """An update with a message; `content` is the message's own fields (text=, photo=, sticker=...)."""
    message = {"message_id": update_id, "date": int(time.time()), "chat": _chat(chat_id),
               "from": _from(chat_id), **content}
    if edited:
        message["edit_date"] = int(time.time())
    return {"update_id": update_id, "edited_message" if edited else "message": message}


def text_update(update_id: int, chat_id: int, text: str) -> dict:
    content = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return message_update(update_id, chat_id, **content)


def callback_update(update_id: int, chat_id: int, data: str, message_id: int = 1, user_id: int | None = None) -> dict:
    """A pressed inline button under the bot's message `message_id` (pressed by `user_id`,
    by default the chat's own user)."""
    message = {"message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id),
               "from": BOT_USER, "text": "…"}
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "from": _from(user_id or abs(chat_id)), "chat_instance": "ci", "data": data,
        "message": message}}


def reply_update(update_id: int, chat_id: int, user_id: int, text: str, replied_text: str) -> dict:
    """A message in a group that replies to one of the bot's messages (`replied_text`)."""
    replied = {"message_id": update_id + 100000, "date": int(time.time()), "chat": _chat(chat_id),
               "from": BOT_USER, "text": replied_text}
    update = message_update(update_id, chat_id, text=text, reply_to_message=replied)
    update["message"]["from"] = _from(user_id)
    return update


MEDIA = {
    "photo": {"photo": [{"file_id": "AgAD-photo", "file_unique_id": "p1", "width": 90, "height": 90}]},
    "sticker": {"sticker": {"file_id": "CAAD-sticker", "file_unique_id": "s1", "type": "regular",
                            "width": 512, "height": 512, "is_animated": False, "is_video": False}},
    "voice": {"voice": {"file_id": "AwAD-voice", "file_unique_id": "v1", "duration": 3}},
    "document": {"document": {"file_id": "BQAD-doc", "file_unique_id": "d1", "file_name": "a.pdf"}},
    "location": {"location": {"latitude": 21.03, "longitude": 105.85}},
}
