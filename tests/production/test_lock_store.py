"""The Redis lock store the production layout uses (khien/lock_store.py), against the real Redis:
many processes' worth of threads taking tickets for one conversation at once."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.utils.endpoints import EndpointConfig

from khien.lock_store import AtomicRedisLockStore
from tests.production.cluster import REDIS_SERVER, keys_under, redis_key_prefix

pytestmark = pytest.mark.services


@pytest.fixture
def stores():
    """Eight lock stores (as eight Rasa processes would have) sharing one Redis and key prefix."""
    from urllib.parse import urlsplit

    redis = urlsplit(REDIS_SERVER)
    with redis_key_prefix() as prefix:
        config = EndpointConfig(url=redis.hostname, port=redis.port or 6379, db=redis.path.lstrip("/") or 0,
                                key_prefix=prefix, type="khien.lock_store.AtomicRedisLockStore")
        yield prefix, [AtomicRedisLockStore(config) for _ in range(8)]


def test_tickets_taken_at_once_from_many_processes_are_all_different(stores):
    prefix, processes = stores
    with ThreadPoolExecutor(len(processes)) as pool:
        tickets = list(pool.map(lambda i: processes[i % 8].issue_ticket("u_busy"), range(200)))
    assert len(set(tickets)) == 200
    lock = processes[0].get_lock("u_busy")
    assert sorted(t.number for t in lock.tickets) == sorted(tickets)


def test_the_lock_goes_when_its_last_ticket_is_done_and_not_before(stores):
    prefix, processes = stores
    first, second = processes[0].issue_ticket("u_two"), processes[1].issue_ticket("u_two")
    processes[2].cleanup("u_two", first)
    assert processes[3].get_lock("u_two").now_serving == second
    processes[4].cleanup("u_two", second)
    assert keys_under(prefix) == []


def test_a_second_turn_waits_while_the_first_holds_the_lock(stores):
    prefix, processes = stores

    async def turns():
        async with processes[0].lock("u_turns") as held:
            waiting = processes[1].issue_ticket("u_turns")
            assert processes[2].get_lock("u_turns").is_locked(waiting) and not held.is_locked(held.now_serving)
        assert not processes[2].get_lock("u_turns").is_locked(waiting)  # its turn now
        processes[1].cleanup("u_turns", waiting)

    asyncio.run(turns())
    assert processes[0].get_lock("u_turns") is None
