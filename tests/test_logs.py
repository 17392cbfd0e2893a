"""Structured logs: one JSON object per line, to the data dir's log file (and stderr)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from finsheet.logs import LOG_FILE, close_logging, get_logger, log_event, setup_logging
from finsheet.settings import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    yield load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "data")})
    close_logging()


def lines(settings: Settings) -> list[dict[str, object]]:
    return [json.loads(line) for line in (settings.logs_dir / LOG_FILE).read_text().splitlines()]


def test_event_is_one_json_line_with_its_fields(settings: Settings) -> None:
    """log_event writes ts, level, event and the given fields; None fields are left out."""
    setup_logging(settings, stderr=False)
    log_event("job.completed", job_id=7, document_id=3, user="ann", error=None)
    [line] = lines(settings)
    assert {k: line[k] for k in ("level", "event", "job_id", "document_id", "user")} == {
        "level": "info", "event": "job.completed", "job_id": 7, "document_id": 3, "user": "ann"}
    assert "error" not in line and str(line["ts"]).endswith("+00:00")


def test_setup_twice_adds_no_second_handler(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    """Calling setup_logging again (every queue start does) does not duplicate lines."""
    setup_logging(settings, stderr=True)
    setup_logging(settings, stderr=True)
    log_event("queue.started", workers=3)
    assert len(lines(settings)) == 1
    ours = [h for h in get_logger().handlers if isinstance(h, RotatingFileHandler) or hasattr(h, "finsheet_stderr")]
    assert len(ours) == 2
    assert capsys.readouterr().err.count('"event": "queue.started"') == 1


def test_exception_is_in_the_line(settings: Settings) -> None:
    """A logged exception keeps its traceback inside the same JSON object."""
    setup_logging(settings, stderr=False)
    try:
        raise KeyError("oops")
    except KeyError:
        log_event("job.failed", level=logging.ERROR, exc_info=True, job_id=1)
    [line] = lines(settings)
    assert line["level"] == "error" and "KeyError: 'oops'" in str(line["exception"])
