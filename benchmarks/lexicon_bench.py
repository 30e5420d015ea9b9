"""`make bench-lexicon` (also the first step of `make bench`): the risk lexicon's scan, per message.

Every labelled message of the development sets, normalised as the pipeline normalises it, is scanned
by the shipped lexicon twice in this run: as it scans (only phrases whose first syllable starts a word of
the message are searched) and with every phrase searched. Both give the same signals (a test checks
it); the ratio of the two rows is what the pruning saves. `normalise`, the step before the scan in the
pipeline, is timed beside them for scale. Figures only: compare the rows of one run.
The last line is `BENCH {json}`.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from nlu import risk_lexicon
from nlu.risk_lexicon import default_lexicon
from nlu.text import default_teencode, normalise

REPO = Path(__file__).resolve().parent.parent


def messages() -> list[str]:
    return [json.loads(line)["text"] for path in sorted((REPO / "nlu" / "dev").glob("*.jsonl"))
            for line in path.read_text("utf-8").splitlines() if line.strip()]


def timings(step, texts: list[str]) -> list[float]:
    """Milliseconds per call of `step`, one per text."""
    out = []
    for text in texts:
        started = time.perf_counter()
        step(text)
        out.append((time.perf_counter() - started) * 1000)
    return out


def figures(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"mean_ms": round(statistics.fmean(ms), 3), "p50_ms": round(ordered[len(ms) // 2], 3),
            "p95_ms": round(ordered[int(len(ms) * 0.95)], 3)}


def main() -> int:
    teencode, lexicon = default_teencode(), default_lexicon()
    raw = messages()
    texts = [normalise(text, teencode) for text in raw]
    lexicon.scan(texts[0])  # compile outside the timing
    results = {"normalise": figures(timings(lambda t: normalise(t, teencode), raw)),
               "scan": figures(timings(lexicon.scan, texts))}
    pruned = risk_lexicon._Scan.could_start, risk_lexicon._Scan.could_match
    risk_lexicon._Scan.could_start = lambda self, phrase: True
    risk_lexicon._Scan.could_match = lambda self, keys: True
    try:
        results["scan_every_phrase"] = figures(timings(lexicon.scan, texts))
    finally:
        risk_lexicon._Scan.could_start, risk_lexicon._Scan.could_match = pruned
    print(f"{len(texts)} development messages\n{'step':18s} {'mean ms':>8s} {'p50 ms':>8s} {'p95 ms':>8s}")
    for name, f in results.items():
        print(f"{name:18s} {f['mean_ms']:8.2f} {f['p50_ms']:8.2f} {f['p95_ms']:8.2f}")
    ratio = results["scan_every_phrase"]["mean_ms"] / results["scan"]["mean_ms"]
    print(f"searching every phrase takes {ratio:.1f} times as long as the scan")
    print("BENCH " + json.dumps({"messages": len(texts), **results, "every_phrase_over_scan": round(ratio, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
