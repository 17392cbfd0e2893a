"""Domain types every stage speaks in.

Two kinds live here:

* `Word` and `Page` — what text extraction produces (pypdfium2, OCR or LLMWhisperer all produce the same shape).
  They are plain slotted dataclasses: a 10-K has tens of thousands of words, and they never leave the process.
* `Period`, `LineItem`, `Check`, `Statement`, `Document` — the extraction result. These are pydantic models;
  `Document.model_dump(mode="json")` is exactly the JSON contract of `finsheet extract --json`
  (ARCHITECTURE.md, "The extraction contract"): extend it, don't break it.

Coordinates are PDF points with the origin at the top-left of the page: (x0, top, x1, bottom).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

Box = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin top-left."""

TextSource = Literal["text", "ocr", "whisperer", "none"]


class StatementType(StrEnum):
    INCOME = "income_statement"
    BALANCE = "balance_sheet"
    CASH_FLOW = "cash_flow"
    EQUITY = "equity"
    COMPREHENSIVE = "comprehensive_income"

    @property
    def display_name(self) -> str:
        """A human name for headings: 'Balance sheet'."""
        return _TITLES[self]


_TITLES = {
    StatementType.INCOME: "Income statement",
    StatementType.BALANCE: "Balance sheet",
    StatementType.CASH_FLOW: "Cash flow statement",
    StatementType.EQUITY: "Changes in equity",
    StatementType.COMPREHENSIVE: "Comprehensive income",
}

Unit = Literal["per_share", "shares", "percent"]
"""An item's own unit when it is not money (money items have unit None and take the statement's scale)."""


# --------------------------------------------------------------------------- text extraction


@dataclass(slots=True)
class Word:
    """One word on a page with its box. `conf` is the OCR confidence (0–1); 1.0 for a text layer."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0

    @property
    def box(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Page:
    """One PDF page: its positioned words and a layout-preserving text rendering.

    `number` is 1-based. Words are placed on the page turned so that its text reads upright (`pdf.text_turn`,
    `ocr_turn.scan_turn`), and `width`/`height` are that page's. `source` says where the words came from;
    `warnings` carries anything the analyst should know about this page (e.g. OCR unavailable). `running_text`: a
    scanned page of plain running text that OCR passed over (`ocr_prose`): it has no words, and holds no statement.
    """

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    text: str = ""
    source: TextSource = "text"
    warnings: list[str] = field(default_factory=list)
    running_text: bool = False


# --------------------------------------------------------------------------- extraction result


class Period(BaseModel):
    """One value column of a statement.

    `key` is stable and unique within the statement: the ISO end date ("2023-12-31"), suffixed with the length
    where several periods end on the same day ("2023-07-29/3m", "2023-07-29/6m"), or the printed label when no
    date can be read. `months` is the length of a flow period (3, 6, 9, 12) or None for a balance date / unknown.
    """

    key: str
    label: str
    end: date | None = None
    start: date | None = None
    months: int | None = None
    restated: bool = False


LOW_CONFIDENCE = 0.8
"""A line read with less confidence than this is shown as doubtful to the analyst (shaded in Review)."""


class LineItem(BaseModel):
    """One line of a statement with its values per period key, the printed text of each value, and where it is."""

    label: str
    level: int = 0
    section: list[str] = Field(default_factory=list)
    is_total: bool = False
    page: int
    box: Box
    confidence: float = 1.0
    values: dict[str, float | None] = Field(default_factory=dict)
    raw: dict[str, str] = Field(default_factory=dict)
    unit: Unit | None = None
    note: str | None = None
    """The printed note reference ("7, 8", "B2"), when the statement has a Notes column."""
    boxes: dict[str, Box] = Field(default_factory=dict)
    """Box of each printed value, by period key, for highlighting one number."""
    engine: str = "local"
    """Which engine produced the values: "local", "whisperer", "llm:<model>", or "analyst" after a correction."""


class Check(BaseModel):
    """An arithmetic identity tested on one period. A failed check names the numbers in `detail`.

    `ok` is tri-state: True holds, False fails, None **not verified** (the statement's structure could not be
    decided or a figure is missing): shown grey, never as a failure."""

    name: str
    ok: bool | None
    detail: str
    period: str | None = None
    expected: float | None = None
    actual: float | None = None


class Statement(BaseModel):
    type: StatementType
    title: str
    pages: list[int]
    confidence: float
    scale: int | None = 1
    """Multiply printed money values by this (1, 1000, 1000000, ...). None: unknown, the statement prints no unit
    and the document does not say it elsewhere; its values are as printed and its confidence is lowered."""
    currency: str | None = None
    periods: list[Period] = Field(default_factory=list)
    items: list[LineItem] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    entity: str | None = None
    """The reporting entity when a document holds statements for several (a parent and a sponsored project)."""
    _currency_headed: bool = PrivateAttr(default=False)
    """While extracting: its columns are headed by a bare currency sign and no unit (whole units, unless the
    document's other statements state a multiplier). Not part of the contract."""

    @property
    def checks_passed(self) -> int:
        return sum(c.ok is True for c in self.checks)

    @property
    def checks_failed(self) -> int:
        return sum(c.ok is False for c in self.checks)

    @property
    def checks_unverified(self) -> int:
        return sum(c.ok is None for c in self.checks)


class Document(BaseModel):
    file: str
    sha256: str
    pages: int
    seconds: float = 0.0
    statements: list[Statement] = Field(default_factory=list)
    company: str | None = None
    """The reporting company as printed above the statements ("COSTCO WHOLESALE CORPORATION"), when found."""
    engine: str = "local"
    warnings: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    ocr_pages: list[int] = Field(default_factory=list)
    error: str | None = None
    checks: list[Check] = Field(default_factory=list)
    """Ties between the document's statements (net income on the income statement = the net income opening the
    cash flow and the statement of comprehensive income; closing cash = balance-sheet cash), from
    `finsheet.extraction.ties.document_checks`."""

    def statement(self, kind: StatementType) -> Statement | None:
        """The first statement of a type, or None."""
        return next((s for s in self.statements if s.type == kind), None)


class CacheKey(BaseModel):
    """What identifies an engine's (paid) answer: the same pages of one PDF asked the same way of one model."""

    model_config = {"frozen": True}

    sha256: str
    pages: tuple[int, ...]
    engine: str
    model: str
    prompt_version: str
