"""content/: the rules of content/README.md, and the FAQ generated from it for Rasa.

The machinery side (every lesson reachable from its menu, every answer leading somewhere, every
message within Zalo's and Telegram's limits) is in tests/actions/test_lessons.py.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from khien import content

REPO = Path(__file__).resolve().parent.parent
# The children's lessons, by the id of the file that teaches each.
CHILD_TOPICS = {"body_safety", "trusted_adults", "contact_circles", "no_go_tell", "good_bad_secrets",
                "safe_unsafe_touch", "online_safety", "image_threats", "bullying", "calling_111"}
STAFF_TOPICS = {"staff_receiving_disclosure", "staff_child_friendly_interview_basics",
                "staff_confidentiality_and_data", "staff_reporting_steps"}


def test_content_follows_its_rules():
    assert content.problems() == []


def test_the_tracks_hold_the_lessons_the_plan_asks_for():
    assert {l.id for l in content.track("child")} >= CHILD_TOPICS
    assert len(content.track("parent")) == 5
    assert {l.id for l in content.track("staff")} >= STAFF_TOPICS
    for lesson in content.lessons().values():
        for body in lesson.bands.values():
            assert all(sum(o.correct for o in q.options) == 1 for q in body.quiz), lesson.id


def test_111_and_that_it_is_free_wherever_risk_is_discussed():
    for lesson in content.lessons().values():
        for band, body in lesson.bands.items():
            steps = " ".join(body.steps)
            assert "111" in steps and "miễn phí" in steps.lower(), (lesson.id, band)
    for name in content.FAQ_TRACKS:
        for group in content.faq(name):
            for band, answer in group.answer.items():
                assert "111" in answer and "miễn phí" in answer.lower(), (name, group.id, band)


def test_no_faq_example_is_a_disclosure():
    """“em bị …”, “con tôi bị …” belong to the disclosure flow, never to an FAQ group."""
    first_person = re.compile(r"^(em|mình|tôi|tớ|tui|con tôi|con mình|con em|con) (bị|đang bị)\b")
    for name in content.FAQ_TRACKS:
        for group in content.faq(name):
            assert not [e for e in group.examples if first_person.match(e)], group.id


def test_every_fact_number_is_one_facts_md_gives():
    facts = (REPO.parent / "shared" / "FACTS.md")
    if not facts.exists():
        pytest.skip("../shared/FACTS.md is not next to this checkout")
    text = facts.read_text(encoding="utf-8")
    for number in content.HOTLINES:
        assert f"**{number}**" in text or f"{number}**" in text
    for document in content.LEGAL_DOCUMENTS:
        assert document in text


@pytest.fixture
def broken(tmp_path):
    """A copy of content/ to break."""
    root = tmp_path / "content"
    shutil.copytree(content.CONTENT, root)
    return root


def edit(path: Path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_checker_finds_what_an_editor_can_break(broken):
    def two_right(d):
        d["bands"]["under_11"]["quiz"][0]["options"][1]["correct"] = True

    def too_long(d):
        d["bands"]["11_plus"]["steps"][0] = "Rất dài. " * 80

    def unknown_number(d):
        d["bands"]["11_plus"]["steps"][1] += " Gọi 112 nhé, hoặc 0912 345 678."

    def bad_law(d):
        d["bands"]["11_plus"]["steps"][2] += " Theo Nghị định 99/2024/NĐ-CP."

    def no_111(d):
        d["bands"]["under_11"]["steps"] = [s.replace("111", "tổng đài") for s in d["bands"]["under_11"]["steps"]]

    for change in (two_right, too_long, unknown_number, bad_law, no_111):
        edit(broken / "lessons" / "body_safety.yml", change)
    edit(broken / "lessons" / "trusted_adults.yml", lambda d: d.update(order=3))  # contact_circles is 3
    edit(broken / "faq" / "parent.yml",
         lambda d: d["groups"][0]["examples"].append("vung rieng tu la gi"))  # a child example
    found = "\n".join(content.problems(broken))
    for expected in ("exactly one option must be correct", "more than 600", "112 is not a number",
                     "phone number", "99/2024/NĐ-CP", "under_11: no step gives 111", "the child track's orders",
                     "also in child/private_parts"):
        assert expected in found, expected


def test_the_faq_is_generated_for_rasa_from_the_content(tmp_path):
    written = content.build(repo=tmp_path)
    assert sorted(p.relative_to(tmp_path) for p in written) == sorted([content.GENERATED_DOMAIN, content.GENERATED_NLU])
    assert content.build(repo=tmp_path) == []  # unchanged: not written again
    domain = yaml.safe_load((tmp_path / content.GENERATED_DOMAIN).read_text(encoding="utf-8"))
    nlu = yaml.safe_load((tmp_path / content.GENERATED_NLU).read_text(encoding="utf-8"))["nlu"]
    examples = {item["intent"]: [e[2:] for e in item["examples"].splitlines()] for item in nlu}
    for name in content.FAQ_TRACKS:
        for group in content.faq(name):
            key = f"faq_{name}/{group.id}"
            assert examples[key] == list(group.examples)
            variations = domain["responses"][f"utter_{key}"]
            if name == "child":
                assert variations[0]["text"] == group.answer["under_11"]
                assert variations[0]["condition"] == [{"type": "slot", "name": "age_band", "value": "under_11"}]
                assert variations[1] == {"text": group.answer["11_plus"]}
            else:
                assert variations == [{"text": group.answer["all"]}]


def test_faq_answers_are_kept_once_and_the_generated_files_are_not_committed():
    static = "".join(p.read_text(encoding="utf-8") for p in (REPO / "domain").glob("*.yml"))
    for name in content.FAQ_TRACKS:
        for group in content.faq(name):
            assert not any(answer[:60] in static for answer in group.answer.values()), group.id
    ignored = subprocess.run(["git", "check-ignore", str(content.GENERATED_DOMAIN), str(content.GENERATED_NLU)],
                             cwd=REPO, capture_output=True, text=True)
    assert ignored.stdout.split() == [str(content.GENERATED_DOMAIN), str(content.GENERATED_NLU)]


def test_invalid_content_is_never_built(broken, tmp_path):
    edit(broken / "faq" / "child.yml", lambda d: d["groups"][0]["answer"].pop("under_11"))
    with pytest.raises(ValueError, match="private_parts.answer"):
        content.build(repo=tmp_path / "repo", root=broken)
    assert not (tmp_path / "repo" / content.GENERATED_DOMAIN).exists()
