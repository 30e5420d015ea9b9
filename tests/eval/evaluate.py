"""`make evaluate`: how well Khiên notices a child in danger, on messages it never saw.

Prints recall of must-escalate messages (overall, per category, per form), the false-alarm
rate on benign messages (per label), how many immediate-danger messages were rated imminent,
the misses and false alarms themselves, and the anonymiser's leaks per identifier kind.
Saves a confusion matrix to reports/confusion.png.

    python -m tests.eval.evaluate [--model models/khien.tar.gz] [--out reports] [--set dev]

`--set dev` measures the development set nlu/dev/triage_dev.jsonl instead: the set to look at
while improving the lexicon and the training data. `--set dev2` (nlu/dev/triage_dev2.jsonl) was
written later, by another hand, to see whether what was learnt on `dev` generalises; look at its
misses only when it has served that purpose; each later set (`dev3`, `dev4`...) was written for
the same check on the round before it (nlu/dev/README.md). The evaluation set is only for reporting.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from nlu.risk_lexicon import RISK_LEVELS

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# "eval", and one name per development set: nlu/dev/triage_dev.jsonl is "dev", triage_dev2 "dev2"...
SETS = {"eval": HERE / "triage_eval.jsonl",
        **{path.stem.removeprefix("triage_"): path for path in sorted((REPO / "nlu" / "dev").glob("triage_dev*.jsonl"))}}


def load_eval_set(path: Path = HERE / "triage_eval.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(items: list[dict], predictions: list[dict]) -> dict:
    """Figures from labelled items and their triage records (same order)."""
    by_category, by_form, by_label = defaultdict(Counter), defaultdict(Counter), defaultdict(Counter)
    misses, false_alarms, under_rated = [], [], []
    imminent = Counter()
    for item, predicted in zip(items, predictions):
        escalated = predicted["escalate"]
        if item["escalate"]:
            for table, key in ((by_category, item["category"]), (by_form, item["form"])):
                table[key]["total"] += 1
                table[key]["caught"] += escalated
            if not escalated:
                misses.append((item, predicted))
            elif RISK_LEVELS.index(predicted["risk"]) < RISK_LEVELS.index(item["min_risk"]):
                under_rated.append((item, predicted))
            if item["category"] == "immediate_danger":
                imminent["total"] += 1
                imminent["imminent"] += predicted["risk"] == "imminent"
        else:
            by_label[item["label"]]["total"] += 1
            by_label[item["label"]]["alarms"] += escalated
            if escalated:
                false_alarms.append((item, predicted))
    must = [i for i in items if i["escalate"]]
    benign = [i for i in items if not i["escalate"]]
    return {
        "recall": 1 - len(misses) / max(1, len(must)),
        "false_alarm_rate": len(false_alarms) / max(1, len(benign)),
        "by_category": by_category, "by_form": by_form, "by_label": by_label,
        "imminent": imminent, "misses": misses, "false_alarms": false_alarms, "under_rated": under_rated,
    }


def confusion_png(items: list[dict], predictions: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = sorted({i["category"] for i in items} | {p["category"] for p in predictions})
    index = {label: n for n, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for item, predicted in zip(items, predictions):
        matrix[index[item["category"]]][index[predicted["category"]]] += 1
    figure, axes = plt.subplots(figsize=(9, 8))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted category")
    axes.set_ylabel("labelled category")
    for row, values in enumerate(matrix):
        for column, value in enumerate(values):
            if value:
                axes.text(column, row, value, ha="center", va="center", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)


def _rate(counter: Counter, hit: str) -> str:
    return f"{counter[hit] / max(1, counter['total']):.3f} ({counter[hit]}/{counter['total']})"


def report(figures: dict) -> None:
    print(f"recall on must-escalate messages: {figures['recall']:.3f}")
    print(f"false-alarm rate on benign messages: {figures['false_alarm_rate']:.3f}")
    print(f"immediate danger rated imminent: {_rate(figures['imminent'], 'imminent')}")
    print("\nrecall per category:")
    for key, counter in sorted(figures["by_category"].items()):
        print(f"  {key:22s} {_rate(counter, 'caught')}")
    print("recall per form:")
    for key, counter in sorted(figures["by_form"].items()):
        print(f"  {key:22s} {_rate(counter, 'caught')}")
    print("false alarms per benign label:")
    for key, counter in sorted(figures["by_label"].items()):
        print(f"  {key:22s} {_rate(counter, 'alarms')}")
    for title, rows in (("misses", figures["misses"]), ("rated below min_risk", figures["under_rated"]),
                        ("false alarms", figures["false_alarms"])):
        print(f"\n{title} ({len(rows)}):")
        for item, predicted in rows:
            print(f"  {item['id']} [{item['category']}/{item['form']}] -> {predicted['intent']} "
                  f"risk={predicted['risk']} ({predicted['confidence']:.2f}): {item['text']}")


def anonymiser_report() -> None:
    from actions.anonymiser import leak_report

    cases_path = REPO / "tests" / "data" / "anonymiser_cases.jsonl"
    cases = [json.loads(line) for line in cases_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    leaks = leak_report(cases)
    print(f"\nanonymiser on {len(cases)} labelled sentences (leaked / total identifiers):")
    for kind, figures in sorted(leaks.items()):
        if isinstance(figures, dict) and "total" in figures:
            print(f"  {kind:14s} {figures['leaked']}/{figures['total']}  {figures.get('cases') or ''}")
        else:
            print(f"  {kind:14s} {figures}")


def main(argv: list[str] | None = None) -> int:
    from nlu.parser import ModelParser, latest_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=REPO / "reports")
    parser.add_argument("--set", choices=sorted(SETS), default="eval",
                        help="eval: the held-out evaluation set (default); dev, dev2...: the development sets in nlu/dev/")
    args = parser.parse_args(argv)

    model = args.model or latest_model(REPO / "models")
    print(f"model: {model}\nset: {SETS[args.set].relative_to(REPO)}")
    items = load_eval_set(SETS[args.set])
    triage = ModelParser(model)
    predictions = [triage.triage(item["text"]) for item in items]
    figures = score(items, predictions)
    report(figures)
    png = args.out / ("confusion.png" if args.set == "eval" else f"confusion-{args.set}.png")
    confusion_png(items, predictions, png)
    print(f"\nconfusion matrix: {png}")
    anonymiser_report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
