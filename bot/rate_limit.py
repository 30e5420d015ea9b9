"""Per-user turns for the chat-app channels (Telegram, Zalo): a flood from one user never slows
anyone else, and no message is ever dropped.

Each user has at most one turn in flight and starts at most one turn per interval
(`KHIEN_TURNS_PER_MINUTE`). Whatever arrives while a turn runs or waits is coalesced into the
next one (texts joined by newlines, up to the message limit), so a risk message sent in a flood
still reaches Rasa. Button payloads and commands ("/...") always get a turn of their own.
The gateway cannot judge risk, so it never throttles by dropping.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Awaitable, Callable

logger = logging.getLogger(__name__)


@dataclass
class Turn:
    text: str | None = None  # the texts that arrived, joined; None when no text arrived
    notes: list[str] = field(default_factory=list)  # kind notes owed (e.g. "text only, please")


@dataclass
class _Item:
    text: str | None
    note: str | None


class TurnQueue:
    def __init__(self, run_turn: Callable[[str, Turn], Awaitable[None]], turns_per_minute: int,
                 max_chars: int) -> None:
        self._run_turn = run_turn
        self._interval = 60.0 / max(turns_per_minute, 1)
        self._max_chars = max_chars
        self._pending: dict[str, deque[_Item]] = {}
        self._workers: dict[str, asyncio.Task] = {}
        self._closing = asyncio.Event()

    def submit(self, user: str, text: str | None = None, note: str | None = None) -> None:
        """Queues a text (or a note owed to the user) and returns at once."""
        self._pending.setdefault(user, deque()).append(_Item(text, note))
        if user not in self._workers:
            self._workers[user] = asyncio.create_task(self._work(user))

    async def close(self, timeout: float = 10.0) -> None:
        """Runs the turns still owed without waiting out the interval, then stops."""
        self._closing.set()
        workers = list(self._workers.values())
        if workers:
            _, late = await asyncio.wait(workers, timeout=timeout)
            for task in late:
                task.cancel()

    async def _work(self, user: str) -> None:
        try:
            while self._pending.get(user):
                started = time.monotonic()
                turn = self._take(user)
                try:
                    await self._run_turn(user, turn)
                except Exception as error:  # one failed turn must not stop this user's next ones
                    logger.error("turn failed: %s", type(error).__name__)
                # The worker outlives its turn by the interval, so a flood is coalesced rather
                # than started afresh each time.
                pause = self._interval - (time.monotonic() - started)
                if pause > 0:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._closing.wait(), pause)
        finally:
            del self._workers[user]
            if not self._pending.get(user):
                self._pending.pop(user, None)

    def _take(self, user: str) -> Turn:
        pending = self._pending[user]
        turn, texts, size = Turn(), [], 0
        while pending:
            item = pending[0]
            text = item.text
            if text is not None:
                command = text.lstrip().startswith("/")
                if texts and (command or size + len(text) + 1 > self._max_chars):
                    break
            pending.popleft()
            if item.note and item.note not in turn.notes:
                turn.notes.append(item.note)
            if text is not None:
                texts.append(text)
                size += len(text) + 1
                if command:
                    break
        turn.text = "\n".join(texts) if texts else None
        return turn
