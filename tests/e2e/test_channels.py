"""End to end through Telegram and Zalo: a gateway process of its own (`khien gateway`) with both
channels on, against the shared stack's real Rasa and action server; the real
python-telegram-bot and httpx against the fake Telegram and Zalo servers of tests/fakes.

A whole conversation per channel: hello -> a menu button -> a disclosure -> "safe now" ->
age -> consent. Forged calls are refused and answered nothing."""
import sqlite3
import subprocess
import time

import httpx
import pytest

from tests.conftest import BIN, REPO, free_port, wait_until_up
from tests.fakes.telegram_bot_api import FakeTelegram, callback_update, text_update
from tests.fakes.zalo_api import FakeZalo, deliver, event

SECRET = "e2e-telegram-secret"
APP_ID, APP_SECRET, OA_SECRET = "e2e-app", "e2e-app-secret", "e2e-oa-secret"
DISCLOSURE = "chu hang xom so vao cho kin cua em"


@pytest.fixture(scope="module")
def channels(stack, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("channels")
    with FakeTelegram() as telegram, FakeZalo(APP_ID, APP_SECRET, access_token="access-0") as zalo:
        port = free_port()
        env = {**stack.env, "KHIEN_GATEWAY_PORT": str(port), "KHIEN_VAR_DIR": str(workdir / "var"),
               "KHIEN_TURNS_PER_MINUTE": "600", "KHIEN_PUBLIC_URL": "https://khien.example",
               "TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_API_BASE_URL": telegram.url,
               "TELEGRAM_MODE": "webhook", "KHIEN_TELEGRAM_WEBHOOK_SECRET": SECRET,
               "ZALO_APP_ID": APP_ID, "ZALO_APP_SECRET": APP_SECRET, "ZALO_OA_SECRET": OA_SECRET,
               # an access token Zalo no longer accepts: the first reply needs a refresh
               "ZALO_ACCESS_TOKEN": "expired", "ZALO_REFRESH_TOKEN": "refresh-0",
               "ZALO_API_BASE_URL": zalo.url, "ZALO_OAUTH_BASE_URL": zalo.url}
        log = workdir / "gateway.log"
        with open(log, "w") as output:
            process = subprocess.Popen([str(BIN / "khien"), "gateway"], cwd=REPO, env=env,
                                       stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
            yield {"url": f"http://127.0.0.1:{port}", "telegram": telegram, "zalo": zalo, "log": log}
        finally:
            process.terminate()
            process.wait(timeout=20)


def replies_after(count, current, quiet=0.8, timeout=60):
    """Waits for new messages past `count`, then for a quiet moment: one turn's replies."""
    deadline = time.monotonic() + timeout
    while len(current()) <= count:
        if time.monotonic() > deadline:
            raise TimeoutError("no reply")
        time.sleep(0.05)
    while True:
        seen = len(current())
        time.sleep(quiet)
        if len(current()) == seen:
            return current()[count:]


def text_of(messages):
    return " ".join(m.get("text", "") for m in messages)


class TelegramChild:
    def __init__(self, channels, chat_id):
        self.url, self.telegram, self.chat_id = channels["url"], channels["telegram"], chat_id
        self.update_id = chat_id * 100

    def _post(self, update, secret=SECRET):
        return httpx.post(f"{self.url}/webhooks/telegram", json=update, timeout=10,
                          headers={"X-Telegram-Bot-Api-Secret-Token": secret})

    def _turn(self, update):
        before = len(self.telegram.sent(self.chat_id))
        assert self._post(update).status_code == 200
        return replies_after(before, lambda: self.telegram.sent(self.chat_id))

    def says(self, text):
        self.update_id += 1
        return self._turn(text_update(self.update_id, self.chat_id, text))

    def presses(self, replies, title):
        data = next(button["callback_data"] for reply in replies
                    for row in reply.get("reply_markup", {}).get("inline_keyboard", [])
                    for button in row if button["text"] == title or button["callback_data"] == title)
        self.update_id += 1
        return self._turn(callback_update(self.update_id, self.chat_id, data))


class ZaloChild:
    def __init__(self, channels, user_id):
        self.url, self.zalo, self.user_id = channels["url"], channels["zalo"], user_id

    def says(self, text):
        before = len(self.zalo.sent(self.user_id))
        assert deliver(self.url, event(APP_ID, self.user_id, text), APP_ID, OA_SECRET).status_code == 200
        return replies_after(before, lambda: self.zalo.sent(self.user_id))

    def presses(self, replies, title):
        """A quick reply: Zalo sends its payload back as the user's text message."""
        payload = next(button["payload"] for reply in replies
                       for button in reply.get("attachment", {}).get("payload", {}).get("buttons", [])
                       if button["title"] == title or button["payload"] == title)
        return self.says(payload)


def keyboard_titles(replies):
    return [b["text"] for r in replies for row in r.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def test_a_whole_conversation_through_telegram(channels, stack):
    telegram, chat_id = channels["telegram"], 987654321
    assert telegram.webhook == {**telegram.webhook, "url": "https://khien.example/webhooks/telegram",
                                "secret_token": SECRET}
    child = TelegramChild(channels, chat_id)

    hello = child.says("xin chào")
    assert "Khiên" in text_of(hello) and keyboard_titles(hello)
    menu = child.presses(hello, keyboard_titles(hello)[0])
    assert telegram.calls_to("answerCallbackQuery") and text_of(menu)

    disclosure = child.says(DISCLOSURE)
    assert "111" in text_of(disclosure) and "không phải lỗi của em" in text_of(disclosure)
    assert "tuổi" in text_of(child.presses(disclosure, "Đang an toàn"))
    consent = child.says("em 12 tuổi")
    assert "đồng ý" in text_of(consent).lower()
    assert "là ai" in text_of(child.presses(consent, "Đồng ý"))

    with sqlite3.connect(stack.tracker_db) as db:
        stored = " ".join(row[0] for row in db.execute("select data from events"))
    assert str(chat_id) not in stored  # Rasa only ever saw the pseudonym


def test_a_whole_conversation_through_zalo(channels):
    zalo, user = channels["zalo"], "5566778899"
    child = ZaloChild(channels, user)

    hello = child.says("xin chào")
    assert "Khiên" in text_of(hello)
    buttons = [b for r in hello for b in r.get("attachment", {}).get("payload", {}).get("buttons", [])]
    assert buttons and zalo.refreshes == 1  # the expired access token was refreshed
    menu = child.presses(hello, buttons[0]["title"])
    assert text_of(menu)

    disclosure = child.says(DISCLOSURE)
    assert "111" in text_of(disclosure) and "không phải lỗi của em" in text_of(disclosure)
    assert {"title": "Gọi 111", "type": "oa.open.phone", "payload": {"phone_code": "111"}} in [
        b for r in disclosure for b in r.get("attachment", {}).get("payload", {}).get("buttons", [])]
    assert "tuổi" in text_of(child.presses(disclosure, "Đang an toàn"))
    consent = child.says("em 12 tuổi")
    assert "đồng ý" in text_of(consent).lower()
    assert "là ai" in text_of(child.presses(consent, "Đồng ý"))
    assert zalo.refused == [-216]  # only the expired token, once


def test_forged_calls_are_refused_and_answered_nothing(channels):
    telegram, zalo, url = channels["telegram"], channels["zalo"], channels["url"]
    forged_telegram = httpx.post(f"{url}/webhooks/telegram", json=text_update(1, 111222, DISCLOSURE),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
    forged_zalo = deliver(url, event(APP_ID, "111222", DISCLOSURE), APP_ID, OA_SECRET, sign_with="guess")
    stale_zalo = deliver(url, event(APP_ID, "111222", DISCLOSURE, timestamp_ms=int(time.time() * 1000) - 3_600_000),
                         APP_ID, OA_SECRET)
    time.sleep(1.0)
    assert (forged_telegram.status_code, forged_zalo.status_code, stale_zalo.status_code) == (403, 401, 403)
    assert telegram.sent(111222) == [] and zalo.sent("111222") == []


def test_a_retried_zalo_event_is_answered_once(channels):
    zalo, url = channels["zalo"], channels["url"]
    once = ZaloChild(channels, "99000").says("xin chào")
    payload = event(APP_ID, "99001", "xin chào", msg_id="e2e-retried")
    assert [deliver(url, payload, APP_ID, OA_SECRET).status_code for _ in range(3)] == [200] * 3
    assert len(replies_after(0, lambda: zalo.sent("99001"), quiet=1.5)) == len(once)


def test_the_gateway_logs_no_message_text(channels):
    logs = channels["log"].read_text(errors="replace")
    assert "cho kin" not in logs and "xin chào" not in logs and channels["telegram"].token not in logs
