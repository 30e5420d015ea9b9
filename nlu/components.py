"""Custom Rasa graph components for Vietnamese: normaliser, tokenizer, safety signal, triage.

Pipeline order (config.yml):
    VietnameseNormalizer -> UndertheseaTokenizer -> SafetySignalFeaturizer
    -> CountVectorsFeaturizer(s) -> DIETClassifier -> IntentGatedResponseSelector (x2, FAQ)
    -> ReferenceCodeDetector -> FallbackClassifier -> RiskTriage

Their data files (teencode table, risk lexicon) are copied into the trained model at training
time, so a model behaves the same wherever it is loaded.
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from khien import rasa_runtime
from khien.reference import find_reference
from nlu import text as vi
from nlu.risk_lexicon import RISK_LEVELS, RiskLexicon

logger = logging.getLogger(__name__)
rasa_runtime.install()  # see khien/rasa_runtime.py: why, and why here

REPO_ROOT = Path(__file__).resolve().parent.parent
RISK_SIGNALS = "risk_signals"  # message key: lexicon matches, set by SafetySignalFeaturizer


def _resolve(path: Text) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else REPO_ROOT / candidate


class _StoredJson:
    """Mixin: a component whose learned state is one JSON document in model storage."""

    _model_storage: ModelStorage
    _resource: Resource

    def _persist_json(self, data: Any) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "data.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    @staticmethod
    def _read_json(model_storage: ModelStorage, resource: Resource) -> Any:
        try:
            with model_storage.read_from(resource) as directory:
                return json.loads((directory / "data.json").read_text("utf-8"))
        except ValueError:
            return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class VietnameseNormalizer(_StoredJson, GraphComponent):
    """Rewrites every message into one canonical spelling before anything else reads it.

    NFC, control characters and whitespace cleaned, teencode expanded, tone marks placed.
    At training time it also adds a tone-stripped copy of every example, because children
    often type without tone marks and a model that never saw such text misreads it.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"teencode_file": "nlu/resources/teencode.yml", "augment_without_tone_marks": True}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        teencode: Optional[vi.Teencode] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.teencode = teencode if teencode is not None else vi.load_teencode(
            _resolve(config["teencode_file"])
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "VietnameseNormalizer":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "VietnameseNormalizer":
        stored = cls._read_json(model_storage, resource)
        teencode = vi.Teencode.from_dict(stored) if stored is not None else None
        return cls(config, model_storage, resource, teencode=teencode)

    def train(self, training_data: TrainingData) -> Resource:
        self._persist_json(self.teencode.to_dict())
        return self._resource

    def normalise(self, text: Text) -> Text:
        return vi.normalise(text, self.teencode)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples: List[Message] = []
        for example in training_data.training_examples:
            text = example.get(TEXT)
            if not text:
                examples.append(example)
                continue
            example.set(TEXT, self.normalise(text))
            examples.append(example)
            if self._config["augment_without_tone_marks"]:
                stripped = vi.strip_tone_marks(example.get(TEXT))
                if stripped != example.get(TEXT):
                    examples.append(Message(data={**example.data, TEXT: stripped}))
        return TrainingData(
            training_examples=examples,
            entity_synonyms=training_data.entity_synonyms,
            regex_features=training_data.regex_features,
            lookup_tables=training_data.lookup_tables,
            responses=training_data.responses,
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, self.normalise(text))
        return messages


_SPAN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def segment(text: Text) -> List[Token]:
    """Split Vietnamese text into words with underthesea, with offsets into `text`.

    Offsets come from our own scan of `text`; underthesea only decides which neighbouring
    syllables form one word ("chỗ kín"). Where its output stops lining up with the text
    (it normalises some characters), the remaining syllables stay single tokens. Never raises.
    """
    spans = [(m.start(), m.end()) for m in _SPAN.finditer(text)]
    if not spans:
        return []
    group_sizes: List[int] = []
    try:
        from underthesea import word_tokenize

        position = 0
        for word in word_tokenize(text):
            syllables = _SPAN.findall(word)
            window = spans[position : position + len(syllables)]
            if not syllables or [text[s:e].lower() for s, e in window] != [x.lower() for x in syllables]:
                break
            group_sizes.append(len(syllables))
            position += len(syllables)
    except Exception:  # a tokenizer must never fail a child's message
        logger.warning("underthesea word_tokenize failed; falling back to syllables")
    grouped = sum(group_sizes)
    group_sizes.extend([1] * (len(spans) - grouped))

    tokens: List[Token] = []
    position = 0
    for size in group_sizes:
        start, end = spans[position][0], spans[position + size - 1][1]
        word = text[start:end]
        tokens.append(Token(word, start, end, lemma=vi.fold("_".join(word.split()))))
        position += size
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class UndertheseaTokenizer(Tokenizer):
    """Vietnamese word segmentation (underthesea) with exact character offsets.

    Each token's lemma is its tone-folded form ("chỗ kín" -> "cho_kin"); featurizers with
    `use_lemma: true` therefore see the same features whether or not tone marks were typed.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["vi"]

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        return self._apply_token_pattern(segment(message.get(attribute) or ""))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SafetySignalFeaturizer(_StoredJson, SparseFeaturizer, GraphComponent):
    """Matches the risk lexicon and gives DIET one feature per risk category.

    The matches also travel on the message (`risk_signals`) so that RiskTriage can apply the
    lexicon's floor: a message the lexicon flags is never rated below that floor.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**SparseFeaturizer.get_default_config(), "lexicon_file": "nlu/resources/risk_lexicon.yml"}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        lexicon: Optional[RiskLexicon] = None,
    ) -> None:
        SparseFeaturizer.__init__(self, execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.lexicon = lexicon or RiskLexicon.from_file(_resolve(config["lexicon_file"]))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetySignalFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SafetySignalFeaturizer":
        stored = cls._read_json(model_storage, resource)
        lexicon = RiskLexicon.from_dict(stored) if stored else None
        return cls(config, model_storage, resource, execution_context, lexicon=lexicon)

    def train(self, training_data: TrainingData) -> Resource:
        self._persist_json(self.lexicon.to_dict())
        return self._resource

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        signals = self.lexicon.scan(text)
        message.set(RISK_SIGNALS, [signal.__dict__ for signal in signals])
        tokens = message.get("text_tokens") or []
        categories = self.lexicon.categories
        sequence = np.zeros((len(tokens), len(categories)))
        sentence = np.zeros((1, len(categories)))
        for signal in signals:
            column = categories.index(signal.category)
            sentence[0, column] = 1.0
            for row, token in enumerate(tokens):
                if token.start < signal.end and signal.start < token.end:
                    sequence[row, column] = 1.0
        self.add_features_to_message(
            scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence), TEXT, message
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._featurize(message)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentGatedResponseSelector(ResponseSelector):
    """Rasa's ResponseSelector, run only on messages the classifier gave its retrieval intent.

    The stock selector ranks every answer for every message, although its pick is used only
    when the intent is its own (faq_child, faq_parent): with two selectors that was 22% of the
    Rasa process's CPU under load (py-spy), twice DIET's share. No component after DIET turns
    an intent into a FAQ one, so skipping the others changes no reply. Training is Rasa's.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        asked = [m for m in messages if (m.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.retrieval_intent]
        if asked:
            super().process(asked)
        return messages


class _RuleComponent(GraphComponent):
    """A component that learns nothing: built from its config alone, training data passes by."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_RuleComponent":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReferenceCodeDetector(_RuleComponent):
    """A case reference code in a message ("mã của em là K7M-4QX-9PA") means the writer asks
    about their case. Codes are random, so no classifier can learn them: a pattern decides.
    RiskTriage still runs after it, so risk in the same message is never lost."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "ask_case_status"}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if isinstance(message.get(TEXT), str) and find_reference(message.get(TEXT)):
                decided = {"name": self._config["intent"], "confidence": 1.0}
                message.set(INTENT, decided, add_to_output=True)
                # first in the ranking too, or FallbackClassifier's ambiguity check (top two
                # of the classifier's ranking too close) would still turn it into a fallback
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != decided["name"]]
                message.set(INTENT_RANKING_KEY, [decided, *ranking], add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RiskTriage(_RuleComponent):
    """Turns the classifier's intent and the lexicon's signals into `risk` and `category`.

    The one place where risk is decided; the parse result carries it to dialogue rules,
    actions, `khien triage` and the evaluations. Rules of thumb, in order:
      * risk = max(the risk of the classifier's best intent, the lexicon floor); the best intent
        is read from the ranking, past a `nlu_fallback`, and counts from `confident` up: when a
        child may be telling, a wrong guess towards risk costs less than silence. (Counting a
        weaker best risk intent when risk intents together hold much of the ranking was tried:
        it caught more disclosures in nlu/dev/ but escalated release-gate sentences such as
        "Bố em đánh xe ra khỏi nhà để đi làm", because ten risk intents share any doubt. Counting a
        weak risk intent (>= 0.15) when the lexicon also saw its category, even at `low`, caught
        one or two more disclosures in a hundred on some models and none on others, for a false
        alarm: measured on nlu/dev/ and left out.);
      * a risk the intent does not explain rewrites the intent to that category's intent,
        and `imminent` always becomes the immediate-danger intent, so dialogue rules that
        match on intents can never miss a risk;
      * a benign top intent with real weight on risk intents becomes `risk_unclear`,
        which the dialogue answers with a gentle check ("Có ai làm em đau hay làm em sợ không?").
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intents": {},  # intent -> {category, risk}; see config.yml
            "imminent_intent": "disclose_immediate_danger",
            "unclear_intent": "risk_unclear",
            # a best intent at or above this confidence counts as said (0.3 before 2026-11-29: 0.25
            # caught about half a point more of nlu/dev/ on three of four models, at no cost on the gate)
            "confident": 0.25,
            "unclear_weight": 0.2,  # summed risk-intent confidence that calls for a gentle check
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.intents: Dict[Text, Dict[Text, Text]] = config["intents"]
        self.intent_for_category = {v["category"]: k for k, v in self.intents.items()}

    def _at_least(self, risk: Text, level: Text) -> bool:
        return RISK_LEVELS.index(risk) >= RISK_LEVELS.index(level)

    def _strongest_risk_intent(self, ranking: List[Dict[Text, Any]]) -> tuple:
        """(summed confidence of intents that mean risk >= medium, the most likely of them)."""
        risky = [r for r in ranking if self._at_least(self.intents.get(r.get("name"), {}).get("risk", "none"), "medium")]
        weight = sum(float(r.get("confidence") or 0.0) for r in risky)
        return weight, max(risky, key=lambda r: r.get("confidence") or 0.0, default=None)

    def assess(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
        signals = message.get(RISK_SIGNALS) or []
        ranking = message.get(INTENT_RANKING_KEY) or []
        best = next((r for r in ranking if r.get("name") != "nlu_fallback"), intent)
        meaning = self.intents.get(best.get("name")) if float(best.get("confidence") or 0) >= self._config["confident"] else None
        risk, category = (meaning["risk"], meaning["category"]) if meaning else ("none", None)
        for signal in signals:  # strictly higher: on a tie the classifier's category stands
            if RISK_LEVELS.index(signal["floor"]) > RISK_LEVELS.index(risk):
                risk, category = signal["floor"], signal["category"]

        new_intent = name
        if risk == "imminent":
            new_intent = self._config["imminent_intent"]
        elif self._at_least(risk, "medium"):
            if self.intents.get(name, {}).get("category") != category:
                new_intent = self.intent_for_category.get(category, name)
            confidence = max(confidence, float(best.get("confidence") or 0))
        else:
            weight, strongest = self._strongest_risk_intent(ranking)
            if weight >= self._config["unclear_weight"]:
                new_intent, risk = self._config["unclear_intent"], "low"
                category = self.intents[strongest["name"]]["category"]

        if new_intent != name:
            message.set(INTENT, {"name": new_intent, "confidence": confidence}, add_to_output=True)
        message.set("risk", risk, add_to_output=True)
        message.set("category", category or "none", add_to_output=True)
        message.set("escalate", self._at_least(risk, "medium"), add_to_output=True)
        message.set(
            "triage",
            {"classifier_intent": best.get("name"), "lexicon": sorted({s["category"] for s in signals})},
            add_to_output=True,
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if isinstance(message.get(TEXT), str):
                self.assess(message)
        return messages
