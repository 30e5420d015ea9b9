"""`khien`: the command line for operators, tests and evaluations.

    khien run              start Rasa, the action server and the gateway; Ctrl-C stops all
    khien gateway          start the gateway alone
    khien triage [FILE]    JSON lines {"id","text"} (or plain lines) -> one triage JSON line each
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


def cmd_gateway(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.gateway import create_app

    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.gateway_host, port=settings.gateway_port,
                log_level=settings.log_level.lower(), access_log=False)
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
        "actions": [str(bin_dir / "rasa"), "run", "actions", "--actions", "actions",
                    "--port", "5055"],
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

    triage = commands.add_parser("triage", help="risk triage of messages, one JSON line each")
    triage.add_argument("file", nargs="?", help="input file (default: standard input)")
    triage.add_argument("--model", help="model archive (default: newest in models/)")
    triage.set_defaults(func=cmd_triage)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
