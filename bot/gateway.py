"""The gateway: an ASGI app (Starlette) in front of Rasa.

Routes: `/` the web chat page, `POST /api/chat` its endpoint and `GET /api/chat/updates` (what a
counsellor wrote during a live chat), `GET /healthz`, the counsellors' console under `/console`
(bot/console/), and the routes of the chat-app channels that are configured:
`POST /webhooks/telegram` (bot/telegram.py) and `POST /webhooks/zalo` (bot/zalo.py).
Beside the routes run the outbox dispatcher (bot/dispatcher.py; KHIEN_DISPATCHER=off to run it
apart with `khien dispatch`) and the live-chat relay (bot/handoff.py).
Run it with `khien gateway` (or `make run`, which starts Rasa and the action server too).
"""
from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route

from actions.store import ReportStore
from bot.console import create_console
from bot.conversation import converse
from bot.dispatcher import dispatcher_from_settings
from bot.handoff import CaseDesk
from bot.messages import InvalidMessage
from bot.rasa_client import RasaClient
from bot.telegram import TelegramChannel
from bot.zalo import ZaloChannel
from khien.settings import Settings, get_settings

logger = logging.getLogger(__name__)
WEB_DIR = Path(__file__).parent / "web"
MAX_BODY_BYTES = 64 * 1024


def _error(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status)


async def _read_json(request: Request) -> dict:
    if "application/json" not in request.headers.get("content-type", ""):
        raise InvalidMessage("content type must be application/json")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise InvalidMessage("request body too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidMessage("body must be valid UTF-8 JSON")
    if not isinstance(data, dict):
        raise InvalidMessage("body must be a JSON object")
    return data


def open_store(settings: Settings) -> ReportStore:
    """The report store, migrated. A database that is down at start does not stop the gateway:
    children are still answered (through Rasa), and the loops below retry."""
    store = ReportStore(settings.database_url, settings.retention_days)
    try:
        store.migrate()
    except Exception as error:
        logger.error("report store not reachable at start: %s", type(error).__name__)
    return store


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> Starlette:
    settings = settings or get_settings()
    store = open_store(settings)
    desk = CaseDesk(settings, store)
    # Each chat-app channel is on when its settings are there (see README, "Connecting Telegram and Zalo").
    channels = {name: channel for name, channel in (("telegram", TelegramChannel.from_settings(settings)),
                                                    ("zalo", ZaloChannel.from_settings(settings))) if channel}
    for name, channel in channels.items():
        desk.attach(name, channel)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.rasa = rasa or RasaClient(settings.rasa_url)
        for channel in channels.values():
            await channel.start(app.state.rasa)
        stop = asyncio.Event()
        loops = [desk.run(stop)]
        if settings.dispatcher_enabled:
            loops.append(dispatcher_from_settings(settings, store).run_forever(stop))
        tasks = [asyncio.create_task(loop) for loop in loops]
        yield
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for channel in reversed(list(channels.values())):
            await channel.stop()
        await app.state.rasa.close()

    async def index(request: Request) -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def chat(request: Request) -> JSONResponse:
        """Web chat: `{"sender", "message"}` in, Rasa REST's reply list out."""
        try:
            data = await _read_json(request)
            sender = data.get("sender")
            if not isinstance(sender, str) or not 0 < len(sender) <= 128:
                raise InvalidMessage("sender must be a non-empty string")
            answered, replies = await converse(request.app.state.rasa, settings, "web", sender,
                                               data.get("message"), **desk.converse_options())
        except InvalidMessage as error:
            return _error(400, str(error))
        return JSONResponse(replies, status_code=200 if answered else 503)

    async def updates(request: Request) -> JSONResponse:
        """Web chat: what a counsellor (or Khiên) wrote since the page last asked."""
        sender = request.query_params.get("sender", "")
        if not 0 < len(sender) <= 128:
            return _error(400, "sender must be a non-empty string")
        try:
            return JSONResponse(await desk.web_updates(sender))
        except Exception as error:  # the database is down: nothing new, try again later
            logger.error("web updates failed: %s", type(error).__name__)
            return JSONResponse([], status_code=503)

    routes = [
        Route("/", index),
        Route("/healthz", health),
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/chat/updates", updates),
        *(route for channel in channels.values() for route in channel.routes),
        Mount("/console", app=create_console(settings, store)),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
