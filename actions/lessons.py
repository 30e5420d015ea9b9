"""Lessons and quizzes for the child, parent and staff tracks (content/lessons/).

Driven by buttons whose payloads are intents with entities, never by a form: whatever a user
types still goes through NLU, so a risk message in the middle of a lesson always reaches the
disclosure rules, and "tiếp tục bài học" afterwards picks the lesson up where it paused.

    /lesson_menu{"track":"parent"}            a track's lessons: what is done, what is next
    /lesson_start{"lesson":"body_safety"}     a lesson from its first step
    /lesson_next{"step":"2"}                  the next step; after the last one, the quiz
    /quiz_answer{"question":"1","option":"3"} an answer: the button's place, counted from 1
    /lesson_continue{"band":"under_11"}       back to where the user was (with their age, when asked)

The `lesson` slot holds where the user is: {"id", "band", "at", "score"}, `at` counting the steps
and then the questions. Progress per pseudonym is kept in the report store (actions/progress.py),
best effort: a lesson never stops because the database does not answer. Every word shown comes
from content/ (khien/content.py).
"""
from __future__ import annotations

import abc
import json
import logging
import random
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from khien import content
from khien.content import Lesson, Question

logger = logging.getLogger(__name__)

CHILD_AGE_BANDS = {"under_11": "under_11", "11_15": "11_plus", "16_17": "11_plus"}
TRACK_INTENTS = {"parent_course": "parent", "staff_training": "staff"}
VIETNAM = timezone(timedelta(hours=7))


def payload(intent: str, **entities: Any) -> str:
    if not entities:
        return f"/{intent}"
    return f"/{intent}" + json.dumps({k: str(v) for k, v in entities.items()}, ensure_ascii=False,
                                     separators=(",", ":"))


def shuffled(lesson: Lesson, band: str, index: int) -> list:
    """A question's options in the order shown: mixed (authors write the right one first), and
    the same on every call, so a button's place always names the same option."""
    options = list(lesson.bands[band].quiz[index].options)
    random.Random(f"{lesson.id}:{band}:{index}").shuffle(options)
    return options


def typed_option(text: str, options: list) -> Optional[int]:
    """The place (from 1) of the option a user typed: its text, its number or its letter."""
    said = content.same_question(text)
    for place, option in enumerate(options, 1):
        if said and said == content.same_question(option.text):
            return place
    words = said.split()
    if 0 < len(words) <= 6:  # "em chọn đáp án 3"; a longer message is not an answer
        for word in reversed(words):
            if word.isdigit() and 1 <= int(word) <= len(options):
                return int(word)
            if len(word) == 1 and "a" <= word <= "abcd"[len(options) - 1]:
                return ord(word) - ord("a") + 1
    return None


def completed(progress: dict) -> set:
    return {lesson_id for lesson_id, p in progress.items() if p.completed}


def _int(value: Any) -> Optional[int]:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class Tutor:
    """One turn of the lesson machinery: reads the tracker, speaks, and returns the slot events."""

    def __init__(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        self.tracker, self.dispatcher = tracker, dispatcher
        self.state: Dict[str, Any] = dict(tracker.get_slot("lesson") or {})
        self.age_band = tracker.get_slot("age_band")
        self.events: List[EventType] = []
        self.texts = content.lesson_texts()

    # --- what the user sent -------------------------------------------------------------------
    def entity(self, name: str) -> Optional[str]:
        return next(self.tracker.get_latest_entity_values(name), None)

    def intent(self) -> Optional[str]:
        return ((self.tracker.latest_message or {}).get("intent") or {}).get("name")

    def text(self) -> str:
        return (self.tracker.latest_message or {}).get("text") or ""

    # --- who is learning ----------------------------------------------------------------------
    def band_for(self, track: str) -> Optional[str]:
        return CHILD_AGE_BANDS.get(self.age_band or "") if track == "child" else "all"

    @staticmethod
    def audience(band: str) -> str:
        return band if band in ("under_11", "11_plus") else "adult"

    def say(self, band: str, key: str, buttons: Optional[list] = None, **values: Any) -> None:
        text = self.texts["audiences"][self.audience(band)][key].format(**values)
        self.dispatcher.utter_message(text=text, buttons=buttons or [])

    def button(self, band: str, key: str, payload_: str, **values: Any) -> dict:
        return {"title": self.texts["audiences"][self.audience(band)][key].format(**values), "payload": payload_}

    def guess_track(self) -> str:
        track = self.entity("track")
        if track in content.TRACKS:
            return track
        if self.intent() in TRACK_INTENTS:
            return TRACK_INTENTS[self.intent()]
        lesson = content.lessons().get(self.state.get("id") or "")
        if lesson:
            return lesson.track
        if self.state.get("track") in content.TRACKS:
            return self.state["track"]
        return "parent" if self.tracker.get_slot("user_role") == "parent" else "child"

    def take_band_answer(self) -> None:
        band = self.entity("band")
        if band in CHILD_AGE_BANDS:
            self.age_band = band
            self.events.append(SlotSet("age_band", band))

    def ask_band(self, pending: Dict[str, str]) -> None:
        """Once: the child's age band decides which wording of a lesson they get."""
        self.state = {"pending": pending}
        ask = self.texts["ask_band"]
        self.dispatcher.utter_message(text=ask["text"], buttons=[
            {"title": title, "payload": payload("lesson_continue", band=band)} for band, title in ask["buttons"].items()
        ])

    # --- progress (best effort) -------------------------------------------------------------
    def _progress_store(self):
        from actions.progress import LessonProgressStore
        from actions.reporting import report_store

        return LessonProgressStore(report_store())

    def progress(self) -> dict:
        try:
            return self._progress_store().of(self.tracker.sender_id)
        except Exception as error:  # the lesson goes on without it
            logger.error("lesson progress unavailable: %s", type(error).__name__)
            return {}

    def record(self, method: str, *args: Any, **kwargs: Any) -> None:
        try:
            getattr(self._progress_store(), method)(self.tracker.sender_id, *args, **kwargs)
        except Exception as error:
            logger.error("lesson progress not saved (%s): %s", method, type(error).__name__)

    # --- where the user is ----------------------------------------------------------------
    def current(self) -> Optional[Lesson]:
        lesson = content.lessons().get(self.state.get("id") or "")
        if lesson and self.state.get("band") in lesson.bands and self.state.get("at", 0) < self.end(lesson):
            return lesson
        return None

    def end(self, lesson: Lesson, band: Optional[str] = None) -> int:
        body = lesson.bands[band or self.state["band"]]
        return len(body.steps) + len(body.quiz)

    def in_progress(self, track: str, progress: dict) -> Optional[Lesson]:
        """The lesson this user was last in the middle of, in this track (slot first, then store)."""
        lesson = self.current()
        if lesson and lesson.track == track:
            return lesson
        band = self.band_for(track)
        started = [(p.updated_at, p.lesson_id) for p in progress.values()
                   if p.lesson_id in content.lessons() and content.lessons()[p.lesson_id].track == track
                   and band and p.position < self.end(content.lessons()[p.lesson_id], band)]
        return content.lessons()[max(started)[1]] if started else None

    @staticmethod
    def next_unfinished(track: str, done: set, after: Optional[Lesson] = None) -> Optional[Lesson]:
        """The first lesson not done, looking after `after` first and then from the start."""
        lessons = content.track(track)
        if after is not None:
            lessons = [l for l in lessons if l.order > after.order] + [l for l in lessons if l.order < after.order]
        return next((l for l in lessons if l.id not in done), None)

    # --- what Khiên shows ---------------------------------------------------------------------
    def show(self, lesson: Lesson) -> None:
        """The step or question the user is at, with its buttons."""
        band, at = self.state["band"], self.state["at"]
        body = lesson.bands[band]
        if at < len(body.steps):
            text = body.steps[at]
            if at == 0:
                heading = self.texts["audiences"][self.audience(band)]["lesson_heading"]
                text = heading.format(order=lesson.order, total=len(content.track(lesson.track)),
                                      title=lesson.title) + "\n\n" + text
            key = "next_button" if at + 1 < len(body.steps) else "quiz_button"
            self.dispatcher.utter_message(text=text, buttons=[
                self.button(band, key, payload("lesson_next", step=at + 2))])
            return
        index = at - len(body.steps)
        question: Question = body.quiz[index]
        self.say(band, "question", number=index + 1, total=len(body.quiz), question=question.question,
                 buttons=[{"title": option.text, "payload": payload("quiz_answer", question=index + 1, option=place)}
                          for place, option in enumerate(shuffled(lesson, band, index), 1)])

    def menu(self, track: str) -> None:
        band = self.band_for(track)
        if band is None:
            self.ask_band({"menu": track})
            return
        progress = self.progress()
        lessons = content.track(track)
        going = self.in_progress(track, progress)
        done = completed(progress) & {l.id for l in lessons}
        lines = [self.texts["tracks"][track]["menu"][self.audience(band)].format(done=len(done), total=len(lessons))]
        for lesson in lessons:
            mark = "▶️" if going and lesson.id == going.id else "✅" if lesson.id in done else "▫️"
            lines.append(f"{mark} {lesson.order}. {lesson.title}")
        buttons = [self.button(band, "continue_button", payload("lesson_continue"))] if going else []
        buttons += [{"title": f"{'✅ ' if lesson.id in done else ''}{lesson.order}. {lesson.title}",
                     "payload": payload("lesson_start", lesson=lesson.id)} for lesson in lessons]
        self.dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
        if not going:
            self.state = {"track": track}

    def start(self, lesson: Lesson) -> None:
        band = self.band_for(lesson.track)
        if band is None:
            self.ask_band({"lesson": lesson.id})
            return
        self.state = {"id": lesson.id, "band": band, "at": 0, "score": 0}
        self.record("start", lesson.id, lesson.track, self.age_band if lesson.track == "child" else None)
        logger.info("lesson %s started (%s)", lesson.id, band)
        self.show(lesson)

    def resume(self, lesson: Lesson) -> None:
        band = self.state.get("band") or self.band_for(lesson.track)
        self.say(band, "resume", title=lesson.title)
        self.show(lesson)

    def next(self) -> None:
        lesson = self.current()
        if lesson is None:
            self.carry_on()
            return
        steps = len(lesson.bands[self.state["band"]].steps)
        asked = _int(self.entity("step"))
        # A button from an earlier step, or "tiếp" during the quiz: show where the user is.
        if self.state["at"] < steps and asked in (None, self.state["at"] + 2):
            self.state["at"] += 1
            self.record("save", lesson.id, self.state["at"], self.state["score"])
        self.show(lesson)

    def answer(self) -> None:
        lesson = self.current()
        if lesson is None:
            self.carry_on()
            return
        band, at = self.state["band"], self.state["at"]
        body = lesson.bands[band]
        index = at - len(body.steps)
        if index < 0:
            self.resume(lesson)
            return
        options = shuffled(lesson, band, index)
        asked = _int(self.entity("question"))
        place = _int(self.entity("option")) or typed_option(self.text(), options)
        if asked not in (None, index + 1) or place is None or not 1 <= place <= len(options):
            self.say(band, "this_question")
            self.show(lesson)
            return
        chosen = options[place - 1]
        self.dispatcher.utter_message(text=chosen.feedback)
        self.state["score"] += int(chosen.correct)
        self.state["at"] += 1
        if self.state["at"] < self.end(lesson):
            self.record("save", lesson.id, self.state["at"], self.state["score"])
            self.show(lesson)
        else:
            self.finish(lesson)

    def finish(self, lesson: Lesson) -> None:
        band, score = self.state["band"], self.state["score"]
        total = len(lesson.bands[band].quiz)
        done_before = completed(self.progress())
        done_now = done_before | {lesson.id}
        self.record("save", lesson.id, self.state["at"], score, completed=True)
        logger.info("lesson %s completed (%s)", lesson.id, band)
        track = content.track(lesson.track)
        self.say(band, "result_all_right" if score == total else "result", title=lesson.title, score=score, total=total)
        if {l.id for l in track} <= done_now and not {l.id for l in track} <= done_before:
            certificate = self.texts["tracks"][lesson.track]["certificate"][self.audience(band)]
            self.dispatcher.utter_message(text=certificate.format(
                total=len(track), date=datetime.now(VIETNAM).strftime("%d/%m/%Y")))
            logger.info("track %s completed", lesson.track)
        following = self.next_unfinished(lesson.track, done_now, after=lesson)
        buttons = [self.button(band, "next_lesson_button", payload("lesson_start", lesson=following.id))] if following else []
        buttons.append(self.button(band, "menu_button", payload("lesson_menu", track=lesson.track)))
        self.say(band, "closing", buttons=buttons)
        self.state = {"track": lesson.track}

    def carry_on(self) -> None:
        """"tiếp tục bài học": the lesson asked for before the age question, else the lesson in
        the middle, else the menu."""
        self.take_band_answer()
        pending = self.state.get("pending") or {}
        if pending.get("lesson") in content.lessons():
            self.start(content.lessons()[pending["lesson"]])
            return
        if pending.get("menu") in content.TRACKS:
            self.menu(pending["menu"])
            return
        lesson = self.current()
        if lesson:
            self.resume(lesson)
            return
        track = self.guess_track()
        band = self.band_for(track)
        if band is None:
            self.ask_band({"menu": track})
            return
        progress = self.progress()
        lesson = self.in_progress(track, progress)
        if lesson:
            saved = progress[lesson.id]
            self.state = {"id": lesson.id, "band": band, "at": saved.position, "score": saved.score}
            self.resume(lesson)
            return
        self.menu(track)

    def done(self) -> List[EventType]:
        return self.events + [SlotSet("lesson", self.state)]


class _LessonAction(Action, abc.ABC):
    """Abstract, so that the action server does not register it as an action of its own."""

    @abc.abstractmethod
    def tutor_does(self, tutor: Tutor) -> None:
        ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        tutor = Tutor(tracker, dispatcher)
        self.tutor_does(tutor)
        return tutor.done()


class ActionLessonMenu(_LessonAction):
    """"em muốn học cách tự bảo vệ", "khóa học cho phụ huynh", "tập huấn cho cán bộ", the menu button."""

    def name(self) -> Text:
        return "action_lesson_menu"

    def tutor_does(self, tutor: Tutor) -> None:
        tutor.menu(tutor.guess_track())


class ActionLessonStart(_LessonAction):
    def name(self) -> Text:
        return "action_lesson_start"

    def tutor_does(self, tutor: Tutor) -> None:
        lesson = content.lessons().get(tutor.entity("lesson") or "")
        if lesson is None:  # typed ("học bài mới"): the next lesson not yet finished
            track = tutor.guess_track()
            lesson = tutor.next_unfinished(track, completed(tutor.progress()), after=tutor.current())
            if lesson is None:
                tutor.menu(track)
                return
        tutor.start(lesson)


class ActionLessonNext(_LessonAction):
    def name(self) -> Text:
        return "action_lesson_next"

    def tutor_does(self, tutor: Tutor) -> None:
        tutor.next()


class ActionQuizAnswer(_LessonAction):
    def name(self) -> Text:
        return "action_quiz_answer"

    def tutor_does(self, tutor: Tutor) -> None:
        tutor.answer()


class ActionLessonContinue(_LessonAction):
    def name(self) -> Text:
        return "action_lesson_continue"

    def tutor_does(self, tutor: Tutor) -> None:
        tutor.carry_on()
