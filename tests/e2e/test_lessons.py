"""End to end through POST /api/chat: a lesson and its quiz with buttons, a disclosure in the
middle of a lesson that wins, and a parent's question that gets its real answer."""
from khien import content


def texts(replies):
    return " ".join(r.get("text") or "" for r in replies)


def buttons(replies):
    return [b for r in replies for b in r.get("buttons") or []]


def tap(stack, sender, replies, title):
    button = next(b for b in buttons(replies) if title in b["title"])
    return stack.chat(sender, button["payload"])


def test_a_child_goes_through_a_lesson_and_its_quiz_with_buttons(stack):
    sender = "e2e-lesson"
    lesson = content.lessons()["trusted_adults"]
    body = lesson.bands["under_11"]
    replies = stack.chat(sender, "em muốn học cách tự bảo vệ")
    assert "bao nhiêu tuổi" in texts(replies)
    replies = tap(stack, sender, replies, "Dưới 11 tuổi")
    assert "0/10" in texts(replies)
    replies = tap(stack, sender, replies, lesson.title)
    assert body.steps[0] in texts(replies)
    for step in body.steps[1:]:
        replies = stack.chat(sender, buttons(replies)[0]["payload"])
        assert texts(replies) == step
    replies = stack.chat(sender, buttons(replies)[0]["payload"])  # "Chơi đố vui"
    feedback = {o.feedback for q in body.quiz for o in q.options}
    for number, question in enumerate(body.quiz, 1):
        assert f"câu {number}/{len(body.quiz)}: {question.question}" in texts(replies)
        assert {b["title"] for b in buttons(replies)} == {o.text for o in question.options}
        replies = stack.chat(sender, buttons(replies)[0]["payload"])
        assert replies[0]["text"] in feedback
    assert f"Em đã học xong bài “{lesson.title}”" in texts(replies) and "111" in texts(replies)
    # The age given for the lesson words the answers to the child's questions too.
    cost = next(g for g in content.faq("child") if g.id == "cost_111")
    assert texts(stack.chat(sender, "gọi 111 có mất tiền không")) == cost.answer["under_11"]


def test_a_disclosure_in_the_middle_of_a_lesson_wins_and_the_lesson_waits(stack):
    sender = "e2e-lesson-disclosure"
    stack.chat(sender, "/lesson_continue{\"band\":\"11_15\"}")  # the age, as its button sends it
    replies = stack.chat(sender, '/lesson_start{"lesson":"good_bad_secrets"}')
    replies = stack.chat(sender, buttons(replies)[0]["payload"])
    paused_at = texts(replies)
    replies = stack.chat(sender, "chú hàng xóm bắt em giữ bí mật, chú sờ vào chỗ kín của em")
    assert "không phải lỗi của em" in texts(replies) and "111" in texts(replies)
    stack.chat(sender, "thôi")
    replies = stack.chat(sender, "tiếp tục bài học")
    assert "học tiếp" in texts(replies) and paused_at in texts(replies)


def test_a_parent_question_gets_a_real_answer(stack):
    carers = next(g for g in content.faq("parent") if g.id == "choosing_carers")
    assert texts(stack.chat("e2e-parent-faq", "gửi con cho người khác trông cần lưu ý gì")) == carers.answer["all"]
    replies = stack.chat("e2e-parent-course", "khóa học cho phụ huynh")
    assert "Khóa học cho phụ huynh" in texts(replies) and len(buttons(replies)) == 5
