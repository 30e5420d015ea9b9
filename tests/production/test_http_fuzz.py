"""Fuzzing every HTTP endpoint of the gateway with malformed input (hypothesis): web chat, the
Telegram and Zalo webhooks, and every other route the gateway serves (the console among them).

Whatever arrives: no 5xx, the gateway keeps answering, and input it refuses reaches nothing —
not Rasa, not a channel, not the database.
"""
import hashlib
import json
import re
import sqlite3
import time
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount, Route

from actions.reporting import intake_payload
from actions.store import NewReport, ReportStore
from bot.console.app import ACTIONS
from bot.console.auth import Users
from bot.gateway import create_app
from tests.fakes import FakeRasa, ServerThread, gateway_settings, greeting
from tests.fakes.telegram_bot_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

TELEGRAM_SECRET = "fuzz-webhook-secret"
APP_ID, APP_SECRET, OA_SECRET = "app-fuzz", "app-secret", "oa-secret"
CONSOLE_USER, CONSOLE_PASSWORD = "fuzz-supervisor", "mật-khẩu-đủ-dài-cho-fuzz"
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# -- what arrives ----------------------------------------------------------------------------
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
# mostly JSON, so that most examples get past the content type to the parsing behind it
content_types = st.just("application/json") | st.sampled_from([
    "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "", "application/json; charset=latin-1", "application/jsonx"])


def dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def bodies(shaped):
    """Something shaped like the real thing with wrong parts (most often), any JSON, or raw bytes."""
    return shaped.map(dumps) | st.one_of(st.binary(max_size=300), json_values.map(dumps))


chat_shaped = st.fixed_dictionaries({}, optional={"sender": json_values | st.text(max_size=200),
                                                  "message": json_values, "metadata": json_values})
ids = st.integers(-2**63, 2**63) | st.integers(1, 10**6)
telegram_message = st.fixed_dictionaries({"message_id": ids, "date": ids}, optional={
    "text": st.text(max_size=60) | json_values,
    "chat": st.fixed_dictionaries({"id": ids, "type": st.sampled_from(["private", "group"]) | json_values}) | json_values,
    "from": st.fixed_dictionaries({"id": ids, "is_bot": st.booleans(), "first_name": st.text(max_size=9)}) | json_values,
    "caption": json_values, "photo": json_values, "sticker": json_values, "entities": json_values,
    "edit_date": ids, "reply_markup": json_values})
telegram_shaped = st.fixed_dictionaries({"update_id": ids | json_values}, optional={
    "message": telegram_message | json_values, "edited_message": telegram_message,
    "callback_query": st.fixed_dictionaries({"id": st.text(max_size=5), "data": json_values,
                                             "from": json_values, "chat_instance": st.text(max_size=5)}) | json_values})
zalo_shaped = st.fixed_dictionaries({
    "app_id": st.just(APP_ID) | st.just("another-app") | json_values,
    "timestamp": st.just("now") | st.just("now") | json_values,
    "event_name": st.sampled_from(["user_send_text", "user_send_image", "follow", "oa_send_text"]) | json_values,
}, optional={
    "sender": st.fixed_dictionaries({"id": st.text(max_size=70) | json_values}) | json_values,
    "message": json_values | st.fixed_dictionaries({}, optional={"text": json_values, "msg_id": json_values}),
})


# -- the gateway, with every channel on, against fakes -----------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("fuzz")
    with FakeRasa(greeting) as rasa, FakeTelegram() as telegram, FakeZalo(APP_ID, APP_SECRET) as zalo:
        config = gateway_settings(
            var, rasa, database_url=f"sqlite:///{var / 'khien.db'}",
            telegram_bot_token=telegram.token, telegram_api_base_url=telegram.url,
            telegram_webhook_secret=TELEGRAM_SECRET, telegram_mode="webhook", public_url="",
            zalo_app_id=APP_ID, zalo_app_secret=APP_SECRET, zalo_oa_secret=OA_SECRET,
            zalo_access_token="access-0", zalo_refresh_token="refresh-0",
            zalo_api_base_url=zalo.url, zalo_oauth_base_url=zalo.url, console_secret="fuzz-console-secret")
        store = ReportStore(config.database_url)
        store.migrate()
        Users(store).add(CONSOLE_USER, CONSOLE_PASSWORD, "supervisor")
        reference = store.create_report(NewReport(
            channel="web", reporter_role="child", reporter_pseudonym="u_fuzz", category="bullying", risk="high",
            consent=True, consent_basis="consent", summary="[TÊN] bắt nạt em"), intake_payload).reference
        store.engine.dispose()
        app = create_app(config)
        with ServerThread(app) as server:
            server.app, server.rasa, server.telegram, server.zalo, server.db = app, rasa, telegram, zalo, var / "khien.db"
            server.reference = reference
            server.client = httpx.Client(base_url=server.url, timeout=30)
            yield server
            server.client.close()


def stored_rows(db) -> dict:
    """Row counts of every table but the audit log (a refused console login may be audited)."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as connection:
        tables = [t for (t,) in connection.execute("select name from sqlite_master where type='table'")]
        return {t: connection.execute(f'select count(*) from "{t}"').fetchone()[0]
                for t in tables if t != "audit_log"}


def outbound(site) -> int:
    """Everything that left the gateway: turns to Rasa, messages to Telegram and Zalo users."""
    return len(site.rasa.received) + len(site.telegram.calls_to("sendMessage")) + len(site.zalo.messages)


def settle(site, seconds=0.3):
    """Lets background turns (Telegram, Zalo answer after the 200) finish."""
    last, deadline = outbound(site), time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(seconds)
        now = outbound(site)
        if now == last:
            return now
        last = now
    return last


def still_serves(site):
    assert site.client.get("/healthz").status_code == 200
    reply = site.client.post("/api/chat", json={"sender": "fuzz-check", "message": "xin chào"})
    assert reply.status_code == 200 and reply.json()


# -- web chat ---------------------------------------------------------------------------------
def chat_is_malformed(body: bytes, content_type: str) -> bool:
    if "application/json" not in content_type:
        return True
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return True
    sender = data.get("sender") if isinstance(data, dict) else None
    message = data.get("message") if isinstance(data, dict) else None
    return not (isinstance(sender, str) and 0 < len(sender) <= 128) or not isinstance(message, str) or not message.strip()


def test_web_chat_refuses_malformed_input_and_stores_nothing(site):
    rows = stored_rows(site.db)

    @FUZZ
    @given(body=bodies(chat_shaped), content_type=content_types)
    def check(body, content_type):
        before = len(site.rasa.received)
        response = site.client.post("/api/chat", content=body, headers={"content-type": content_type})
        assert response.status_code < 500
        if chat_is_malformed(body, content_type):
            assert 400 <= response.status_code < 500 and len(site.rasa.received) == before
        if response.status_code >= 400:
            assert len(site.rasa.received) == before

    check()
    assert stored_rows(site.db) == rows
    still_serves(site)


# -- Telegram ---------------------------------------------------------------------------------
def test_telegram_webhook_refuses_malformed_updates_and_stores_nothing(site):
    rows, accepted, before = stored_rows(site.db), [0], settle(site)

    @FUZZ
    @given(body=bodies(telegram_shaped), content_type=content_types,
           secret=st.sampled_from([TELEGRAM_SECRET] * 4 + ["wrong", "", None]))
    def check(body, content_type, secret):
        headers = {"content-type": content_type}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        response = site.client.post("/webhooks/telegram", content=body, headers=headers)
        assert response.status_code < 500
        if secret != TELEGRAM_SECRET:
            assert response.status_code == 403
        accepted[0] += response.status_code < 400

    check()
    # a refused update reaches nothing: at most one turn (and its answer) per accepted one
    assert settle(site) - before <= 2 * accepted[0]
    assert stored_rows(site.db) == rows
    still_serves(site)


# -- Zalo -------------------------------------------------------------------------------------
def zalo_request(event):
    """The event as Zalo would send it, signed with the OA secret, "now" as a real timestamp."""
    if isinstance(event, dict) and event.get("timestamp") == "now":
        event = {**event, "timestamp": str(int(time.time() * 1000))}
    body = dumps(event)
    timestamp = str(event.get("timestamp", "")) if isinstance(event, dict) else ""
    mac = hashlib.sha256(APP_ID.encode() + body + timestamp.encode() + OA_SECRET.encode()).hexdigest()
    return body, mac


def test_zalo_webhook_refuses_malformed_events_and_stores_nothing(site):
    rows, accepted, before = stored_rows(site.db), [0], settle(site)

    @FUZZ
    @given(event=zalo_shaped | json_values, content_type=content_types, forge=st.booleans(),
           raw=st.none() | st.binary(max_size=200))
    def check(event, content_type, forge, raw):
        body, mac = zalo_request(event)
        if raw is not None:
            body = raw  # not JSON at all (or not what was signed)
        headers = {"content-type": content_type, "X-ZEvent-Signature": "mac=" + ("0" * 64 if forge else mac)}
        response = site.client.post("/webhooks/zalo", content=body, headers=headers)
        assert response.status_code < 500
        if forge and "application/json" in content_type:
            assert 400 <= response.status_code < 500
        accepted[0] += response.status_code < 400

    check()
    assert settle(site) - before <= 2 * accepted[0]
    assert stored_rows(site.db) == rows
    still_serves(site)


# -- every route, the console's among them -----------------------------------------------------
def routes(app):
    """(path template, methods) of every route, mounts (the console) included."""
    found = []

    def walk(entries, prefix=""):
        for entry in entries:
            if isinstance(entry, Mount):
                walk(entry.routes or [], prefix + entry.path)
                if not entry.routes:
                    found.append((prefix + entry.path + "/{rest}", {"GET", "POST"}))
            elif isinstance(entry, Route):
                found.append((prefix + entry.path, set(entry.methods or {"GET"})))
    walk(app.routes)
    return found


def test_every_route_answers_anything_without_a_5xx(site):
    table = routes(site.app)
    assert {"/api/chat", "/webhooks/telegram", "/webhooks/zalo", "/healthz"} <= {path for path, _ in table}
    segments = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20)

    @FUZZ
    @given(route=st.sampled_from(table), data=st.data())
    def check(route, data):
        template, methods = route
        path = re.sub(r"\{[^}]*\}", lambda _: quote(data.draw(segments), safe=""), template)
        method = data.draw(st.sampled_from(sorted(methods | {"GET", "POST", "PUT", "DELETE", "PATCH"})))
        params = data.draw(st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=3))
        body = data.draw(bodies(json_values)) if method not in ("GET", "HEAD") else b""
        response = site.client.request(method, path, params=params, content=body,
                                       headers={"content-type": data.draw(content_types)})
        assert response.status_code < 500, (method, template, response.status_code)

    check()
    still_serves(site)


# -- the console, signed in ------------------------------------------------------------------
def signed_in(site) -> tuple[httpx.Client, str]:
    """A client with a supervisor's session, and the session's CSRF token."""
    client = httpx.Client(base_url=site.url, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text).group(1)
    done = client.post("/console/login", data={"csrf": token, "username": CONSOLE_USER, "password": CONSOLE_PASSWORD})
    assert done.status_code == 303, done.status_code
    page = client.get("/console/")
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_the_console_signed_in_answers_anything_without_a_5xx(site):
    client, token = signed_in(site)
    references = st.just(site.reference) | st.text(max_size=30)
    actions = st.sampled_from(sorted(ACTIONS)) | st.text(max_size=12)
    forms = st.dictionaries(st.sampled_from(["csrf", "text", "note", "x"]) | st.text(max_size=8),
                            st.text(max_size=200), max_size=6)

    @FUZZ
    @given(reference=references, action=actions, form=forms, csrf=st.sampled_from(["real", "none", "other"]),
           page=st.sampled_from(["/console/stats", "/console/stats.csv", "/console/audit", "/console/"]),
           query=st.dictionaries(st.sampled_from(["weeks", "m", "page"]) | st.text(max_size=6), st.text(max_size=12), max_size=3))
    def check(reference, action, form, csrf, page, query):
        form = {**form, **({"csrf": token} if csrf == "real" else {"csrf": "forged"} if csrf == "other" else {})}
        quoted = quote(reference, safe="")
        for response in (
            client.get(f"/console/cases/{quoted}"),
            client.get(f"/console/cases/{quoted}/chat"),
            client.post(f"/console/cases/{quoted}/{quote(action, safe='')}", data=form),
            client.get(page, params=query),
        ):
            assert response.status_code < 500, (response.request.method, response.request.url.path, response.status_code)

    try:
        check()
    finally:
        client.close()
    still_serves(site)


def test_the_console_login_refuses_anything_without_a_5xx(site):
    client = httpx.Client(base_url=site.url, timeout=30)  # signed out, with a session cookie
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text).group(1)

    @settings(FUZZ, max_examples=60)  # each refused log-in checks a password hash: slow on purpose
    @given(csrf=st.just(token) | st.text(max_size=40), username=st.text(max_size=70),
           password=st.text(max_size=70), extra=st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=3))
    def check(csrf, username, password, extra):
        response = client.post("/console/login", data={**extra, "csrf": csrf, "username": username, "password": password})
        assert response.status_code < 500
        assert response.status_code != 303  # nobody gets in with made-up credentials

    try:
        check()
    finally:
        client.close()
    still_serves(site)
