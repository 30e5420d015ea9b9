"""The Zalo OA channel: signed webhook events in, the real httpx client against a fake OA API and
OAuth server out, the gateway on a loopback port, and a fake Rasa REST channel."""
import json
import os
import stat
import time

import httpx
import pytest

from bot.channel import ONLY_TEXT_NOTE
from tests.fakes import FakeRasa, gateway, gateway_settings, greeting, wait_for
from tests.fakes.zalo_api import FakeZalo, deliver, event, signature

APP_ID, APP_SECRET, OA_SECRET = "app-1", "app-secret", "oa-secret"
USER = "8412345"


@pytest.fixture
def zalo():
    with FakeZalo(APP_ID, APP_SECRET) as fake:
        yield fake


def settings_for(tmp_path, zalo, rasa, **overrides):
    return gateway_settings(tmp_path, rasa, **{
        "zalo_app_id": APP_ID, "zalo_app_secret": APP_SECRET, "zalo_oa_secret": OA_SECRET,
        "zalo_access_token": "access-0", "zalo_refresh_token": "refresh-0",
        "zalo_api_base_url": zalo.url, "zalo_oauth_base_url": zalo.url, **overrides})


def send(server, text, **kwargs):
    return deliver(server.url, event(APP_ID, USER, text, **kwargs), APP_ID, OA_SECRET)


def test_a_genuine_event_is_answered_at_once_and_replied_to_in_the_background(tmp_path, zalo):
    def slow_greeting(message):
        time.sleep(1.0)
        return greeting(message)

    with FakeRasa(slow_greeting) as rasa, gateway(settings_for(tmp_path, zalo, rasa)) as server:
        started = time.monotonic()
        response = send(server, "xin chào")
        assert response.status_code == 200 and time.monotonic() - started < 0.5
        sent = wait_for(lambda: zalo.sent(USER), what="a reply")
    assert sent[0] == {"text": "Chào bạn!", "attachment": {"type": "template", "payload": {"buttons": [
        {"title": "Em là bạn nhỏ", "type": "oa.query.hide", "payload": "/identify_child"},
        {"title": "Đồng ý", "type": "oa.query.show", "payload": "Đồng ý"}]}}}
    received = rasa.received[0]
    assert received["message"] == "xin chào" and received["metadata"]["channel"] == "zalo"
    assert received["sender"].startswith("u_") and USER not in str(received)


def test_forged_foreign_and_stale_events_are_refused_and_answered_nothing(tmp_path, zalo, rasa):
    old = int((time.time() - 3600) * 1000)
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        forged = deliver(server.url, event(APP_ID, USER, "xin chào"), APP_ID, OA_SECRET, sign_with="guess")
        foreign = deliver(server.url, event("app-2", USER, "xin chào"), APP_ID, OA_SECRET)
        stale = deliver(server.url, event(APP_ID, USER, "xin chào", timestamp_ms=old), APP_ID, OA_SECRET)
        unsigned = httpx.post(f"{server.url}/webhooks/zalo", json=event(APP_ID, USER, "xin chào"))
        time.sleep(0.3)
    assert (forged.status_code, foreign.status_code, stale.status_code, unsigned.status_code) == (401, 403, 403, 401)
    assert rasa.received == [] and zalo.messages == []


def test_a_retried_event_is_processed_once(tmp_path, zalo, rasa):
    payload = event(APP_ID, USER, "xin chào", msg_id="msg-1")
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        assert [deliver(server.url, payload, APP_ID, OA_SECRET).status_code for _ in range(3)] == [200] * 3
        wait_for(lambda: zalo.sent(USER), what="a reply")
        time.sleep(0.3)
    assert rasa.messages == ["xin chào"] and len(zalo.sent(USER)) == 1


def test_111_gets_a_call_button_and_more_than_five_buttons_are_split(tmp_path, zalo):
    buttons = [{"title": f"Chọn {i}", "payload": f"Chọn {i}"} for i in range(7)]
    reply = lambda message: [{"text": "Gọi 111 nhé, miễn phí."}, {"text": "Ai làm vậy?", "buttons": buttons}]
    with FakeRasa(reply) as rasa, gateway(settings_for(tmp_path, zalo, rasa)) as server:
        send(server, "chú ấy đánh em")
        sent = wait_for(lambda: len(zalo.sent(USER)) == 3 and zalo.sent(USER), what="3 messages")
    assert sent[0]["attachment"]["payload"]["buttons"] == [
        {"title": "Gọi 111", "type": "oa.open.phone", "payload": {"phone_code": "111"}}]
    assert [len(m["attachment"]["payload"]["buttons"]) for m in sent[1:]] == [5, 2]
    assert zalo.refused == []


def test_a_long_reply_is_cut_at_zalos_limit(tmp_path, zalo):
    long_text = "chữ " * 1500
    with FakeRasa(lambda message: [{"text": long_text}]) as rasa, gateway(settings_for(tmp_path, zalo, rasa)) as server:
        send(server, "kể đi")
        wait_for(lambda: len(" ".join(zalo.texts(USER)).split()) == 1500, what="every piece")
    assert len(zalo.sent(USER)) == 3 and zalo.refused == []


def test_an_expired_token_is_refreshed_and_the_new_refresh_token_kept(tmp_path, zalo, rasa):
    zalo.expire_access_tokens()
    settings = settings_for(tmp_path, zalo, rasa)
    with gateway(settings) as server:
        send(server, "xin chào")
        wait_for(lambda: zalo.sent(USER), what="a reply after a refresh")
    stored = tmp_path / "zalo_tokens.json"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert json.loads(stored.read_text())["refresh_token"] == zalo.refresh_token == "refresh-1"

    # A restart with the same (now used) ZALO_REFRESH_TOKEN keeps using the stored pair.
    zalo.expire_access_tokens()
    with gateway(settings) as server:
        send(server, "lại là em")
        wait_for(lambda: len(zalo.sent(USER)) == 2, what="a reply after a second refresh")
    assert zalo.refreshes == 2 and json.loads(stored.read_text())["refresh_token"] == "refresh-2"


def test_a_token_about_to_expire_is_refreshed_before_it_is_used(tmp_path, zalo, rasa):
    (tmp_path / "zalo_tokens.json").write_text(json.dumps({
        "access_token": "access-0", "refresh_token": "refresh-0", "expires_at": time.time() + 60,
        "seed": None}))
    with gateway(settings_for(tmp_path, zalo, rasa, zalo_refresh_token="")) as server:
        send(server, "xin chào")
        wait_for(lambda: zalo.sent(USER), what="a reply")
    assert zalo.refreshes == 1 and zalo.refused == []


def test_a_closed_reply_window_is_logged_not_crashed(tmp_path, zalo, rasa, caplog):
    zalo.outside_window.add(USER)
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        assert send(server, "xin chào").status_code == 200
        wait_for(lambda: zalo.refused, what="a refusal")
        time.sleep(0.2)
        assert httpx.get(f"{server.url}/healthz").status_code == 200
    assert "reply window closed" in caplog.text and "xin chào" not in caplog.text


@pytest.mark.parametrize("event_name", ["user_send_image", "user_send_sticker", "user_send_audio",
                                        "user_send_file", "user_send_location", "user_send_gif"])
def test_anything_but_text_gets_a_kind_note_and_nothing_is_fetched(tmp_path, zalo, rasa, event_name):
    attachments = [{"type": "image", "payload": {"url": f"{zalo.url}/photo.jpg"}}]
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        send(server, None, event_name=event_name, attachments=attachments)
        wait_for(lambda: zalo.sent(USER), what="a note")
    assert zalo.texts(USER) == [ONLY_TEXT_NOTE] and rasa.received == []


@pytest.mark.parametrize("text", ["", "   \u0000\u0007 "])
def test_empty_text_gets_a_kind_note(tmp_path, zalo, rasa, text):
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        send(server, text)
        wait_for(lambda: zalo.sent(USER), what="a note")
    assert zalo.texts(USER) == [ONLY_TEXT_NOTE] and rasa.received == []


def test_other_events_are_acknowledged_and_ignored(tmp_path, zalo, rasa):
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        for name in ["follow", "user_seen_message", "oa_send_text"]:
            assert send(server, None, event_name=name).status_code == 200
        time.sleep(0.3)
    assert rasa.received == [] and zalo.messages == []


@pytest.mark.parametrize("body,content_type,status", [
    (b"{not json", "application/json", 400),
    (b"\xff\xfe\x00bad", "application/json", 400),
    (b"{}", "text/plain", 415),
    (b"[1, 2]", "application/json", 400),
    (b'{"x": "' + b"a" * 300_000 + b'"}', "application/json", 413),
])
def test_bad_bodies_get_a_4xx(tmp_path, zalo, rasa, body, content_type, status):
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        response = httpx.post(f"{server.url}/webhooks/zalo", content=body, headers={
            "content-type": content_type, "X-ZEvent-Signature": signature(body, APP_ID, "", OA_SECRET)})
    assert response.status_code == status and rasa.received == []


def test_a_signed_event_without_a_sender_is_a_400(tmp_path, zalo, rasa):
    payload = event(APP_ID, USER, "xin chào")
    del payload["sender"]
    with gateway(settings_for(tmp_path, zalo, rasa)) as server:
        assert deliver(server.url, payload, APP_ID, OA_SECRET).status_code == 400
    assert rasa.received == []
