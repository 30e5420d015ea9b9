"""`make faults`: drills that break the stack while children talk to it, then count what was lost.

Four drills run on the production layout (tests/production/cluster.py: Rasa on a PostgreSQL
tracker store and Redis locks, action server, gateway, `khien dispatch`, reports on PostgreSQL;
databases and lock prefix of the run's own), with a fake 111 intake and a fake Telegram for the
counsellors' chat; the last one on the embedded default (SQLite under a var/ dir):

  actions_killed_mid_escalation   the action server dies while it escalates a disclosure (frozen
                                  then killed before it answers; killed the moment the report is
                                  written); it is restarted and the child sends the answer again
  postgres_restarted_under_load   PostgreSQL restarts while conversations go on
  killed_with_undelivered_rows    the gateway and the dispatcher are killed while reports wait for
                                  a failing intake and deliveries are in flight; both restart
  intake_down_for_minutes         the 111 intake answers 503 for minutes while reports come in
  sqlite_disk_full                the embedded default's var/ dir (a small tmpfs) fills up
                                  mid-conversation: a clear error in the log, 111 still shown,
                                  and everything works again once there is space

After each drill: every report shown to a child exists, once; every outbox row was delivered and
arrived (at the intake, or as a card in the counsellors' chat) once. A report posted again to the
intake after it had accepted it is counted as `redelivered`: the Idempotency-Key makes it
harmless. PostgreSQL is always running again when a drill ends, whatever happened.

Environment: KHIEN_FAULTS_QUICK=1 (short outages), KHIEN_FAULTS_OUTAGE_S [180, quick 20],
KHIEN_FAULTS_LOAD_S [40, quick 20], KHIEN_FAULTS_ONLY (comma-separated drill names),
KHIEN_FAULTS_MODEL [models/khien.tar.gz]. The last line is `FAULTS {json}`.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import httpx
import yaml
from sqlalchemy import func, select

from actions.store import OutboxRow, Report, ReportStore
from benchmarks.traffic import REFERENCE, SCRIPTS, RecordingIntake, drive, wait_for
from khien.privacy import pseudonym
from tests.fakes.telegram_bot_api import FakeTelegram
from tests.production.cluster import REPO, Cluster, production_env, redis_key_prefix, temporary_database

QUICK = os.environ.get("KHIEN_FAULTS_QUICK") == "1"
HOTLINE_SECRET = "faults-hotline-secret"
COUNSELLOR_CHAT = -1001234
DISCLOSURE = SCRIPTS["disclosure"]
REPORTED = "Mã của em là"
LEASE_S = 60  # bot/dispatcher.py LEASE_SECONDS: a dead dispatcher's rows wait this long


def setting(name: str, default: float, quick: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else (quick if QUICK else default)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- PostgreSQL, put back up whatever happens ----------------------------------------------------
def postgres_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".") if p.isdigit()])[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def postgres_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode == 0


def ensure_postgres_up() -> None:
    if not postgres_ready():
        subprocess.run(postgres_cluster() + ["start"], capture_output=True)
    if not wait_for(postgres_ready, 60):
        raise RuntimeError("PostgreSQL did not come back")


class Stack:
    """The processes of one layout, the fakes they deliver to, and what the children were shown."""

    def __init__(self, cluster: Cluster, reports_url: str, intake: RecordingIntake, telegram: FakeTelegram) -> None:
        self.cluster, self.reports_url, self.intake, self.telegram = cluster, reports_url, intake, telegram
        self.shown: dict[str, str] = {}  # reference -> the sender it was shown to
        self.store = ReportStore(reports_url)  # pre-pinged connections: it outlives a PostgreSQL restart
        self.dispatcher_env = {
            "KHIEN_HOTLINE_URL": intake.intake_url, "KHIEN_HOTLINE_SECRET": HOTLINE_SECRET,
            "TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_API_BASE_URL": telegram.url,
            "KHIEN_COUNSELLOR_CHAT_ID": str(COUNSELLOR_CHAT)}

    def start(self, model: Path, **rasa) -> None:
        self.cluster.start_actions()
        self.cluster.start_rasa("rasa", model, **rasa)
        self.cluster.start_gateway()
        self.cluster.start_dispatcher(**self.dispatcher_env)

    def say(self, sender: str, text: str, timeout: float = 90) -> tuple[int, str]:
        """(HTTP status, all reply text) of one turn through the web chat; status 0: no answer."""
        try:
            response = httpx.post(f"{self.cluster.url('gateway')}/api/chat", timeout=timeout,
                                  json={"sender": sender, "message": text})
        except httpx.HTTPError as error:
            return 0, type(error).__name__
        try:
            said = " ".join(reply.get("text") or "" for reply in response.json())
        except (ValueError, AttributeError):
            said = response.text
        for reference in REFERENCE.findall(said):
            self.shown.setdefault(reference, sender)
        return response.status_code, said

    def reports_of(self, sender: str) -> int:
        who = pseudonym(self.cluster.env["KHIEN_PSEUDONYM_SECRET"], "web", sender)
        with self.store.session() as session:
            return session.execute(select(func.count()).select_from(Report).where(
                Report.reporter_pseudonym == who)).scalar_one()

    def cards(self) -> Counter:
        """Cards posted to the counsellors' chat, per reference."""
        found = Counter()
        for call in self.telegram.sent(COUNSELLOR_CHAT):
            for row in (call.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("callback_data", "").startswith("case:claim:"):
                        found[button["callback_data"].split(":", 2)[2]] += 1
        return found

    def rows(self) -> list[tuple[str, str, str, str]]:
        with self.store.session() as session:
            return [tuple(r) for r in session.execute(
                select(OutboxRow.idempotency_key, OutboxRow.target, OutboxRow.status, Report.reference)
                .join(Report, OutboxRow.report_id == Report.id))]

    def all_delivered(self) -> bool:
        return all(status == "delivered" for _, _, status, _ in self.rows())

    def audit(self) -> dict:
        """Every report shown exists once; every outbox row delivered and arrived once."""
        with self.store.session() as session:
            reports = session.execute(select(Report.reference, Report.reporter_pseudonym)).all()
        rows, cards = self.rows(), self.cards()
        references = {reference for reference, _ in reports}
        card_rows = Counter(reference for _, target, _, reference in rows if target == "counsellors")
        lost = [f"{ref} shown to a child, not stored" for ref in self.shown if ref not in references]
        lost += [f"{key} still {status}" for key, _, status, _ in rows if status != "delivered"]
        lost += [f"{key} marked delivered, never arrived" for key, target, status, _ in rows
                 if target == "hotline" and status == "delivered" and not self.intake.posts.get(key)]
        lost += [f"{ref}: {n - cards.get(ref, 0)} card(s) never posted" for ref, n in card_rows.items()
                 if cards.get(ref, 0) < n and all(s == "delivered" for _, t, s, r in rows if r == ref and t == "counsellors")]
        duplicated = [f"{who}: {n} reports from one conversation" for who, n in
                      Counter(p for _, p in reports).items() if n > 1]
        duplicated += [f"{ref}: card posted {n} times for {card_rows[ref]} row(s)" for ref, n in cards.items()
                       if ref in references and n > card_rows[ref]]
        hotline = [key for key, target, _, _ in rows if target == "hotline"]
        return {"reports": len(references),
                "delivered": sum(1 for key in hotline if self.intake.posts.get(key))
                + sum(min(cards.get(ref, 0), n) for ref, n in card_rows.items()),
                "outbox_rows": len(rows), "lost": lost, "duplicated": duplicated,
                "redelivered": sum(self.intake.posts[key] - 1 for key in hotline if self.intake.posts.get(key, 0) > 1)}

    def settle(self, timeout: float) -> float:
        """Waits until every outbox row is delivered (or the time is up); returns the seconds taken."""
        started = time.monotonic()
        wait_for(self.all_delivered, timeout, interval=0.5)
        return round(time.monotonic() - started, 1)


def disclose(stack: Stack, sender: str, messages=DISCLOSURE) -> list[tuple[int, str]]:
    return [stack.say(sender, message) for message in messages]


def disclose_at_once(stack: Stack, senders: list[str]) -> None:
    """Each sender discloses, all at the same time; returns when all are done."""
    threads = [threading.Thread(target=disclose, args=(stack, sender)) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)


# -- the drills ------------------------------------------------------------------------------
def escalating_turn(stack: Stack) -> int:
    """Which message of the disclosure script makes the report (the dialogue decides; a probe
    conversation finds out)."""
    for index, (_, text) in enumerate(disclose(stack, "probe-escalation")):
        if REPORTED in text:
            return index
    raise RuntimeError("the disclosure script never got a reference")


def drill_actions_killed_mid_escalation(stack: Stack) -> dict:
    rounds, last = [], escalating_turn(stack)
    for moment in ("frozen, then killed before it answered", "killed the moment the report was written"):
        sender = f"kill-actions-{len(rounds)}"
        disclose(stack, sender, DISCLOSURE[:last])
        answer: dict = {}
        turn = threading.Thread(target=lambda: answer.update(reply=stack.say(sender, DISCLOSURE[last])))
        if moment.startswith("frozen"):
            stack.cluster.kill("actions", signal.SIGSTOP)
            turn.start()
            time.sleep(2)  # Rasa has called the frozen action server and waits
        else:
            turn.start()
            wait_for(lambda: stack.reports_of(sender), 60, interval=0.005)
        stack.cluster.kill("actions")
        turn.join(120)
        status, text = answer.get("reply", (0, "no answer"))
        stack.cluster.restart("actions")
        retried = None
        if REPORTED not in text:  # the child was not given a reference: it sends its answer again
            retried = stack.say(sender, DISCLOSURE[last])
        rounds.append({"moment": moment, "status": status, "reply": text[:80], "shown_111": "111" in text,
                       "reported": REPORTED in text,
                       "retry_status": retried and retried[0],
                       "retry_reported": bool(retried and REPORTED in retried[1]),
                       "reports_of_child": stack.reports_of(sender)})
    return {"rounds": rounds, "settle_s": stack.settle(90),
            "ok": all(r["reports_of_child"] == 1 and (r["reported"] or r["retry_reported"]) for r in rounds)}


FALLBACK = "Falling back to use the 'InMemoryTrackerStore'"  # Rasa's FailSafeTrackerStore


def drill_postgres_restarted_under_load(stack: Stack, seconds: float) -> dict:
    outcome: dict = {}
    fallbacks_before = stack.cluster.log_text("rasa").count(FALLBACK)

    def load():
        outcome["recorder"] = asyncio.run(drive(stack.cluster.url("gateway"), 20, seconds,
                                                lambda rng: rng.uniform(0.5, 1.5), "pg", seed=3, stagger=1))

    traffic = threading.Thread(target=load)
    traffic.start()
    try:
        time.sleep(seconds / 3)
        log("  restarting PostgreSQL")
        started = time.monotonic()
        subprocess.run(postgres_cluster() + ["restart"], capture_output=True, timeout=120)
        outcome["restart_s"] = round(time.monotonic() - started, 1)
    finally:
        ensure_postgres_up()
        traffic.join(seconds + 180)
    recorder = outcome["recorder"]
    stack.shown.update({ref: sender for ref, (sender, _) in recorder.references.items()})
    report = recorder.report()
    return {"restart_s": outcome.get("restart_s"), "turns": report["turns"], "errors": report["errors"],
            "error_kinds": report["error_kinds"], "errors_with_111": recorder.unavailable_replies_with_111,
            # turns Rasa answered from memory because the tracker store failed: their state is not kept
            "tracker_store_fallbacks": stack.cluster.log_text("rasa").count(FALLBACK) - fallbacks_before,
            "disclosures": report["disclosures"], "references": report["references"], "settle_s": stack.settle(120),
            "ok": recorder.unavailable_replies_with_111 == report["error_kinds"].get("HTTP 503", 0)}


def drill_killed_with_undelivered_rows(stack: Stack) -> dict:
    stack.intake.down_for(3600)
    senders = [f"kill-gateway-{n}" for n in range(4)]
    disclose_at_once(stack, senders)
    wait_for(lambda: stack.intake.refused_while_down >= len(senders), 30)  # every row has failed once
    # deliveries in flight when the dispatcher dies: the intake answers, slowly, after it is gone
    stack.intake.up()
    stack.intake.slow_seconds = 3
    wait_for(lambda: stack.intake.in_flight, 30, interval=0.05)
    log("  killing the gateway and the dispatcher")
    stack.cluster.kill("dispatcher")
    stack.cluster.kill("gateway")
    in_flight = stack.intake.in_flight
    time.sleep(stack.intake.slow_seconds + 1)
    stack.intake.slow_seconds = 0
    pending = sum(1 for _, _, status, _ in stack.rows() if status != "delivered")
    stack.cluster.restart("gateway")
    stack.cluster.restart("dispatcher")
    back = stack.say("kill-gateway-after", "xin chào")
    return {"reports_waiting": len(senders), "in_flight_when_killed": in_flight, "undelivered_when_killed": pending,
            "gateway_answers_after_restart": back[0] == 200, "settle_s": stack.settle(LEASE_S + 120),
            "ok": back[0] == 200}


def drill_intake_down_for_minutes(stack: Stack, outage: float) -> dict:
    stack.intake.down_for(outage)
    went_down = time.monotonic()
    senders = [f"intake-down-{n}" for n in range(4)]
    disclose_at_once(stack, senders)
    shown = sum(1 for s in stack.shown.values() if s in senders)
    log(f"  {shown} report(s) made while the intake is down; waiting out the outage ({outage:.0f} s)")
    time.sleep(max(0.0, outage - (time.monotonic() - went_down)))
    refused = stack.intake.refused_while_down
    drain = stack.settle(outage + 330)  # back-off is capped at 5 minutes
    return {"outage_s": outage, "reports_during_outage": shown, "refused_while_down": refused,
            "drain_s": drain, "ok": shown == len(senders)}


def drill_sqlite_disk_full(model: Path, workdir: Path, intake: RecordingIntake, telegram: FakeTelegram) -> dict:
    """The embedded default (SQLite under var/, in-memory locks) on a 16 MB tmpfs that fills up."""
    var = workdir / "var"
    var.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(var)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        return {"skipped": f"cannot mount a tmpfs here: {mounted.stderr.strip()[:200]}", "ok": True}
    cluster = Cluster(workdir / "logs", {"KHIEN_DATABASE_URL": f"sqlite:///{var / 'khien.db'}"})
    cluster.env["KHIEN_VAR_DIR"] = str(var)
    stack = Stack(cluster, cluster.env["KHIEN_DATABASE_URL"], intake, telegram)
    filler = var / "filler"
    try:
        cluster.start_actions()
        endpoints = workdir / "endpoints.embedded.yml"  # endpoints.yml, on this drill's ports and var/
        embedded = yaml.safe_load((REPO / "endpoints.yml").read_text())
        embedded["tracker_store"]["db"] = str(var / "tracker.db")
        embedded["action_endpoint"]["url"] = f"{cluster.url('actions')}/webhook"
        endpoints.write_text(yaml.safe_dump(embedded))
        cluster.start_rasa("rasa", model, endpoints=endpoints)
        cluster.start_gateway()
        cluster.start_dispatcher(**stack.dispatcher_env)
        assert stack.say("disk-warm", "xin chào")[0] == 200  # both databases exist now
        with open(filler, "wb") as out:  # every byte left
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass
        log("  var/ is full; a child discloses")
        during = disclose(stack, "disk-full-child")
        errors = [line for line in cluster.log_text().splitlines() if "disk is full" in line or "No space left" in line]
        filler.unlink()
        log("  space again; the child tries again")
        after = disclose(stack, "disk-full-child")
        if not any(REPORTED in text for _, text in after):  # a new conversation, should the old one be stuck
            after = disclose(stack, "disk-full-again")
        result = {"turns_while_full": [s for s, _ in during], "replies_while_full": [t[:70] for _, t in during],
                  "first_reply_shows_111": "111" in during[0][1],
                  "flow_kept_its_place": "tuổi" in during[1][1],  # the next question came
                  "failed_turns_show_111": all("111" in t for s, t in during if s != 200),
                  "reported_while_full": any(REPORTED in t for _, t in during),
                  "clear_error_logged": bool(errors), "error_line": errors[0][-160:] if errors else None,
                  "reported_after": any(REPORTED in text for _, text in after), "settle_s": stack.settle(60)}
        audit = stack.audit()
        result["ok"] = (result["first_reply_shows_111"] and result["failed_turns_show_111"]
                        and result["clear_error_logged"] and result["reported_after"])
        return {**result, "audit": audit}
    finally:
        cluster.stop()
        stack.store.engine.dispose()
        subprocess.run(["umount", str(var)], capture_output=True)


# -- the run ---------------------------------------------------------------------------------
def main() -> int:
    outage = setting("KHIEN_FAULTS_OUTAGE_S", 180, 20)
    load_s = setting("KHIEN_FAULTS_LOAD_S", 40, 20)
    only = {name for name in os.environ.get("KHIEN_FAULTS_ONLY", "").split(",") if name}
    model = Path(os.environ.get("KHIEN_FAULTS_MODEL") or REPO / "models" / "khien.tar.gz")
    if not model.exists():
        print(f"no model at {model}: run `make train` first", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="khien-faults-"))
    drills = {
        "actions_killed_mid_escalation": drill_actions_killed_mid_escalation,
        "postgres_restarted_under_load": lambda s: drill_postgres_restarted_under_load(s, load_s),
        "killed_with_undelivered_rows": drill_killed_with_undelivered_rows,
        "intake_down_for_minutes": lambda s: drill_intake_down_for_minutes(s, outage),
    }
    details: dict = {}
    totals = {"reports": 0, "delivered": 0, "lost": 0, "duplicated": 0, "redelivered": 0}

    def record(name: str, run) -> None:
        log(f"drill: {name}")
        try:
            details[name] = run()
        except Exception as error:
            details[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
            traceback.print_exc()
        finally:
            ensure_postgres_up()
        log(f"  {json.dumps(details[name], ensure_ascii=False)[:600]}")

    try:
        with RecordingIntake(HOTLINE_SECRET) as intake, FakeTelegram() as telegram:
            chosen = [n for n in drills if not only or n in only]
            if chosen:
                with temporary_database() as trackers, temporary_database() as reports, redis_key_prefix() as prefix:
                    stack = Stack(Cluster(workdir / "production", production_env(trackers, reports, prefix)),
                                  reports, intake, telegram)
                    try:
                        log("starting the production layout")
                        stack.start(model)
                        for name in chosen:
                            before = stack.audit()
                            record(name, lambda: drills[name](stack))
                            after = stack.audit()
                            new_lost = [x for x in after["lost"] if x not in before["lost"]]
                            new_dup = [x for x in after["duplicated"] if x not in before["duplicated"]]
                            details[name].update(reports=after["reports"] - before["reports"], lost=new_lost,
                                                 duplicated=new_dup,
                                                 redelivered=after["redelivered"] - before["redelivered"])
                            details[name]["ok"] = bool(details[name].get("ok")) and not new_lost and not new_dup
                        final = stack.audit()
                        for key in totals:
                            totals[key] += final[key] if isinstance(final[key], int) else len(final[key])
                    finally:
                        stack.cluster.stop()
                        stack.store.engine.dispose()
            if not only or "sqlite_disk_full" in only:
                record("sqlite_disk_full", lambda: drill_sqlite_disk_full(model, workdir / "sqlite", intake, telegram))
                audit = details["sqlite_disk_full"].get("audit")
                if audit:
                    for key in totals:
                        totals[key] += audit[key] if isinstance(audit[key], int) else len(audit[key])
                    details["sqlite_disk_full"]["ok"] &= not audit["lost"] and not audit["duplicated"]
    finally:
        ensure_postgres_up()
    result = {"scenarios": list(details), "passed": [n for n, d in details.items() if d.get("ok")],
              "failed": [n for n, d in details.items() if not d.get("ok")], **totals, "details": details}
    if result["failed"]:
        log(f"logs of every process kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    print("FAULTS " + json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if not result["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
