"""Telegram: python-telegram-bot in front of `converse`.

Set TELEGRAM_BOT_TOKEN (from @BotFather) and run `khien gateway` (or `khien run`):
- TELEGRAM_MODE=webhook (the default): Telegram posts updates to POST /webhooks/telegram. Each must
  carry `X-Telegram-Bot-Api-Secret-Token` = KHIEN_TELEGRAM_WEBHOOK_SECRET, or it is refused (403)
  and nothing is processed. With KHIEN_PUBLIC_URL set, the webhook is registered on start.
- TELEGRAM_MODE=polling: the gateway fetches updates itself (a laptop without a public address).
TELEGRAM_API_BASE_URL points the library at another Bot API server (the tests' fake one).

One Application, built once; its handlers are registered in `_register`. Handlers only queue
turns (bot/rate_limit.py), so a slow or flooding user never holds up anyone else.
"""
from __future__ import annotations

import asyncio
import hmac
import html
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.channel import EDITED_NOTE, ONLY_TEXT_NOTE, BadRequest, read_json_body, replies_for, split_text
from bot.rasa_client import RasaClient
from bot.rate_limit import Turn, TurnQueue
from khien.settings import Settings

logger = logging.getLogger(__name__)
# httpx logs request URLs at INFO, and a Bot API URL holds the bot token.
logging.getLogger("httpx").setLevel(logging.WARNING)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MAX_CALLBACK_BYTES = 64  # Telegram's limit on a button's callback data


class TelegramChannel:
    def __init__(self, settings: Settings) -> None:
        if settings.telegram_mode not in ("webhook", "polling"):
            raise ValueError("TELEGRAM_MODE must be webhook or polling")
        if settings.telegram_mode == "webhook" and not settings.telegram_webhook_secret:
            raise ValueError("KHIEN_TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_MODE=webhook")
        self.settings = settings
        self.polling = settings.telegram_mode == "polling"
        api = settings.telegram_api_base_url
        builder = (Application.builder().token(settings.telegram_bot_token)
                   .base_url(f"{api}/bot{{token}}").base_file_url(f"{api}/file/bot{{token}}")
                   .concurrent_updates(True))
        if not self.polling:
            builder = builder.updater(None)
        self.application = builder.build()
        _register(self.application, self)
        self.routes = [] if self.polling else [Route("/webhooks/telegram", self.webhook, methods=["POST"])]
        self._rasa: RasaClient | None = None
        self._turns = TurnQueue(self._answer, settings.turns_per_minute, settings.max_message_chars)
        self.desk = None  # bot/handoff.py CaseDesk, attached by the gateway

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramChannel | None:
        return cls(settings) if settings.telegram_bot_token else None

    async def send_text(self, address: str, text: str) -> None:
        """A counsellor's words to a child (live handoff)."""
        await self._send(int(address), {"text": text})

    async def start(self, rasa: RasaClient) -> None:
        self._rasa = rasa
        await self.application.initialize()
        await self.application.start()
        if self.polling:
            await self.application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        elif self.settings.public_url:
            await self.application.bot.set_webhook(
                f"{self.settings.public_url}/webhooks/telegram",
                secret_token=self.settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES)
        logger.info("telegram channel started (%s)", self.settings.telegram_mode)

    async def stop(self) -> None:
        if self.polling and self.application.updater.running:
            await self.application.updater.stop()
        await self.application.stop()
        await self._turns.close()
        await self.application.shutdown()

    async def webhook(self, request: Request) -> Response:
        """POST /webhooks/telegram: an update from Telegram, queued for the Application."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.settings.telegram_webhook_secret.encode()):
            logger.warning("telegram webhook refused: wrong secret token")
            return JSONResponse({"error": "forbidden"}, status_code=403)
        try:
            _, data = await read_json_body(request)
            update = Update.de_json(data, self.application.bot)
            if not isinstance(update.update_id, int):
                raise TypeError("update_id")
        except BadRequest as error:
            return JSONResponse({"error": str(error)}, status_code=error.status)
        # OverflowError, OSError: a date beyond what datetime holds ("date": 75790845035163319)
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError, OSError) as error:
            logger.warning("telegram webhook: not an update (%s)", type(error).__name__)
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        await self.application.update_queue.put(update)
        return JSONResponse({"ok": True})

    # Handlers: each queues a turn and returns at once.

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text and commands (/start, /help, /xoa, /dung: `converse` maps them)."""
        self._turns.submit(_user(update), update.effective_message.text)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: its payload is the user's next message."""
        query = update.callback_query
        if query.data:
            self._turns.submit(_user(update), query.data)
        await query.answer()

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message: asked to send it anew (the first version was already answered)."""
        self._turns.submit(_user(update), note=EDITED_NOTE)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice notes, files, locations...: a kind note in text. Nothing is
        downloaded or kept; a caption is read like any text."""
        logger.info("telegram: non-text message, update=%s", update.update_id)
        self._turns.submit(_user(update), update.effective_message.caption, note=ONLY_TEXT_NOTE)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The error class only: an exception's text may quote the user.
        logger.error("telegram handler failed: %s", type(context.error).__name__)

    async def _answer(self, user: str, turn: Turn) -> None:
        for reply in await replies_for(self._rasa, self.settings, "telegram", user, turn, self.desk):
            await self._send(int(user), reply)

    async def _send(self, chat_id: int, reply: dict) -> None:
        """A Rasa reply as messages: text split at Telegram's limit and HTML-escaped, buttons
        as an inline keyboard under the last piece."""
        text = reply.get("text") or ""
        if not text.strip():
            return
        keyboard = _keyboard(reply.get("buttons") or [])
        pieces = split_text(text, MessageLimit.MAX_TEXT_LENGTH)
        for number, piece in enumerate(pieces, start=1):
            markup = keyboard if number == len(pieces) else None
            try:
                try:
                    await self._send_piece(chat_id, piece, markup)
                except RetryAfter as error:  # Telegram's flood control: wait as told, once
                    await asyncio.sleep(float(error.retry_after))
                    await self._send_piece(chat_id, piece, markup)
            except TelegramError as error:
                logger.error("telegram send failed: %s", type(error).__name__)
                return

    async def _send_piece(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        await self.application.bot.send_message(chat_id, html.escape(text, quote=False),
                                                parse_mode=ParseMode.HTML, reply_markup=markup)


def _register(application: Application, channel: TelegramChannel) -> None:
    """Every handler, in the order they are tried. Only private chats reach the bot."""
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, channel.on_edited))
    application.add_handler(MessageHandler(private & filters.UpdateType.MESSAGE & filters.TEXT, channel.on_text))
    application.add_handler(MessageHandler(
        private & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL, channel.on_other))
    application.add_handler(CallbackQueryHandler(channel.on_button))
    application.add_error_handler(channel.on_error)


def _user(update: Update) -> str:
    """In a private chat the chat id is the user's id: where replies go."""
    return str((update.effective_chat or update.effective_user).id)


def _keyboard(buttons: list[dict]) -> InlineKeyboardMarkup | None:
    rows = []
    for button in buttons:
        title, payload = str(button.get("title", "")), str(button.get("payload", ""))
        if len(payload.encode()) > MAX_CALLBACK_BYTES:  # too long for Telegram: send the title
            payload = title.encode()[:MAX_CALLBACK_BYTES].decode(errors="ignore")
        if title and payload:
            rows.append([InlineKeyboardButton(title, callback_data=payload)])
    return InlineKeyboardMarkup(rows) if rows else None
