"""The safety-signal featurizer: one feature per risk category the lexicon saw, on the sentence and on
the tokens the match covers; the matches travel on the message for RiskTriage."""
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from nlu.components import SafetySignalFeaturizer, UndertheseaTokenizer


def featurize(text: str, tmp_path) -> tuple[SafetySignalFeaturizer, Message]:
    featurizer = SafetySignalFeaturizer.create(
        SafetySignalFeaturizer.get_default_config(), LocalModelStorage(tmp_path),
        Resource("safety"), ExecutionContext(GraphSchema({}), "safety"))
    message = Message(data={"text": text})
    UndertheseaTokenizer(UndertheseaTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    return featurizer, message


def test_a_risk_phrase_sets_its_category_on_the_sentence_and_its_tokens(tmp_path):
    featurizer, message = featurize("bố em đánh em chảy máu", tmp_path)
    sequence, sentence = message.get_sparse_features("text")
    columns = featurizer.lexicon.categories
    assert sentence.features.shape == (1, len(columns))
    assert {columns[i] for i in sentence.features.tocoo().col} == {"physical_violence"}
    assert sequence.features.shape == (len(message.get("text_tokens")), len(columns))
    assert sequence.features.tocoo().nnz >= 1
    assert [s["category"] for s in message.get("risk_signals")] == ["physical_violence"]


def test_a_news_story_without_the_writer_sets_nothing(tmp_path):
    _, message = featurize("em đọc báo thấy vụ bạo hành bé gái ở Bình Dương", tmp_path)
    _, sentence = message.get_sparse_features("text")
    assert sentence.features.tocoo().nnz == 0 and message.get("risk_signals") == []
