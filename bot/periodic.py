"""The background loops of the gateway and `khien dispatch`: one pass, then a pause, until
stopped. A failed pass (a database restart, a dead network) is logged by its error class only
and the loop goes on: a case must never wait for a process to be restarted."""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

logger = logging.getLogger(__name__)


async def repeat_until_stopped(one_pass: Callable[[], Awaitable[object]], stop: asyncio.Event,
                               interval: float, name: str) -> None:
    while not stop.is_set():
        try:
            await one_pass()
        except Exception as error:
            logger.error("%s pass failed: %s", name, type(error).__name__)
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except asyncio.TimeoutError:
            pass
