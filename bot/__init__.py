"""The gateway: channel adapters (web chat, Telegram, Zalo) in front of Rasa. It speaks to
channels and people and decides nothing about risk."""
