"""The counsellors' web console (bot/console/app.py); the gateway mounts `create_console` at /console."""
from bot.console.app import create_console

__all__ = ["create_console"]
