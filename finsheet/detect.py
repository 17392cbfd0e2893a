"""Which pages hold which statement (work in progress: replaced by the real detector in the next commit)."""

from __future__ import annotations

from dataclasses import dataclass, field

from finsheet.model import Page, StatementType


@dataclass(slots=True)
class Section:
    """A statement found on one or more pages; `x_range` limits it to part of a page (side-by-side layouts)."""

    type: StatementType
    title: str
    pages: list[int]
    confidence: float
    x_range: tuple[float, float] | None = None
    y_start: dict[int, float] = field(default_factory=dict)
    y_end: dict[int, float] = field(default_factory=dict)


def candidate_pages(texts: list[str], wanted: list[int]) -> list[int]:
    return []


def find_sections(pages: dict[int, Page]) -> list[Section]:
    return []
