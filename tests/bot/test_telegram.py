"""The Telegram channel: the real python-telegram-bot against a fake Bot API server, the gateway
on a loopback port, and a fake Rasa REST channel."""
import time

import httpx
import pytest

from bot.channel import EDITED_NOTE, ONLY_TEXT_NOTE
from bot.gateway import create_app
from tests.fakes import FakeRasa, gateway, gateway_settings, wait_for
from tests.fakes.telegram_bot_api import MEDIA, FakeTelegram, callback_update, message_update, text_update

SECRET = "test-webhook-secret"
CHAT = 4242


@pytest.fixture
def telegram():
    with FakeTelegram() as fake:
        yield fake


def settings_for(tmp_path, telegram, rasa, **overrides):
    return gateway_settings(tmp_path, rasa, **{
        "telegram_bot_token": telegram.token, "telegram_api_base_url": telegram.url,
        "telegram_webhook_secret": SECRET, "telegram_mode": "webhook", "public_url": "", **overrides})


def post(server, update, secret=SECRET, **kwargs):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    if "content" not in kwargs:
        kwargs["json"] = update
    return httpx.post(f"{server.url}/webhooks/telegram", headers={**headers, **kwargs.pop("headers", {})},
                      timeout=10, **kwargs)


def test_a_genuine_update_gets_an_answer_with_an_inline_keyboard(tmp_path, telegram, rasa):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        assert post(server, text_update(1, CHAT, "xin chào")).status_code == 200
        sent = wait_for(lambda: telegram.sent(CHAT), what="a reply")
    assert sent[0]["text"] == "Chào bạn!"
    assert sent[0]["reply_markup"]["inline_keyboard"] == [
        [{"text": "Em là bạn nhỏ", "callback_data": "/identify_child"}],
        [{"text": "Đồng ý", "callback_data": "Đồng ý"}]]
    received = rasa.received[0]
    assert received["message"] == "xin chào" and received["metadata"]["channel"] == "telegram"
    assert received["sender"].startswith("u_") and str(CHAT) not in str(received)


@pytest.mark.parametrize("secret", ["wrong-secret", "", None])
def test_a_forged_update_is_refused_and_answered_nothing(tmp_path, telegram, rasa, secret):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        response = post(server, text_update(1, CHAT, "xin chào"), secret=secret)
        time.sleep(0.3)
    assert response.status_code == 403
    assert rasa.received == [] and telegram.calls_to("sendMessage") == []


@pytest.mark.parametrize("body,content_type,status", [
    (b"{not json", "application/json", 400),
    (b"\xff\xfe\x00bad", "application/json", 400),
    (b'{"update_id": 1}', "text/plain", 415),
    (b'["a list"]', "application/json", 400),
    (b'{"no": "update"}', "application/json", 400),
    (b'{"update_id": 1, "message": "not an object"}', "application/json", 400),
    (b'{"update_id": 1, "message": {"message_id": 1, "date": 75790845035163319}}', "application/json", 400),
    (b'{"update_id": 1, "x": "' + b"a" * 300_000 + b'"}', "application/json", 413),
])
def test_bad_bodies_get_a_4xx_and_the_gateway_keeps_going(tmp_path, telegram, rasa, body, content_type, status):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        response = post(server, None, content=body, headers={"content-type": content_type})
        assert response.status_code == status
        assert post(server, text_update(2, CHAT, "xin chào")).status_code == 200
        wait_for(lambda: telegram.sent(CHAT), what="a reply")
    assert rasa.messages == ["xin chào"]


@pytest.mark.parametrize("kind", sorted(MEDIA))
def test_anything_but_text_gets_a_kind_note_and_is_never_fetched(tmp_path, telegram, rasa, kind):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        assert post(server, message_update(1, CHAT, **MEDIA[kind])).status_code == 200
        wait_for(lambda: telegram.sent(CHAT), what="a note")
        time.sleep(0.2)
    assert telegram.texts(CHAT) == [ONLY_TEXT_NOTE]
    assert rasa.received == []
    assert telegram.calls_to("getFile") == []


def test_a_caption_is_read_and_its_photo_is_not(tmp_path, telegram, rasa):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        post(server, message_update(1, CHAT, caption="chú ấy chụp ảnh em", **MEDIA["photo"]))
        wait_for(lambda: len(telegram.sent(CHAT)) == 2, what="note and reply")
    assert telegram.texts(CHAT) == [ONLY_TEXT_NOTE, "Chào bạn!"]
    assert rasa.messages == ["chú ấy chụp ảnh em"]
    assert telegram.calls_to("getFile") == []


def test_an_edited_message_gets_a_kind_note(tmp_path, telegram, rasa):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        post(server, message_update(1, CHAT, edited=True, text="sửa lại"))
        wait_for(lambda: telegram.sent(CHAT), what="a note")
    assert telegram.texts(CHAT) == [EDITED_NOTE] and rasa.received == []


def test_a_pressed_button_answers_its_callback_and_sends_the_payload_on(tmp_path, telegram, rasa):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        post(server, callback_update(7, CHAT, "/identify_child"))
        wait_for(lambda: telegram.sent(CHAT), what="a reply")
    assert [call["callback_query_id"] for call in telegram.calls_to("answerCallbackQuery")] == ["cb7"]
    assert rasa.messages == ["/identify_child"]


@pytest.mark.parametrize("command,intent", [("/start", "/greet"), ("/help", "/help_menu"),
                                            ("/xoa", "/delete_my_data"), ("/dung", "/stop_flow")])
def test_commands_become_intents(tmp_path, telegram, rasa, command, intent):
    with gateway(settings_for(tmp_path, telegram, rasa)) as server:
        post(server, text_update(1, CHAT, command))
        wait_for(lambda: telegram.sent(CHAT), what="a reply")
    assert rasa.messages == [intent]


def test_a_long_reply_is_split_at_telegrams_limit_and_html_is_escaped(tmp_path, telegram):
    long_text = "<b>Khiên</b> & 111. " + "chữ " * 3000
    reply = lambda message: [{"text": long_text, "buttons": [{"title": "Tiếp", "payload": "/affirm"}]}]
    with FakeRasa(reply) as rasa, gateway(settings_for(tmp_path, telegram, rasa)) as server:
        post(server, text_update(1, CHAT, "kể đi"))
        sent = wait_for(lambda: len(telegram.sent(CHAT)) == 3 and telegram.sent(CHAT), what="3 pieces")
    assert sent[0]["text"].startswith("&lt;b&gt;Khiên&lt;/b&gt; &amp; 111.")
    assert " ".join(telegram.texts(CHAT)).split() == long_text.split()
    assert [("reply_markup" in piece) for piece in sent] == [False, False, True]


def test_a_flood_from_one_user_is_coalesced_and_nothing_is_lost(tmp_path, telegram, rasa):
    words = [f"tin{i}" for i in range(30)]
    with gateway(settings_for(tmp_path, telegram, rasa, turns_per_minute=30)) as server:
        for number, word in enumerate(words, start=1):
            post(server, text_update(number, CHAT, word))
        post(server, text_update(100, CHAT + 1, "xin chào"))
        wait_for(lambda: telegram.sent(CHAT + 1), timeout=1.5, what="the other user's reply, at once")
        wait_for(lambda: "tin29" in "\n".join(rasa.messages), what="the whole flood")
    flood = [item["message"] for item in rasa.received if item["message"] != "xin chào"]
    assert "\n".join(flood).split("\n") == words
    assert len(flood) <= 3  # one turn at once, then at most one each 2 s


def test_polling_mode_fetches_updates_itself(tmp_path, telegram, rasa):
    with gateway(settings_for(tmp_path, telegram, rasa, telegram_mode="polling", telegram_webhook_secret="")):
        telegram.push_update(text_update(1, CHAT, "xin chào"))
        wait_for(lambda: telegram.sent(CHAT), what="a reply")
    assert telegram.calls_to("deleteWebhook") and telegram.calls_to("getUpdates")
    assert rasa.messages == ["xin chào"]


def test_the_webhook_is_registered_with_its_secret_when_a_public_url_is_set(tmp_path, telegram, rasa):
    with gateway(settings_for(tmp_path, telegram, rasa, public_url="https://khien.example")):
        pass
    assert telegram.webhook["url"] == "https://khien.example/webhooks/telegram"
    assert telegram.webhook["secret_token"] == SECRET


def test_webhook_mode_without_a_secret_does_not_start(tmp_path, telegram, rasa):
    with pytest.raises(ValueError, match="KHIEN_TELEGRAM_WEBHOOK_SECRET"):
        create_app(settings_for(tmp_path, telegram, rasa, telegram_webhook_secret=""))


def test_rasa_down_still_gives_111(tmp_path, telegram):
    with FakeRasa(status=500) as rasa, gateway(settings_for(tmp_path, telegram, rasa)) as server:
        post(server, text_update(1, CHAT, "cứu em"))
        wait_for(lambda: telegram.sent(CHAT), what="a reply")
    assert "111" in telegram.texts(CHAT)[0]
