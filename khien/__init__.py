"""Khiên: shared settings, privacy primitives and the `khien` command line."""
