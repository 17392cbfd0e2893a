"""finsheet: financial statements out of PDFs, checked, stored, consolidated and exported."""

from finsheet.errors import FinsheetError, PdfError
from finsheet.model import Check, Document, LineItem, Period, Statement, StatementType
from finsheet.pipeline import extract

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
