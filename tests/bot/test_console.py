"""The counsellors' web console, mounted at /console as the gateway mounts it, against a real
report store: log-in, sessions, CSRF, roles, case changes through POSTs, the audit log and the
aggregate-only CSV."""
from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import datetime

import itsdangerous
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import update
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from actions.cases import Cases
from actions.reporting import intake_payload
from actions.store import ConsoleUser, NewReport, ReportStore
from bot.console import create_console
from bot.console.auth import Users, hash_password, verify_password
from bot.console.stats import CSV_HEADER, percentile, week_of
from khien import cli
from khien.settings import Settings

PASSWORD = "mật-khẩu-đủ-dài"
SESSION_MINUTES = 30


def console_settings(tmp_path) -> Settings:
    return Settings(var_dir=tmp_path, pseudonym_secret="k", reply_key=Fernet.generate_key().decode(),
                    console_secret="test-console-secret", console_session_minutes=SESSION_MINUTES)


def make_store(url: str) -> ReportStore:
    store = ReportStore(url)
    store.migrate()
    users = Users(store)
    users.add("lan", PASSWORD, "counsellor")
    users.add("minh", PASSWORD, "counsellor")
    users.add("hoa", PASSWORD, "supervisor")
    return store


def new_case(store, risk="high", category="sexual_abuse", province="Hà Nội", age_band="11_15",
             summary="[TÊN] nói chú ấy đánh em", reply_address="SEALED-REPLY-ADDRESS"):
    return store.create_report(NewReport(
        channel="telegram", reporter_role="child", reporter_pseudonym="u_PSEUDONYM_OF_CHILD", category=category,
        risk=risk, consent=True, consent_basis="consent", summary=summary, age_band=age_band, province=province,
        reply_address=reply_address), intake_payload)


def console_client(settings, store) -> TestClient:
    return TestClient(Starlette(routes=[Mount("/console", app=create_console(settings, store))]))


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    """A migrated SQLite store with the three users, made once: hashing passwords takes time."""
    path = tmp_path_factory.mktemp("console") / "seed.db"
    make_store(f"sqlite:///{path}").engine.dispose()
    return path


@pytest.fixture
def store(seeded_db, tmp_path):
    shutil.copy(seeded_db, tmp_path / "reports.db")
    return ReportStore(f"sqlite:///{tmp_path / 'reports.db'}")


@pytest.fixture
def settings(tmp_path):
    return console_settings(tmp_path)


@pytest.fixture
def client(settings, store):
    with console_client(settings, store) as client:
        yield client


def token(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def login(client, username="lan", password=PASSWORD):
    return client.post("/console/login", data={"csrf": token(client.get("/console/login")),
                                               "username": username, "password": password},
                       follow_redirects=False)


def post(client, reference, action, **fields):
    csrf = token(client.get(f"/console/cases/{reference}"))
    return client.post(f"/console/cases/{reference}/{action}", data={"csrf": csrf, **fields}, follow_redirects=False)


def audited(store, action):
    return [(e.actor, e.target) for e in Cases(store).audit_log() if e.action == action]


def test_every_page_needs_a_log_in(client, store):
    case = new_case(store)
    for path in ("/console/", f"/console/cases/{case.reference}", f"/console/cases/{case.reference}/chat",
                 "/console/stats", "/console/stats.csv", "/console/audit"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/console/login", path
    response = client.post(f"/console/cases/{case.reference}/claim", data={"csrf": "x"}, follow_redirects=False)
    assert response.status_code == 303
    assert Cases(store).get(case.reference).status == "received"


def test_log_in_sets_a_strict_http_only_cookie_and_safe_headers(client):
    response = login(client)
    assert response.status_code == 303 and response.headers["location"] == "/console/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    page = client.get("/console/")
    assert page.status_code == 200 and "Ca đang mở" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_wrong_password_is_refused_audited_without_what_was_typed_and_throttled(client, store):
    response = login(client, password="sai-mật-khẩu-rồi")
    assert response.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert client.get("/console/", follow_redirects=False).status_code == 303
    login(client, username="a-password-typed-as-a-name")
    assert audited(store, "login_failed") == [("?", None), ("lan", None)]
    assert "a-password-typed-as-a-name" not in str([(e.actor, e.target, e.detail) for e in Cases(store).audit_log()])
    for _ in range(4):
        login(client, password="sai-mật-khẩu-rồi")
    assert login(client).status_code == 429  # the right password too, until the window passes
    assert login(client, username="minh").status_code == 303  # others are not locked out


def test_a_session_expires(client, monkeypatch):
    login(client)
    assert client.get("/console/", follow_redirects=False).status_code == 200
    real = itsdangerous.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp",
                        lambda self: real(self) + SESSION_MINUTES * 60 + 1)
    response = client.get("/console/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console/login"


def test_a_deactivated_user_is_out_at_once(client, store):
    login(client)
    with store.session() as session, session.begin():
        session.execute(update(ConsoleUser).where(ConsoleUser.username == "lan").values(active=False))
    response = client.get("/console/", follow_redirects=True)
    assert response.url.path == "/console/login" and 'name="password"' in response.text


def test_a_tampered_cookie_is_no_session(client):
    login(client)
    value = client.cookies.get("khien_console")
    client.cookies.clear()
    client.cookies.set("khien_console", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"))
    assert client.get("/console/", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("khien_console", value)
    assert client.get("/console/", follow_redirects=False).status_code == 200


def test_posts_without_the_csrf_token_are_refused(client, store):
    case = new_case(store)
    assert client.post("/console/login", data={"username": "lan", "password": PASSWORD},
                       follow_redirects=False).status_code == 403
    login(client)
    for data in ({}, {"csrf": "forged"}):
        response = client.post(f"/console/cases/{case.reference}/claim", data=data, follow_redirects=False)
        assert response.status_code == 403
    assert client.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    assert Cases(store).get(case.reference).status == "received"


def test_a_counsellor_cannot_read_the_audit_log_nor_export(client, store):
    login(client, "lan")
    assert client.get("/console/audit").status_code == 403
    assert client.get("/console/stats.csv").status_code == 403
    stats = client.get("/console/stats")
    assert stats.status_code == 200 and "<svg" in stats.text and "stats.csv" not in stats.text
    client.post("/console/logout", data={"csrf": token(stats)})
    login(client, "hoa")
    audit = client.get("/console/audit")
    assert audit.status_code == 200 and "view_stats" in audit.text and "login" in audit.text


def test_the_queue_puts_the_most_urgent_first_with_waiting_clocks(client, store):
    high = new_case(store, "high")
    imminent = new_case(store, "imminent")
    login(client)
    page = client.get("/console/").text
    assert page.index(imminent.reference) < page.index(high.reference)
    assert len(re.findall(r'data-waiting="\d+"', page)) == 2
    assert 'http-equiv="refresh"' in page
    client.get("/console/?auto=1")
    assert audited(store, "view_queue") == [("lan", None)]  # its own refreshes are not views


def test_the_case_page_is_escaped_and_never_shows_the_reply_address_or_the_pseudonym(client, store):
    case = new_case(store, summary="<script>alert(1)</script> em sợ")
    login(client)
    page = client.get(f"/console/cases/{case.reference}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; em sợ" in page and "<script>alert" not in page
    assert "SEALED-REPLY-ADDRESS" not in page and "PSEUDONYM" not in page
    assert "Xâm hại tình dục" in page and "11–15" in page and "Nhận báo cáo" in page
    assert audited(store, "view_case") == [("lan", case.reference)]
    assert client.get("/console/cases/AAA-AAA-AAA").status_code == 404


def test_claim_refer_close_through_posts_update_the_case_and_the_audit_log(client, store):
    case = new_case(store)
    login(client)
    response = post(client, case.reference, "claim")
    assert response.status_code == 303 and response.headers["location"] == f"/console/cases/{case.reference}?m=claimed"
    assert "Đã nhận ca." in client.get(response.headers["location"]).text
    assert Cases(store).get(case.reference).claimed_by == "lan"
    post(client, case.reference, "refer")
    assert Cases(store).get(case.reference).status == "referred"
    post(client, case.reference, "close")
    stored = Cases(store).get(case.reference)
    assert stored.status == "closed" and stored.closed_at is not None
    assert [e.kind for e in stored.events] == ["received", "claimed", "referred", "closed"]
    for action in ("claimed", "referred", "closed"):
        assert audited(store, action) == [("lan", case.reference)]
    assert case.reference not in client.get("/console/").text


def test_a_case_claimed_by_one_counsellor_is_not_changed_by_another_but_by_a_supervisor(settings, store):
    case = new_case(store)
    Cases(store).claim(case.reference, "lan")
    with console_client(settings, store) as minh:
        login(minh, "minh")
        assert post(minh, case.reference, "claim").headers["location"].endswith("?m=taken")
        assert post(minh, case.reference, "close").headers["location"].endswith("?m=not_yours")
    assert Cases(store).get(case.reference).status == "claimed"
    with console_client(settings, store) as hoa:
        login(hoa, "hoa")
        assert post(hoa, case.reference, "close").headers["location"].endswith("?m=closed")
    assert Cases(store).get(case.reference).status == "closed"


def test_live_chat_from_the_case_page(client, store):
    case = new_case(store)
    login(client)
    assert post(client, case.reference, "send", text="chào em").headers["location"].endswith("?m=no_chat")
    post(client, case.reference, "start_chat")
    assert Cases(store).get(case.reference).handoff_active
    post(client, case.reference, "send", text="Chị là <b>Lan</b>, chị nghe em đây.")
    Cases(store).record_from_child(case.id, "em đang ở nhà một mình")
    chat = client.get(f"/console/cases/{case.reference}/chat").text
    assert "Chị là &lt;b&gt;Lan&lt;/b&gt;, chị nghe em đây." in chat and "em đang ở nhà một mình" in chat
    assert "đang chờ gửi" in chat  # the channel has not sent it yet
    post(client, case.reference, "end_chat")
    stored = Cases(store).get(case.reference)
    assert not stored.handoff_active
    assert [m.direction for m in stored.messages] == ["to_child", "to_child", "from_child", "to_child"]
    assert audited(store, "message_to_child") == [("lan", case.reference)]


def test_the_csv_holds_aggregates_only(client, store):
    cases = [new_case(store, "high", "sexual_abuse", "Hà Nội"), new_case(store, "imminent", "self_harm", "Huế"),
             new_case(store, "high", "sexual_abuse", None, age_band=None)]
    Cases(store).claim(cases[0].reference, "lan")
    login(client, "hoa")
    response = client.get("/console/stats.csv?weeks=4")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_HEADER and all(len(row) == 4 for row in rows)
    found = {(d, g): v for _, d, g, v in rows[1:]}
    assert found[("category", "sexual_abuse")] == "2" and found[("category", "self_harm")] == "1"
    assert found[("risk", "high")] == "2" and found[("province", "unknown")] == "1"
    assert found[("age_band", "11_15")] == "2" and found[("status", "claimed")] == "1"
    assert found[("claim_minutes", "claimed")] == "1"
    for case in cases:
        assert case.reference not in response.text
    assert "SEALED" not in response.text and "PSEUDONYM" not in response.text and "đánh em" not in response.text
    assert audited(store, "export_csv") == [("hoa", None)]


def test_statistics_helpers():
    assert percentile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 0.9) == 9 and percentile([], 0.9) is None
    # Sunday 20:00 UTC is already Monday in Viet Nam
    assert week_of(datetime(2025, 1, 5, 20, 0)).isoformat() == "2025-01-06"
    assert week_of(datetime(2025, 1, 5, 10, 0)).isoformat() == "2024-12-30"


def test_password_hashes_are_salted_scrypt():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$32768$8$1$") and first != second
    assert verify_password(PASSWORD, first) and not verify_password("khác", first)
    assert not verify_password(PASSWORD, "plain") and not verify_password(PASSWORD, "md5$x$y$z$00$00")


def test_add_user_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KHIEN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("KHIEN_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("KHIEN_CONSOLE_PASSWORD", PASSWORD)
    assert cli.main(["console", "add-user", "thu", "--role", "supervisor"]) == 0
    assert cli.main(["console", "add-user", "thu", "--role", "counsellor"]) == 1  # exists already
    monkeypatch.setenv("KHIEN_CONSOLE_PASSWORD", "short")
    assert cli.main(["console", "add-user", "an", "--role", "counsellor"]) == 1
    store = ReportStore(f"sqlite:///{tmp_path / 'cli.db'}")
    assert Users(store).authenticate("thu", PASSWORD).role == "supervisor"
    assert Users(store).active("an") is None
    assert "at least 12 characters" in capsys.readouterr().err


def test_on_postgresql(postgres_url, tmp_path):
    store = make_store(postgres_url)
    case = new_case(store)
    try:
        with console_client(console_settings(tmp_path), store) as client:
            assert login(client).status_code == 303
            post(client, case.reference, "claim")
            post(client, case.reference, "close")
            with console_client(console_settings(tmp_path), store) as supervisor:
                login(supervisor, "hoa")
                assert supervisor.get("/console/audit").status_code == 200
                assert supervisor.get("/console/stats.csv").text.count("\n") > 1
        assert Cases(store).get(case.reference).status == "closed"
        assert audited(store, "claimed") == [("lan", case.reference)]
    finally:
        store.engine.dispose()
