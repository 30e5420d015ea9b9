"""Conversations for the load benchmark and the fault drills: children and parents talking to
the gateway's POST /api/chat (greetings, FAQ, lessons by their buttons, disclosures with
consent), with every turn timed, and a fake 111 intake that records when each report arrived.
"""
from __future__ import annotations

import asyncio
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

from khien.reference import ALPHABET as REFERENCE_ALPHABET
from tests.fakes.hotline_intake import FakeHotlineIntake

BUTTON = object()  # press the first button of the last reply (a lesson's "next", a quiz answer)
CONSENT = "Đồng ý"
SCRIPTS: dict[str, list] = {
    "greeting": ["xin chào", "em là bạn nhỏ", "cảm ơn", "tạm biệt"],
    "faq": ["vùng riêng tư là gì", "111 là gì", "bố mẹ có được đánh con không", "cảm ơn nhé"],
    "lesson": ["em muốn học cách tự bảo vệ", BUTTON, BUTTON, BUTTON, BUTTON],
    "disclosure": ["chu hang xom so vao cho kin cua em", "Đang an toàn", "em 12 tuổi", CONSENT,
                   "chú hàng xóm", "Bỏ qua", "Hải Phòng"],
    # the yardstick: `rasa init`'s assistant, in English, straight to Rasa's REST channel
    "rasa_init": ["hello", "I am sad", "yes", "great", "bye"],
}
WEIGHTS = {"greeting": 3, "faq": 3, "lesson": 2, "disclosure": 2}
REFERENCE = re.compile(rf"[{REFERENCE_ALPHABET}]{{3}}-[{REFERENCE_ALPHABET}]{{3}}-[{REFERENCE_ALPHABET}]{{3}}")


def percentile(values: list[float], share: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary_ms(seconds: list[float]) -> dict:
    return {"n": len(seconds), **{name: round(percentile(seconds, share) * 1000, 1) if seconds else None
                                  for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))}}


@dataclass
class Recorder:
    """Every turn's latency and outcome, and what the disclosures led to."""

    latencies: list[float] = field(default_factory=list)
    by_script: dict[str, list[float]] = field(default_factory=dict)  # script -> its turns' latencies
    errors: Counter = field(default_factory=Counter)  # reason -> count
    scripts: Counter = field(default_factory=Counter)
    consent_at: dict[str, float] = field(default_factory=dict)  # sender -> when consent was sent
    references: dict[str, tuple[str, float]] = field(default_factory=dict)  # ref -> (sender, when shown)
    disclosures_started: int = 0
    unavailable_replies_with_111: int = 0
    started: float = field(default_factory=time.monotonic)
    ended: Optional[float] = None

    @property
    def turns(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def report(self) -> dict:
        seconds = (self.ended or time.monotonic()) - self.started
        return {"turns": self.turns, "errors": sum(self.errors.values()), "error_kinds": dict(self.errors),
                "turns_per_s": round(len(self.latencies) / seconds, 2) if seconds else 0.0,
                "latency_ms": summary_ms(self.latencies), "seconds": round(seconds, 1),
                "disclosures": self.disclosures_started, "references": len(self.references),
                "scripts": dict(self.scripts),
                "latency_by_script_ms": {name: {k: v for k, v in summary_ms(values).items() if k in ("n", "p50", "p95")}
                                         for name, values in sorted(self.by_script.items())}}


async def conversation(client: httpx.AsyncClient, sender: str, script: str, recorder: Recorder,
                       think: Callable[[], float], stop_at: float, path: str = "/api/chat") -> None:
    """One sender through one of SCRIPTS; stops early at `stop_at` (a turn in flight completes)."""
    recorder.scripts[script] += 1
    recorder.disclosures_started += script == "disclosure"
    buttons: list[str] = []
    for message in SCRIPTS[script]:
        if time.monotonic() >= stop_at:
            return
        text = (buttons[0] if buttons else "tiếp") if message is BUTTON else message
        sent = time.monotonic()
        if text == CONSENT:
            recorder.consent_at[sender] = sent
        try:
            response = await client.post(path, json={"sender": sender, "message": text})
        except httpx.HTTPError as error:
            recorder.errors[type(error).__name__] += 1
            return
        if response.status_code != 200:
            recorder.errors[f"HTTP {response.status_code}"] += 1
            if "111" in response.text:
                recorder.unavailable_replies_with_111 += 1
            return
        recorder.latencies.append(time.monotonic() - sent)
        recorder.by_script.setdefault(script, []).append(recorder.latencies[-1])
        replies = response.json()
        said = " ".join(reply.get("text") or "" for reply in replies)
        buttons = [b["payload"] for reply in replies for b in reply.get("buttons") or [] if b.get("payload")]
        for reference in REFERENCE.findall(said):
            recorder.references.setdefault(reference, (sender, time.monotonic()))
        pause = think()
        if pause:
            await asyncio.sleep(pause)


def pick_script(rng: random.Random) -> str:
    return rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]


async def drive(base_url: str, users: int, seconds: float, think: Callable[[random.Random], float],
                label: str, seed: int = 1, scripts: Callable[[random.Random], str] = pick_script,
                stagger: float = 0.0, path: str = "/api/chat") -> Recorder:
    """`users` simultaneous users, each holding one conversation after another for `seconds`;
    each waits `think(rng)` between its turns (0: closed loop). New conversation, new sender.
    `path`: the gateway's web chat, or Rasa's REST channel (the same JSON in and out)."""
    recorder = Recorder()
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        async def user(number: int) -> None:
            rng = random.Random(seed * 100_003 + number)
            await asyncio.sleep(rng.uniform(0, stagger))
            count = 0
            while time.monotonic() < stop_at:
                count += 1
                await conversation(client, f"{label}-{seed}-{number}-{count}", scripts(rng),
                                   recorder, lambda: think(rng), stop_at, path)

        await asyncio.gather(*(user(n) for n in range(users)))
    recorder.ended = time.monotonic()
    return recorder


class RecordingIntake(FakeHotlineIntake):
    """The fake 111 intake that also records when each report first arrived, how often each was
    posted after it was accepted (a redelivery, harmless: the Idempotency-Key de-duplicates), and
    can be made to fail (HTTP 503) for a while, or to be slow (`slow_seconds` before answering)."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret)
        self.first_seen: dict[str, float] = {}
        self.posts: Counter = Counter()  # idempotency key -> successful posts
        self.down_until = 0.0
        self.refused_while_down = 0
        self.slow_seconds = 0.0
        self.in_flight = 0
        self._record = threading.Lock()

    def down_for(self, seconds: float) -> None:
        self.down_until = time.monotonic() + seconds

    def up(self) -> None:
        self.down_until = 0.0

    async def intake(self, request: Request) -> JSONResponse:
        if time.monotonic() < self.down_until:
            with self._record:
                self.refused_while_down += 1
            return JSONResponse({"error": "unavailable"}, status_code=503)
        if self.slow_seconds:
            await request.body()  # read it all first: handled (and accepted) even if its sender dies
            self.in_flight += 1
            await asyncio.sleep(self.slow_seconds)
            self.in_flight -= 1
        response = await super().intake(request)
        if response.status_code == 200:
            key = request.headers.get("idempotency-key", "")
            with self._record:
                self.posts[key] += 1
                self.first_seen.setdefault(key, time.monotonic())
        return response

    def delivered_at(self, reference: str) -> Optional[float]:
        return self.first_seen.get(f"{reference}:hotline")


def wait_for(condition: Callable[[], object], timeout: float, interval: float = 0.25):
    """Polls until condition() is truthy (returns it) or the time is up (returns the last value)."""
    deadline = time.monotonic() + timeout
    value = condition()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = condition()
    return value
