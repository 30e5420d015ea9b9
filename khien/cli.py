"""`khien`: the command line for operators, tests and evaluations.

    khien run              start Rasa, the action server and the gateway; Ctrl-C stops all
    khien gateway          start the gateway alone
    khien actions          start the action server alone
    khien dispatch         deliver reports to 111 and the counsellors (outbox dispatcher)
    khien triage [FILE]    JSON lines {"id","text"} (or plain lines) -> one triage JSON line each
    khien anonymise [FILE] JSON lines {"id","text"} (or plain lines) -> {"id","text","anonymised"}
    khien purge            delete reports past their retention (safe to run from cron)
    khien reports export   stored reports as JSON lines, anonymised fields only
    khien db upgrade       apply the report store's migrations
    khien console add-user NAME --role counsellor|supervisor
                           a web console account (password: prompt, or KHIEN_CONSOLE_PASSWORD)
    khien content check    what in content/ breaks its rules (content/README.md)
    khien content build    the FAQ's Rasa files from content/faq/ (domain/generated/, nlu/data/generated/)
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from khien.settings import REPO_ROOT, get_settings


def _open_input(path: str | None):
    return sys.stdin if path in (None, "-") else open(path, encoding="utf-8", errors="replace")


def cmd_triage(args: argparse.Namespace) -> int:
    from nlu.parser import ModelParser, latest_model, read_items

    model = Path(args.model) if args.model else latest_model(get_settings().model_dir)
    parser = ModelParser(model)
    with _open_input(args.file) as stream:
        for item_id, text in read_items(stream):
            record = {"id": item_id, "text": text, **parser.triage(text)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    return 0


def cmd_anonymise(args: argparse.Namespace) -> int:
    from actions.anonymiser import anonymise
    from nlu.parser import read_items

    with _open_input(args.file) as stream:
        for item_id, text in read_items(stream):
            record = {"id": item_id, "text": text, "anonymised": anonymise(text)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def _store():
    from actions.store import ReportStore

    settings = get_settings()
    store = ReportStore(settings.database_url, settings.retention_days)
    store.migrate()
    return store


def cmd_purge(args: argparse.Namespace) -> int:
    print(f"purged {_store().purge_expired()} expired report(s)")
    return 0


def cmd_reports_export(args: argparse.Namespace) -> int:
    for report in _store().export():
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    _store()
    print("report store is at the newest migration")
    return 0


def cmd_console_add_user(args: argparse.Namespace) -> int:
    import getpass

    from bot.console.auth import Users

    password = os.environ.get("KHIEN_CONSOLE_PASSWORD")
    if not password:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            print("the passwords differ", file=sys.stderr)
            return 1
    try:
        Users(_store()).add(args.username, password, args.role)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"console user {args.username} ({args.role}) created")
    return 0


def cmd_content_check(args: argparse.Namespace) -> int:
    from khien.content import problems

    found = problems()
    for problem in found:
        print(problem)
    print(f"content/: {len(found)} problem(s)")
    return 1 if found else 0


def cmd_content_build(args: argparse.Namespace) -> int:
    from khien.content import build

    try:
        changed = build()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print("written: " + ", ".join(str(p.relative_to(REPO_ROOT)) for p in changed) if changed else "up to date")
    return 0


def cmd_dispatch(args: argparse.Namespace) -> int:
    """The outbox dispatcher alone; as many as you like may share one database."""
    import asyncio
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    from actions.store import ReportStore
    from bot.dispatcher import dispatcher_from_settings

    settings = get_settings()
    store = ReportStore(settings.database_url, settings.retention_days)
    store.migrate()
    dispatcher = dispatcher_from_settings(settings, store)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await dispatcher.run_forever(stop)

    asyncio.run(run())
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    from actions.server import serve

    serve(args.host, args.port)
    return 0


def cmd_gateway(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.gateway import create_app

    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.gateway_host, port=settings.gateway_port,
                log_level=settings.log_level.lower(), access_log=False,
                ws="none")  # no websockets; Rasa pins an old websockets that uvicorn cannot use
    return 0


def _wait_for(url: str, timeout: float) -> bool:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def cmd_run(args: argparse.Namespace) -> int:
    """The embedded default: every process on 127.0.0.1, stopped together."""
    from nlu.parser import latest_model

    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    model = latest_model(settings.model_dir)
    commands = {
        "actions": [str(bin_dir / "khien"), "actions", "--port", "5055"],
        "rasa": [str(bin_dir / "rasa"), "run", "--model", str(model), "--enable-api",
                 "--interface", "127.0.0.1", "--port", "5005", "--endpoints", args.endpoints,
                 "--credentials", "credentials.yml"],
        "gateway": [str(bin_dir / "khien"), "gateway"],
    }
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=REPO_ROOT, env=os.environ.copy())
        ready = _wait_for(f"{settings.rasa_url}/status", 300) and _wait_for(
            f"http://{settings.gateway_host}:{settings.gateway_port}/healthz", 60)
        if ready:
            print(f"\nKhiên is ready: http://{settings.gateway_host}:{settings.gateway_port}/ "
                  "(Ctrl-C stops everything)\n", flush=True)
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        failed = [n for n, p in processes.items() if p.poll() is not None]
        print(f"stopped: {', '.join(failed)} exited", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="khien", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start Rasa, actions and the gateway")
    run.add_argument("--endpoints", default=os.environ.get("KHIEN_ENDPOINTS", "endpoints.yml"))
    run.set_defaults(func=cmd_run)

    commands.add_parser("gateway", help="start the gateway").set_defaults(func=cmd_gateway)

    commands.add_parser("dispatch", help="deliver reports to 111 and the counsellors").set_defaults(
        func=cmd_dispatch)

    actions = commands.add_parser("actions", help="start the action server")
    actions.add_argument("--host", default=os.environ.get("KHIEN_ACTIONS_HOST", "127.0.0.1"))
    actions.add_argument("--port", type=int, default=int(os.environ.get("KHIEN_ACTIONS_PORT", "5055")))
    actions.set_defaults(func=cmd_actions)

    triage = commands.add_parser("triage", help="risk triage of messages, one JSON line each")
    triage.add_argument("file", nargs="?", help="input file (default: standard input)")
    triage.add_argument("--model", help="model archive (default: newest in models/)")
    triage.set_defaults(func=cmd_triage)

    anonymise = commands.add_parser("anonymise", help="replace identifiers with placeholders")
    anonymise.add_argument("file", nargs="?", help="input file (default: standard input)")
    anonymise.set_defaults(func=cmd_anonymise)

    commands.add_parser("purge", help="delete expired reports").set_defaults(func=cmd_purge)

    reports = commands.add_parser("reports", help="stored reports").add_subparsers(dest="what", required=True)
    reports.add_parser("export", help="JSON lines, anonymised fields only").set_defaults(func=cmd_reports_export)

    db = commands.add_parser("db", help="the report store").add_subparsers(dest="what", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)

    console = commands.add_parser("console", help="the counsellors' web console").add_subparsers(
        dest="what", required=True)
    add_user = console.add_parser("add-user", help="create a console account")
    add_user.add_argument("username")
    add_user.add_argument("--role", required=True, choices=("counsellor", "supervisor"))
    add_user.set_defaults(func=cmd_console_add_user)

    content = commands.add_parser("content", help="lessons and answers in content/").add_subparsers(
        dest="what", required=True)
    content.add_parser("check", help="check the files against their rules").set_defaults(func=cmd_content_check)
    content.add_parser("build", help="write the FAQ's Rasa files").set_defaults(func=cmd_content_build)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
