"""Khiên's content (content/): lessons, quizzes, FAQ answers and the words around lessons.

Child-protection experts edit the YAML files (content/README.md says how); code only reads them:

    lessons(), track(name), faq(track), lesson_texts()   the files, parsed
    problems()   what breaks the rules of content/README.md; [] when nothing does (`khien content check`)
    build()      the FAQ as Rasa training data and responses, written to domain/generated/ and
                 nlu/data/generated/ (gitignored; `khien content build`, run by `make train`,
                 `make validate` and the test model fixture)

The FAQ is one retrieval intent per file (faq_child, faq_parent) with one response key per group;
the child answers vary by the `age_band` slot (under_11, else the 11_plus wording).
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from khien.settings import REPO_ROOT
from nlu.text import fold

CONTENT = REPO_ROOT / "content"
GENERATED_DOMAIN = Path("domain/generated/faq.yml")
GENERATED_NLU = Path("nlu/data/generated/faq.yml")

TRACKS = ("child", "parent", "staff")
BANDS = {"child": ("under_11", "11_plus"), "parent": ("all",), "staff": ("all",)}
FAQ_TRACKS = {"child": ("under_11", "11_plus"), "parent": ("all",)}
MIN_FAQ_GROUPS = {"child": 40, "parent": 50}
AUDIENCES = ("under_11", "11_plus", "adult")

MAX_CHARS = 600  # the content rule; channels allow more (Zalo 2000, Telegram 4096)
MAX_OPTION_CHARS = 40  # an option is a button
MAX_LESSON_ID = 38  # /lesson_start{"lesson":"<id>"} within Telegram's 64 bytes of button data
STEPS = (4, 8)
EXAMPLES = (6, 10)
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\U0001F000-\U0001F2FF]")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
# Numbers a text may give: the hotlines of FACTS.md. Legal documents: those FACTS.md names.
HOTLINE_LIKE = re.compile(r"(?<![\d/.,])1\d\d(?![\d/.,%])")
HOTLINES = {"111", "113", "114", "115"}
PHONE_LIKE = re.compile(r"(?<!\d)0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}(?!\d)|(?<!\d)1[89]00[ .]?\d{3,4}(?!\d)")
LEGAL_DOCUMENT = re.compile(r"\b\d+/\d{4}/[A-ZĐ][A-ZĐa-zđ0-9-]*")
LEGAL_DOCUMENTS = {"102/2016/QH13", "06/2019/NQ-HĐTP", "13/2023/NĐ-CP", "1863/QĐ-TTg"}


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    question: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Band:
    steps: tuple[str, ...]
    quiz: tuple[Question, ...]


@dataclass(frozen=True)
class Lesson:
    id: str
    track: str
    order: int
    title: str
    summary: str
    source: str
    bands: dict[str, Band]


@dataclass(frozen=True)
class FaqGroup:
    id: str
    source: str
    examples: tuple[str, ...]
    answer: dict[str, str]


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _lesson(data: dict) -> Lesson:
    bands = {
        name: Band(
            steps=tuple(body["steps"]),
            quiz=tuple(Question(q["question"], tuple(Option(o["text"], o["correct"], o["feedback"])
                                                     for o in q["options"])) for q in body["quiz"]),
        )
        for name, body in data["bands"].items()
    }
    return Lesson(data["id"], data["track"], data["order"], data["title"], data["summary"],
                  data["source"], bands)


def lessons(root: Path = CONTENT) -> dict[str, Lesson]:
    """Every lesson by id (the files are read once per process)."""
    return _lessons(root)


@lru_cache(maxsize=None)
def _lessons(root: Path) -> dict[str, Lesson]:
    return {lesson.id: lesson for lesson in (_lesson(_read(p)) for p in sorted((root / "lessons").glob("*.yml")))}


def track(name: str, root: Path = CONTENT) -> list[Lesson]:
    """The lessons of one track, in their order."""
    return sorted((l for l in lessons(root).values() if l.track == name), key=lambda l: l.order)


def faq(name: str, root: Path = CONTENT) -> list[FaqGroup]:
    data = _read(root / "faq" / f"{name}.yml")
    return [FaqGroup(g["id"], g["source"], tuple(g["examples"]), dict(g["answer"])) for g in data["groups"]]


def lesson_texts(root: Path = CONTENT) -> dict:
    return _lesson_texts(root)


@lru_cache(maxsize=None)
def _lesson_texts(root: Path) -> dict:
    return _read(root / "lesson_texts.yml")


def same_question(text: str) -> str:
    """No case, tone marks or punctuation: two examples equal in this form are the same question."""
    return " ".join(re.sub(r"[^a-z0-9/ ]", " ", fold(text)).split())


# ---------------------------------------------------------------------------------------------
# The rules of content/README.md


class _Problems(list):
    def message(self, where: str, text: Any, limit: int = MAX_CHARS) -> None:
        if not isinstance(text, str) or not text.strip():
            self.append(f"{where}: empty or not a text")
            return
        if len(text) > limit:
            self.append(f"{where}: {len(text)} characters, more than {limit}")
        if unicodedata.normalize("NFC", text) != text:
            self.append(f"{where}: not NFC (save the file as UTF-8 NFC)")
        for number in HOTLINE_LIKE.findall(text):
            if number not in HOTLINES:
                self.append(f"{where}: {number} is not a number FACTS.md gives (111, 113, 114, 115)")
        for number in PHONE_LIKE.findall(text):
            self.append(f"{where}: phone number {number!r}: local lines are configuration, not content")
        for document in LEGAL_DOCUMENT.findall(text):
            if document not in LEGAL_DOCUMENTS:
                self.append(f"{where}: {document} is not a legal document FACTS.md names")

    def keys(self, where: str, data: Any, wanted: set[str]) -> bool:
        if not isinstance(data, dict) or set(data) != wanted:
            found = sorted(data) if isinstance(data, dict) else type(data).__name__
            self.append(f"{where}: keys {found}, expected {sorted(wanted)}")
            return False
        return True


def _lesson_problems(path: Path, data: Any, found: _Problems) -> None:
    f = f"lessons/{path.name}"
    if not found.keys(f, data, {"id", "track", "order", "title", "summary", "source", "bands"}):
        return
    if data["id"] != path.stem or not SNAKE.match(str(data["id"])):
        found.append(f"{f}: id {data['id']!r} must be snake_case and equal the file name")
    if len(str(data["id"])) > MAX_LESSON_ID:
        found.append(f"{f}: id longer than {MAX_LESSON_ID} characters (a button carries it)")
    if data["track"] not in TRACKS:
        found.append(f"{f}: track {data['track']!r} is not one of {TRACKS}")
        return
    if not isinstance(data["order"], int) or isinstance(data["order"], bool):
        found.append(f"{f}: order must be a whole number")
    for key in ("title", "summary"):
        found.message(f"{f}: {key}", data[key])
    if not isinstance(data["source"], str) or not data["source"].strip():
        found.append(f"{f}: source missing")
    if not found.keys(f"{f}: bands", data["bands"], set(BANDS[data["track"]])):
        return
    for band, body in data["bands"].items():
        where = f"{f}: {band}"
        if not found.keys(where, body, {"steps", "quiz"}):
            continue
        steps = body["steps"] or []
        if not STEPS[0] <= len(steps) <= STEPS[1]:
            found.append(f"{where}: {len(steps)} steps, expected {STEPS[0]}–{STEPS[1]}")
        for i, step in enumerate(steps):
            found.message(f"{where}.steps[{i}]", step)
            if len(EMOJI.findall(step or "")) > 1:
                found.append(f"{where}.steps[{i}]: more than one emoji")
        if not any("111" in (s or "") for s in steps):
            found.append(f"{where}: no step gives 111")
        quiz = body["quiz"] or []
        if len(quiz) < 3:
            found.append(f"{where}: {len(quiz)} quiz questions, expected 3 or more")
        for i, question in enumerate(quiz):
            _question_problems(f"{where}.quiz[{i}]", question, found)
    if data["track"] == "child" and all(isinstance(b, dict) for b in data["bands"].values()):
        if data["bands"]["under_11"].get("steps") == data["bands"]["11_plus"].get("steps"):
            found.append(f"{f}: the two bands are copies; write each for its age")


def _question_problems(where: str, question: Any, found: _Problems) -> None:
    if not found.keys(where, question, {"question", "options"}):
        return
    found.message(f"{where}.question", question["question"])
    options = question["options"] or []
    if not 2 <= len(options) <= 4:
        found.append(f"{where}: {len(options)} options, expected 2–4")
    if sum(1 for o in options if isinstance(o, dict) and o.get("correct") is True) != 1:
        found.append(f"{where}: exactly one option must be correct")
    texts = [o.get("text") for o in options if isinstance(o, dict)]
    if len(set(texts)) != len(texts):
        found.append(f"{where}: two options have the same text")
    for j, option in enumerate(options):
        if not found.keys(f"{where}.options[{j}]", option, {"text", "correct", "feedback"}):
            continue
        if not isinstance(option["correct"], bool):
            found.append(f"{where}.options[{j}]: correct must be true or false")
        found.message(f"{where}.options[{j}].text", option["text"], MAX_OPTION_CHARS)
        found.message(f"{where}.options[{j}].feedback", option["feedback"])


def _faq_problems(name: str, data: Any, found: _Problems, seen: dict[str, str]) -> None:
    f = f"faq/{name}.yml"
    if not found.keys(f, data, {"track", "groups"}):
        return
    if data["track"] != name:
        found.append(f"{f}: track must be {name!r}")
    groups = data["groups"] or []
    if len(groups) < MIN_FAQ_GROUPS[name]:
        found.append(f"{f}: {len(groups)} groups, expected at least {MIN_FAQ_GROUPS[name]}")
    ids: set[str] = set()
    for group in groups:
        gid = group.get("id") if isinstance(group, dict) else None
        where = f"{f}: {gid}"
        if not found.keys(where, group, {"id", "source", "examples", "answer"}):
            continue
        if not SNAKE.match(str(gid)) or gid in ids:
            found.append(f"{where}: id must be snake_case and unique in the file")
        ids.add(gid)
        if not isinstance(group["source"], str) or not group["source"].strip():
            found.append(f"{where}: source missing")
        examples = group["examples"] or []
        if not EXAMPLES[0] <= len(examples) <= EXAMPLES[1]:
            found.append(f"{where}: {len(examples)} examples, expected {EXAMPLES[0]}–{EXAMPLES[1]}")
        for example in examples:
            if not isinstance(example, str) or not example.strip() or "\n" in example:
                found.append(f"{where}: example {example!r} must be one line of text")
                continue
            if re.search(r"[\[\]{}]", example) or example.startswith("/"):
                found.append(f"{where}: example {example!r}: no brackets and no leading '/' (Rasa reads them)")
            key = f"{name}/{gid}"
            other = seen.setdefault(same_question(example), key)
            if other != key:
                found.append(f"{where}: example {example!r} is, without tone marks, also in {other}")
        if len(set(map(str, examples))) != len(examples):
            found.append(f"{where}: an example is there twice")
        if not found.keys(f"{where}.answer", group["answer"], set(FAQ_TRACKS[name])):
            continue
        for band, answer in group["answer"].items():
            found.message(f"{where}.answer.{band}", answer)
            if "111" not in (answer or ""):
                found.append(f"{where}.answer.{band}: gives no 111")
        if name == "child" and group["answer"]["under_11"] == group["answer"]["11_plus"]:
            found.append(f"{where}: the two answers are copies; write each for its age")


def _texts_problems(data: Any, found: _Problems) -> None:
    f = "lesson_texts.yml"
    if not found.keys(f, data, {"ask_band", "audiences", "tracks"}):
        return
    found.message(f"{f}: ask_band.text", (data["ask_band"] or {}).get("text"))
    buttons = (data["ask_band"] or {}).get("buttons") or {}
    if set(buttons) != {"under_11", "11_15", "16_17"}:
        found.append(f"{f}: ask_band.buttons must be under_11, 11_15 and 16_17")
    for key, title in buttons.items():
        found.message(f"{f}: ask_band.buttons.{key}", title, MAX_OPTION_CHARS)
    audiences = data["audiences"] or {}
    if set(audiences) != set(AUDIENCES):
        found.append(f"{f}: audiences must be {AUDIENCES}")
    keys = {frozenset(texts) for texts in audiences.values() if isinstance(texts, dict)}
    if len(keys) > 1:
        found.append(f"{f}: every audience needs the same keys")
    for audience, texts in audiences.items():
        for key, text in (texts or {}).items():
            limit = MAX_OPTION_CHARS if key.endswith("_button") else MAX_CHARS
            found.message(f"{f}: audiences.{audience}.{key}", text, limit)
        if "111" not in str((texts or {}).get("closing")):
            found.append(f"{f}: audiences.{audience}.closing gives no 111")
    if set(data["tracks"] or {}) != set(TRACKS):
        found.append(f"{f}: tracks must be {TRACKS}")
    for name, texts in (data["tracks"] or {}).items():
        wanted = {"child": {"under_11", "11_plus"}}.get(name, {"adult"})
        for key in ("title", "menu", "certificate"):
            value = (texts or {}).get(key)
            if key == "title":
                found.message(f"{f}: tracks.{name}.title", value, MAX_OPTION_CHARS)
                continue
            if not isinstance(value, dict) or set(value) != wanted:
                found.append(f"{f}: tracks.{name}.{key} needs {sorted(wanted)}")
                continue
            for audience, text in value.items():
                found.message(f"{f}: tracks.{name}.{key}.{audience}", text)
                if key == "certificate" and "111" not in text:
                    found.append(f"{f}: tracks.{name}.certificate.{audience} gives no 111")


def problems(root: Path = CONTENT) -> list[str]:
    """Everything in content/ that breaks its rules, one line each; [] when all is well."""
    found = _Problems()
    orders: dict[str, list[int]] = {name: [] for name in TRACKS}
    for path in sorted((root / "lessons").glob("*.yml")):
        try:
            data = _read(path)
        except yaml.YAMLError as error:
            found.append(f"lessons/{path.name}: not valid YAML: {error}")
            continue
        _lesson_problems(path, data, found)
        if isinstance(data, dict) and data.get("track") in orders:
            orders[data["track"]].append(data.get("order"))
    for name, numbers in orders.items():  # every lesson has its place in its track's menu
        if sorted(map(str, numbers)) != sorted(map(str, range(1, len(numbers) + 1))):
            found.append(f"lessons: the {name} track's orders are {numbers}, expected 1–{len(numbers)} once each")
    seen: dict[str, str] = {}
    for name in FAQ_TRACKS:
        try:
            _faq_problems(name, _read(root / "faq" / f"{name}.yml"), found, seen)
        except (OSError, yaml.YAMLError) as error:
            found.append(f"faq/{name}.yml: {error}")
    try:
        _texts_problems(_read(root / "lesson_texts.yml"), found)
    except (OSError, yaml.YAMLError) as error:
        found.append(f"lesson_texts.yml: {error}")
    return list(found)


# ---------------------------------------------------------------------------------------------
# The FAQ as Rasa data

HEADER = ("# Generated by `khien content build` from content/faq/*.yml. Do not edit: edit the content\n"
          "# files (content/README.md) and run `make train`.\n")


def retrieval_intent(name: str) -> str:
    return f"faq_{name}"


def _domain(root: Path) -> str:
    responses: dict[str, list] = {}
    for name in FAQ_TRACKS:
        for group in faq(name, root):
            key = f"utter_{retrieval_intent(name)}/{group.id}"
            if name == "child":
                responses[key] = [
                    {"condition": [{"type": "slot", "name": "age_band", "value": "under_11"}],
                     "text": group.answer["under_11"]},
                    {"text": group.answer["11_plus"]},  # 11 and over, and an age not given
                ]
            else:
                responses[key] = [{"text": group.answer["all"]}]
    # Rasa also adds retrieval intents from the NLU data, and warns that they are "duplicated"
    # when the domain lists them; the rules need them listed, so the harmless warning stays.
    domain = {"version": "3.1", "intents": [retrieval_intent(n) for n in FAQ_TRACKS], "responses": responses}
    return HEADER + yaml.safe_dump(domain, allow_unicode=True, sort_keys=False, width=10_000)


def _nlu(root: Path) -> str:
    lines = [HEADER.rstrip("\n"), 'version: "3.1"', "nlu:"]
    for name in FAQ_TRACKS:
        for group in faq(name, root):
            lines.append(f"- intent: {retrieval_intent(name)}/{group.id}")
            lines.append("  examples: |")
            lines.extend(f"    - {example.strip()}" for example in group.examples)
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str) -> bool:
    """Atomic, and untouched when equal, so `make` does not retrain for nothing."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as tmp:
        tmp.write(text)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, path)
    return True


def build(repo: Path = REPO_ROOT, root: Path = CONTENT) -> list[Path]:
    """Writes the FAQ's domain and NLU files; returns those that changed. Invalid content fails."""
    found = problems(root)
    if found:
        raise ValueError("content/ breaks its rules:\n  " + "\n  ".join(found))
    outputs = {repo / GENERATED_DOMAIN: _domain(root), repo / GENERATED_NLU: _nlu(root)}
    return [path for path, text in outputs.items() if _write_if_changed(path, text)]

