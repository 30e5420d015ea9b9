"""The gateway: an ASGI app (Starlette) in front of Rasa.

Routes: `/` the web chat page, `POST /api/chat` its endpoint, `GET /healthz`.
Run it with `khien gateway` (or `make run`, which starts Rasa and the action server too).
"""
from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from bot.conversation import converse
from bot.messages import InvalidMessage
from bot.rasa_client import RasaClient
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


def create_app(settings: Settings | None = None, rasa: RasaClient | None = None) -> Starlette:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.rasa = rasa or RasaClient(settings.rasa_url)
        yield
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
            answered, replies = await converse(request.app.state.rasa, settings, "web", sender, data.get("message"))
        except InvalidMessage as error:
            return _error(400, str(error))
        return JSONResponse(replies, status_code=200 if answered else 503)

    routes = [
        Route("/", index),
        Route("/healthz", health),
        Route("/api/chat", chat, methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
