"""Rasa's Redis lock store, made safe for more than one Rasa process.

Rasa Open Source's RedisLockStore changes a conversation's ticket lock by reading it, changing
it in the process and writing it back. Two Rasa processes (replicas or Sanic workers) taking a
turn of the same sender at the same moment can both read the same lock, both issue themselves
the same ticket, and then run the two turns at once: one turn's events overwrite the other's in
the tracker store (tests/production/test_replicas.py shows it). Here every change of a lock is
one Redis transaction (WATCH/MULTI/EXEC, tried again when another process changed the lock in
between), so each turn gets a ticket of its own and turns of one sender run one at a time.

Configured in deploy/endpoints.production.yml as `type: khien.lock_store.AtomicRedisLockStore`
with the same settings as Rasa's `type: redis` (url, port, db, password, key_prefix, use_ssl).
"""
from __future__ import annotations

import json
from typing import Callable, Optional, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
MAX_TRIES = 1000  # attempts at one change while other processes keep changing the same lock


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa hands a lock store loaded by module path its endpoint configuration as is.
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: str,
                change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]) -> T:
        """Applies `change` (lock or None -> new lock or None to delete, result) atomically."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_TRIES):
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock, result = change(TicketLock.from_dict(json.loads(stored)) if stored else None)
                    pipe.multi()
                    if lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue
        raise LockError(f"Could not change the lock of conversation '{conversation_id}'.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]):
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: Optional[TicketLock]):
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock with it when nobody else waits: in one step, so a
        ticket issued in between is never deleted with the lock."""
        def finish(lock: Optional[TicketLock]):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)
