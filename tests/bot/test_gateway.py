"""The web chat endpoint: bad input gets a clear 4xx, Rasa down still gives 111."""
import httpx
import pytest
from starlette.testclient import TestClient

from bot.gateway import create_app
from bot.rasa_client import RasaClient
from khien.settings import Settings


class RecordingRasa(RasaClient):
    """A RasaClient whose transport answers like Rasa's REST channel, recording what it got."""

    def __init__(self, status: int = 200):
        self.received = []

        def handler(request: httpx.Request) -> httpx.Response:
            import json
            self.received.append(json.loads(request.content))
            if status != 200:
                return httpx.Response(status)
            return httpx.Response(200, json=[{"text": "Chào bạn!"}])

        self._client = httpx.AsyncClient(base_url="http://rasa", transport=httpx.MockTransport(handler))


@pytest.fixture
def settings(tmp_path):
    from cryptography.fernet import Fernet

    return Settings(var_dir=tmp_path, pseudonym_secret="k", max_message_chars=50,
                    reply_key=Fernet.generate_key().decode())


def client(settings, rasa):
    return TestClient(create_app(settings, rasa))


def test_chat_forwards_a_pseudonym_never_the_raw_sender(settings):
    rasa = RecordingRasa()
    with client(settings, rasa) as c:
        response = c.post("/api/chat", json={"sender": "web-123", "message": "xin chào"})
    assert response.status_code == 200
    assert response.json() == [{"text": "Chào bạn!"}]
    assert rasa.received[0]["sender"].startswith("u_")
    assert "web-123" not in str(rasa.received)


@pytest.mark.parametrize("body,content_type", [
    (b"{not json", "application/json"),
    (b"\xff\xfe\x00bad", "application/json"),
    (b'{"sender": "a", "message": "hi"}', "text/plain"),
    (b'["a list"]', "application/json"),
    (b'{"sender": "a", "message": ""}', "application/json"),
    (b'{"sender": "a", "message": "   \\u0000 "}', "application/json"),
    (b'{"sender": "a", "message": 42}', "application/json"),
    (b'{"message": "hi"}', "application/json"),
])
def test_bad_input_is_a_clear_400(settings, body, content_type):
    rasa = RecordingRasa()
    with client(settings, rasa) as c:
        response = c.post("/api/chat", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.json()["error"]
    assert rasa.received == []


def test_a_long_message_is_cut_with_a_note(settings):
    rasa = RecordingRasa()
    with client(settings, rasa) as c:
        response = c.post("/api/chat", json={"sender": "a", "message": "x" * 500})
    assert response.status_code == 200
    assert len(rasa.received[0]["message"]) == 50
    assert "dài quá" in response.json()[0]["text"]


def test_rasa_down_still_gives_111(settings):
    with client(settings, RecordingRasa(status=500)) as c:
        response = c.post("/api/chat", json={"sender": "a", "message": "cứu em"})
    assert response.status_code == 503
    assert "111" in response.json()[0]["text"]


def test_the_chat_page_is_served(settings):
    with client(settings, RecordingRasa()) as c:
        page = c.get("/")
    assert page.status_code == 200
    assert "/api/chat" in page.text and 'name="viewport"' in page.text


def test_the_reply_address_travels_sealed(settings):
    from khien.privacy import open_address

    rasa = RecordingRasa()
    with client(settings, rasa) as c:
        c.post("/api/chat", json={"sender": "web-123", "message": "xin chào"})
    sealed = rasa.received[0]["metadata"]["reply_to"]
    assert "web-123" not in sealed
    assert open_address(settings.reply_key, sealed) == ("web", "web-123")


@pytest.mark.parametrize("command,intent", [("/xoa", "/delete_my_data"), ("/start", "/greet"),
                                            ("/dung", "/stop_flow"), ("/help@KhienBot", "/help_menu")])
def test_chat_commands_become_intents(settings, command, intent):
    rasa = RecordingRasa()
    with client(settings, rasa) as c:
        c.post("/api/chat", json={"sender": "a", "message": command})
    assert rasa.received[0]["message"] == intent


def test_a_counsellors_message_reaches_the_web_chat_once(settings):
    from actions.cases import Cases
    from actions.reporting import intake_payload
    from actions.store import NewReport, ReportStore
    from khien.privacy import pseudonym, seal_address

    with client(settings, RecordingRasa()) as c:
        store = ReportStore(settings.database_url)
        report = store.create_report(NewReport(
            channel="web", reporter_role="child", reporter_pseudonym=pseudonym("k", "web", "web-9"),
            category="bullying", risk="medium", consent=True, consent_basis="consent", summary="...",
            reply_address=seal_address(settings.reply_key, "web", "web-9")), intake_payload)
        Cases(store).start_handoff(report.reference, "lan")
        Cases(store).send_to_child(report.reference, "lan", "Chị Lan đây, em kể đi.")
        first = c.get("/api/chat/updates", params={"sender": "web-9"}).json()
        assert [m["text"] for m in first][-1] == "Chị Lan đây, em kể đi."
        assert c.get("/api/chat/updates", params={"sender": "web-9"}).json() == []
        assert c.get("/api/chat/updates", params={"sender": "someone-else"}).json() == []
        # while the counsellor is there, the child's words go to them, not to the bot
        rasa_calls = len(c.app.state.rasa.received)
        assert c.post("/api/chat", json={"sender": "web-9", "message": "em bị bắt nạt"}).json() == []
        assert len(c.app.state.rasa.received) == rasa_calls
