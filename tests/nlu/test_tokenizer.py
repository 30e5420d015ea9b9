"""The underthesea tokenizer: words with exact offsets, never an exception."""
import unicodedata

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.components import UndertheseaTokenizer, segment


def _check_offsets(text, tokens):
    for token in tokens:
        assert text[token.start:token.end] == token.text
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_compound_words_are_grouped_and_lemmas_are_folded():
    text = "chú hàng xóm sờ vào chỗ kín của em"
    tokens = segment(text)
    _check_offsets(text, tokens)
    assert "chỗ kín" in [t.text for t in tokens]
    assert "cho_kin" in [t.lemma for t in tokens]


def test_unaccented_text_gets_the_same_lemmas_per_syllable():
    accented = " ".join(t.lemma for t in segment("sờ vào chỗ kín")).replace("_", " ")
    plain = " ".join(t.lemma for t in segment("so vao cho kin")).replace("_", " ")
    assert accented == plain


@pytest.mark.parametrize("text", [
    "", "   ", "😀😀 em ơi 👨‍👩‍👧", "a" * 10_000, "em " * 3000,
    unicodedata.normalize("NFD", "Tôi bị đánh ở trường"), "tựtử", "ﾃｽﾄ 漢字 العربية mix",
    "em    ơi\t\tcứu", "...!!!???", "0912.345.678", "\u200b\u200d", "e ko bít j hết",
])
def test_hostile_input_keeps_offsets_and_never_raises(text):
    tokens = segment(text)
    _check_offsets(text, tokens)


def test_component_tokenizes_a_rasa_message():
    tokenizer = UndertheseaTokenizer(UndertheseaTokenizer.get_default_config())
    message = Message(data={"text": "Bố đang cầm dao"})
    tokenizer.process([message])
    assert [t.text for t in message.get("text_tokens")][:1] == ["Bố"]


def test_a_reference_code_means_a_question_about_the_case():
    from nlu.components import ReferenceCodeDetector

    detector = ReferenceCodeDetector(ReferenceCodeDetector.get_default_config())
    ranking = [{"name": "identify_child", "confidence": 0.17}, {"name": "bot_challenge", "confidence": 0.14}]
    asked = Message(data={"text": "mã của em là k7m - 4qx - 9pa", "intent": ranking[0], "intent_ranking": ranking})
    other = Message(data={"text": "em 12 tuổi", "intent": {"name": "identify_child", "confidence": 0.9}})
    detector.process([asked, other])
    assert asked.get("intent")["name"] == "ask_case_status"
    assert asked.get("intent_ranking")[0]["name"] == "ask_case_status"  # FallbackClassifier sees no ambiguity
    assert other.get("intent")["name"] == "identify_child"
