"""A fake Zalo: the OA API v3 (POST /v3.0/oa/message/cs, header `access_token`), its OAuth
server (POST /v4/oa/access_token with a single-use refresh token), and Zalo's side of the
webhook: events built and signed as Zalo documents them.

    with FakeZalo(APP_ID, APP_SECRET) as zalo:
        ... ZALO_API_BASE_URL=zalo.url, ZALO_OAUTH_BASE_URL=zalo.url ...
        deliver(gateway_url, event(APP_ID, "user-1", "xin chào"), APP_ID, OA_SECRET)
        zalo.texts("user-1")       # what the OA said to that user
"""
from __future__ import annotations

import hashlib
import itertools
import json
import time
import uuid

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes import ServerThread

BUTTON_TYPES = {"oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.sms", "oa.open.phone"}


class FakeZalo(ServerThread):
    def __init__(self, app_id: str, app_secret: str, access_token: str = "access-0",
                 refresh_token: str = "refresh-0") -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.access_tokens = {access_token}  # the ones the API accepts now
        self.refresh_token = refresh_token  # the one OAuth accepts, once
        self.messages: list[dict] = []  # {"user_id", "message"} for every message delivered
        self.refused: list[int] = []  # error codes answered
        self.refreshes = 0
        self.outside_window: set[str] = set()  # users the OA may no longer answer
        self._numbers = itertools.count(1)
        super().__init__(Starlette(routes=[
            Route("/v3.0/oa/message/cs", self._message_cs, methods=["POST"]),
            Route("/v4/oa/access_token", self._access_token, methods=["POST"]),
        ]), lifespan="off")

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()

    def sent(self, user_id: str) -> list[dict]:
        return [item["message"] for item in list(self.messages) if item["user_id"] == user_id]

    def texts(self, user_id: str) -> list[str]:
        return [message.get("text", "") for message in self.sent(user_id)]

    async def _message_cs(self, request: Request) -> JSONResponse:
        if request.headers.get("access_token") not in self.access_tokens:
            return self._refuse(-216, "Access token is invalid")
        body = await request.json()
        user_id = str(body.get("recipient", {}).get("user_id", ""))
        message = body.get("message")
        if not user_id or not isinstance(message, dict):
            return self._refuse(-201, "recipient or message is invalid")
        if user_id in self.outside_window:
            return self._refuse(-230, "User has not interacted with the OA in the past 7 days")
        problem = _check_message(message)
        if problem:
            return self._refuse(-201, problem)
        self.messages.append({"user_id": user_id, "message": message})
        return JSONResponse({"error": 0, "message": "Success",
                             "data": {"message_id": uuid.uuid4().hex, "user_id": user_id}})

    async def _access_token(self, request: Request) -> JSONResponse:
        form = await request.form()
        if request.headers.get("secret_key") != self.app_secret or form.get("app_id") != self.app_id:
            return JSONResponse({"error": -14002, "error_name": "Invalid app id or secret key"})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return JSONResponse({"error": -14014, "error_name": "Invalid refresh token"})
        number = next(self._numbers)
        access, self.refresh_token = f"access-{number}", f"refresh-{number}"
        self.access_tokens = {access}
        self.refreshes += 1
        return JSONResponse({"access_token": access, "refresh_token": self.refresh_token, "expires_in": "90000"})

    def _refuse(self, error: int, message: str) -> JSONResponse:
        self.refused.append(error)
        return JSONResponse({"error": error, "message": message})


def _check_message(message: dict) -> str | None:
    """What Zalo would refuse in a consultation message, or None."""
    text = message.get("text")
    if text is not None and (not isinstance(text, str) or not 0 < len(text) <= 2000):
        return "text must be 1 to 2000 characters"
    attachment = message.get("attachment")
    if attachment is None:
        return None if text else "message needs text or an attachment"
    buttons = attachment.get("payload", {}).get("buttons", [])
    if attachment.get("type") != "template" or not 0 < len(buttons) <= 5:
        return "a template needs 1 to 5 buttons"
    for button in buttons:
        payload = button.get("payload")
        if button.get("type") not in BUTTON_TYPES or not button.get("title"):
            return "button type or title is invalid"
        if button["type"] == "oa.open.phone" and not (isinstance(payload, dict) and payload.get("phone_code")):
            return "oa.open.phone needs payload.phone_code"
        if button["type"].startswith("oa.query") and not (isinstance(payload, str) and payload):
            return "a query button needs a payload"
    return None


# Zalo's side of the webhook

def event(app_id: str, user_id: str, text: str | None = None, event_name: str = "user_send_text",
          msg_id: str | None = None, timestamp_ms: int | None = None, **message) -> dict:
    message = {"msg_id": msg_id or uuid.uuid4().hex, **message}
    if text is not None:
        message["text"] = text
    return {"app_id": app_id, "user_id_by_app": f"app-{user_id}", "event_name": event_name,
            "sender": {"id": user_id}, "recipient": {"id": "oa-1"}, "message": message,
            "timestamp": str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))}


def signature(body: bytes, app_id: str, timestamp: str, oa_secret: str) -> str:
    """X-ZEvent-Signature: "mac=" + SHA-256 hex of app id + raw body + timestamp + OA secret key."""
    return "mac=" + hashlib.sha256(app_id.encode() + body + timestamp.encode() + oa_secret.encode()).hexdigest()


def deliver(gateway_url: str, payload: dict, app_id: str, oa_secret: str,
            sign_with: str | None = None) -> httpx.Response:
    """Posts an event as Zalo does, signed with the OA secret (or `sign_with`, to forge one)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    mac = signature(body, app_id, payload["timestamp"], sign_with or oa_secret)
    return httpx.post(f"{gateway_url}/webhooks/zalo", content=body, timeout=10,
                      headers={"content-type": "application/json", "X-ZEvent-Signature": mac})
