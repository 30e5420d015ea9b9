"""The counsellors' Telegram chat: cards sent by the dispatcher, buttons that act on the case,
and a live chat between a counsellor there and a child on Telegram. The real python-telegram-bot
against the fake Bot API server; the gateway on a loopback port; a fake Rasa."""
import asyncio
import json

import httpx
import pytest
from sqlalchemy import select
from telegram import Bot

from actions.cases import Cases, case_texts
from actions.reporting import intake_payload
from actions.store import NewReport, OutboxRow, ReportStore
from bot.counsellor_chat import CounsellorChat
from bot.dispatcher import Dispatcher
from khien.privacy import pseudonym, seal_address
from tests.fakes import FakeRasa, gateway, gateway_settings, wait_for
from tests.fakes.telegram_bot_api import FakeTelegram, callback_update, reply_update, text_update

SECRET = "test-webhook-secret"
COUNSELLORS = -1001234
COUNSELLOR = 555
CHILD = 4242


@pytest.fixture
def telegram():
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def settings(tmp_path, telegram):
    with FakeRasa(lambda message: [{"text": "bot answer"}]) as rasa:
        yield gateway_settings(tmp_path, rasa, telegram_bot_token=telegram.token,
                               telegram_api_base_url=telegram.url, telegram_webhook_secret=SECRET,
                               telegram_mode="webhook", public_url="", counsellor_chat_id=str(COUNSELLORS),
                               dispatcher_enabled=False)


def child_case(settings, store, risk="high"):
    return store.create_report(NewReport(
        channel="telegram", reporter_role="child", reporter_pseudonym=pseudonym("k", "telegram", str(CHILD)),
        category="physical_violence", risk=risk, consent=True, consent_basis="consent",
        summary="bố [TÊN] đánh em", age_band="11_15", province="Hải Phòng",
        reply_address=seal_address(settings.reply_key, "telegram", str(CHILD))), intake_payload)


def post(server, update):
    return httpx.post(f"{server.url}/webhooks/telegram", json=update, timeout=10,
                      headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})


def deliver_cards(settings, store, telegram):
    api = settings.telegram_api_base_url
    bot = Bot(settings.telegram_bot_token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot")
    dispatcher = Dispatcher(store, {"counsellors": CounsellorChat(bot, COUNSELLORS)})

    async def once():
        async with bot:
            return await dispatcher.run_once()
    return asyncio.run(once())


def test_the_dispatcher_posts_a_card_with_the_case_buttons(settings, telegram):
    with gateway(settings):
        store = ReportStore(settings.database_url)
        case = child_case(settings, store)
        assert deliver_cards(settings, store, telegram) == 1
    card = telegram.sent(COUNSELLORS)[0]
    assert case.reference in card["text"] and "Hải Phòng" in card["text"] and "[TÊN]" in card["text"]
    buttons = [b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == [f"case:{a}:{case.reference}" for a in ("claim", "chat", "refer", "close")]
    with store.session() as session:
        assert session.execute(select(OutboxRow.target_ref).where(OutboxRow.target == "counsellors")).scalar_one()


def test_buttons_act_on_the_case_only_from_the_counsellors_chat(settings, telegram):
    with gateway(settings) as server:
        store = ReportStore(settings.database_url)
        case = child_case(settings, store)
        assert post(server, callback_update(1, CHILD, f"case:close:{case.reference}")).status_code == 200
        wait_for(lambda: telegram.calls_to("answerCallbackQuery"), what="the refusal")
        assert Cases(store).get(case.reference).status == "received"

        post(server, callback_update(2, COUNSELLORS, f"case:claim:{case.reference}", user_id=COUNSELLOR))
        edited = wait_for(lambda: telegram.calls_to("editMessageText"), what="the card edited")
    assert Cases(store).get(case.reference).status == "claimed"
    assert "đã nhận" in edited[0]["text"]


def test_a_live_chat_between_a_counsellor_on_telegram_and_a_child_on_telegram(settings, telegram):
    with gateway(settings) as server:
        store = ReportStore(settings.database_url)
        case = child_case(settings, store)
        post(server, callback_update(1, COUNSELLORS, f"case:chat:{case.reference}", user_id=COUNSELLOR))
        wait_for(lambda: case_texts()["counsellor_joined"] in telegram.texts(CHILD), what="the child told")

        post(server, reply_update(2, COUNSELLORS, COUNSELLOR, "Chị nghe em đây, em có an toàn không?",
                                  replied_text=f"Ca {case.reference} · ..."))
        wait_for(lambda: "Chị nghe em đây, em có an toàn không?" in telegram.texts(CHILD), what="the reply")

        post(server, text_update(3, CHILD, "em trốn sang nhà bà rồi, số bà là 0912 345 678"))
        relayed = wait_for(lambda: [t for t in telegram.texts(COUNSELLORS) if t.startswith("💬")], what="relay")
        assert case.reference in relayed[0] and "0912" not in relayed[0]
        assert "bot answer" not in telegram.texts(CHILD)  # the bot stayed quiet

        post(server, callback_update(4, COUNSELLORS, f"case:end_chat:{case.reference}", user_id=COUNSELLOR))
        wait_for(lambda: case_texts()["counsellor_left"] in telegram.texts(CHILD), what="the child told again")
        post(server, text_update(5, CHILD, "cảm ơn chị"))
        wait_for(lambda: "bot answer" in telegram.texts(CHILD), what="the bot back")
