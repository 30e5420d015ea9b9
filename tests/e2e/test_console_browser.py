"""End to end in a real browser: Debian's headless Chromium, driven by Playwright's library,
against the counsellors' console served on 127.0.0.1 and mounted at /console as the gateway
mounts it, on a phone-sized screen."""
from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from starlette.applications import Starlette
from starlette.routing import Mount

from actions.cases import Cases
from actions.reporting import intake_payload
from actions.store import NewReport, ReportStore
from bot.console import create_console
from bot.console.auth import Users
from khien.settings import Settings
from tests.fakes import ServerThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "mật-khẩu-đủ-dài"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def console(tmp_path):
    store = ReportStore(f"sqlite:///{tmp_path / 'reports.db'}")
    store.migrate()
    Users(store).add("lan", PASSWORD, "counsellor")
    settings = Settings(var_dir=tmp_path, pseudonym_secret="k", reply_key=Fernet.generate_key().decode(),
                        console_secret="browser-test-secret")
    with ServerThread(Starlette(routes=[Mount("/console", app=create_console(settings, store))])) as server:
        yield server.url, store


def new_case(store):
    return store.create_report(NewReport(
        channel="zalo", reporter_role="child", reporter_pseudonym="u_child", category="physical_violence",
        risk="imminent", consent=True, consent_basis="consent", summary="[TÊN] đánh em, em sợ về nhà",
        age_band="11_15", province="Đà Nẵng", reply_address="sealed"), intake_payload)


def test_a_counsellor_logs_in_sees_a_new_case_claims_it_chats_and_closes_it(browser, console):
    from playwright.sync_api import expect

    url, store = console
    cases = Cases(store)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{url}/console/")
    expect(page).to_have_url(f"{url}/console/login")
    page.fill("#username", "lan")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    expect(page.locator("h1")).to_have_text("Ca đang mở (0)")

    case = new_case(store)  # while the queue is open: it refreshes itself
    link = page.locator(f"a[href='/console/cases/{case.reference}']")
    expect(link).to_be_visible(timeout=20_000)
    expect(link).to_contain_text("NGUY HIỂM NGAY")
    clock = link.locator("[data-waiting]")
    clock.evaluate("el => { el.dataset.waiting = '3600'; }")
    expect(clock).to_have_text("60", timeout=3_000)  # the clock runs in the page

    link.click()
    expect(page.locator("h1")).to_contain_text(case.reference)
    page.click("button:has-text('Nhận ca')")
    expect(page.locator(".notice")).to_have_text("Đã nhận ca.")
    assert cases.get(case.reference).claimed_by == "lan"

    page.click("button:has-text('Bắt đầu trò chuyện')")
    expect(page.locator(".notice")).to_contain_text("Đã bắt đầu trò chuyện")
    page.fill("#text", "Chị là Lan. Em đang ở đâu?")
    page.click("button:has-text('Gửi')")
    expect(page.locator("#chat")).to_contain_text("Chị là Lan. Em đang ở đâu?")
    cases.record_from_child(case.id, "em đang ở nhà bà")  # the child answers; the page shows it unasked
    expect(page.locator("#chat")).to_contain_text("em đang ở nhà bà", timeout=10_000)

    page.click("button:has-text('Đóng ca')")
    expect(page.locator("#status")).to_contain_text("đã đóng")
    stored = cases.get(case.reference)
    assert stored.status == "closed" and not stored.handoff_active
    assert [e.kind for e in stored.events] == ["received", "claimed", "handoff_started", "message_to_child",
                                               "closed"]
    assert [(m.direction, m.author) for m in stored.messages] == [
        ("to_child", "system"), ("to_child", "lan"), ("from_child", "child"), ("to_child", "system")]
    actions = {e.action for e in cases.audit_log() if e.actor == "lan"}
    assert {"login", "view_queue", "view_case", "claimed", "closed"} <= actions
    page.goto(f"{url}/console/")
    expect(page.locator("h1")).to_have_text("Ca đang mở (0)")
