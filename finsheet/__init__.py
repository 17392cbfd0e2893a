"""finsheet: financial statements out of PDFs, checked, stored, consolidated and exported.

The names below load on first use, so `import finsheet` (and the `finsheet` command) starts fast: the command
line pays for pydantic, PDFium and the parsers only when a subcommand needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from finsheet.errors import FinsheetError, PdfError
    from finsheet.extraction.pipeline import extract
    from finsheet.model import Check, Document, LineItem, Period, Statement, StatementType

__all__ = [
    "Check",
    "Document",
    "FinsheetError",
    "LineItem",
    "PdfError",
    "Period",
    "Statement",
    "StatementType",
    "extract",
]

_HOME = {
    "Check": "finsheet.model",
    "Document": "finsheet.model",
    "LineItem": "finsheet.model",
    "Period": "finsheet.model",
    "Statement": "finsheet.model",
    "StatementType": "finsheet.model",
    "FinsheetError": "finsheet.errors",
    "PdfError": "finsheet.errors",
    "extract": "finsheet.extraction.pipeline",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'finsheet' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
