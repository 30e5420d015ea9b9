"""tests/eval/separation.py: a new blind set's collisions are found by id, however the line is typed."""
import json

import yaml

from tests.eval.replay import main
from tests.eval.separation import colliding_ids


def write_jsonl(path, texts, prefix):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"id": f"{prefix}{i}", "text": t}, ensure_ascii=False) + "\n"
                            for i, t in enumerate(texts, 1)), "utf-8")


def small_repo(tmp_path):
    (tmp_path / "nlu" / "data").mkdir(parents=True)
    (tmp_path / "nlu" / "data" / "nlu.yml").write_text(
        'nlu:\n- intent: disclose_bullying\n  examples: |\n    - các bạn trong lớp [tẩy chay](kind) em\n', "utf-8")
    (tmp_path / "content" / "faq").mkdir(parents=True)
    write_jsonl(tmp_path / "tests" / "eval" / "triage_eval.jsonl", ["bố em đánh em bằng roi"], "e")
    (tmp_path / "tests" / "eval" / "release_gate.yml").write_text(
        yaml.safe_dump({"must_escalate": [{"text": "cứu em với ạ"}], "must_not_escalate": ["nóng muốn chết"]},
                       allow_unicode=True), "utf-8")
    write_jsonl(tmp_path / "nlu" / "dev" / "triage_dev.jsonl", ["mẹ kế không cho em ăn cơm"], "d")
    return tmp_path


def test_a_line_another_set_or_the_training_data_holds_is_found_however_it_is_typed(tmp_path):
    repo = small_repo(tmp_path)
    new_set = tmp_path / "new" / "triage_dev99.jsonl"
    write_jsonl(new_set, [
        "Các bạn trong lớp tẩy chay em!",   # the training example, without its entity markup
        "bo em danh em bang roi",            # the evaluation set, typed without marks
        "CỨU EM VỚI Ạ",                      # the release gate
        "mẹ kế không cho em ăn cơm.",        # another development set
        "cứu em",                            # two words: a formula, never counted
        "thầy giáo bắt em ở lại một mình",   # new
        "thay giao bat em o lai mot minh",   # the new set's own line, twice
    ], "v99_")
    assert colliding_ids(new_set, repo) == ["v99_1", "v99_2", "v99_3", "v99_4", "v99_7"]


def test_the_command_prints_ids_only_and_fails_on_a_collision(tmp_path, capsys):
    new_set = tmp_path / "triage_dev99.jsonl"
    write_jsonl(new_set, ["một câu mới toanh chưa ai viết bao giờ cả"], "v99_")
    assert main(["separation", str(new_set)]) == 0
    assert capsys.readouterr().out.startswith("0 lines of triage_dev99.jsonl collide")
