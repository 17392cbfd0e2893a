"""What an LLM's re-read of a statement must look like, and the guard that keeps only what the page supports.

A language model, above all a small local one, will happily invent a number, rescale one, or flip its sign. So
every number it returns must be printed on the page it read: the same digits with the same sign convention, i.e.
-1234 is supported by "(1,234)" or "-1,234" and 1234 only by a "1,234" that is not negated; 0 also by a dash
standing for nil. Unsupported numbers are dropped (the cell is left empty), and an item left with no value at all
is dropped with them. The candidate built from what survives is then judged by the same checks as the local parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from finsheet.extraction.pdf import group_lines
from finsheet.model import Box, LineItem, Page, Period, Statement

MAX_PERIODS = 6
MAX_ITEMS = 80
MAX_LABEL = 100


class ReadItem(BaseModel):
    """One line as the model read it: values in the order of `ReadStatement.periods`."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(max_length=MAX_LABEL)
    values: list[float | None] = Field(max_length=MAX_PERIODS)
    is_total: bool


class ReadStatement(BaseModel):
    """The JSON the model must answer with. Arrays are bounded so constrained decoding cannot loop forever."""

    model_config = ConfigDict(extra="forbid")

    periods: list[str] = Field(min_length=1, max_length=MAX_PERIODS)
    items: list[ReadItem] = Field(max_length=MAX_ITEMS)


# A printed number: optional "(" or minus, optional currency, digits with thousands separators and decimals, ")".
_NUMBER = re.compile(
    r"(?P<open>\()?[ \t]*(?P<minus>[-\u2212\u2013])?[ \t]*[$€£¥]?[ \t]*"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]*\d)[ \t]*%?[ \t]*(?P<close>\))?"
)
_NIL = re.compile(r"(?:^|[ \t])[-\u2013\u2014][ \t]*(?:$|[ \t])", re.MULTILINE)


def printed_numbers(text: str) -> dict[float, str]:
    """Every number printed in `text` with its sign as printed, mapped to the text that prints it."""
    found: dict[float, str] = {}
    for match in _NUMBER.finditer(text):
        value = float(match["digits"].replace(",", ""))
        negative = bool(match["minus"]) or bool(match["open"] and match["close"])
        key = round(-value if negative else value, 6)
        found.setdefault(key, match.group(0).strip())
    if _NIL.search(text):
        found.setdefault(0.0, "—")
    return found


def answer_schema(page_text: str) -> dict[str, Any]:
    """The JSON Schema for one page's answer, its arrays bounded by what the page can hold: no more items than
    lines with numbers (plus a little slack for wrapped labels), no more periods than numbers on one line. Tight
    bounds keep a small model from filling the maximum with invented lines until max_tokens cuts it off."""
    rows = [len(_NUMBER.findall(line)) for line in page_text.splitlines()]
    numeric = [n for n in rows if n]
    items = min(MAX_ITEMS, len(numeric) + 2)
    periods = max(1, min(MAX_PERIODS, max(numeric, default=1)))
    schema = ReadStatement.model_json_schema()
    schema["properties"]["items"]["maxItems"] = items
    schema["properties"]["periods"]["maxItems"] = periods
    schema["$defs"]["ReadItem"]["properties"]["values"]["maxItems"] = periods
    return schema


def supported(value: float, printed: dict[float, str]) -> str | None:
    """The printed text that supports `value` (same digits, same sign), or None."""
    return printed.get(round(value, 6))


@dataclass
class GuardReport:
    """What the guard did to one answer."""

    kept: int = 0
    rejected: list[float] = field(default_factory=list)
    dropped_items: list[str] = field(default_factory=list)


def _norm(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", label.lower())


def _label_boxes(pages: dict[int, Page], numbers: list[int]) -> dict[str, tuple[int, Box]]:
    """Where each printed line label is: normalised label -> (page, box of the whole line)."""
    boxes: dict[str, tuple[int, Box]] = {}
    for number in numbers:
        page = pages.get(number)
        if page is None:
            continue
        for line in group_lines(page.words):
            label_words = []
            for word in line:
                if _NUMBER.fullmatch(word.text.strip()):
                    break
                label_words.append(word.text)
            key = _norm(" ".join(label_words))
            if key and key not in boxes:
                box = (
                    min(w.x0 for w in line),
                    min(w.top for w in line),
                    max(w.x1 for w in line),
                    max(w.bottom for w in line),
                )
                boxes[key] = (number, box)
    return boxes


def build_candidate(
    local: Statement, read: ReadStatement, pages: dict[int, Page], *, engine: str
) -> tuple[Statement, GuardReport]:
    """A statement from the model's answer, keeping only the numbers printed on the statement's pages.

    Periods come from `_periods`. Items matching a local label keep its level, section, note, unit and box;
    others are placed by their label on the page. Every kept item is marked as produced by `engine`.
    """
    text = "\n".join(pages[n].text for n in local.pages if n in pages)
    printed = printed_numbers(text)
    periods = _periods(read.periods, local.periods)
    twins: dict[str, list[LineItem]] = {}  # local items by label, in order: "Other" may be printed twice
    for line in local.items:
        twins.setdefault(_norm(line.label), []).append(line)
    located = _label_boxes(pages, local.pages)
    first = local.pages[0] if local.pages else 0
    fallback_box: Box = (0.0, 0.0, pages[first].width, pages[first].height) if first in pages else (0.0, 0.0, 0.0, 0.0)
    report = GuardReport()
    items: list[LineItem] = []
    for read_item in read.items:
        values: dict[str, float | None] = {}
        raw: dict[str, str] = {}
        for period, value in zip(periods, read_item.values, strict=False):
            if value is None:
                continue
            source = supported(value, printed)
            if source is None:
                report.rejected.append(value)
                continue
            values[period.key] = value
            raw[period.key] = source
            report.kept += 1
        if not values:
            report.dropped_items.append(read_item.label)
            continue
        key = _norm(read_item.label)
        if twins.get(key):
            twin = twins[key].pop(0)
            item = twin.model_copy(update={"values": values, "raw": raw, "is_total": read_item.is_total, "boxes": {}})
        else:
            page, box = located.get(key, (first, fallback_box))
            item = LineItem(
                label=read_item.label, is_total=read_item.is_total, page=page, box=box, values=values, raw=raw
            )
            item.confidence = 0.6 if key in located else 0.4  # a new line: less sure still where it sits
        item.engine = engine
        items.append(item)
    candidate = local.model_copy(update={"periods": periods, "items": items, "checks": []})
    return candidate, report


def _periods(labels: list[str], local: list[Period]) -> list[Period]:
    """The answer's columns as periods: the local ones when the model found as many columns (headings are often
    reworded), else the local period with the same printed heading, else a new one keyed by the heading."""
    if len(labels) == len(local):
        return list(local)
    by_label = {_norm(p.label): p for p in local}
    periods: list[Period] = []
    seen: set[str] = set()
    for label in labels:
        period = by_label.get(_norm(label))
        if period is None or period.key in seen:
            key = label.strip() or f"column {len(periods) + 1}"
            while key in seen:
                key += "'"
            period = Period(key=key, label=label.strip() or key)
        seen.add(period.key)
        periods.append(period)
    return periods
