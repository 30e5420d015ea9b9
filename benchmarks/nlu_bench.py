"""`make bench`: our Vietnamese NLU pipeline against a plain WhitespaceTokenizer pipeline.

Both are trained in this run on the same 80% of our own NLU data (fixed seed) and measured on
the other 20%, as typed (mostly with tone marks) and with every tone mark stripped:
intent accuracy, and parse latency p50/p95 (ms, one message at a time, in process).
Figures only, no assertions: the machine is noisy, so compare the two rows of one run.
The last line is `BENCH {json}`.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = 7


def load_examples() -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(REPO / "nlu" / "data"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def split(examples, share=0.2):
    by_intent = defaultdict(list)
    for text, intent in examples:
        by_intent[intent].append(text)
    rng = random.Random(SEED)
    train, test = [], []
    for intent, texts in sorted(by_intent.items()):
        rng.shuffle(texts)
        cut = max(1, int(len(texts) * share))
        test += [(t, intent) for t in texts[:cut]]
        train += [(t, intent) for t in texts[cut:]]
    return train, test


def write_nlu(examples, path: Path) -> None:
    by_intent = defaultdict(list)
    for text, intent in examples:
        by_intent[intent].append(text)
    nlu = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)} for intent, texts in by_intent.items()]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8")


def pipelines(epochs: int) -> dict[str, dict]:
    ours = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    ours_pipeline = [c for c in ours["pipeline"] if c["name"] not in ("FallbackClassifier",)]
    for component in ours_pipeline:
        if component["name"] == "DIETClassifier":
            component["epochs"] = epochs
            diet = dict(component)
    baseline = [
        {"name": "WhitespaceTokenizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "word", "min_ngram": 1, "max_ngram": 2},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 2, "max_ngram": 4,
         "max_features": 6000},
        diet,
    ]
    common = {"recipe": "default.v1", "language": "vi", "assistant_id": "bench", "policies": []}
    return {"khien": {**common, "pipeline": ours_pipeline}, "whitespace": {**common, "pipeline": baseline}}


def train(name: str, config: dict, nlu_file: Path, out: Path) -> Path:
    config_path = out / f"{name}.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([str(BIN / "rasa"), "train", "nlu", "--config", str(config_path), "--nlu", str(nlu_file),
                    "--out", str(out), "--fixed-model-name", name], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_MAX_CACHE_SIZE": "0"})
    print(f"trained {name} in {time.perf_counter() - started:.0f} s", flush=True)
    return out / f"{name}.tar.gz"


def measure(model: Path, test) -> dict:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from nlu.text import strip_tone_marks

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    figures = {}
    latencies = []
    for form, transform in (("accented", lambda t: t), ("unaccented", strip_tone_marks)):
        correct = 0
        for text, intent in test:
            started = time.perf_counter()
            parsed = loop.run_until_complete(agent.parse_message(transform(text)))
            latencies.append((time.perf_counter() - started) * 1000)
            # RiskTriage may rewrite the intent; accuracy is the classifier's own
            predicted = (parsed.get("triage") or {}).get("classifier_intent") or parsed["intent"]["name"]
            correct += predicted == intent
        figures[f"accuracy_{form}"] = round(correct / len(test), 4)
    latencies.sort()
    figures["parse_p50_ms"] = round(statistics.median(latencies), 2)
    figures["parse_p95_ms"] = round(latencies[int(len(latencies) * 0.95) - 1], 2)
    return figures


def main() -> int:
    epochs = int(os.environ.get("KHIEN_BENCH_EPOCHS", "40"))
    train_set, test_set = split(load_examples())
    print(f"{len(train_set)} training and {len(test_set)} held-out examples, DIET {epochs} epochs")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_nlu(train_set, out / "train.yml")
        for name, config in pipelines(epochs).items():
            model = train(name, config, out / "train.yml", out)
            results[name] = measure(model, test_set)
    print(f"\n{'pipeline':12s} {'acc. accented':>14s} {'acc. unaccented':>16s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for name, f in results.items():
        print(f"{name:12s} {f['accuracy_accented']:14.3f} {f['accuracy_unaccented']:16.3f} "
              f"{f['parse_p50_ms']:8.2f} {f['parse_p95_ms']:8.2f}")
    print("BENCH " + json.dumps({"held_out": len(test_set), "epochs": epochs, **results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
