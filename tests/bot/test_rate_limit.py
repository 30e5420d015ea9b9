"""Per-user turns: serialised, rate-limited by coalescing, never dropping a message."""
import asyncio
import time

from bot.rate_limit import Turn, TurnQueue


def run(scenario):
    return asyncio.run(scenario())


class Recorder:
    def __init__(self, delay=0.0, fail_first=False):
        self.turns: list[tuple[str, Turn, float]] = []
        self.delay, self.fail_first = delay, fail_first

    async def __call__(self, user, turn):
        self.turns.append((user, turn, time.monotonic()))
        if self.fail_first and len(self.turns) == 1:
            raise RuntimeError("boom")
        await asyncio.sleep(self.delay if user == "flooder" else 0)

    def texts(self, user):
        return [turn.text for who, turn, _ in self.turns if who == user]


def test_a_flood_is_coalesced_in_order_and_nothing_is_lost():
    recorder = Recorder()

    async def scenario():
        queue = TurnQueue(recorder, turns_per_minute=600, max_chars=2000)  # one turn per 0.1 s
        for i in range(50):
            queue.submit("flooder", f"m{i}")
            await asyncio.sleep(0.005)
        await queue.close()

    run(scenario)
    texts = recorder.texts("flooder")
    assert "\n".join(texts).split("\n") == [f"m{i}" for i in range(50)]
    assert len(texts) <= 5


def test_a_slow_flooding_user_never_slows_another():
    recorder = Recorder(delay=1.0)

    async def scenario():
        queue = TurnQueue(recorder, turns_per_minute=6000, max_chars=2000)
        for i in range(20):
            queue.submit("flooder", f"m{i}")
        await asyncio.sleep(0.05)
        sent = time.monotonic()
        queue.submit("other", "cứu em")
        await asyncio.sleep(0.1)
        await queue.close(timeout=5)
        return sent

    sent = run(scenario)
    answered = next(at for who, _, at in recorder.turns if who == "other")
    assert answered - sent < 0.1
    assert "\n".join(recorder.texts("flooder")).split("\n") == [f"m{i}" for i in range(20)]


def test_commands_and_button_payloads_get_turns_of_their_own():
    recorder = Recorder()

    async def scenario():
        queue = TurnQueue(recorder, turns_per_minute=6000, max_chars=2000)
        for text in ["a", "b", "/xoa", "Đồng ý", "/confirm_delete", "c"]:
            queue.submit("u", text)
        await queue.close()

    run(scenario)
    assert recorder.texts("u") == ["a\nb", "/xoa", "Đồng ý", "/confirm_delete", "c"]


def test_coalescing_stays_under_the_message_limit_and_cuts_nothing():
    recorder = Recorder()

    async def scenario():
        queue = TurnQueue(recorder, turns_per_minute=6000, max_chars=25)
        for i in range(10):
            queue.submit("u", f"message{i}")
        await queue.close()

    run(scenario)
    texts = recorder.texts("u")
    assert all(len(text) <= 25 for text in texts)
    assert "\n".join(texts).split("\n") == [f"message{i}" for i in range(10)]


def test_notes_are_owed_once_and_a_failed_turn_does_not_stop_the_next():
    recorder = Recorder(fail_first=True)

    async def scenario():
        queue = TurnQueue(recorder, turns_per_minute=6000, max_chars=2000)
        queue.submit("u", "first")
        await asyncio.sleep(0.05)
        queue.submit("u", note="only text")
        queue.submit("u", "caption", note="only text")
        await queue.close()

    run(scenario)
    turns = [turn for _, turn, _ in recorder.turns]
    assert turns[0].text == "first"
    assert turns[1] == Turn(text="caption", notes=["only text"])
