"""The settings registry: precedence argument > environment > default, and clear parse errors."""

import pytest

from dashboard import settings


def test_default_when_nothing_set(monkeypatch):
    monkeypatch.delenv("KHAZALI_PORT", raising=False)
    assert settings.resolve("port") == settings.SETTINGS["port"].default


def test_environment_beats_default(monkeypatch):
    monkeypatch.setenv("KHAZALI_PORT", "9123")
    assert settings.resolve("port") == 9123


def test_argument_beats_environment(monkeypatch):
    monkeypatch.setenv("KHAZALI_PORT", "9123")
    assert settings.resolve("port", 7000) == 7000


@pytest.mark.parametrize("raw,expected", [("1", True), ("yes", True), ("off", False), ("0", False)])
def test_boolean_settings_parse(monkeypatch, raw, expected):
    monkeypatch.setenv("KHAZALI_DEBUG", raw)
    assert settings.resolve("debug") is expected


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("KHAZALI_NODE_CAP", "many")
    with pytest.raises(ValueError, match="KHAZALI_NODE_CAP"):
        settings.resolve("node_cap")


def test_safe_serving_defaults():
    assert settings.SETTINGS["host"].default == "127.0.0.1"
    assert settings.SETTINGS["debug"].default is False
