"""The lesson machinery on real trackers, with a real report store for progress (SQLite).

A `Learner` plays a user: it sends button payloads (or typed text with the intent NLU would give),
runs the action the rules map that intent to, and keeps the slots the actions set.
"""
import asyncio
import json

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import lessons as lessons_module
from actions.lessons import (
    ActionLessonContinue, ActionLessonMenu, ActionLessonNext, ActionLessonStart, ActionQuizAnswer, shuffled,
    typed_option,
)
from actions.privacy import ActionDeleteMyData
from actions.progress import LessonProgressStore, lesson_stats
from actions.store import ReportStore
from khien import content
from tests.actions.conftest import make_tracker, user_event

ZALO_LIMIT = 2000  # Telegram allows 4096
TELEGRAM_BUTTON_BYTES = 64
RULES = {"lesson_menu": ActionLessonMenu, "parent_course": ActionLessonMenu, "staff_training": ActionLessonMenu,
         "lesson_start": ActionLessonStart, "lesson_next": ActionLessonNext, "quiz_answer": ActionQuizAnswer,
         "lesson_continue": ActionLessonContinue}
TEXTS = content.lesson_texts()


class Learner:
    def __init__(self, sender="u_learner", **slots):
        self.sender = sender
        self.slots = {"lesson": None, "age_band": None, **slots}
        self.replies = []
        self.seen = []  # every message, for the length checks

    def says(self, text, intent=None):
        entities = []
        if text.startswith("/"):  # what Rasa's RegexMessageHandler makes of a button payload
            intent, _, data = text[1:].partition("{")
            entities = [{"entity": k, "value": v} for k, v in (json.loads("{" + data) if data else {}).items()]
        message = user_event(text, intent=intent)
        message["parse_data"]["entities"] = entities
        dispatcher = CollectingDispatcher()
        tracker = make_tracker([message], dict(self.slots), sender=self.sender)
        events = asyncio.run(RULES[intent]().run(dispatcher, tracker, {}))
        self.slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        self.replies = dispatcher.messages
        self.seen += self.replies
        return self.replies

    @property
    def text(self):
        return "\n".join(m.get("text") or "" for m in self.replies)

    @property
    def buttons(self):
        return [b for m in self.replies for b in m.get("buttons") or []]

    def tap(self, title):
        matches = [b for b in self.buttons if title in b["title"]]
        assert matches, f"no button {title!r} in {[b['title'] for b in self.buttons]}"
        return self.says(matches[0]["payload"])

    def tap_answer(self, correct=True):
        """The right (or a wrong) option of the question on screen."""
        lesson = content.lessons()[self.slots["lesson"]["id"]]
        band, at = self.slots["lesson"]["band"], self.slots["lesson"]["at"]
        index = at - len(lesson.bands[band].steps)
        options = shuffled(lesson, band, index)
        place = next(i for i, o in enumerate(options, 1) if o.correct == correct)
        return self.says(json_payload("quiz_answer", question=index + 1, option=place)), options[place - 1]

    def through_steps(self, lesson):
        band = self.slots["lesson"]["band"]
        for _ in range(len(lesson.bands[band].steps) - 1):
            self.tap(TEXTS["audiences"][audience(band)]["next_button"])
        self.tap(TEXTS["audiences"][audience(band)]["quiz_button"])

    def finish(self, lesson_id, correct=True):
        lesson = content.lessons()[lesson_id]
        self.says(json_payload("lesson_start", lesson=lesson_id))
        self.through_steps(lesson)
        while self.slots["lesson"].get("id") == lesson_id:
            self.tap_answer(correct)


def fits(message):
    """Within Zalo's text limit (Telegram's is larger) and Telegram's button data limit."""
    return len(message.get("text") or "") <= ZALO_LIMIT and all(
        len(b["payload"].encode()) <= TELEGRAM_BUTTON_BYTES for b in message.get("buttons") or [])


def json_payload(intent, **entities):
    return f"/{intent}" + json.dumps({k: str(v) for k, v in entities.items()}, separators=(",", ":"))


def audience(band):
    return band if band in ("under_11", "11_plus") else "adult"


@pytest.fixture(autouse=True)
def store(report_db):
    return report_db


def test_the_age_is_asked_once_then_the_child_lessons_are_listed():
    child = Learner()
    child.says("em muốn học cách tự bảo vệ", intent="lesson_menu")
    assert child.text == TEXTS["ask_band"]["text"]
    assert [b["title"] for b in child.buttons] == list(TEXTS["ask_band"]["buttons"].values())
    child.tap("Dưới 11 tuổi")
    assert child.slots["age_band"] == "under_11"
    assert "Em đã học xong 0/10 bài" in child.text
    assert len([b for b in child.buttons if b["payload"].startswith("/lesson_start")]) == 10
    child.says("chơi đố vui", intent="lesson_menu")
    assert "Em đã học xong 0/10 bài" in child.text  # not asked again


def test_an_age_given_in_the_disclosure_flow_is_used():
    teen = Learner(age_band="16_17")
    teen.says("/lesson_menu")
    assert "Bạn đã học xong 0/10 bài" in teen.text


def test_a_lesson_from_start_to_finish_with_a_right_and_a_wrong_answer(store):
    child = Learner(age_band="under_11")
    lesson = content.lessons()["body_safety"]
    body = lesson.bands["under_11"]
    child.says('/lesson_start{"lesson":"body_safety"}')
    assert child.text.startswith("📘 Bài 1/10: Vùng riêng tư của em") and body.steps[0] in child.text
    assert [b["title"] for b in child.buttons] == ["Tiếp nhé ▶"]
    child.tap("Tiếp nhé")
    assert child.text == body.steps[1]
    for step in body.steps[2:]:
        child.tap("Tiếp nhé")
        assert child.text == step
    assert [b["title"] for b in child.buttons] == ["Chơi đố vui ▶"]
    child.tap("Chơi đố vui")
    assert child.text == f"Đố vui – câu 1/{len(body.quiz)}: {body.quiz[0].question}"
    assert sorted(b["title"] for b in child.buttons) == sorted(o.text for o in body.quiz[0].options)
    _, chosen = child.tap_answer(correct=True)
    assert child.replies[0]["text"] == chosen.feedback and "câu 2/" in child.replies[1]["text"]
    _, chosen = child.tap_answer(correct=False)
    assert child.replies[0]["text"] == chosen.feedback
    while child.slots["lesson"].get("id"):
        child.tap_answer(correct=True)
    assert f"Em trả lời đúng {len(body.quiz) - 1}/{len(body.quiz)} câu" in child.text
    assert "111" in child.text
    assert any(b["payload"] == '/lesson_start{"lesson":"trusted_adults"}' for b in child.buttons)
    assert any(b["payload"] == '/lesson_menu{"track":"child"}' for b in child.buttons)
    progress = LessonProgressStore(store).of("u_learner")["body_safety"]
    assert progress.completed and progress.score == len(body.quiz) - 1


@pytest.mark.parametrize("lesson_id,band", [(l.id, b) for l in content.lessons().values() for b in l.bands])
def test_every_answer_of_every_question_leads_somewhere(lesson_id, band):
    """Each option gives its feedback, then the next question or the end; every message fits."""
    lesson = content.lessons()[lesson_id]
    body = lesson.bands[band]
    age = {"under_11": "under_11", "11_plus": "11_15"}.get(band)
    learner = Learner(sender=f"u_{lesson_id}_{band}", age_band=age)
    learner.says(json_payload("lesson_start", lesson=lesson_id))
    learner.through_steps(lesson)
    for index, question in enumerate(body.quiz):
        at_question = dict(learner.slots["lesson"])
        options = shuffled(lesson, band, index)
        assert {o.text for o in options} == {o.text for o in question.options}
        for place, option in enumerate(options, 1):
            learner.slots["lesson"] = dict(at_question)
            learner.says(json_payload("quiz_answer", question=index + 1, option=place))
            assert learner.replies[0]["text"] == option.feedback
            if index + 1 < len(body.quiz):
                assert learner.slots["lesson"]["at"] == at_question["at"] + 1
                assert f"câu {index + 2}/{len(body.quiz)}" in learner.replies[1]["text"]
            else:
                assert learner.slots["lesson"] == {"track": lesson.track}
                assert "111" in learner.text and learner.buttons
    assert all(fits(m) for m in learner.seen)


def test_every_lesson_is_reachable_from_its_menu():
    for track, age in (("child", "11_15"), ("parent", None), ("staff", None)):
        learner = Learner(sender=f"u_menu_{track}", age_band=age)
        learner.says(json_payload("lesson_menu", track=track))
        started = {json.loads(b["payload"].split("lesson_start", 1)[1])["lesson"]
                   for b in learner.buttons if b["payload"].startswith("/lesson_start")}
        assert started == {l.id for l in content.track(track)}
        assert all(fits(m) for m in learner.replies)


def test_old_buttons_and_typed_text_never_skip_anything():
    child = Learner(age_band="11_15")
    child.says('/lesson_start{"lesson":"online_safety"}')
    first_next = child.buttons[0]["payload"]
    child.says(first_next)
    assert child.slots["lesson"]["at"] == 1
    child.says(first_next)  # tapped twice: stays on the step it shows
    assert child.slots["lesson"]["at"] == 1
    child.says("tiếp", intent="lesson_next")
    assert child.slots["lesson"]["at"] == 2
    steps = len(content.lessons()["online_safety"].bands["11_plus"].steps)
    child.slots["lesson"]["at"] = steps  # at the first question
    child.says("tiếp", intent="lesson_next")
    assert child.slots["lesson"]["at"] == steps and "câu 1/" in child.text
    child.says('/quiz_answer{"question":"3","option":"1"}')  # a button of another question
    assert child.slots["lesson"]["at"] == steps and "câu 1/" in child.text
    child.says("em không biết", intent="quiz_answer")
    assert child.replies[0]["text"] == TEXTS["audiences"]["11_plus"]["this_question"]


def test_a_typed_answer_counts_by_its_number_letter_or_text():
    options = shuffled(content.lessons()["body_safety"], "under_11", 0)
    assert typed_option("2", options) == 2
    assert typed_option("em chọn đáp án 3", options) == 3
    assert typed_option("câu b", options) == 2
    assert typed_option(options[2].text.lower(), options) == 3
    assert typed_option("em không biết nữa", options) is None
    assert typed_option("9", options) is None


def test_after_a_disclosure_the_lesson_continues_where_it_paused():
    child = Learner(age_band="under_11")
    child.says('/lesson_start{"lesson":"good_bad_secrets"}')
    child.tap("Tiếp nhé")
    paused = dict(child.slots["lesson"])
    # ... the disclosure flow runs here; it leaves the lesson slot alone ...
    child.says("tiếp tục bài học", intent="lesson_continue")
    lesson = content.lessons()["good_bad_secrets"]
    body = lesson.bands["under_11"]
    assert child.replies[0]["text"] == TEXTS["audiences"]["under_11"]["resume"].format(title=lesson.title)
    assert child.replies[1]["text"] == body.steps[paused["at"]]
    assert child.slots["lesson"] == paused


def test_another_day_the_child_continues_from_the_stored_progress():
    child = Learner(sender="u_returning", age_band="11_15")
    child.says('/lesson_start{"lesson":"bullying"}')
    child.tap("Tiếp")
    child.tap("Tiếp")
    later = Learner(sender="u_returning", age_band="11_15")  # the lesson slot is gone
    later.says("/lesson_menu")
    assert "▶️ 9. " in later.text and later.buttons[0]["payload"] == "/lesson_continue"
    later.tap("Học tiếp")
    assert later.slots["lesson"] == {"id": "bullying", "band": "11_plus", "at": 2, "score": 0}
    assert later.replies[1]["text"] == content.lessons()["bullying"].bands["11_plus"].steps[2]


def test_nothing_to_continue_shows_the_menu():
    child = Learner(sender="u_new", age_band="under_11")
    child.says("học tiếp", intent="lesson_continue")
    assert "Em đã học xong 0/10 bài" in child.text


def test_a_lesson_asked_for_before_the_age_starts_after_it():
    child = Learner(sender="u_young")
    child.says('/lesson_start{"lesson":"no_go_tell"}')
    assert child.text == TEXTS["ask_band"]["text"]
    child.tap("11 đến 15")
    assert child.slots["lesson"]["id"] == "no_go_tell" and child.slots["lesson"]["band"] == "11_plus"


def test_all_child_lessons_done_earn_a_certificate_once():
    child = Learner(sender="u_graduate", age_band="under_11")
    track = content.track("child")
    for lesson in track[:-1]:
        child.finish(lesson.id)
        assert "GIẤY KHEN" not in child.text
    child.finish(track[-1].id)
    assert "GIẤY KHEN CỦA KHIÊN" in child.text and "10 bài" in child.text and "111" in child.text
    assert not any(b["payload"].startswith("/lesson_start") for b in child.buttons)  # nothing left
    child.finish(track[0].id)  # learning one again: no second certificate
    assert "GIẤY KHEN" not in child.text
    child.says("/lesson_menu")
    assert "Em đã học xong 10/10 bài" in child.text


def test_parents_and_staff_have_their_own_tracks_without_an_age_question():
    parent = Learner(sender="u_parent")
    parent.says("khóa học cho phụ huynh", intent="parent_course")
    assert "Khóa học cho phụ huynh" in parent.text and "0/5" in parent.text
    parent.tap("1. ")
    assert parent.slots["lesson"]["band"] == "all" and parent.slots["age_band"] is None
    staff = Learner(sender="u_staff")
    staff.says("tập huấn cho cán bộ", intent="staff_training")
    assert "Tập huấn cho cán bộ" in staff.text and "0/4" in staff.text
    role_parent = Learner(sender="u_parent2", user_role="parent")
    role_parent.says("/lesson_menu")  # the menu button, tapped by a parent
    assert "Khóa học cho phụ huynh" in role_parent.text
    staff.finish("staff_reporting_steps")
    assert staff.buttons[0]["payload"] == '/lesson_start{"lesson":"staff_receiving_disclosure"}'


def test_a_typed_request_for_a_new_lesson_starts_the_next_unfinished_one():
    child = Learner(sender="u_typed", age_band="under_11")
    child.finish("body_safety")
    child.says("học bài mới", intent="lesson_start")
    assert child.slots["lesson"]["id"] == "trusted_adults"


def test_a_lesson_goes_on_when_the_database_does_not_answer(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(lessons_module.Tutor, "_progress_store", broken)
    child = Learner(sender="u_offline", age_band="under_11")
    child.finish("calling_111")
    assert "Em đã học xong bài" in child.text


def test_xoa_deletes_lesson_progress(store):
    child = Learner(sender="u_forget", age_band="under_11")
    child.finish("body_safety")
    assert LessonProgressStore(store).of("u_forget")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user_event("/confirm_delete", intent="confirm_delete")], sender="u_forget")
    asyncio.run(ActionDeleteMyData().run(dispatcher, tracker, {}))
    assert LessonProgressStore(store).of("u_forget") == {}


def test_statistics_are_counts_per_week_track_and_age_band(store):
    for sender, age in (("u_a", "under_11"), ("u_b", "under_11"), ("u_c", "16_17")):
        Learner(sender=sender, age_band=age).finish("body_safety")
    Learner(sender="u_d", age_band="under_11").says('/lesson_start{"lesson":"bullying"}')
    Learner(sender="u_e").says('/lesson_start{"lesson":"parent_signs"}')
    stats = lesson_stats(store)
    assert {(s["track"], s["age_band"], s["started"], s["completed"]) for s in stats} == {
        ("child", "under_11", 3, 2), ("child", "16_17", 1, 1), ("parent", "all", 1, 0)}
    assert all(set(s) == {"week", "track", "age_band", "started", "completed"} for s in stats)


def test_progress_store_on_sqlite_and_postgresql(store_url):
    reports = ReportStore(store_url)
    reports.migrate()
    progress = LessonProgressStore(reports)
    progress.start("u_x", "body_safety", "child", "under_11")
    progress.save("u_x", "body_safety", 3, 1)
    progress.save("u_x", "body_safety", 12, 4, completed=True)
    progress.start("u_x", "body_safety", "child", "under_11")  # again: first start and completion kept
    saved = progress.of("u_x")["body_safety"]
    assert (saved.position, saved.score, saved.completed) == (0, 0, True)
    assert lesson_stats(reports)[0]["completed"] == 1
    assert progress.delete_user("u_x") == 1 and progress.of("u_x") == {}
    reports.engine.dispose()
