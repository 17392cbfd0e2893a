"""Structured logs: one JSON object per line, to stderr and to `logs_dir/finsheet.log`.

    log = get_logger()
    log_event("job.completed", job_id=7, document_id=3, user="ann", seconds=1.2)

Every event carries `ts`, `level` and `event`; the fields given (job id, document id, user, ...) follow. Call
`setup_logging(settings)` once per process (the job queue and the CLI do); calling it again is harmless.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from typing import Any

from finsheet.settings import Settings

LOGGER = "finsheet"
LOG_FILE = "finsheet.log"
_FIELDS = "fields"


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: ts, level, event, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        line.update(getattr(record, _FIELDS, {}))
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def get_logger() -> logging.Logger:
    return logging.getLogger(LOGGER)


def setup_logging(settings: Settings, *, stderr: bool = True, level: int = logging.INFO) -> logging.Logger:
    """Attach the JSON handlers (file under settings.logs_dir, and stderr) to the finsheet logger, once per file."""
    logger = get_logger()
    logger.setLevel(level)
    logger.propagate = False
    path = (settings.logs_dir / LOG_FILE).resolve()
    known = {getattr(h, "baseFilename", None) for h in logger.handlers}
    if str(path) not in known:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = RotatingFileHandler(
                path, maxBytes=20 * 1024 * 1024, backupCount=5, encoding="utf-8", delay=True
            )
        except OSError as exc:  # a read-only data dir must not stop the work; say so on stderr
            print(f"finsheet: cannot write logs to {path}: {exc}", file=sys.stderr)
        else:
            handler.setFormatter(JsonFormatter())
            logger.addHandler(handler)
    if stderr and not any(getattr(h, "finsheet_stderr", False) for h in logger.handlers):
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(JsonFormatter())
        console.finsheet_stderr = True  # type: ignore[attr-defined]
        logger.addHandler(console)
    return logger


def close_logging() -> None:
    """Detach and close every handler (tests, and a process that moves its data dir)."""
    logger = get_logger()
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def log_event(event: str, *, level: int = logging.INFO, exc_info: bool = False, **fields: Any) -> None:
    """Log one event with its fields (None values are left out)."""
    clean = {k: v for k, v in fields.items() if v is not None}
    get_logger().log(level, event, extra={_FIELDS: clean}, exc_info=exc_info)
