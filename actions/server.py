"""The action server, started by `khien actions` (and `khien run`).

rasa_sdk's own server answers an exception with the whole request, the tracker with the
child's messages, and Rasa then writes that answer to its log. This server is rasa_sdk's,
with that one handler replaced: an error is reported by its class and traceback only.
"""
from __future__ import annotations

import logging
import traceback

from sanic import response

logger = logging.getLogger(__name__)


def create_app():
    from rasa_sdk.endpoint import create_app as create_rasa_sdk_app

    app = create_rasa_sdk_app("actions")

    @app.exception(Exception)
    async def report_without_content(request, exception: Exception):
        logger.error("action server error %s at\n%s", type(exception).__name__,
                     "".join(traceback.format_tb(exception.__traceback__)))
        return response.json({"error": type(exception).__name__}, status=500)

    return app


def serve(host: str, port: int) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    create_app().run(host, port, workers=1, access_log=False)
