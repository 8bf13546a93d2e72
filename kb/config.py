"""Settings, declared once.

A frozen dataclass with defaults and help text. Values come, in increasing order of
precedence, from the defaults, an optional YAML file (``kb.yaml`` in the working
directory or the path in ``KB_CONFIG``), ``KB_*`` environment variables, and explicit
overrides (command-line options, test configuration).
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("tantivy", "whoosh", "typesense")   # search engines behind kb.index (kb/index/<engine>/), default first


class ConfigError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = field(
        default=PROJECT_ROOT / "corpus",
        metadata={"help": "Folder of documents: the source of truth."})
    data_dir: Path = field(
        default=PROJECT_ROOT / "data",
        metadata={"help": "Folder for the index, extraction cache, accounts and logs."})
    page_size: int = field(
        default=10, metadata={"help": "Search results per page."})
    max_page_size: int = field(
        default=100, metadata={"help": "Largest page size a request may ask for."})
    max_parameters: int = field(
        default=120, metadata={"help": "Most URL parameters one request may have (each value of a repeated "
                                       "parameter counts): a 400 above."})
    max_facet_values: int = field(
        default=10, metadata={"help": "Most values of one parameter (a facet or filter repeated) in one "
                                      "request: a 400 above."})
    max_query_length: int = field(
        default=1000, metadata={"help": "Most characters of one URL parameter's value (a query, a filter "
                                       "value): a 400 above."})
    max_upload_mb: int = field(
        default=20, metadata={"help": "Largest file staff may upload or `kb add`, in megabytes."})
    max_text_mb: float = field(
        default=2.0, metadata={"help": "Most text a new or edited document may have, in megabytes of UTF-8 "
                                       "(about 600 pages): uploads, pasted text, `kb add` and the staff forms."})
    max_pdf_pages: int = field(
        default=500, metadata={"help": "Most pages a PDF may have to be added."})
    reader_memory_mb: int = field(
        default=1024, metadata={"help": "Memory the process reading an uploaded or added file may use, in megabytes."})
    reader_timeout: float = field(
        default=60.0, metadata={"help": "Seconds the process reading an uploaded or added file may take; a "
                                        "scan's OCR gets as long again for each page."})
    max_ocr_pages: int = field(
        default=100, metadata={"help": "Most pages of a scan staff may upload to be recognised (OCR)."})
    secret_key: str = field(
        default="", metadata={"help": "Flask secret key; a random one is kept in the data folder when empty."})
    index_lock_timeout: float = field(
        default=30.0, metadata={"help": "Seconds to wait for the index write lock."})
    secure_cookies: bool = field(
        default=False, metadata={"help": "Send the session cookie over HTTPS only (set it when served behind HTTPS)."})
    login_max_failures: int = field(
        default=5, metadata={"help": "Failed logins (per account and per address) before logging in is locked."})
    login_lockout_minutes: int = field(
        default=15, metadata={"help": "Minutes a login stays locked after too many failures."})
    public_originals: bool = field(
        default=True, metadata={"help": "Anyone may download a document's original file (PDF, Word, HTML) "
                                        "from its page; off: staff only."})
    engine: str = field(
        default=ENGINES[0], metadata={"help": "The search engine behind the index: tantivy, whoosh, or "
                                              "typesense (a replicated cluster, see typesense_nodes).",
                                      "choices": ENGINES})
    # -- the typesense engine (kb/index/typesense/) --------------------------------------
    typesense_nodes: str = field(
        default="127.0.0.1:8108,127.0.0.1:8118,127.0.0.1:8128",
        metadata={"help": "Typesense nodes, comma-separated host:port (https://host:port for TLS); "
                          "the default is the cluster `make cluster` starts."})
    typesense_api_key: str = field(
        default="", repr=False,
        metadata={"help": "Typesense API key; set it with KB_TYPESENSE_API_KEY, never in a file of the "
                          "repository. Empty: read typesense_api_key_file."})
    typesense_api_key_file: str = field(
        default="",
        metadata={"help": "File holding the Typesense API key (empty: <data_dir>/cluster/api-key, "
                          "written by `make cluster`)."})
    typesense_collection: str = field(
        default="kb", metadata={"help": "Name of the Typesense collection (an alias) holding the documents."})
    typesense_timeout: float = field(
        default=2.0, metadata={"help": "Seconds to wait for one Typesense node before trying the next."})
    typesense_write_timeout: float = field(
        default=30.0, metadata={"help": "Seconds a write keeps retrying while the cluster has no leader "
                                        "before it is refused."})

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **_coerce_all(changes))


_BOOLEANS = {"true": True, "yes": True, "on": True, "1": True,
             "false": False, "no": False, "off": False, "0": False}


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "Path":
            return Path(value).expanduser().resolve()
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in _BOOLEANS:
                raise ValueError("expected true or false")
            return _BOOLEANS[text]
        choices = {f.name: f.metadata.get("choices") for f in fields(Settings)}[name]
        if choices and str(value) not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot use {value!r} ({exc})") from None


def _coerce_all(values: Mapping[str, Any]) -> dict[str, Any]:
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return {name: _coerce(name, value) for name, value in values.items() if value is not None}


def load_settings(overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from defaults, YAML file, ``KB_*`` variables and overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_path = Path(environ.get("KB_CONFIG", "kb.yaml"))
    if config_path.is_file():
        try:
            loaded = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{config_path}: invalid YAML: {exc}") from None
        if not isinstance(loaded, dict):
            raise ConfigError(f"{config_path}: expected a mapping of settings")
        values.update(loaded)
    for f in fields(Settings):
        env_name = "KB_" + f.name.upper()
        if env_name in environ:
            values[f.name] = environ[env_name]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings(**_coerce_all(values))


def settings_help() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, for documentation and `kb config`."""
    return [(f.name, f.default, f.metadata.get("help", "")) for f in fields(Settings)]
