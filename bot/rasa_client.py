"""The one doorway from the gateway into Rasa: its REST channel on 127.0.0.1."""
from __future__ import annotations

import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)

# What the child sees when Rasa cannot answer: never a dead end, always 111.
UNAVAILABLE_REPLY = [
    {
        "text": "Xin lỗi, Khiên đang gặp trục trặc và chưa trả lời được. "
        "Nếu em cần giúp ngay, hãy gọi 111 (miễn phí, 24/7). "
        "Nếu em đang gặp nguy hiểm, gọi 113 (công an) hoặc 115 (cấp cứu)."
    }
]


# What the child sees when Rasa answered nothing at all (a dead action server mid-turn, a turn
# no rule covers): never silence.
NO_REPLY = [
    {
        "text": "Mình chưa trả lời được tin này. Em nói lại bằng cách khác giúp mình nhé. "
        "Nếu em cần giúp ngay, hãy gọi 111 (miễn phí, 24/7)."
    }
]


class RasaUnavailable(Exception):
    """Rasa did not answer; the caller shows UNAVAILABLE_REPLY."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def send(self, sender: str, text: str, metadata: dict | None = None) -> list[dict[str, Any]]:
        """Post one user message; returns Rasa's replies (text, buttons, custom)."""
        payload = {"sender": sender, "message": text, "metadata": metadata or {}}
        try:
            response = await self._client.post("/webhooks/rest/webhook", json=payload)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            # Ids and error class only: message text never goes to logs.
            logger.error("rasa unavailable for sender=%s: %s", sender, type(error).__name__)
            raise RasaUnavailable from error

    async def close(self) -> None:
        await self._client.aclose()
