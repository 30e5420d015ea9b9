"""Real processes in the production layout, all on 127.0.0.1: Rasa processes sharing one
PostgreSQL tracker store and one Redis lock store (deploy/endpoints.production.yml, configured
by environment exactly as in production), action servers and gateways writing reports to
PostgreSQL, and `khien dispatch` delivering them. Used by tests/production, and by
benchmarks/load_bench.py and benchmarks/faults.py.

    with temporary_database() as trackers, temporary_database() as reports, redis_key_prefix() as prefix:
        cluster = Cluster(workdir, production_env(trackers, reports, prefix))
        cluster.start_actions("actions")
        cluster.start_rasa("rasa-a", model), cluster.start_rasa("rasa-b", model)
        ...
        cluster.stop()

Each run has databases and a Redis key prefix of its own, removed afterwards.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlsplit

from tests.conftest import wait_until_up
from tests.fakes import free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PRODUCTION_ENDPOINTS = REPO / "deploy" / "endpoints.production.yml"
POSTGRES_SERVER = os.environ.get("KHIEN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("KHIEN_TEST_REDIS", "redis://127.0.0.1:6379/0")


@contextmanager
def temporary_database(server_url: str = POSTGRES_SERVER) -> Iterator[str]:
    """A PostgreSQL database of this run's own (its URL), dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    name = f"khien_test_{uuid.uuid4().hex[:12]}"
    # a fresh connection each time: the fault drills restart PostgreSQL in between
    admin = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server_url}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def redis_client(url: str = REDIS_SERVER):
    import redis

    return redis.Redis.from_url(url)


def keys_under(prefix: str, url: str = REDIS_SERVER) -> list[bytes]:
    client = redis_client(url)
    try:
        return list(client.scan_iter(match=f"{prefix}:*", count=500))
    finally:
        client.close()


@contextmanager
def redis_key_prefix(url: str = REDIS_SERVER) -> Iterator[str]:
    """A lock-store key prefix of this run's own (letters and digits, as Rasa requires); every
    key under it is deleted afterwards."""
    prefix = f"khientest{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        keys = keys_under(prefix, url)
        if keys:
            client = redis_client(url)
            client.delete(*keys)
            client.close()


def production_env(tracker_db_url: str, reports_db_url: str, lock_prefix: str,
                   redis_url: str = REDIS_SERVER) -> dict[str, str]:
    """The environment deploy/endpoints.production.yml and the khien processes read."""
    tracker, redis_parts = urlsplit(tracker_db_url), urlsplit(redis_url)
    return {
        "KHIEN_TRACKER_DB_HOST": tracker.hostname or "127.0.0.1",
        "KHIEN_TRACKER_DB_PORT": str(tracker.port or 5432),
        "KHIEN_TRACKER_DB_NAME": tracker.path.lstrip("/"),
        "KHIEN_TRACKER_DB_USER": tracker.username or "postgres",
        "KHIEN_TRACKER_DB_PASSWORD": tracker.password or "",
        "KHIEN_REDIS_HOST": redis_parts.hostname or "127.0.0.1",
        "KHIEN_REDIS_PORT": str(redis_parts.port or 6379),
        "KHIEN_REDIS_DB": redis_parts.path.lstrip("/") or "0",
        "KHIEN_REDIS_PASSWORD": redis_parts.password or "",
        "KHIEN_LOCK_KEY_PREFIX": lock_prefix,
        "KHIEN_DATABASE_URL": reports_db_url,
    }


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def _status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    health_url: Optional[str]
    log: Path
    port: Optional[int] = None
    process: Optional[subprocess.Popen] = None
    peak_kb: int = 0  # the highest VmHWM seen, kept across restarts
    restarts: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_kb(self) -> int:
        """Resident memory now, of the process and its children (Sanic workers)."""
        return sum(_status_kb(pid, "VmRSS") for pid in _tree(self.process.pid)) if self.alive() else 0

    def sample_peak(self) -> int:
        """Peak resident memory (VmHWM) of the process and its children, summed."""
        if self.alive():
            self.peak_kb = max(self.peak_kb, sum(_status_kb(pid, "VmHWM") for pid in _tree(self.process.pid)))
        return self.peak_kb


class Cluster:
    """Named processes with their logs under `workdir`: start, kill, restart, memory."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        from cryptography.fernet import Fernet

        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "KHIEN_VAR_DIR": str(workdir / "var"),
            "KHIEN_PSEUDONYM_SECRET": "cluster-pseudonym-secret",
            "KHIEN_REPLY_KEY": Fernet.generate_key().decode(),
            "KHIEN_DISPATCHER": "off",  # dispatchers run as their own processes here
            **env,
        }
        self.services: dict[str, Service] = {}

    # -- starting ------------------------------------------------------------------------
    def start(self, name: str, command: list[str], health_path: Optional[str] = None,
              env: Optional[dict[str, str]] = None, port: Optional[int] = None, wait: bool = True) -> Service:
        service = Service(name, command, {**self.env, **(env or {})},
                          f"http://127.0.0.1:{port}{health_path}" if health_path else None,
                          self.workdir / f"{name}.log", port)
        self.services[name] = service
        self._spawn(service)
        if wait:
            self.wait(name)
        return service

    def _spawn(self, service: Service) -> None:
        log = open(service.log, "a")
        service.process = subprocess.Popen(service.command, cwd=REPO, env=service.env, stdout=log,
                                           stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def wait(self, *names: str, timeout: float = 300) -> None:
        for name in names or list(self.services):
            service = self.services[name]
            if service.health_url:
                wait_until_up(service.health_url, service.process, timeout)
            service.sample_peak()

    def start_actions(self, name: str = "actions", wait: bool = True, **env: str) -> Service:
        port = free_port()
        return self.start(name, [str(BIN / "khien"), "actions", "--port", str(port)], "/health",
                          env, port, wait)

    def start_rasa(self, name: str, model: Path, actions: str = "actions", workers: int = 1,
                   endpoints: Path = PRODUCTION_ENDPOINTS, wait: bool = True, **env: str) -> Service:
        port = free_port()
        command = [str(BIN / "rasa"), "run", "--model", str(model), "--enable-api", "--interface",
                   "127.0.0.1", "--port", str(port), "--endpoints", str(endpoints),
                   "--credentials", str(REPO / "credentials.yml")]
        env = {"KHIEN_ACTION_ENDPOINT_URL": f"{self.services[actions].url}/webhook",
               "SANIC_WORKERS": str(workers), **env}
        return self.start(name, command, "/status", env, port, wait)

    def start_gateway(self, name: str = "gateway", rasa: str = "rasa", wait: bool = True, **env: str) -> Service:
        port = free_port()
        env = {"KHIEN_RASA_URL": self.services[rasa].url, "KHIEN_GATEWAY_PORT": str(port), **env}
        return self.start(name, [str(BIN / "khien"), "gateway"], "/healthz", env, port, wait)

    def start_dispatcher(self, name: str = "dispatcher", **env: str) -> Service:
        return self.start(name, [str(BIN / "khien"), "dispatch"], env=env, wait=False)

    # -- faults --------------------------------------------------------------------------
    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kills the process and its children (Sanic workers) with `sig`, and reaps it."""
        service = self.services[name]
        if not service.alive():
            return
        service.sample_peak()
        try:
            os.killpg(service.process.pid, sig)
        except ProcessLookupError:
            pass
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            try:
                service.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(service.process.pid, signal.SIGKILL)
                service.process.wait(timeout=10)

    def restart(self, name: str, wait: bool = True) -> Service:
        """Starts the process again, with the same command, port and environment."""
        service = self.services[name]
        self.kill(name)
        service.restarts += 1
        self._spawn(service)
        if wait:
            self.wait(name)
        return service

    # -- reading -------------------------------------------------------------------------
    def url(self, name: str) -> str:
        return self.services[name].url

    def log_text(self, *names: str) -> str:
        return "".join(self.services[n].log.read_text(errors="replace") for n in names or self.services)

    def peak_rss_mb(self) -> dict[str, float]:
        return {name: round(s.sample_peak() / 1024, 1) for name, s in self.services.items()}

    def rss_mb(self) -> dict[str, float]:
        return {name: round(s.rss_kb() / 1024, 1) for name, s in self.services.items()}

    def stop(self) -> None:
        running = [s for s in self.services.values() if s.alive()]
        for service in running:
            service.sample_peak()
            try:
                os.killpg(service.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for service in running:
            try:
                service.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(service.name)
