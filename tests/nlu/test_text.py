"""The normaliser: one canonical spelling for every way a child types."""
import unicodedata

import pytest

from nlu.text import Teencode, clean, default_teencode, fold, has_diacritics, normalise, strip_tone_marks


def test_fold_removes_every_mark_and_d_bar():
    assert fold("Tự Tử") == "tu tu"
    assert fold("ĐÁNH đập") == "danh dap"
    assert fold("chỗ kín") == fold("cho kin") == "cho kin"


def test_has_diacritics():
    assert has_diacritics("tử") and has_diacritics("đi")
    assert not has_diacritics("tu") and not has_diacritics("123")


def test_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "chỗ kín của em")
    assert normalise(nfd) == "chỗ kín của em"


def test_old_style_tone_placement_is_modernised():
    assert normalise("hoà bình, thuỷ") == normalise("hòa bình, thủy")


def test_teencode_is_expanded_as_whole_words_only():
    out = normalise("e ko bít j hết, mk sợ lắm", default_teencode())
    assert out.startswith("em không biết gì hết")
    assert "mình sợ lắm" in out
    # chat words for places and messages, as children type them to the lexicon's phrases
    assert normalise("ổng ib rủ e lên ks", default_teencode()) == "ổng nhắn tin rủ em lên khách sạn"
    # "ko" inside another word stays as typed
    assert "kotlin" in normalise("kotlin", default_teencode())


def test_whitespace_and_control_characters_are_cleaned():
    assert clean("  em\u200b\u0000  ơi\n\n ") == "em ơi"


def test_hostile_input_never_raises():
    for text in ["", " ", "😀" * 500, "a" * 10_000, "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
                 "ﾃｽﾄ 漢字 العربية", "\u0000\u0001", "em" + " " * 5000 + "ơi"]:
        normalise(text, default_teencode())


def test_strip_tone_marks_keeps_case_and_spacing():
    assert strip_tone_marks("Chú Hàng Xóm sờ vào Chỗ Kín") == "Chu Hang Xom so vao Cho Kin"


def test_a_button_payload_is_left_as_it_is():
    payload = '/quiz_answer{"question":"1","option":"2"}'
    assert normalise(payload, {"option": "lựa chọn"}) == payload
    assert normalise(" /lesson_next ") == "/lesson_next"


def test_a_case_code_passes_the_normaliser_whole():
    # underthesea once split "7WF" off its hyphen; "KHG" could read as teencode for "không"
    for code in ["9NJ-7WF-RMQ", "KHG-4QX-9PA", "k7m-4qx-9pa"]:
        text = normalise(f"mã của em là {code} ạ", default_teencode())
        assert code in text and text.startswith("mã của em là ") and text.endswith(" ạ")


@pytest.mark.parametrize("typed, expected", [
    ("mẹ oy cứu con", "mẹ ơi cứu con"),
    ("xong oy", "xong rồi"),
    ("hôm qa e bị đánh", "hôm qua em bị đánh"),
    ("e sợ qa", "em sợ quá"),
    ("e nuốt thuốc r, ko bt bn viên", "em nuốt thuốc rồi , không biết bao nhiêu viên"),
    ("sinh nhật bn, giờ e phải làm sao", "sinh nhật bạn , giờ em phải làm sao"),
    ("bn ơi", "bạn ơi"),
    ("bme ko bh dọn", "bố mẹ không bao giờ dọn"),
    ("bh e phải làm sao", "bây giờ em phải làm sao"),
    ("e hong dám nói", "em không dám nói"),
    ("ở trg lớp", "ở trong lớp"),
    ("đến trg bị đánh", "đến trường bị đánh"),
    ("a kia bắt e", "anh kia bắt em"),
    ("trên đg về", "trên đường về"),
    ("e đg ở nhà", "em đang ở nhà"),
    ("e hk dám nói", "em không dám nói"),
    ("thi hk 2 xong", "thi học kỳ 2 xong"),
    ("t bị bố đánh", "mình bị bố đánh"),
    ("chú đó sờ t", "chú đó sờ mình"),
    ("e 12 t", "em 12 tuổi"),
    ("nó hay ns mun chet", "nó hay nói muon chet"),
    ("thầy cn bắt e ở lại", "thầy chủ nhiệm bắt em ở lại"),
    ("cn e bị sốt", "con em bị sốt"),
    ("bố rượt e ra ngoài hem", "bố rượt em ra ngoài hẻm"),
    ("e hem biết", "em không biết"),
    ("còn hem", "còn không"),
])
def test_an_ambiguous_abbreviation_is_read_from_its_neighbour(typed, expected):
    assert normalise(typed, default_teencode()) == expected


@pytest.mark.parametrize("typed", ["điện thoại bị hong rồi", "3 thg", "a", "t ơi", "hk", "nổi mun trên mặt"])
def test_an_abbreviation_no_neighbour_explains_stays_as_typed(typed):
    assert normalise(typed, default_teencode()) == typed


def test_the_teencode_table_survives_its_round_trip_through_a_model():
    table = default_teencode()
    rebuilt = Teencode.from_dict(table.to_dict())
    assert rebuilt == table
    with pytest.raises(ValueError):
        Teencode.from_dict({"teencode": {"oy": "rồi"}, "in_context": {"oy": [{"means": "ơi"}]}})
