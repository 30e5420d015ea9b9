"""The production configuration for real: two Rasa processes sharing one PostgreSQL tracker
store and one Redis lock store (deploy/endpoints.production.yml, set by environment), one action
server writing reports to PostgreSQL. Databases and the lock-key prefix are this run's own and
removed afterwards. Two dispatchers sharing one PostgreSQL outbox: tests/bot/test_dispatcher.py.
"""
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

from actions.store import ReportStore
from tests.production.cluster import (
    Cluster, keys_under, production_env, redis_client, redis_key_prefix, temporary_database,
)

pytestmark = [pytest.mark.model, pytest.mark.services]

DISCLOSURE = ["chu hang xom so vao cho kin cua em", "Đang an toàn", "em 12 tuổi", "Đồng ý",
              "chú hàng xóm", "Bỏ qua", "Hải Phòng"]


@pytest.fixture(scope="module")
def replicas(trained_model, tmp_path_factory):
    with temporary_database() as trackers, temporary_database() as reports, redis_key_prefix() as prefix:
        cluster = Cluster(tmp_path_factory.mktemp("replicas"), production_env(trackers, reports, prefix))
        try:
            cluster.start_actions()
            for name in ("rasa-a", "rasa-b"):  # both load the model at once
                cluster.start_rasa(name, trained_model, wait=False)
            cluster.wait("rasa-a", "rasa-b")
            cluster.prefix, cluster.trackers, cluster.reports = prefix, trackers, reports
            yield cluster
        finally:
            cluster.stop()


def say(cluster, rasa, sender, message):
    response = httpx.post(f"{cluster.url(rasa)}/webhooks/rest/webhook", timeout=60,
                          json={"sender": sender, "message": message, "metadata": {"channel": "web"}})
    response.raise_for_status()
    return " ".join(reply.get("text", "") for reply in response.json())


def tracker_events(cluster, rasa, sender):
    response = httpx.get(f"{cluster.url(rasa)}/conversations/{sender}/tracker", timeout=30)
    response.raise_for_status()
    return response.json()["events"]


def test_a_disclosure_alternating_between_two_rasa_processes_keeps_its_state(replicas):
    sender = "u_alternating"
    replies = []
    for i, message in enumerate(DISCLOSURE):  # A, B, A, B ... until the reference code comes
        replies.append(say(replicas, ("rasa-a", "rasa-b")[i % 2], sender, message))
        if "Mã của em là" in replies[-1]:
            break
    assert "111" in replies[0] and "an toàn" in replies[0]
    assert "tuổi" in replies[1]  # asked on A, answered on B: B knew the form was waiting
    assert "đồng ý" in replies[2].lower()  # B's answer moved A on
    assert "Mã của em là" in replies[-1]

    store = ReportStore(replicas.reports)
    try:
        (report,) = store.reports_of(sender)
    finally:
        store.engine.dispose()
    assert report.reference in replies[-1]
    assert (report.age_band, report.relation, report.consent) == ("11_15", "neighbour", True)
    # one conversation, one tracker: both processes read and wrote the same rows
    assert tracker_events(replicas, "rasa-a", sender) == tracker_events(replicas, "rasa-b", sender)


def test_concurrent_turns_of_one_sender_on_two_processes_are_serialised_by_the_redis_lock(replicas):
    sender = "u_concurrent"
    say(replicas, "rasa-a", sender, "xin chào")
    messages = ["111 là gì", "cảm ơn", "xin chào", "vùng riêng tư là gì"] * 2
    tickets_seen, done = [], threading.Event()
    client = redis_client()

    def watch_lock():  # the lock is Redis's, under this run's prefix, with turns queued on it
        while not done.is_set():
            lock = client.get(f"{replicas.prefix}:lock:{sender}")
            if lock:
                tickets_seen.append(len(json.loads(lock)["tickets"]))

    watcher = threading.Thread(target=watch_lock)
    watcher.start()
    try:
        with ThreadPoolExecutor(len(messages)) as pool:
            list(pool.map(lambda i: say(replicas, ("rasa-a", "rasa-b")[i % 2], sender, messages[i]),
                          range(len(messages))))
    finally:
        done.set()
        watcher.join()
        client.close()
    assert tickets_seen and max(tickets_seen) >= 2

    events = tracker_events(replicas, "rasa-b", sender)
    users = [i for i, e in enumerate(events) if e["event"] == "user"]
    assert len(users) == 1 + len(messages)  # no turn lost to a concurrent save
    for previous, current in zip(users, users[1:]):
        actions = [e.get("name") for e in events[previous:current] if e["event"] == "action"]
        # every turn ran to its end (bot answered, then listened) before the next one began
        assert len(actions) >= 2 and actions[-1] == "action_listen", actions


def test_nothing_is_left_behind_in_redis_between_turns(replicas):
    assert keys_under(replicas.prefix) == []


def test_the_tracker_store_keeps_text_anonymised_in_postgresql(replicas):
    say(replicas, "rasa-a", "u_private", "so cua em la 0912 345 678")
    engine = create_engine(replicas.trackers)
    try:
        with engine.connect() as connection:
            stored = " ".join(connection.execute(
                text("select data from events where sender_id = 'u_private'")).scalars())
    finally:
        engine.dispose()
    # the whole number, as typed and run together: a bare "0912" also turns up inside the digits of
    # a stored confidence (0.0945091 25...)
    assert stored and "0912 345 678" not in stored and "0912345678" not in stored
