"""Periods settled across a filing's statements, once each is parsed: one filing's statements share their period
ends, so a column whose heading OCR read in part, or that prints only a year, takes the end the others print where
exactly one agrees with what it shows; a column no other statement agrees with stays as read."""

from __future__ import annotations

import re
from datetime import date

from finsheet.extraction.items import rename_keys
from finsheet.extraction.periods import end_among, names_end_undated
from finsheet.model import Period, Statement, StatementType


def settle_periods(statements: list[Statement], scanned: set[int]) -> None:
    """Date the columns the filing's other statements date (`scanned`: the numbers of pages read by OCR)."""
    date_bare_years(statements)
    date_partial_headings(statements)
    mend_lost_day_digits(statements, scanned)
    date_in_order(statements)


# a year with no day or month: "2022", or a fiscal year named by its year ("Fiscal Year 2022", "Fiscal 2022", "FY2022")
_BARE_YEAR = re.compile(r"(?:(?:fiscal|financial)(?: year)?\s*|fy\s?)?((?:19|20)\d\d)", re.I)
# a length and a year with no day or month: "Six months ended 2020" (OCR lost "30 June" between them, or left a
# scrap or two of it, no digit and no capital: "Nine months ended ae 2021"; a speck read as a quote mark before it:
# "‘Three months ended 2022")
_LENGTH_AND_YEAR = re.compile(r"[‘’'\"“”]?(?i:(?:for the )?(?:three|six|nine|twelve|\d{1,2})[- ](?:months?|weeks?)"
                              r"(?: (?:ended|ending))?)(?:\s+[^\d\sA-Z][^\d\s]{0,2}){0,2}\s+((?:19|20)\d\d)")


def date_bare_years(statements: list[Statement]) -> None:
    """A column headed only by a year ("2022") takes the end date the filing's other statements print for that
    year, where they print exactly one: one filing's statements share their period ends (the balance sheet is
    dated at the end of the year the income statement covers). Its length comes from the other statements' flow
    columns ending that day, where they agree. A column headed by its length and a year ("Six months ended 2020")
    takes the one end that year at which the other statements' flow columns of that length end; where none of that
    length ends that year, the one end of its own statement's other flow columns that year: an interim statement's
    quarter and year to date, side by side, end on the same day ("Three months ended" and "Nine months ended April
    30, 2022").

    Not for a year end in January or February: retailers name such a fiscal year for the calendar year before it
    ends ("fiscal 2022" ends on 28 January 2023), so the year printed does not say which date is meant.
    """
    ends: dict[int, set[date]] = {}
    for st in statements:
        for p in st.periods:
            if p.end is not None:
                ends.setdefault(p.end.year, set()).add(p.end)
    months = _flow_lengths(statements)
    for st in statements:
        renamed: dict[str, str] = {}
        lengthed = False
        for p in st.periods:
            # a heading's words in brackets without a digit ("(as restated)", "(in U.S. dollars)") date nothing
            year = re.sub(r"\([^\d()]*(?:\([^\d()]*\)[^\d()]*)*\)", " ", p.label).strip()
            bare = _BARE_YEAR.fullmatch(year)
            length_led = None if bare or p.months is None else _LENGTH_AND_YEAR.fullmatch(year)
            found = None
            if p.end is None and bare:
                found = ends.get(int(bare.group(1)))
            elif p.end is None and length_led:
                found = {e for e in ends.get(int(length_led.group(1)), set()) if p.months in months.get(e, set())}
            if not found or len(found) != 1:
                continue
            (end,) = found
            if end.month <= 2:
                continue
            if length_led:
                if not any(q.end == end and q.months == p.months for q in st.periods):
                    p.end, lengthed = end, True  # keyed below with its length, as `periods` keys such columns
                continue
            lengths = months.get(end, set()) if st.type != StatementType.BALANCE else set()
            key = end.isoformat()
            if any(q.key == key or q.end == end for q in st.periods):
                continue  # another column already stands for that day
            # with no other statement's flow column ending that day, the heading's own length stands ("Fiscal Year")
            p.end, p.months = end, (next(iter(lengths)) if len(lengths) == 1 else None if lengths else p.months)
            renamed[p.key], p.key = key, key
        rename_keys(st.items, renamed)
        lengthed = _beside_other_lengths(st) or lengthed
        if lengthed:
            _rekey(st)


def _beside_other_lengths(st: Statement) -> bool:
    """Date each column headed by a length and a year that is still undated at the one end its statement's other
    flow columns dated that year share (see `date_bare_years`); whether any was."""
    if st.type == StatementType.BALANCE:
        return False
    dated = False
    for p in st.periods:
        led = _LENGTH_AND_YEAR.fullmatch(p.label.strip()) if p.end is None and p.months is not None else None
        if led is None:
            continue
        found = {q.end for q in st.periods if q.end is not None and q.end.year == int(led.group(1))}
        if len(found) == 1 and (end := next(iter(found))).month > 2 \
                and not any(q.end == end and q.months == p.months for q in st.periods):
            p.end, dated = end, True
    return dated


def _flow_lengths(statements: list[Statement]) -> dict[date, set[int | None]]:
    """The lengths of the flow columns (not the balance sheet's) ending on each day the statements print."""
    lengths: dict[date, set[int | None]] = {}
    for st in statements:
        if st.type != StatementType.BALANCE:
            for p in st.periods:
                if p.end is not None:
                    lengths.setdefault(p.end, set()).add(p.months)
    return lengths


def date_partial_headings(statements: list[Statement]) -> None:
    """A column whose heading still shows its year and its month or a day, where OCR lost the rest ("December 34
    2022", "Three Months Ended 1 8 2023"), takes the one end among the filing's other statements' that agrees
    (`periods.end_among`): one filing's statements share their period ends. Its length is its heading's ("Three
    Months Ended"), else the other statements' flow columns' ending that day where they agree. A heading that
    agrees with none or several ends stays undated."""
    ends = {p.end for st in statements for p in st.periods if p.end is not None}
    lengths = _flow_lengths(statements)
    for st in statements:
        dated = False
        for p in st.periods:
            end = end_among(p.label, ends) if p.end is None else None
            if end is None:
                continue
            known = lengths.get(end, set()) if st.type != StatementType.BALANCE else set()
            months = p.months if p.months is not None else next(iter(known)) if len(known) == 1 else None
            if any(q.end == end and q.months == months for q in st.periods):
                continue  # another column already stands for that period
            p.end, p.months, dated = end, months, True
        if dated:
            _rekey(st)


def date_in_order(statements: list[Statement]) -> None:
    """A flow statement none of whose columns is dated (OCR lost the line of years: "Year ended December 31" over
    each) takes, column by column, the ends of the filing's other flow statement with as many columns, all dated, of
    the same lengths, each end the month and day its column's heading names: one filing sets its statements' columns
    alike, in one order. Where two such statements disagree, or a heading names another day, it stays undated."""
    for st in statements:
        if st.type == StatementType.BALANCE or not st.periods or any(p.end is not None for p in st.periods):
            continue
        found = set()
        for other in statements:
            columns = other.periods
            if other is st or other.type == StatementType.BALANCE or len(columns) != len(st.periods):
                continue
            ends = [q.end for q in columns]
            if any(e is None for e in ends) or len(set(ends)) != len(ends):
                continue
            if all(names_end_undated(p.label, q.end) and (p.months is None or p.months == q.months)
                   for p, q in zip(st.periods, columns, strict=True) if q.end is not None):
                found.add(tuple((q.end, q.months) for q in columns))
        if len(found) != 1:
            continue
        for p, (end, months) in zip(st.periods, next(iter(found)), strict=True):
            p.end, p.months = end, p.months if p.months is not None else months
        _rekey(st)


def _lost_a_digit(read: int, printed: int) -> bool:
    """`read` is `printed` with one of its digits lost ("3" of "30", "1" of "31")."""
    a, b = str(read), str(printed)
    return len(a) + 1 == len(b) and any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def mend_lost_day_digits(statements: list[Statement], scanned: set[int]) -> None:
    """On a scanned page OCR may lose one digit of a day printed against a rule or a stain ("3 June 2020" for "30
    June 2020"), and the day read is still a real date. A scanned statement's column dated a day no other statement
    of the filing prints, where they print exactly one end that month whose day is that day with one more digit,
    takes that end: one filing's statements share their period ends. So does a day another statement prints too,
    where the statement's own column of another year ends on that longer day (`_beside_its_day`). A flow column is
    mended only where the others' flow columns ending that day are of its length."""
    lengths = _flow_lengths(statements)
    for st in statements:
        if not scanned & set(st.pages):
            continue
        others = {p.end for other in statements if other is not st for p in other.periods if p.end is not None}
        mended = False
        for p in st.periods:
            if p.end is None:
                continue
            found = [e for e in others
                     if (e.year, e.month) == (p.end.year, p.end.month) and _lost_a_digit(p.end.day, e.day)]
            if len(found) != 1:
                continue
            (end,) = found
            if p.end in others and not _beside_its_day(p, end, st):
                continue  # a day another statement prints too, and nothing here says it is short
            if st.type != StatementType.BALANCE and p.months not in lengths.get(end, set()):
                continue
            if any(q.end == end and q.months == p.months for q in st.periods):
                continue  # another column already stands for that period
            p.end, mended = end, True
        if mended:
            _rekey(st)


def _beside_its_day(p: Period, end: date, st: Statement) -> bool:
    """Whether the statement's other column ending that month of another year ends on `end`'s day ("31 March 2020"
    beside "3 March 2019"): a statement's comparative columns end on one day of the year, or a few days apart (52-
    and 53-week years), never four weeks. The short day is then the same misreading on every page that shows it
    (one heading style, one rule or stain under it), though another statement prints it too."""
    return any(q is not p and q.end is not None and q.end.year != end.year and q.end.month == end.month
               and q.end.day == end.day for q in st.periods)


def _rekey(st: Statement) -> None:
    """Keys for a statement's dated columns as `periods` gives them (the end, with the length where two columns end
    that day or an undated one is of another length), carried to every line's values."""
    bases = [p.end.isoformat() if p.end else p.key for p in st.periods]
    renamed: dict[str, str] = {}
    seen: set[str] = set()
    for p, base in zip(st.periods, bases, strict=True):
        key = p.key
        if p.end is not None:
            other_length = any(q.end is None and q.months not in (None, p.months) for q in st.periods)
            shared = bases.count(base) > 1 or other_length
            key = f"{base}/{p.months}m" if shared and p.months else base
            key += "/restated" if p.restated and shared else ""
        n, unique = 1, key
        while unique in seen:
            n += 1
            unique = f"{key}#{n}"
        seen.add(unique)
        if unique != p.key:
            renamed[p.key], p.key = unique, unique
    rename_keys(st.items, renamed)
