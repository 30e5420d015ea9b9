"""Custom actions (rasa_sdk). The action server loads this package: `rasa run actions --actions actions`."""
