"""`make bench`, second part: turns through the gateway's POST /api/chat, production layout.

The stack, all on 127.0.0.1 (tests/production/cluster.py): Rasa on a PostgreSQL tracker store
and a Redis lock store (deploy/endpoints.production.yml), the action server and the gateway
writing reports to PostgreSQL, `khien dispatch` delivering them to a fake 111 intake. Databases
and the lock-key prefix are this run's own and removed afterwards. Users hold conversations
one after another (greetings, FAQ, lessons by their buttons, disclosures with consent:
benchmarks/traffic.py), a new sender for each.

1. one user alone (closed loop, 10 s), here and on the yardstick: a turn's latency unloaded;
2. saturation: closed loop, no think time, to find the turns per second the stack sustains;
3. yardstick: the same load against a bare `rasa init --no-prompt` assistant's REST channel,
   trained in a temporary folder in this run (one Rasa process, in-memory stores);
4. realistic: many simultaneous conversations, each sending a message every 3-8 s.

Figures: turn latency p50/p95/p99, turns/s, errors, peak resident memory of each process (its
Sanic workers included) and its growth over the realistic run, and consent-to-delivery time of
escalations (consent sent -> the 111 intake has the report). No assertions: compare the rows
of one run. The last line is `BENCH {json}`.

Environment (defaults in brackets; KHIEN_BENCH_QUICK=1 gives a run of about a minute of load):
  KHIEN_BENCH_SATURATION_S [60, quick 10]   each saturation run
  KHIEN_BENCH_CLIENTS [20]                  closed-loop users in the saturation runs
  KHIEN_BENCH_REALISTIC_S [300, quick 45]   the realistic run
  KHIEN_BENCH_CONVERSATIONS [100]           simultaneous conversations in the realistic run
  KHIEN_BENCH_THINK_S [3-8]                 seconds between a user's messages (uniform)
  KHIEN_BENCH_RASA_WORKERS [2]              Sanic workers of our Rasa (Redis lock store), as the
                                            production layout runs it; the yardstick is always one
                                            process (`rasa init` has an in-memory lock store)
  KHIEN_BENCH_MODEL [models/khien.tar.gz]
  KHIEN_BENCH_YARDSTICK_MODEL               a `rasa init` model to reuse instead of training one
                                            (quick runs reuse the last one, kept in var/bench/)
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import rasa

from benchmarks.traffic import RecordingIntake, drive, summary_ms, wait_for
from tests.fakes import free_port
from tests.production.cluster import BIN, REPO, Cluster, production_env, redis_key_prefix, temporary_database

QUICK = os.environ.get("KHIEN_BENCH_QUICK") == "1"
HOTLINE_SECRET = "bench-hotline-secret"


def setting(name: str, default: float, quick: float | None = None) -> float:
    value = os.environ.get(name)
    return float(value) if value else (quick if QUICK and quick is not None else default)


def think_range() -> tuple[float, float]:
    low, _, high = os.environ.get("KHIEN_BENCH_THINK_S", "3-8").partition("-")
    return float(low), float(high or low)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def yardstick_model(workdir: Path) -> tuple[Path, subprocess.Popen | None]:
    """The `rasa init` model: reused when given (or cached, in quick runs), else trained now in
    a temporary folder (the process is returned to wait on)."""
    given = os.environ.get("KHIEN_BENCH_YARDSTICK_MODEL")
    cached = REPO / "var" / "bench" / f"rasa-init-{rasa.__version__}.tar.gz"
    if given:
        return Path(given), None
    if QUICK and cached.exists():
        return cached, None
    project = workdir / "rasa-init"
    project.mkdir()
    log_file = open(workdir / "rasa-init-train.log", "w")
    process = subprocess.Popen([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
                               cwd=workdir, stdout=log_file, stderr=subprocess.STDOUT,
                               env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    return project, process


def trained_yardstick(project: Path) -> Path:
    model = max((project / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    cached = REPO / "var" / "bench" / f"rasa-init-{rasa.__version__}.tar.gz"
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(model, cached)
    return model


def delivery_times(intake: RecordingIntake, recorder) -> dict:
    """Consent sent -> report at the intake, and reference shown -> report at the intake."""
    consent, shown, undelivered = [], [], 0
    for reference, (sender, shown_at) in recorder.references.items():
        arrived = intake.delivered_at(reference)
        if arrived is None:
            undelivered += 1
            continue
        shown.append(max(0.0, arrived - shown_at))
        if sender in recorder.consent_at:
            consent.append(arrived - recorder.consent_at[sender])
    return {"consent_to_delivery_ms": summary_ms(consent), "reference_to_delivery_ms": summary_ms(shown),
            "undelivered": undelivered}


def main() -> int:
    saturation_s = setting("KHIEN_BENCH_SATURATION_S", 60, 10)
    realistic_s = setting("KHIEN_BENCH_REALISTIC_S", 300, 45)  # a disclosure takes ~40 s at 3-8 s a turn
    clients = int(setting("KHIEN_BENCH_CLIENTS", 20))
    conversations = int(setting("KHIEN_BENCH_CONVERSATIONS", 100))
    workers = int(setting("KHIEN_BENCH_RASA_WORKERS", 2))
    low, high = think_range()
    model = Path(os.environ.get("KHIEN_BENCH_MODEL") or REPO / "models" / "khien.tar.gz")
    if not model.exists():
        print(f"no model at {model}: run `make train` first", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="khien-bench-"))
    result: dict = {}
    with temporary_database() as trackers, temporary_database() as reports, redis_key_prefix() as prefix, \
            RecordingIntake(HOTLINE_SECRET) as intake:
        cluster = Cluster(workdir / "stack", production_env(trackers, reports, prefix))
        try:
            project, training = yardstick_model(workdir)
            log(f"starting the stack (Rasa with {workers} worker(s)); yardstick "
                + ("training in " + str(project) if training else f"model {project}"))
            cluster.start_actions()
            cluster.start_rasa("rasa", model, workers=workers)
            cluster.start_gateway()
            cluster.start_dispatcher(KHIEN_HOTLINE_URL=intake.intake_url, KHIEN_HOTLINE_SECRET=HOTLINE_SECRET)
            gateway = cluster.url("gateway")
            if training:
                if training.wait() != 0:
                    raise RuntimeError(f"rasa init failed: see {workdir / 'rasa-init-train.log'}")
                project = trained_yardstick(project)
            # as `rasa init` leaves it: the REST channel, in-memory tracker and lock stores
            (workdir / "yardstick-endpoints.yml").write_text("{}\n")
            (workdir / "yardstick-credentials.yml").write_text("rest:\n")
            yardstick = cluster.start("yardstick_rasa", [
                str(BIN / "rasa"), "run", "--enable-api", "--model", str(project), "--interface", "127.0.0.1",
                "--port", str(port := free_port()), "--endpoints", str(workdir / "yardstick-endpoints.yml"),
                "--credentials", str(workdir / "yardstick-credentials.yml")], "/status", port=port)

            log("warming up")
            asyncio.run(drive(gateway, 4, 8, lambda rng: 0, "warm"))
            asyncio.run(drive(yardstick.url, 2, 4, lambda rng: 0, "warm",
                              scripts=lambda rng: "rasa_init", path="/webhooks/rest/webhook"))

            alone_s = min(10.0, saturation_s)
            log(f"one user alone, closed loop, {alone_s:.0f} s each")
            alone = asyncio.run(drive(gateway, 1, alone_s, lambda rng: 0, "one")).report()
            alone_yard = asyncio.run(drive(yardstick.url, 1, alone_s, lambda rng: 0, "one",
                                           scripts=lambda rng: "rasa_init", path="/webhooks/rest/webhook")).report()
            log(f"  khien p50 {alone['latency_ms']['p50']} ms, rasa init p50 {alone_yard['latency_ms']['p50']} ms")

            log(f"saturation: {clients} closed-loop users for {saturation_s:.0f} s")
            saturation = asyncio.run(drive(gateway, clients, saturation_s, lambda rng: 0, "sat"))
            ours = saturation.report()
            log(f"  khien: {ours['turns_per_s']} turns/s, p50 {ours['latency_ms']['p50']} ms, errors {ours['errors']}")
            log(f"yardstick: the same against `rasa init` for {saturation_s:.0f} s")
            theirs = asyncio.run(drive(yardstick.url, clients, saturation_s, lambda rng: 0, "yard",
                                       scripts=lambda rng: "rasa_init", path="/webhooks/rest/webhook")).report()
            log(f"  rasa init: {theirs['turns_per_s']} turns/s, p50 {theirs['latency_ms']['p50']} ms, "
                f"errors {theirs['errors']}")
            cluster.kill("yardstick_rasa")  # its memory stays counted; its CPU is free again

            log(f"realistic: {conversations} conversations, a message every {low:g}-{high:g} s, "
                f"for {realistic_s:.0f} s")
            rss_before = cluster.rss_mb()
            realistic_recorder = asyncio.run(drive(gateway, conversations, realistic_s,
                                                   lambda rng: rng.uniform(low, high), "real", stagger=high))
            rss_after = cluster.rss_mb()
            realistic = realistic_recorder.report()
            shown = [*saturation.references, *realistic_recorder.references]
            wait_for(lambda: all(intake.delivered_at(r) for r in shown), 30)
            delivery = delivery_times(intake, realistic_recorder)
            saturated_delivery = delivery_times(intake, saturation)
            log(f"  p50 {realistic['latency_ms']['p50']} ms, p95 {realistic['latency_ms']['p95']} ms, "
                f"errors {realistic['errors']}, consent to delivery p50 "
                f"{delivery['consent_to_delivery_ms']['p50']} ms")

            rss = cluster.peak_rss_mb()
            result = {
                "concurrency": conversations,
                "p50_ms": realistic["latency_ms"]["p50"], "p95_ms": realistic["latency_ms"]["p95"],
                "p99_ms": realistic["latency_ms"]["p99"], "errors": realistic["errors"],
                "realistic_turns_per_s": realistic["turns_per_s"], "realistic_turns": realistic["turns"],
                "turns_per_s": ours["turns_per_s"], "yardstick_turns_per_s": theirs["turns_per_s"],
                "ratio_to_yardstick": round(ours["turns_per_s"] / theirs["turns_per_s"], 2) if theirs["turns_per_s"] else None,
                "one_user_p50_ms": alone["latency_ms"]["p50"], "one_user_p95_ms": alone["latency_ms"]["p95"],
                "yardstick_one_user_p50_ms": alone_yard["latency_ms"]["p50"],
                "saturation_clients": clients, "saturation_p50_ms": ours["latency_ms"]["p50"],
                "saturation_p95_ms": ours["latency_ms"]["p95"], "saturation_errors": ours["errors"],
                "yardstick_p50_ms": theirs["latency_ms"]["p50"], "yardstick_errors": theirs["errors"],
                **delivery,
                "saturation_consent_to_delivery_ms": saturated_delivery["consent_to_delivery_ms"],
                "saturation_reference_to_delivery_ms": saturated_delivery["reference_to_delivery_ms"],
                "undelivered": delivery["undelivered"] + saturated_delivery["undelivered"],
                "disclosures_started": realistic["disclosures"], "references_shown": realistic["references"],
                "saturation_references_shown": ours["references"],
                "latency_by_script_ms": {"realistic": realistic["latency_by_script_ms"],
                                         "saturation": ours["latency_by_script_ms"]},
                "rss_mb": rss,
                "rss_growth_pct": {name: round(100 * (rss_after[name] - before) / before, 1)
                                   for name, before in rss_before.items() if before},
                "rasa_workers": workers, "saturation_s": saturation_s, "realistic_s": realistic_s,
                "think_s": [low, high], "error_kinds": {**ours["error_kinds"], **realistic["error_kinds"]},
            }
        finally:
            cluster.stop()
    shutil.rmtree(workdir, ignore_errors=True)
    print("BENCH " + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
