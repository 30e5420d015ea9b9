"""Fake outside servers for the channel tests, each a real HTTP server on 127.0.0.1 in a thread:
the real python-telegram-bot and httpx talk to them as they would to Telegram, Zalo or Rasa.

    with FakeRasa(reply) as rasa: ...             Rasa's REST channel, answering with reply(message)
    with gateway(gateway_settings(...)): ...       the gateway itself, on its own port
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from khien.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float = 15.0, what: str = "condition"):
    """Polls until condition() is truthy and returns its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


class ServerThread:
    """Runs an ASGI app under uvicorn on a free loopback port, for the length of a `with`."""

    def __init__(self, app, lifespan: str = "on") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, lifespan=lifespan,
                                log_level="warning", access_log=False, ws="none")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self):
        self._thread.start()
        wait_for(lambda: self._server.started or not self._thread.is_alive(), what="server start")
        if not self._server.started:
            raise RuntimeError("server did not start")
        return self

    def __exit__(self, *exc) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


def greeting(message: str) -> list[dict]:
    """A reply like Rasa's greeting: text with one intent button and one word button."""
    return [{"text": "Chào bạn!", "buttons": [{"title": "Em là bạn nhỏ", "payload": "/identify_child"},
                                              {"title": "Đồng ý", "payload": "Đồng ý"}]}]


class FakeRasa(ServerThread):
    """Rasa's REST channel: records what it got, answers with `reply(message)` (or 500)."""

    def __init__(self, reply: Callable[[str], list[dict]] | None = None, status: int = 200) -> None:
        self.received: list[dict] = []
        self.reply = reply or (lambda message: [{"text": f"Khiên nghe: {message}"}])
        self.status = status
        super().__init__(Starlette(routes=[Route("/webhooks/rest/webhook", self._webhook, methods=["POST"])]),
                         lifespan="off")

    async def _webhook(self, request: Request) -> JSONResponse:
        data = await request.json()
        self.received.append(data)
        if self.status != 200:
            return JSONResponse({"error": "down"}, status_code=self.status)
        return JSONResponse(self.reply(data["message"]))

    @property
    def messages(self) -> list[str]:
        return [item["message"] for item in self.received]


def gateway_settings(var_dir: Path, rasa: FakeRasa, **channel) -> Settings:
    """A test gateway's settings: the fake Rasa, no rate limit to wait on, and no chat-app
    channel but those whose settings are given."""
    from cryptography.fernet import Fernet

    values = dict(var_dir=var_dir, pseudonym_secret="k", reply_key=Fernet.generate_key().decode(),
                  rasa_url=rasa.url, turns_per_minute=6000, telegram_bot_token="", zalo_app_id="")
    return Settings(**{**values, **channel})


@contextmanager
def gateway(settings: Settings):
    from bot.gateway import create_app

    with ServerThread(create_app(settings)) as server:
        yield server
