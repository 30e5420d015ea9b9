"""A fake 111 intake on 127.0.0.1, speaking the protocol of schemas/hotline_intake.v1.json:
signed JSON POSTs, any 2xx confirms, the Idempotency-Key de-duplicates. It can be told to fail
(HTTP 503, or hang past the client's timeout) to test outages.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes import ServerThread


class FakeHotlineIntake(ServerThread):
    def __init__(self, secret: str, fail_first: int = 0, hang_seconds: float = 0.0) -> None:
        self.secret = secret
        self.fail_remaining = fail_first
        self.hang_seconds = hang_seconds
        self.calls = 0
        self.accepted: dict[str, dict] = {}  # idempotency key -> payload
        self.bad_signatures = 0
        self._lock = threading.Lock()
        super().__init__(Starlette(routes=[Route("/intake", self.intake, methods=["POST"])]))

    @property
    def intake_url(self) -> str:
        return f"{self.url}/intake"

    def fail_next(self, count: int) -> None:
        with self._lock:
            self.fail_remaining = count

    async def intake(self, request: Request) -> JSONResponse:
        body = await request.body()
        with self._lock:
            self.calls += 1
            failing = self.fail_remaining > 0
            if failing:
                self.fail_remaining -= 1
        if failing and self.hang_seconds:
            await asyncio.sleep(self.hang_seconds)
        if failing:
            return JSONResponse({"error": "unavailable"}, status_code=503)
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("x-khien-signature", ""), expected):
            self.bad_signatures += 1
            return JSONResponse({"error": "bad signature"}, status_code=401)
        key = request.headers.get("idempotency-key")
        if not key:
            return JSONResponse({"error": "missing Idempotency-Key"}, status_code=400)
        with self._lock:
            duplicate = key in self.accepted
            self.accepted.setdefault(key, json.loads(body))
        return JSONResponse({"status": "duplicate" if duplicate else "accepted"}, status_code=200)
