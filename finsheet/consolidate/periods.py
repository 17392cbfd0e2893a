"""Periods across documents: which columns of several statements are the same period, and their lengths.

    period_keys(statements, settings, year_ends) -> (per statement: its period key -> the consolidated key, periods)
    period_weeks(statements, mapping)            -> consolidated key -> weeks, where a filing says it
    lone_year(label)                             -> the year of a column headed only by a year
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from finsheet.consolidate.mapping import ConsolidationSettings
from finsheet.model import Period, Statement

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def lone_year(label: str) -> int | None:
    """The year of a column headed only by a year ("2022", "FY 2022"), when the extractor found no date."""
    years = set(_YEAR.findall(label))
    return int(years.pop()) if len(years) == 1 else None


def period_keys(
    statements: list[Statement], settings: ConsolidationSettings, year_ends: dict[int, set[date]]
) -> tuple[list[dict[str, str]], dict[str, Period]]:
    """Each statement's period key -> the consolidated key, and the consolidated periods (from the newest one).

    Dated periods match by end date (and length where lengths differ). A column headed only by a year joins the
    one dated period of that year when there is exactly one; else, when the other statements have exactly one
    year-end date in that year (the balance sheet's), it ends then; else it is its own period "FY2022".
    """
    lengths: dict[date, set[int]] = defaultdict(set)
    for statement in statements:
        for p in statement.periods:
            if p.end is not None and p.months and (settings.months is None or p.months == settings.months):
                lengths[p.end].add(p.months)
    dated: dict[str, Period] = {}
    for statement in statements:
        for p in statement.periods:
            if p.end is not None and not (settings.months and p.months and p.months != settings.months):
                key, months = _dated_key(p, lengths[p.end])
                dated[key] = Period(key=key, label=_period_label(p.end, months), end=p.end, months=months)
    mapping: list[dict[str, str]] = []
    periods: dict[str, Period] = {}
    for statement in statements:
        keys: dict[str, str] = {}
        for p in statement.periods:
            if settings.months and p.months and p.months != settings.months:
                continue
            if p.end is not None:
                key = _dated_key(p, lengths[p.end])[0]
                period = dated[key]
            elif (year := lone_year(p.label)) is not None:
                same_year = [d for d in dated.values() if d.end and d.end.year == year
                             and (p.months is None or d.months in (None, p.months))]
                if len(same_year) == 1:
                    period = same_year[0]
                elif not same_year and len(year_ends[year]) == 1 and p.months in (None, 12):
                    end = next(iter(year_ends[year]))
                    period = dated.setdefault(end.isoformat(), Period(key=end.isoformat(), label=end.isoformat(),
                                                                      end=end, months=p.months))
                else:
                    period = Period(key=f"FY{year}", label=f"FY{year}", months=p.months)
                key = period.key
            else:
                continue  # left out with a warning by _choose_statements
            if key in keys.values():
                continue  # the same period twice in one statement (a misread header): its first column counts
            keys[p.key] = key
            periods[key] = period
        mapping.append(keys)
    return mapping, periods


def _dated_key(p: Period, known: set[int]) -> tuple[str, int | None]:
    assert p.end is not None
    if len(known) <= 1:
        return p.end.isoformat(), (next(iter(known)) if known else None)
    months = p.months or (12 if 12 in known else None)
    return (f"{p.end.isoformat()}/{months}m" if months else p.end.isoformat()), months


def _period_label(end: date, months: int | None) -> str:
    return end.isoformat() if months in (None, 12) else f"{end.isoformat()} ({months}m)"


_WEEKS = re.compile(r"\b(\d{1,2})[- ]weeks?\b", re.I)


def period_weeks(statements: list[Statement], mapping: list[dict[str, str]]) -> dict[str, int]:
    """Consolidated period key -> its length in weeks, as a column heading prints it ("53 Weeks Ended ...") or as
    its start and end dates give it (a whole number of weeks only: calendar months are not weeks)."""
    found: dict[str, int] = {}
    for i, statement in enumerate(statements):
        for p in statement.periods:
            key = mapping[i].get(p.key)
            if key is None:
                continue
            if (m := _WEEKS.search(p.label)) is not None:
                found[key] = int(m.group(1))
            elif p.start is not None and p.end is not None and ((p.end - p.start).days + 1) % 7 == 0:
                found.setdefault(key, ((p.end - p.start).days + 1) // 7)
    return found


def when(period: Period) -> date | None:
    """The end date, or 31 December of the year of an "FY2022" period (for ordering and the CAGR span)."""
    if period.end is not None:
        return period.end
    return date(int(period.key[2:6]), 12, 31) if period.key.startswith("FY") else None
