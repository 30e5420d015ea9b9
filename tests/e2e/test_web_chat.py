"""End to end: the real Rasa server, action server and gateway on 127.0.0.1."""


def texts(replies):
    return " ".join(r.get("text", "") for r in replies)


def test_hello_gets_a_vietnamese_greeting_and_a_question(stack):
    replies = stack.chat("e2e-hello", "xin chào")
    assert "Khiên" in texts(replies)
    assert any(r.get("buttons") for r in replies)


def test_what_is_111(stack):
    assert "miễn phí" in texts(stack.chat("e2e-111", "111 là gì"))
    assert "111" in texts(stack.chat("e2e-111b", "111 la gi"))


def test_a_disclosure_without_tone_marks_is_never_answered_cheerfully(stack):
    reply = texts(stack.chat("e2e-disclosure", "chu hang xom so vao cho kin cua em"))
    assert "111" in reply and "không phải lỗi của em" in reply
