"""The finsheet exception tree.

    FinsheetError
     ├── ConfigError         a setting is missing or invalid
     ├── PdfError            the bytes are not a readable PDF (not a PDF, corrupt, encrypted, no pages)
     ├── ExtractionError     the PDF opened but nothing usable came out of it (no statements found)
     ├── ParseError          a statement region could not be parsed
     ├── StorageError        the database refused an operation
     ├── UploadError         an upload was rejected (too large, not a PDF, ...)
     ├── ExportError         a workbook or chart could not be built
     ├── AuthError           a login, registration or permission failed
     ├── JobError            a background job failed or was cancelled
     │    └── JobCancelled   the job was cancelled at a stage boundary
     └── EngineError         an optional external engine (LLMWhisperer, an LLM) failed
          └── EngineUnavailable  the engine is not configured or cannot be reached

Every message is written for the analyst: one line, saying what is wrong and, where it helps, what to do.
`transient` marks errors that may pass on a retry (a timeout, a 503); the job queue retries only those.
"""

from __future__ import annotations


class FinsheetError(Exception):
    """Root of every error finsheet raises on purpose."""

    transient: bool = False


class ConfigError(FinsheetError):
    """A setting is missing or invalid."""


class PdfError(FinsheetError):
    """The file is not a PDF finsheet can read."""


class ExtractionError(FinsheetError):
    """The PDF opened but no financial statement could be extracted from it."""


class ParseError(FinsheetError):
    """A statement region could not be parsed."""


class StorageError(FinsheetError):
    """The database refused an operation."""


class UploadError(FinsheetError):
    """An upload was rejected before it was stored."""


class ExportError(FinsheetError):
    """A workbook or chart could not be built."""


class AuthError(FinsheetError):
    """A login, registration or permission check failed."""


class JobError(FinsheetError):
    """A background job failed."""


class JobCancelled(JobError):
    """The job was cancelled; raised at the next stage boundary."""


class EngineError(FinsheetError):
    """An optional external engine failed."""


class EngineUnavailable(EngineError):
    """The engine is not configured or cannot be reached."""


class TransientError(FinsheetError):
    """A failure that may pass on a retry (timeouts, rate limits, busy services)."""

    transient = True


class EngineBusy(EngineError, TransientError):
    """An engine timed out, is rate-limited or failing; the job may pass on a later retry."""
