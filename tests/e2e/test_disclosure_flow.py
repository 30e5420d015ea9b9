"""End to end: a disclosure through POST /api/chat to a stored report with no identifiers
inside, and not a word of what the child typed in any log or in the conversation store."""
import re
import sqlite3

from actions.store import ReportStore
from nlu.text import fold

CHILD_SAYS = "chu hang xom ten Tuan so vao cho kin cua em, so cua chu ay la 0912 345 678"
IDENTIFIERS = ["Tuan", "0912", "345 678"]


def texts(replies):
    return " ".join(r.get("text", "") for r in replies)


def test_a_disclosure_becomes_an_anonymised_report(stack):
    sender = "e2e-disclosure-flow"
    first = stack.chat(sender, CHILD_SAYS)
    assert "không phải lỗi của em" in texts(first) and "111" in texts(first)
    assert "an toàn" in texts(first) and first[-1].get("buttons")

    assert "tuổi" in texts(stack.chat(sender, "Đang an toàn"))
    assert "đồng ý" in texts(stack.chat(sender, "em 12 tuổi")).lower()
    assert "là ai" in texts(stack.chat(sender, "Đồng ý"))
    assert "ở đâu" in texts(stack.chat(sender, "chú hàng xóm"))
    assert "tỉnh" in texts(stack.chat(sender, "Bỏ qua"))
    done = texts(stack.chat(sender, "Hải Phòng"))
    assert "Mã của em là" in done and "111" in done

    store = ReportStore(stack.database_url)
    reports = list(store.export())
    assert len(reports) == 1
    report = reports[0]
    assert report["reference"] in done
    assert (report["category"], report["relation"], report["province"], report["age_band"]) == (
        "sexual_abuse", "neighbour", "Hải Phòng", "11_15")
    assert report["consent"] is True and report["setting"] is None
    for identifier in IDENTIFIERS:
        assert fold(identifier) not in fold(report["summary"])
    assert "cho kin" in fold(report["summary"])
    stored = store.find_by_reference(report["reference"])
    assert stored.reporter_pseudonym.startswith("u_") and sender not in stored.reporter_pseudonym


def test_no_message_text_in_logs_or_the_conversation_store(stack):
    sender = "e2e-privacy"
    stack.chat(sender, CHILD_SAYS)
    stack.chat(sender, "thôi")
    logs = fold(stack.logs_text())
    for words in ["cho kin", "hang xom ten", *map(fold, IDENTIFIERS)]:
        assert words not in logs
    with sqlite3.connect(stack.tracker_db) as db:
        stored = " ".join(row[0] for row in db.execute("select data from events"))
    assert not re.search(r"\b0912\b|\bTuan\b", stored)
    assert sender not in stored  # Rasa only ever saw the pseudonym


def test_xoa_deletes_reports_and_the_conversation(stack):
    sender = "e2e-delete"
    stack.chat(sender, "bố đang cầm dao đuổi em")  # imminent: escalated at once
    store = ReportStore(stack.database_url)
    before = len(list(store.export()))
    confirm = stack.chat(sender, "/xoa")
    assert any(b["payload"] == "/confirm_delete" for r in confirm for b in r.get("buttons", []))
    assert "xóa cuộc trò chuyện" in texts(stack.chat(sender, "/confirm_delete"))
    assert len(list(store.export())) == before - 1
    with sqlite3.connect(stack.tracker_db) as db:
        stored = " ".join(row[0] for row in db.execute("select data from events"))
    assert "cam dao" not in fold(stored)


def test_the_reference_code_tells_its_owner_the_status_and_nobody_else(stack):
    from actions.cases import case_texts

    owner = "e2e-status-owner"
    stack.chat(owner, "bố đang cầm dao đuổi em")  # imminent: escalated at once, with a code
    reference = list(ReportStore(stack.database_url).export())[-1]["reference"]
    assert case_texts()["status"]["received"] in texts(stack.chat(owner, f"mã của em là {reference}"))
    stranger = texts(stack.chat("e2e-status-stranger", f"mã của em là {reference}"))
    assert case_texts()["unknown_reference"] in stranger
    assert reference not in stranger
