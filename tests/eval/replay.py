"""Judge a lexicon change in seconds, on classifier rankings stored once: no retraining.

Retraining moves the triage figures by several messages in a hundred on its own (nlu/dev/README.md),
so a lexicon change measured through a retrained model is mostly measuring the retraining. Instead,
parse every labelled set once with a model, keep the classifier's ranking, then re-run what follows the
classifier (the lexicon on the normalised text, and RiskTriage) with the files as they are now:

    python -m tests.eval.replay parse [--model models/khien.tar.gz] [--out reports/parses.jsonl]
    python -m tests.eval.replay score [--parses reports/parses.jsonl] [--show dev8] [--with-eval]
    python -m tests.eval.replay training [--against HEAD]
    python -m tests.eval.replay coverage
    python -m tests.eval.replay separation /tmp/dev25/triage_dev25.jsonl

`score` prints one line of figures per development set and the release gate's failures. The
evaluation set is left out unless --with-eval asks for its figures; its lines are never printed
(it is for reporting, not tuning: tests/eval/README.md). A teencode change reaches the lexicon here,
but not the classifier, which saw the text as the parsing model normalised it.

Stored rankings stay true only while the classifier does: the lexicon also gives DIET its features
(nlu/components.py, SafetySignalFeaturizer), and the teencode table decides the text it reads. `training`
lists the training examples whose normalised text or lexicon matches differ between a git revision's
lexicon and teencode and the files as they are now. None means
`make train` draws the same classifier again; any means the change must be measured on a retrained one.
`separation` prints the ids (never the text) of a new blind set's lines that collide with another set,
the release gate or the training data, before the set moves into nlu/dev/.
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path
from typing import Iterable

import yaml

from tests.eval.evaluate import REPO, SETS, load_eval_set, score

GATE = REPO / "tests" / "eval" / "release_gate.yml"


def labelled_items() -> Iterable[tuple[str, dict]]:
    """(set name, item) for the evaluation set, every development set and the release gate."""
    for name, path in SETS.items():
        for item in load_eval_set(path):
            yield name, item
    gate = yaml.safe_load(GATE.read_text(encoding="utf-8"))
    for entry in gate["must_escalate"]:
        yield "gate", {"text": entry["text"], "escalate": True, "min_risk": entry["min_risk"],
                       "category": entry["category"]}
    for text in gate["must_not_escalate"]:
        yield "gate", {"text": text, "escalate": False, "min_risk": "none", "category": "none"}


def parse(model: Path, out: Path) -> int:
    from nlu.parser import ModelParser

    parser = ModelParser(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as stored:
        for name, item in labelled_items():
            ranking = parser.parse(item["text"]).get("intent_ranking") or []
            stored.write(json.dumps({"set": name, "item": item, "ranking": ranking}, ensure_ascii=False) + "\n")
            count += 1
    return count


def triage_config() -> dict:
    """RiskTriage's settings as config.yml gives them."""
    from nlu.components import RiskTriage

    pipeline = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    entry = next(c for c in pipeline if c["name"].endswith("RiskTriage"))
    return {**RiskTriage.get_default_config(), **{k: v for k, v in entry.items() if k != "name"}}


def replay(text: str, ranking: list[dict], lexicon, teencode, triage) -> dict:
    """The triage record the model would give now, from a stored ranking."""
    from rasa.shared.nlu.training_data.message import Message

    from nlu.components import RISK_SIGNALS
    from nlu.text import normalise

    normalised = normalise(text, teencode)
    message = Message(data={"text": normalised, "intent": ranking[0] if ranking else {},
                            "intent_ranking": ranking,
                            RISK_SIGNALS: [signal.__dict__ for signal in lexicon.scan(normalised)]})
    triage.assess(message)
    intent = message.get("intent") or {}
    return {"intent": intent.get("name"), "confidence": float(intent.get("confidence") or 0.0),
            "risk": message.get("risk"), "category": message.get("category"),
            "escalate": bool(message.get("escalate"))}


def score_stored(rows: list[dict], show: set[str], with_eval: bool) -> list[str]:
    """Figures per set, and the lines of the sets in `show` (never the evaluation set's)."""
    from nlu.components import RiskTriage
    from nlu.risk_lexicon import RISK_LEVELS, default_lexicon
    from nlu.text import default_teencode

    lexicon, teencode, triage = default_lexicon(), default_teencode(), RiskTriage(triage_config())
    by_set: dict[str, list[tuple[dict, dict]]] = {}
    for row in rows:
        predicted = replay(row["item"]["text"], row["ranking"], lexicon, teencode, triage)
        by_set.setdefault(row["set"], []).append((row["item"], predicted))
    lines = []
    for name, pairs in by_set.items():
        if name == "gate":
            failures = [(item, p) for item, p in pairs if p["escalate"] != item["escalate"]
                        or RISK_LEVELS.index(p["risk"]) < RISK_LEVELS.index(item["min_risk"])]
            lines.append(f"gate    {len(failures)} failures")
            lines += [f"  GATE {item['text']} -> {p['risk']}" for item, p in failures]
            continue
        if name == "eval" and not with_eval:
            continue
        figures = score([item for item, _ in pairs], [p for _, p in pairs])
        teen, imminent = figures["by_form"].get("teencode", {}), figures["imminent"]
        lines.append(f"{name:7s} recall {figures['recall']:.3f} (misses {len(figures['misses'])})  "
                     f"false alarms {figures['false_alarm_rate']:.3f} ({len(figures['false_alarms'])})  "
                     f"teencode {teen.get('caught', 0)}/{teen.get('total', 0)}  "
                     f"imminent {imminent['imminent']}/{imminent['total']}  under-rated {len(figures['under_rated'])}")
        if name in show and name != "eval":
            for title, found in (("MISS", figures["misses"]), ("ALARM", figures["false_alarms"]),
                                 ("UNDER", figures["under_rated"])):
                lines += [f"  {title} {item['id']} [{item['category']}/{item['min_risk']}] -> {p['intent']} "
                          f"{p['risk']}: {item['text']}" for item, p in found]
    return lines


def rasa_training_examples() -> list[str]:
    """Every training example's text as Rasa reads it (entity markup removed), FAQ files included: what
    DIET is trained on. (tests/eval/separation.py folds the raw lines instead, to compare sets.)"""
    from rasa.shared.nlu.training_data.loading import load_data

    return [example.get("text") for example in load_data(str(REPO / "nlu" / "data")).training_examples
            if example.get("text")]


def features(text: str, lexicon, teencode) -> tuple[str, list[tuple[str, int, int]]]:
    """What the pipeline hands DIET that these files decide: the normalised text (teencode expanded), which
    the tokenizer and the count vectors read, and each lexicon match's category and span, which
    SafetySignalFeaturizer turns into features."""
    from nlu.text import normalise

    normalised = normalise(text, teencode)
    return normalised, sorted((s.category, s.start, s.end) for s in lexicon.scan(normalised))


def changed_training_examples(texts: Iterable[str], before: tuple, after: tuple) -> list[str]:
    """The texts whose features differ between two (lexicon, teencode) pairs."""
    return [text for text in texts if features(text, *before) != features(text, *after)]


def resources_at(revision: str) -> tuple:
    """(lexicon, teencode) as a git revision has them."""
    from nlu.risk_lexicon import RiskLexicon
    from nlu.text import Teencode

    def shown(path: str) -> dict:
        text = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout
        return yaml.safe_load(text) or {}

    return (RiskLexicon.from_dict(shown("nlu/resources/risk_lexicon.yml")),
            Teencode.from_dict(shown("nlu/resources/teencode.yml")))


def lexicon_coverage(data: Path = REPO / "nlu" / "data") -> list[str]:
    """Per training file and intent: the share of examples the lexicon alone escalates (>= medium),
    typed as written and without tone marks. A figure to watch, not a test: disclosures carry a floor
    on purpose, and the hard negatives (everyday_hard*.yml) some."""
    from nlu.risk_lexicon import RISK_LEVELS, default_lexicon
    from nlu.text import default_teencode, normalise, strip_tone_marks

    lexicon, teencode = default_lexicon(), default_teencode()

    def escalates(text: str) -> bool:
        return RISK_LEVELS.index(lexicon.floor(normalise(text, teencode))[0]) >= RISK_LEVELS.index("medium")

    rows = []
    for path in (*sorted(data.glob("disclosure*.yml")), *sorted(data.glob("everyday*.yml"))):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            texts = [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")]
            caught = sum(map(escalates, texts)) / len(texts)
            unmarked = sum(escalates(strip_tone_marks(t)) for t in texts) / len(texts)
            rows.append(f"{path.stem + ': ' + block['intent']:32s} {len(texts):4d}  {caught:4.0%}  unmarked {unmarked:4.0%}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    parse_command = commands.add_parser("parse", help="parse every labelled set once and store the rankings")
    parse_command.add_argument("--model", type=Path, default=None)
    parse_command.add_argument("--out", type=Path, default=REPO / "reports" / "parses.jsonl")
    score_command = commands.add_parser("score", help="replay the lexicon and triage on stored rankings")
    score_command.add_argument("--parses", type=Path, default=REPO / "reports" / "parses.jsonl")
    score_command.add_argument("--show", default="", help="development sets whose lines to print, e.g. dev8,dev9")
    score_command.add_argument("--with-eval", action="store_true", help="also the evaluation set's figures")
    training_command = commands.add_parser(
        "training", help="training examples whose features (normalised text or lexicon matches) changed")
    training_command.add_argument("--against", default="HEAD", help="git revision to compare with (HEAD)")
    commands.add_parser("coverage", help="share of each intent's training examples the lexicon alone escalates")
    separation_command = commands.add_parser(
        "separation", help="ids of a new blind set's lines another set or the training data already holds")
    separation_command.add_argument("set_file", type=Path, help="the new set, still outside nlu/dev/")
    args = parser.parse_args(argv)

    if args.command == "parse":
        from nlu.parser import latest_model

        model = args.model or latest_model(REPO / "models")
        print(f"parsed {parse(model, args.out)} messages with {model} into {args.out}")
        return 0
    if args.command == "training":
        from nlu.risk_lexicon import default_lexicon
        from nlu.text import default_teencode

        changed = changed_training_examples(rasa_training_examples(), resources_at(args.against),
                                            (default_lexicon(), default_teencode()))
        print(f"{len(changed)} training examples have other features (normalised text or lexicon matches) than"
              f" at {args.against}"
              + (": retrain and measure on the new classifier" if changed else ": the classifier stays the same"))
        print("\n".join(f"  {text}" for text in changed))
        return 0
    if args.command == "separation":
        from tests.eval.separation import colliding_ids

        ids = colliding_ids(args.set_file)
        print(f"{len(ids)} lines of {args.set_file.name} collide" + (": reword them" if ids else ""))
        print("\n".join(f"  {i}" for i in ids))
        return 1 if ids else 0
    if args.command == "coverage":
        print("risk lexicon, share of training examples at >= medium:\n" + "\n".join(lexicon_coverage()))
        return 0
    rows = [json.loads(line) for line in args.parses.read_text(encoding="utf-8").splitlines() if line.strip()]
    print("\n".join(score_stored(rows, set(filter(None, args.show.split(","))), args.with_eval)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
