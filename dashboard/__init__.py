"""Khazali Papers network explorer: ingest reports into tables, explore them in a Dash app."""

__version__ = "0.1.0"
