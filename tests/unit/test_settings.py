"""Settings: typed, layered (file < environment < options), refused with one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from townhall.config import Settings, example_toml, load_settings
from townhall.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "townhall.toml.example"


def test_the_example_file_is_generated_from_the_settings_model():
    assert EXAMPLE.read_text(encoding="utf-8") == example_toml(), (
        "regenerate: python -c 'from townhall.config import example_toml; "
        'print(example_toml(), end="")\' > townhall.toml.example'
    )


def test_the_example_file_lists_every_setting_and_loads_when_uncommented(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    body = "\n".join(
        line.removeprefix("# ")
        for line in text.splitlines()
        if line.startswith("# ") and " = " in line and '= ""' not in line
    )
    path = tmp_path / "townhall.toml"
    path.write_text(body, encoding="utf-8")
    assert load_settings(path, env={}) == load_settings(env={})
    for key in Settings.model_fields:
        assert f"# {key} = " in text


def test_a_misspelt_key_in_the_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "townhall.toml"
    path.write_text('databse_url = "sqlite:///elsewhere.sqlite3"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert "databse_url" in err.value.detail and "\n" not in err.value.detail


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TOWNHALL_SESSION_DAYS": "0"}, "TOWNHALL_SESSION_DAYS"),
        ({"TOWNHALL_MAX_REQUEST_BYTES": "lots"}, "TOWNHALL_MAX_REQUEST_BYTES"),
        ({"TOWNHALL_RATE_LIMITS": "perhaps"}, "TOWNHALL_RATE_LIMITS"),
        ({"TOWNHALL_LOG_LEVEL": "chatty"}, "TOWNHALL_LOG_LEVEL"),
        ({"TOWNHALL_SSE_KEEPALIVE_SECONDS": "-1"}, "TOWNHALL_SSE_KEEPALIVE_SECONDS"),
    ],
)
def test_a_value_out_of_range_is_refused_in_one_line_naming_the_variable(env, named):
    with pytest.raises(ConfigError) as err:
        load_settings(env=env)
    assert err.value.detail.startswith(named) and "\n" not in err.value.detail


def test_file_then_environment_then_options(tmp_path):
    path = tmp_path / "townhall.toml"
    path.write_text(
        'site_name = "From the file"\nsession_days = 7\nallowed_origins = ["https://a.example/"]\n',
        encoding="utf-8",
    )
    env = {"TOWNHALL_SESSION_DAYS": "9", "TOWNHALL_RATE_LIMITS": "off"}
    s = load_settings(path, env=env, site_name="From an option")
    assert s.site_name == "From an option"
    assert s.session_days == 9
    assert s.rate_limits is False
    assert s.allowed_origins == ("https://a.example",)
    env = {"TOWNHALL_ALLOWED_ORIGINS": "https://b.example/, https://c.example"}
    assert load_settings(env=env).allowed_origins == ("https://b.example", "https://c.example")


def test_other_townhall_variables_are_left_to_their_tools():
    s = load_settings(env={"TOWNHALL_TEST_DATABASE_URL": "x", "TOWNHALL_CONFIG_NOTE": "y"})
    assert s.database_url == load_settings(env={}).database_url
