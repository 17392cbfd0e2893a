"""Period headers: what a value column's heading says about the period it covers.

Headings come in many forms: "2023", "December 31, 2023" (often split over two lines), "31 December 2022",
"Three Months Ended / July 29, 2023", "52 Weeks Ended", "Jan - Mar 2024", "Fiscal 2023", "FY2022", "Restated",
a date in the title ("for the year ended 30 June 2022") with bare years over the columns.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from finsheet.model import Period

MONTHS = {name: i for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"

_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s*{_YEAR}\b")
_DMY = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s*{_YEAR}\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)\b")
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_MD = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*[-–]\s*{_MONTH})")
_DM = re.compile(rf"\b{_DAY}\s+{_MONTH}")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")
_RANGE = re.compile(rf"\b{_MONTH}\s*[-–—to]+\s*{_MONTH}\s*,?\s*{_YEAR}?")
_YEAR_ONLY = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/])")
_FISCAL_2DIGIT = re.compile(r"\b(?:fy|fiscal)\s*'?(\d\d)\b")

_LENGTHS = [
    (re.compile(r"\b(three|3)[- ]months?\b|\bquarter\b|\b(13|12|14)[- ]weeks?\b|\bq[1-4]\b"), 3),
    (re.compile(r"\b(six|6)[- ]months?\b|\bhalf[- ]year\b|\b(26|24|27)[- ]weeks?\b|\bh[12]\b|\binterim\b"), 6),
    (re.compile(r"\b(nine|9)[- ]months?\b|\b(39|40)[- ]weeks?\b"), 9),
    (re.compile(r"\b(twelve|12)[- ]months?\b|\b(52|53)[- ]weeks?\b|\byears?\b|\bannual\b|\bfiscal\b|\bfy\b"), 12),
]


@dataclass(slots=True)
class PeriodInfo:
    """What is known about one column's period; any part may be missing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    start: date | None = None
    months: int | None = None
    restated: bool = False
    label: str = ""

    @property
    def end(self) -> date | None:
        if self.year is None or self.month is None:
            return None
        last = calendar.monthrange(self.year, self.month)[1]
        return date(self.year, self.month, min(self.day or last, last))


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def read_heading(text: str) -> PeriodInfo:
    """Everything a column heading says: end date (or parts of it), length, restatement."""
    info = PeriodInfo(label=re.sub(r"\s+", " ", text).strip())
    low = text.lower().replace("\u2019", "'")
    info.restated = "restated" in low or "re-presented" in low or "represented" in low
    for pattern, months in _LENGTHS:
        if pattern.search(low):
            info.months = months
            break
    if (r := _RANGE.search(low)) and r.group(3):
        first, last, year = _month(r.group(1)), _month(r.group(2)), int(r.group(3))
        info.year, info.month = year, last
        info.months = (last - first) % 12 + 1
        start_year = year if first <= last else year - 1
        info.start = date(start_year, first, 1)
        return info
    if m := _MDY.search(low):
        info.month, info.day, info.year = _month(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _DMY.search(low):
        info.day, info.month, info.year = int(m.group(1)), _month(m.group(2)), int(m.group(3))
    elif m := _ISO_DATE.search(low):
        info.year, info.month, info.day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _NUMERIC_DATE.search(low):
        first, second, info.year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # US filings write month/day; a first part above 12 can only be a day
        info.month, info.day = (second, first) if first > 12 else (first, second)
    else:
        if m := _MONTH_YEAR.search(low):
            info.month, info.year = _month(m.group(1)), int(m.group(2))
        elif m := _MD.search(low):
            info.month, info.day = _month(m.group(1)), int(m.group(2))
        elif m := _DM.search(low):
            info.day, info.month = int(m.group(1)), _month(m.group(2))
        years = _YEAR_ONLY.findall(low)
        if years and info.year is None:
            info.year = int(years[-1])
        elif info.year is None and (f := _FISCAL_2DIGIT.search(low)):
            info.year = 2000 + int(f.group(1))
    return info


def resolve(columns: list[PeriodInfo], context: PeriodInfo, *, flow: bool) -> list[Period]:
    """Periods for the columns, filling what a column leaves out from the context (the title and headings that
    span columns), with keys unique within the statement."""
    periods: list[Period] = []
    any_own_date = any(c.month is not None for c in columns)
    for info in columns:
        if info.month is None and context.month is not None and not any_own_date:
            info.month, info.day = context.month, context.day
        if info.year is None and context.year is not None and len(columns) == 1:
            info.year = context.year
        months = info.months or context.months
        if not flow:
            months = None  # a balance date, not a period of time
        end = info.end
        label = info.label or (end.isoformat() if end else "")
        periods.append(Period(key="", label=label, end=end, start=info.start, months=months, restated=info.restated))
    _assign_keys(periods, [c.year for c in columns])
    return periods


def _assign_keys(periods: list[Period], years: list[int | None]) -> None:
    base = []
    for p, year in zip(periods, years, strict=True):
        if p.end is not None:
            base.append(p.end.isoformat())
        elif year is not None:
            base.append(str(year))
        else:
            base.append(p.label or "period")
    counts: dict[str, int] = {}
    for b in base:
        counts[b] = counts.get(b, 0) + 1
    seen: dict[str, int] = {}
    for p, b in zip(periods, base, strict=True):
        key = b
        if counts[b] > 1:
            key = f"{b}/{p.months}m" if p.months else b
            if p.restated:
                key += "/restated"
        n = seen.get(key, 0)
        seen[key] = n + 1
        p.key = key if n == 0 else f"{key}#{n + 1}"
