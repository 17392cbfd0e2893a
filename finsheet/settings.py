"""Configuration: environment variables `FINSHEET_<FIELD>` over `.streamlit/secrets.toml` over defaults.

In secrets.toml, put the same field names (lower case) in a `[finsheet]` table:

    [finsheet]
    smtp_host = "smtp.example.com"
    llm_base_url = "http://127.0.0.1:8080/v1"

`FINSHEET_DATA_DIR` (default `data/`) moves the database, uploads and logs together; tests and tools rely on it.
Everything optional (SMTP, LLMWhisperer, an LLM) is off while its setting is empty.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from finsheet.errors import ConfigError

ENV_PREFIX = "FINSHEET_"
DEFAULT_SECRETS = Path(".streamlit/secrets.toml")


class Settings(BaseModel):
    # storage
    data_dir: Path = Path("data")
    max_upload_mb: int = 50
    # extraction
    engine: Literal["local", "whisperer"] = "local"
    ocr: bool = True
    ocr_dpi: int = 300
    # limits (bad input must not take the machine down: see finsheet.extraction.pdf's rendering limits)
    max_pages: int = 2000
    """A PDF with more pages is refused (the longest bank annual reports run to about 600)."""
    max_render_megapixels: float = 25.0
    """A page is rendered (for OCR) at most this large: 11 × 17 in at 300 dpi is 17 megapixels. Bigger pages are
    rendered at a lower resolution; a page that even at 72 dpi would pass it is refused."""
    max_image_megapixels: float = 100.0
    """A page drawing an image with more pixels (a decompression bomb) is not rendered: it cannot be drawn without
    decoding the whole image. A 600 dpi scan of a letter page is 34 megapixels."""
    worker_memory_mb: int = 2048
    """Address space of each extraction child process (RLIMIT_AS); 0: no limit. Past it, that job fails."""
    # job queue
    workers: int = 3
    job_timeout_s: float = 300.0
    max_attempts: int = 4
    # notifications (off while smtp_host is empty)
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "finsheet@localhost"
    app_url: str = "http://localhost:8501"
    # optional engines (off while their key / URL is empty)
    llmwhisperer_api_key: str = ""
    llmwhisperer_url: str = "https://llmwhisperer-api.us-central.unstract.com/api/v2"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    # authentication
    cookie_key: str = ""
    """Signs the login cookie; at least 32 bytes. Generated once into the data dir when unset."""
    cookie_name: str = "finsheet_auth"
    cookie_expiry_days: float = 7.0
    admin_password: str = ""
    """One-time password for the first `admin` account; generated and printed when unset."""
    allow_registration: bool = False
    """Whether the login page offers self-registration until an admin flips the switch on the Admin page."""
    # login throttling, sessions and the cookie (workbench/auth.py)
    login_max_failures: int = 5
    """Failed logins for one username within `login_lockout_minutes` that lock it for that long."""
    login_client_max_failures: int = 20
    """Failed logins from one client address (any usernames) within `login_lockout_minutes` that lock it."""
    login_lockout_minutes: float = 15.0
    cookie_secure: bool = False
    """Mark the login cookie Secure (sent over HTTPS only): set it when finsheet is served behind HTTPS."""
    client_ip_header: str = ""
    """Behind a reverse proxy: the header naming the real client address (X-Real-IP, or X-Forwarded-For whose last
    address is taken) that login throttling counts by. Empty: the connection's own address (clients connect
    directly)."""

    @property
    def db_path(self) -> Path:
        return self.data_dir / "finsheet.duckdb"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def smtp_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def whisperer_enabled(self) -> bool:
        return bool(self.llmwhisperer_api_key)

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def load_settings(
    env: Mapping[str, str] | None = None, secrets_path: Path | None = None, **overrides: Any
) -> Settings:
    """Settings from (lowest first) defaults, secrets.toml's `[finsheet]` table, `FINSHEET_*` variables, overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = secrets_path or Path(env.get(ENV_PREFIX + "SECRETS", str(DEFAULT_SECRETS)))
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text()).get("finsheet", {})
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings from {path}: {exc}") from exc
        values.update({k: v for k, v in table.items() if k in Settings.model_fields})
    for name in Settings.model_fields:
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None:
            values[name] = raw
    values.update(overrides)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {ENV_PREFIX}{field.upper()}: {first['msg']}") from exc
