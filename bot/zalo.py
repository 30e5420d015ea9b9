"""Zalo Official Account: the OA webhook in, the OA API v3 out, `converse` in between.

Set ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET, ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN and run
`khien gateway`; point the app's webhook (developers.zalo.me) at https://<public address>/webhooks/zalo.

- Every event's `X-ZEvent-Signature` is checked ("mac=" + SHA-256 hex of app id + raw body +
  timestamp + OA secret key); a forged, foreign or stale event is refused (401/403) and nothing
  is processed. A genuine one is answered 200 at once (Zalo retries a slow webhook and finally
  disables it) and processed in the background, once per `msg_id`.
- Replies go to /v3.0/oa/message/cs with the `access_token` header: text, buttons (quick replies)
  and, wherever a reply mentions 111, a button that calls 111 (`oa.open.phone`).
- The access token is refreshed before it expires and on an auth error. A refresh token works
  once, so each new pair is written at once to var/zalo_tokens.json (mode 0600); that file wins
  over ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN until those are changed (a re-authorised OA).
ZALO_API_BASE_URL and ZALO_OAUTH_BASE_URL point the client at other servers (the tests' fake one).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channel import ONLY_TEXT_NOTE, BadRequest, read_json_body, replies_for, split_text
from bot.rasa_client import RasaClient
from bot.rate_limit import Turn, TurnQueue
from khien.privacy import pseudonym
from khien.settings import Settings

logger = logging.getLogger(__name__)

MAX_EVENT_AGE_S = 15 * 60  # older events are refused as replays; msg_ids are kept twice as long
MAX_TEXT = 2000  # Zalo's limit on a consultation message's text
MAX_BUTTONS = 5  # Zalo's limit on buttons under one message
REFRESH_MARGIN_S = 10 * 60  # refresh this long before the access token expires
AUTH_ERRORS = {-124, -216, -220}  # access token invalid or expired
WINDOW_ERRORS = {-230, -232}  # the user has not written to the OA recently enough to be answered
CALL_111 = {"title": "Gọi 111", "type": "oa.open.phone", "payload": {"phone_code": "111"}}
MORE_CHOICES = "Các lựa chọn khác:"


@dataclass
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: float | None  # None: unknown (a token from the environment), used until refused
    seed: str  # fingerprint of the ZALO_REFRESH_TOKEN these descend from


class TokenStore:
    """The newest token pair, kept durably: each refresh token can be used only once."""

    def __init__(self, path: Path, access_token: str, refresh_token: str) -> None:
        self.path = path
        seed = hashlib.sha256(refresh_token.encode()).hexdigest()[:16]
        stored = json.loads(path.read_text()) if path.exists() else None
        if stored and (not refresh_token or stored.get("seed") == seed):
            self.tokens = Tokens(**stored)
        else:  # first start, or the operator set a new pair from a fresh authorisation
            self.save(Tokens(access_token, refresh_token, None, seed))

    def save(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(asdict(tokens), file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)


class ZaloClient:
    """The OA API and its OAuth server, with access tokens kept fresh."""

    def __init__(self, settings: Settings, store: TokenStore) -> None:
        self.settings = settings
        self.store = store
        self._api = httpx.AsyncClient(base_url=settings.zalo_api_base_url, timeout=15)
        self._oauth = httpx.AsyncClient(base_url=settings.zalo_oauth_base_url, timeout=15)
        self._refreshing = asyncio.Lock()

    async def send(self, user_id: str, message: dict) -> int:
        """Sends one consultation message; returns Zalo's error code (0: sent)."""
        tokens = self.store.tokens
        if tokens.expires_at is not None and tokens.expires_at - time.time() < REFRESH_MARGIN_S:
            await self._refresh(tokens.access_token)
        token = self.store.tokens.access_token
        error = await self._post(token, user_id, message)
        if error in AUTH_ERRORS:
            await self._refresh(token)
            error = await self._post(self.store.tokens.access_token, user_id, message)
        return error

    async def _post(self, token: str, user_id: str, message: dict) -> int:
        response = await self._api.post("/v3.0/oa/message/cs", headers={"access_token": token},
                                        json={"recipient": {"user_id": user_id}, "message": message})
        response.raise_for_status()
        return int(response.json().get("error", 0))

    async def _refresh(self, stale_token: str) -> None:
        async with self._refreshing:
            if self.store.tokens.access_token != stale_token:
                return  # another turn refreshed it meanwhile
            response = await self._oauth.post(
                "/v4/oa/access_token", headers={"secret_key": self.settings.zalo_app_secret},
                data={"refresh_token": self.store.tokens.refresh_token,
                      "app_id": self.settings.zalo_app_id, "grant_type": "refresh_token"})
            data = response.json()
            if not data.get("access_token") or not data.get("refresh_token"):
                logger.error("zalo token refresh refused: error=%s (re-authorise the OA)", data.get("error"))
                return
            expires_in = float(data.get("expires_in") or 3600)
            self.store.save(Tokens(data["access_token"], data["refresh_token"],
                                   time.time() + expires_in, self.store.tokens.seed))
            logger.info("zalo access token refreshed")

    async def close(self) -> None:
        await self._api.aclose()
        await self._oauth.aclose()


class ZaloChannel:
    def __init__(self, settings: Settings) -> None:
        if not (settings.zalo_oa_secret and settings.zalo_app_secret):
            raise ValueError("ZALO_OA_SECRET and ZALO_APP_SECRET must be set with ZALO_APP_ID")
        self.settings = settings
        store = TokenStore(settings.var_dir / "zalo_tokens.json",
                           settings.zalo_access_token, settings.zalo_refresh_token)
        self.client = ZaloClient(settings, store)
        self.routes = [Route("/webhooks/zalo", self.webhook, methods=["POST"])]
        self._rasa: RasaClient | None = None
        self._turns = TurnQueue(self._answer, settings.turns_per_minute, settings.max_message_chars)
        self._seen: OrderedDict[str, float] = OrderedDict()  # msg_id -> when it first came
        self.desk = None  # bot/handoff.py CaseDesk, attached by the gateway

    @classmethod
    def from_settings(cls, settings: Settings) -> ZaloChannel | None:
        return cls(settings) if settings.zalo_app_id else None

    async def send_text(self, address: str, text: str) -> None:
        """A counsellor's words to a child (live handoff); raises so the relay tries again."""
        error = await self.client.send(address, {"text": text})
        if error:
            raise RuntimeError(f"zalo error {error}")

    async def start(self, rasa: RasaClient) -> None:
        self._rasa = rasa
        logger.info("zalo channel started")

    async def stop(self) -> None:
        await self._turns.close()
        await self.client.close()

    async def webhook(self, request: Request) -> Response:
        """POST /webhooks/zalo: checked, answered at once, processed in the background."""
        try:
            body, event = await read_json_body(request)
            self._check_signature(request.headers.get("X-ZEvent-Signature", ""), body, event)
            inbound = _inbound(event)
        except BadRequest as error:
            if error.status in (401, 403):
                logger.warning("zalo webhook refused: %s", error)
            return JSONResponse({"error": str(error)}, status_code=error.status)
        if inbound and self._first_time(event["message"].get("msg_id")):
            self._turns.submit(*inbound)
        return JSONResponse({"ok": True})

    def _check_signature(self, header: str, body: bytes, event: dict) -> None:
        timestamp = str(event.get("timestamp", ""))
        signed = self.settings.zalo_app_id.encode() + body + timestamp.encode() + self.settings.zalo_oa_secret.encode()
        expected = hashlib.sha256(signed).hexdigest()
        given = header.strip().removeprefix("mac=")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise BadRequest(401, "bad signature")
        if str(event.get("app_id", "")) != self.settings.zalo_app_id:
            raise BadRequest(403, "another app's event")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp) / 1000) > MAX_EVENT_AGE_S:
            raise BadRequest(403, "stale event")

    def _first_time(self, msg_id: object) -> bool:
        """De-duplicates Zalo's retries on msg_id (in memory: ids live as long as the replay window)."""
        now = time.time()
        while self._seen and next(iter(self._seen.values())) < now - 2 * MAX_EVENT_AGE_S:
            self._seen.popitem(last=False)
        if not msg_id:
            return True
        key = str(msg_id)
        if key in self._seen:
            logger.info("zalo: duplicate event ignored")
            return False
        self._seen[key] = now
        return True

    async def _answer(self, user: str, turn: Turn) -> None:
        who = pseudonym(self.settings.pseudonym_secret, "zalo", user)
        for message in zalo_messages(await replies_for(self._rasa, self.settings, "zalo", user, turn, self.desk)):
            try:
                error = await self.client.send(user, message)
            except (httpx.HTTPError, ValueError) as failure:
                logger.error("zalo send failed for user=%s: %s", who, type(failure).__name__)
                return
            if error in WINDOW_ERRORS:
                logger.warning("zalo reply window closed for user=%s (error %s)", who, error)
                return
            if error:
                logger.error("zalo send failed for user=%s: error %s", who, error)
                return


def _inbound(event: dict) -> tuple[str, str | None, str | None] | None:
    """(user, text, note) for a message a user sent; None for other events (follows, receipts,
    the OA's own messages). Only text is read: an image or file is never fetched."""
    name = event.get("event_name")
    if not isinstance(name, str) or not name.startswith("user_send_"):
        return None
    sender, message = event.get("sender"), event.get("message")
    user = sender.get("id") if isinstance(sender, dict) else None
    if not isinstance(user, (str, int)) or not 0 < len(str(user)) <= 64 or not isinstance(message, dict):
        raise BadRequest(400, "a message event needs sender.id and message")
    if name == "user_send_text":
        text = message.get("text")
        return str(user), text if isinstance(text, str) else "", None
    return str(user), None, ONLY_TEXT_NOTE


def zalo_messages(replies: list[dict]) -> list[dict]:
    """Rasa replies as OA consultation messages: text cut at Zalo's limit, buttons five to a
    message, and a button that calls 111 under the first reply of a turn that mentions 111."""
    messages, call_offered = [], False
    for reply in replies:
        text = (reply.get("text") or "").strip()
        if not text:
            continue
        buttons = [_button(button) for button in reply.get("buttons") or []]
        if not call_offered and re.search(r"\b111\b", text):
            buttons.append(CALL_111)
            call_offered = True
        pieces = split_text(text, MAX_TEXT)
        groups = [buttons[i:i + MAX_BUTTONS] for i in range(0, len(buttons), MAX_BUTTONS)] or [[]]
        messages += [{"text": piece} for piece in pieces[:-1]]
        messages.append(_with_buttons(pieces[-1], groups[0]))
        messages += [_with_buttons(MORE_CHOICES, group) for group in groups[1:]]
    return messages


def _button(button: dict) -> dict:
    """A quick reply: the payload comes back as the user's message. An intent ("/greet") is
    sent hidden, plain words are shown in the chat as the user's answer."""
    payload = str(button.get("payload", ""))
    kind = "oa.query.hide" if payload.startswith("/") else "oa.query.show"
    return {"title": str(button.get("title", "")), "type": kind, "payload": payload}


def _with_buttons(text: str, buttons: list[dict]) -> dict:
    if not buttons:
        return {"text": text}
    return {"text": text, "attachment": {"type": "template", "payload": {"buttons": buttons}}}
