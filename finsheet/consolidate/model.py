"""What a consolidation produces: per statement type a Polars frame (one row per account, one column per period)
with where every value came from, the restatements found where filings overlap, and the label matches.
Built by `consolidate.consolidate`; read by `analysis`, `workbook`, `charts` and the Consolidate page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import polars as pl

from finsheet.consolidate.mapping import ConsolidationSettings, Overrides, Suggestion
from finsheet.consolidate.splits import Split
from finsheet.model import Box, Check, LineItem, Period, Statement, StatementType, Unit

SCALE_NAMES = {1: "", 1_000: "thousands", 1_000_000: "millions", 1_000_000_000: "billions"}
META_COLUMNS = ["account", "label", "level", "section", "is_total", "unit"]


class Source(NamedTuple):
    """Where one printed value came from. (A tuple: there is one per value, and it is made fast.)"""

    document: str
    page: int
    raw: str | None
    box: Box | None = None


class SourceLine(NamedTuple):
    """One printed line that feeds a consolidated row: which filing, which page, under which label, and the
    periods of the row its figures fill (none: a period a newer filing reports, kept only to compare)."""

    document: str
    page: int
    label: str
    periods: tuple[str, ...]


@dataclass(slots=True)
class ConsolidatedPeriod:
    key: str
    """The column name: the ISO end date, with "/3m" style suffixes where several lengths end the same day, or
    "FY2022" for a column headed only by a year that no dated column matches."""
    label: str
    end: date | None
    months: int | None
    document: str
    """The document whose column is used for this period (the most recent one reporting it)."""
    restated: bool = False
    weeks: int | None = None
    """The length in weeks where a filing says it ("53 Weeks Ended September 3, 2017") or its start and end give
    it: retailers' 52/53-week years."""

    @property
    def when(self) -> date | None:
        """The end date; for a column headed only by a year ("FY2022") 31 December of it, to order and space by."""
        if self.end is not None:
            return self.end
        return date(int(self.key[2:6]), 12, 31) if self.key.startswith("FY") else None


@dataclass(slots=True)
class Account:
    id: str
    label: str
    level: int
    section: list[str]
    is_total: bool
    unit: Unit | None
    members: list[str] = field(default_factory=list)
    """Every account id folded into this row (itself included)."""


@dataclass(slots=True)
class Restatement:
    """A value an older document printed differently for a period a newer document also reports."""

    type: StatementType
    account: str
    label: str
    period: str
    value: float | None
    source: list[Source]
    previous: float | None
    previous_source: list[Source]

    @property
    def kind(self) -> str:
        """'restated' (both printed, differently), 'no longer reported' or 'newly reported' (a line one filing
        shows and the other does not: a change of presentation rather than of the figure)."""
        if self.value is None:
            return "no longer reported"
        return "newly reported" if self.previous is None else "restated"


@dataclass(slots=True)
class ConsolidatedStatement:
    type: StatementType
    periods: list[ConsolidatedPeriod]
    accounts: list[Account]
    frame: pl.DataFrame
    """One row per account: META_COLUMNS then one Float64 column per period key, in `periods` order."""
    sources: dict[tuple[str, str], list[Source]]
    """(account id, period key) -> where its value was printed (several for merged lines)."""
    checks: list[Check] = field(default_factory=list)
    lines: dict[str, list[SourceLine]] = field(default_factory=dict)
    """Account id -> every printed line folded into the row, oldest filing first (the Mapping sheet)."""

    def value(self, account: str, period: str) -> float | None:
        row = next((i for i, a in enumerate(self.accounts) if a.id == account), None)
        if row is None:
            raise KeyError(account)
        result: float | None = self.frame[period][row]
        return result

    def column(self, period: str) -> list[float | None]:
        return list(self.frame[period])

    def to_statement(self, *, scale: int, currency: str | None) -> Statement:
        """The consolidated periods as a plain `Statement` (for the checks and anything else that takes one)."""
        # Values only: the printed text is in the source documents' own scales, not this statement's.
        columns = {p.key: self.frame[p.key].to_list() for p in self.periods}
        items = []
        for row, account in enumerate(self.accounts):
            first = next((s[0] for p in self.periods if (s := self.sources.get((account.id, p.key)))), None)
            items.append(
                LineItem(
                    label=account.label,
                    level=account.level,
                    section=account.section,
                    is_total=account.is_total,
                    page=first.page if first else 0,
                    box=(first.box if first and first.box else (0.0, 0.0, 0.0, 0.0)),
                    values={p.key: columns[p.key][row] for p in self.periods},
                    unit=account.unit,
                )
            )
        periods = [
            Period(key=p.key, label=p.label, end=p.end, months=p.months, restated=p.restated) for p in self.periods
        ]
        return Statement(
            type=self.type,
            title=f"Consolidated {self.type.display_name.lower()}",
            pages=[],
            confidence=1.0,
            scale=scale,
            currency=currency,
            periods=periods,
            items=items,
        )


@dataclass(slots=True)
class DocumentRef:
    file: str
    sha256: str
    latest: date | None
    """The latest period end the document reports: how "most recent" is decided."""


@dataclass(slots=True)
class Consolidation:
    company: str | None
    currency: str | None
    scale: int
    documents: list[DocumentRef]
    """Oldest first; later documents win where periods overlap."""
    statements: dict[StatementType, ConsolidatedStatement]
    suggestions: list[Suggestion]
    restatements: list[Restatement]
    excluded: list[Account]
    warnings: list[str]
    settings: ConsolidationSettings
    overrides: Overrides
    skipped: list[str] = field(default_factory=list)
    """Files left out because their extraction failed or found no statement."""
    splits: list[Split] = field(default_factory=list)
    """Stock splits found between filings (oldest first); earlier filings' per-share and share figures are shown
    on the newest filing's basis (see `splits.py`)."""

    @property
    def scale_label(self) -> str:
        """'USD millions'."""
        name = SCALE_NAMES.get(self.scale, f"× {self.scale:,}")
        return " ".join(x for x in (self.currency or "", name) if x) or "units"
