"""Period headers: what a value column's heading says about the period it covers.

Headings come in many forms: "2023", "December 31, 2023" (often split over two lines), "31 December 2022",
"Three Months Ended / July 29, 2023", "52 Weeks Ended", "Jan - Mar 2024", "Fiscal 2023", "FY2022", "Restated",
"31.12.22", "1 January to 31 December 2022", "2021(1)"-style footnoted years ("20211"), and a date in the title
("for the year ended 30 June 2022", "for the years ended December 31, 2022, 2021 and 2020") with bare years over
the columns.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from finsheet.model import Period

MONTHS = {name: i for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
# OCR loses the descending "J" of June and July in some faces ("une 30", "uly 1"): a word of its own, nothing else
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|une(?![a-z])|uly(?![a-z]))[a-z]*\.?"
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"

_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s*{_YEAR}\b")
_DMY = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s*{_YEAR}\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)\b")
_NUMERIC_SHORT = re.compile(r"(?<![\d.,/])(\d{1,2})([/.])(\d{1,2})\2(\d\d)(?![\d.,/])")
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_MD = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*[-–]\s*{_MONTH})")
_DM = re.compile(rf"\b{_DAY}\s+{_MONTH}")
_DAY_BESIDE_MONTH = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}|\b{_MONTH}\s+(\d{{1,2}})\b")
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")
_RANGE = re.compile(rf"\b{_MONTH}\s*[-–—to]+\s*{_MONTH}\s*,?\s*{_YEAR}?")
_YEAR_ONLY = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/])")
_FISCAL_2DIGIT = re.compile(r"\b(?:fy|fiscal)\s*'?(\d\d)\b")
# a footnote mark printed against a year ("2021¹" read as "20211"): five digits without a separator, never an amount
_FOOTNOTED_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d\d)[1-9](?![\d,.])")
# what joins the two ends of a range: "1 January to 31 December 2022", "01.01.2022 - 31.12.2022"
_JOIN = r"(?:to|through|until|till|thru|[-–—])"
_RANGE_JOIN = re.compile(rf"^\s*(?:,\s*)?{_JOIN}\s*$")
_PARTIAL_START = re.compile(rf"(?:\b{_DAY}\s+{_MONTH}|\b{_MONTH}\s+{_DAY}\b),?\s*{_JOIN}\s*$")

_LENGTHS = [
    (re.compile(r"\b(three|3)[- ]months?\b|\bquarter\b|\b(13|12|14)[- ]weeks?\b|\bq[1-4]\b"), 3),
    (re.compile(r"\b(six|6)[- ]months?\b|\bhalf[- ]year\b|\b(26|24|27)[- ]weeks?\b|\bh[12]\b|\binterim\b"), 6),
    (re.compile(r"\b(nine|9)[- ]months?\b|\b(39|40)[- ]weeks?\b"), 9),
    (re.compile(r"\b(twelve|12)[- ]months?\b|\b(52|53)[- ]weeks?\b|\byears?\b|\bannual\b|\bfiscal\b"
                r"|\bfy(?=\s*'?\d\d|\b)"), 12),
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
    dates: list[date] = field(default_factory=list)
    """Every complete date the text names, in printed order (a title may list one per column)."""

    @property
    def end(self) -> date | None:
        if self.year is None or self.month is None:
            return None
        last = calendar.monthrange(self.year, self.month)[1]
        return date(self.year, self.month, min(self.day or last, last))


def _month(name: str) -> int:
    return MONTHS.get(name[:3].lower()) or {"une": 6, "uly": 7}[name[:3].lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_dates(low: str) -> list[tuple[int, int, date]]:
    """Complete dates in the text with their spans, in printed order, overlapping readings dropped."""
    found: list[tuple[int, int, date | None]] = []
    for m in _MDY.finditer(low):
        found.append((m.start(), m.end(), _safe_date(int(m.group(3)), _month(m.group(1)), int(m.group(2)))))
    for m in _DMY.finditer(low):
        found.append((m.start(), m.end(), _safe_date(int(m.group(3)), _month(m.group(2)), int(m.group(1)))))
    for m in _ISO_DATE.finditer(low):
        found.append((m.start(), m.end(), _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    for m in _NUMERIC_DATE.finditer(low):
        found.append((m.start(), m.end(), _numeric(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    for m in _NUMERIC_SHORT.finditer(low):  # "31.12.22": a two-digit year is this century's
        found.append((m.start(), m.end(), _numeric(int(m.group(1)), int(m.group(3)), 2000 + int(m.group(4)))))
    out: list[tuple[int, int, date]] = []
    for a, b, d in sorted(found, key=lambda f: (f[0], -f[1])):
        if d is not None and (not out or a >= out[-1][1]):
            out.append((a, b, d))
    return out


def _numeric(first: int, second: int, year: int) -> date | None:
    # US filings write month/day; a first part above 12 can only be a day
    month, day = (second, first) if first > 12 else (first, second)
    return _safe_date(year, month, day)


def _date_range(low: str, dates: list[tuple[int, int, date]]) -> tuple[date, date] | None:
    """A period printed as its two ends ("1 January 2022 to 31 December 2022", "1 January to 31 December 2022"):
    the first date is the start, never the end."""
    for (_, a_end, a), (b_start, _, b) in zip(dates, dates[1:], strict=False):
        if _RANGE_JOIN.match(low[a_end:b_start]) and a < b:
            return a, b
    if dates:
        b_start, _, end = dates[0]
        if m := _PARTIAL_START.search(low[:b_start]):
            month = _month(m.group(2) or m.group(3))
            day = int(m.group(1) or m.group(4))
            start = _safe_date(end.year, month, day)
            if start is not None and start >= end:  # "1 July to 30 June 2022" began the year before
                start = _safe_date(end.year - 1, month, day)
            if start is not None:
                return start, end
    return None


def _months_between(start: date, end: date) -> int:
    return max(1, round(((end - start).days + 1) / 30.44))


# A text layer that drops word spaces runs a capitalised month name into the word before it ("EndedDecember 31",
# "AtJune 30"); a capital straight after a lower-case letter is a word boundary in printed headings
_GLUED_MONTH = re.compile(
    r"(?<=[a-z])(?=(?:January|February|March|April|May|June|July|August|September|October|November|December)\b)")


def read_heading(text: str) -> PeriodInfo:
    """Everything a column heading says: end date (or parts of it), length, restatement."""
    info = PeriodInfo(label=re.sub(r"\s+", " ", text).strip())
    low = _FOOTNOTED_YEAR.sub(r"\1", _GLUED_MONTH.sub(" ", text).lower().replace("\u2019", "'"))
    info.restated = "restated" in low or "re-presented" in low or "represented" in low
    for pattern, months in _LENGTHS:
        if pattern.search(low):
            info.months = months
            break
    dates = _full_dates(low)
    info.dates = [d for _, _, d in dates]
    if span := _date_range(low, dates):
        info.start, end = span
        info.year, info.month, info.day = end.year, end.month, end.day
        info.months = _months_between(info.start, end)
        return info
    if (r := _RANGE.search(low)) and r.group(3):
        first, last, year = _month(r.group(1)), _month(r.group(2)), int(r.group(3))
        info.year, info.month = year, last
        info.months = (last - first) % 12 + 1
        start_year = year if first <= last else year - 1
        info.start = date(start_year, first, 1)
        return info
    if dates:
        end = dates[0][2]
        info.year, info.month, info.day = end.year, end.month, end.day
        return info
    years = _YEAR_ONLY.findall(low)
    if any(not 1 <= int(m.group(1) or m.group(4)) <= 31 for m in _DAY_BESIDE_MONTH.finditer(low)):
        # a day no month has ("December 34", "34 December 2022"): OCR misread it, so the date is unknown
        info.year = int(years[-1]) if years else None
        return info
    if m := _MONTH_YEAR.search(low):
        info.month, info.year = _month(m.group(1)), int(m.group(2))
    elif m := _MD.search(low):
        info.month, info.day = _month(m.group(1)), int(m.group(2))
    elif m := _DM.search(low):
        info.day, info.month = int(m.group(1)), _month(m.group(2))
    if years and info.year is None:
        info.year = int(years[-1])
    elif info.year is None and (f := _FISCAL_2DIGIT.search(low)):
        info.year = 2000 + int(f.group(1))
    return info


# what the headings module puts for a heading word OCR could not read
UNREAD = "?"
_LENGTH_WORDS = re.compile(r"\b(?:\d{1,2}|three|six|nine|twelve)[- ](?:months?|weeks?)\b|\([^()]*\)", re.I)


def unread(info: PeriodInfo) -> bool:
    """A heading with a word OCR could not read, or a day whose month it could not read ("1 2023" under "Three
    Months Ended" for "July 1, 2023"; "December 34"): the column printed a date of its own, which is unknown, so
    the column takes no date from the title or its neighbours."""
    if UNREAD in info.label.split():
        return True
    rest = _YEAR_ONLY.sub(" ", _LENGTH_WORDS.sub(" ", info.label))
    return info.month is None and bool(re.search(r"(?<![\w.,/])\d{1,2}(?![\w.,/])", rest))


def _compatible(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def _complete_years(columns: list[PeriodInfo], context: PeriodInfo) -> None:
    """A column headed by a bare year ("2021") takes its month and day from what the page prints elsewhere:
    the title's date for that year ("December 25, 2021" in "for the years ended December 31, 2022, December 25,
    2021 and December 26, 2020"), else the one year-end day the title names, else the one day its neighbouring
    columns of the same length print ("Years ended December 31, 2022 | 2021 | 2020"). A page that names
    several year-end days and none for the column's year leaves its end unknown."""
    days = {(d.month, d.day) for d in context.dates}
    if context.month is not None and not context.dates:
        days.add((context.month, context.day or 0))
    for info in columns:
        if info.month is not None or info.year is None or unread(info):
            continue
        same_year = {d for d in context.dates if d.year == info.year}
        if len(same_year) == 1:
            (d,) = same_year
            info.month, info.day = d.month, d.day
            continue
        if len(days) == 1 and _compatible(info.months, context.months):
            info.month, info.day = next(iter(days))
            info.day = info.day or None
            continue
        siblings = {(c.month, c.day) for c in columns
                    if c.month is not None and c.year is not None and _compatible(c.months, info.months)}
        if len(siblings) == 1:
            info.month, info.day = next(iter(siblings))


def resolve(columns: list[PeriodInfo], context: PeriodInfo, *, flow: bool) -> list[Period]:
    """Periods for the columns, filling what a column leaves out from the context (the title and headings that
    span columns), with keys unique within the statement."""
    periods: list[Period] = []
    _complete_years(columns, context)
    any_own_date = any(c.month is not None for c in columns)
    for info in columns:
        if info.month is None and info.year is None and context.month is not None and not any_own_date \
                and not unread(info):
            info.month, info.day = context.month, context.day  # a yearless column ("Actual") takes the title's day
        if info.year is None and context.year is not None and len(columns) == 1:
            info.year = context.year
        months = info.months or context.months
        start = info.start
        if not flow:
            months, start = None, None  # a balance sheet is dated at an instant: no length, no start
        end = info.end
        label = info.label or (end.isoformat() if end else "")
        periods.append(Period(key="", label=label, end=end, start=start, months=months, restated=info.restated))
    _mark_parts(periods)
    _assign_keys(periods, [c.year for c in columns])
    return periods


def _year_of(period: Period) -> int | None:
    if period.end is not None:
        return period.end.year
    years = set(_YEAR_ONLY.findall(period.label))
    return int(years.pop()) if len(years) == 1 else None


def same_columns(before: list[Period], again: list[Period]) -> list[Period] | None:
    """The columns of a page continuing a statement, when they are the earlier page's columns read again: a
    statement carried over a page repeats its column headings, so columns that match one for one (the same year,
    no other length, the same month where both are dated) are the same periods. A date one reading left unknown
    (OCR lost "30 June" under "Six months ended") is taken from the other; where both are dated the earlier
    page's stands. None when any column differs (other periods, or a year unread): they are not the same
    columns."""
    if len(before) != len(again):
        return None
    merged: list[Period] = []
    for first, second in zip(before, again, strict=True):
        year = _year_of(first)
        if year is None or year != _year_of(second) or not _compatible(first.months, second.months) \
                or first.restated != second.restated:
            return None
        if first.end is not None and second.end is not None and first.end.month != second.end.month:
            return None
        merged.append(second.model_copy() if first.end is None and second.end is not None else first)
    keys = [p.key for p in merged]
    return merged if len(set(keys)) == len(keys) else None


# what a heading says besides its period: dates, lengths, units and currencies (by sign, "A$", "HK$", or by code),
# "for the year ended", notes, a restatement (a flag of the period itself)
_PERIOD_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|\d+(?:[/.-]\d+)*(?:st|nd|rd|th)?"
    r"|(?:\b(?:a|c|nz|hk|s|sg|r|us))?[£$€¥]|'"
    r"|\b(?:usd|aud|cad|nzd|hkd|sgd|gbp|eur|chf|jpy|cny|rmb|inr|zar)\b"
    r"|\b(?:for|the|as|at|of|on|to|year|years|ended|ending|months?|weeks?|period|fiscal|fy|quarter|three|six|nine"
    r"|twelve|unaudited|audited|notes?|and|in|thousands|millions|m|bn|us|restated|re-presented|represented)\b"
    r"|[(),:;*–-]")
# the heading of the column that is the whole period when the others under its date show parts of it
_WHOLE = re.compile(r"^(?:total|totals|statutory|statutory results|reported|as reported|group|consolidated"
                    r"|total funds)$")


def _residual(label: str) -> str:
    return re.sub(r"\s+", " ", _PERIOD_WORDS.sub(" ", label.lower().replace("\u2019", "'"))).strip()


def _mark_parts(periods: list[Period]) -> None:
    """Columns that share one date but differ in what they show ("Without donor restrictions | With donor
    restrictions | Total", "Revenue | Capital | Total", "Group | Company", "Underlying | Statutory") are one period
    and its parts, not several periods: the whole (total, statutory, group) keeps the date; each part loses it and
    is keyed by its own heading ("revenue 2022-03-31"), so that no part is ever read as the period."""
    groups: dict[tuple[date, int | None, bool], list[Period]] = {}
    for p in periods:
        if p.end is not None:
            groups.setdefault((p.end, p.months, p.restated), []).append(p)
    for members in groups.values():
        parts = [_residual(p.label) for p in members]
        whole = [p for p, r in zip(members, parts, strict=True) if _WHOLE.match(r)]
        if len(members) < 2 or len(set(parts)) < len(parts) or len(whole) != 1 or not all(parts):
            continue  # one column, the same heading twice, a column that names nothing, or no single whole
        for p, part in zip(members, parts, strict=True):
            if p is not whole[0] and p.end is not None:
                # keyed by what it shows first: a key that opens with a date reads as a dated period
                p.key = f"{part} {p.end.isoformat()}"
                p.end = p.start = None


def _assign_keys(periods: list[Period], years: list[int | None]) -> None:
    base = []
    for p, year in zip(periods, years, strict=True):
        if p.key:
            base.append(p.key)  # a part of a period, already keyed by its heading
        elif p.end is not None:
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
        # a column of another length whose end is unknown may end that same day ("Six Months Ended June 30" whose
        # year OCR lost): the dated column's key names its length, as it would had both been dated
        other_length = p.end is not None and any(q.end is None and q.months not in (None, p.months) for q in periods)
        if counts[b] > 1 or other_length:
            key = f"{b}/{p.months}m" if p.months else b
            if p.restated:
                key += "/restated"
        n = seen.get(key, 0)
        seen[key] = n + 1
        p.key = key if n == 0 else f"{key}#{n + 1}"


def end_among(label: str, ends: set[date]) -> date | None:
    """The one end date among `ends` (the ends the filing's other statements print) that agrees with every part of
    a date an undated column's heading still shows: its year, and its month or a day OCR read beside a month it
    could not ("Three Months Ended 1 8 2023" for "July 1, 2023"; "December 34 2022", a day no month has, for
    "December 31, 2022"). One filing's statements share their period ends, so a year and one more part that
    agree with exactly one of them name it; a heading that agrees with none or several stays undated. A bare
    year is not enough here, nor an end in January or February (a retailer's fiscal year is named for the year
    before it ends)."""
    months, days, years = _date_parts(label)
    if len(years) != 1:
        return None
    (year,) = years
    if len(months) > 1 or not (months or days):
        return None
    found = [e for e in ends if e.year == year and e.month > 2 and (not months or e.month in months)
             and (not days or e.day in days)]
    return found[0] if len(found) == 1 else None


def names_end_undated(label: str, end: date) -> bool:
    """Whether an undated column's heading names `end` as far as it goes: it shows one month, the end's, and any day
    or year it shows are the end's ("Year ended December 31" for 31 December 2021, its year lost). A heading that
    shows no month names no end."""
    months, days, years = _date_parts(label)
    return months == {end.month} and (not days or end.day in days) and (not years or years == {end.year})


def _date_parts(label: str) -> tuple[set[int], set[int], set[int]]:
    """The months, days and years an undated column's heading still shows, its length's words ("Three Months Ended")
    set aside."""
    low = _LENGTH_WORDS.sub(" ", label.lower())
    months = {_month(m.group(1)) for m in re.finditer(rf"\b{_MONTH}(?![a-z])", low)}
    years = {int(y) for y in _YEAR_ONLY.findall(low)}
    rest = _YEAR_ONLY.sub(" ", low)
    days = {int(d) for d in re.findall(r"(?<![\w.,/])(\d{1,2})(?![\w.,/])", rest) if 1 <= int(d) <= 31}
    return months, days, years
