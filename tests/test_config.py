"""Settings: defaults, YAML file, KB_* variables, overrides, and clear errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from kb.config import PROJECT_ROOT, ConfigError, load_settings


def test_defaults_point_at_the_project():
    settings = load_settings(environ={})
    assert settings.corpus_dir == PROJECT_ROOT / "corpus"
    assert settings.index_dir == PROJECT_ROOT / "data" / "index"
    assert settings.max_upload_mb == 20


def test_precedence_file_then_environment_then_overrides(tmp_path):
    config = tmp_path / "kb.yaml"
    config.write_text("page_size: 25\nmax_upload_mb: 5\ndata_dir: /tmp/from-file\n")
    env = {"KB_CONFIG": str(config), "KB_MAX_UPLOAD_MB": "7"}
    settings = load_settings({"data_dir": tmp_path / "cli"}, environ=env)
    assert settings.page_size == 25          # from the file
    assert settings.max_upload_mb == 7       # the environment beats the file
    assert settings.data_dir == (tmp_path / "cli").resolve()   # an override beats both


@pytest.mark.parametrize("environ, message", [
    ({"KB_PAGE_SIZE": "ten"}, "setting 'page_size'"),
])
def test_bad_values_are_clear_errors(environ, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=environ)


def test_unknown_setting_in_file(tmp_path):
    config = tmp_path / "kb.yaml"
    config.write_text("colour: blue\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings(environ={"KB_CONFIG": str(config)})


def test_invalid_yaml_file(tmp_path):
    config = tmp_path / "kb.yaml"
    config.write_text("page_size: [1\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_settings(environ={"KB_CONFIG": str(config)})


def test_web_app_reads_environment(tmp_path, monkeypatch, make_app):
    monkeypatch.setenv("KB_CORPUS_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "d"))
    app = make_app()
    assert app.config["KB_SETTINGS"].corpus_dir == Path(tmp_path / "c").resolve()
    assert (tmp_path / "d" / "secret_key").is_file()
