"""Consolidation: the statements of one company from several documents, aligned into one table per statement type.

    consolidate(documents, *, settings, overrides) -> Consolidation

For each statement type there is one row per account and one column per period, ordered by period end. Periods
are matched across documents by end date (and length, where lengths differ), values are brought to one
presentation scale, and when several documents report the same period the most recent document wins: its column is
used whole (so every column foots on its own), and each value an older document printed differently is recorded as
a `Restatement` with both values and both sources.

Row order follows the most recent statement; accounts that only older statements have slot in after the line they
followed there. Close labels across years are matched as `mapping.py` describes, and the analyst's `Overrides`
(merge, rename, exclude, reorder) are applied on every build, so they survive a new document joining.

The result types are in `consolidated.py` (re-exported here); changes, CAGR and common-size figures are in
`analysis.py`; the workbook in `workbook.py`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import polars as pl

from finsheet.consolidate.mapping import (
    AccountInfo,
    ConsolidationSettings,
    Groups,
    Overrides,
    Suggestion,
    apply_order,
    item_ids,
    slot_in,
    suggest_matches,
)
from finsheet.consolidate.model import (
    Account,
    ConsolidatedPeriod,
    ConsolidatedStatement,
    Consolidation,
    DocumentRef,
    Restatement,
    Source,
    SourceLine,
)
from finsheet.consolidate.periods import lone_year, period_keys, period_weeks, when
from finsheet.consolidate.splits import adjust_for_splits, split_slack
from finsheet.extraction.checks import run_checks
from finsheet.model import Document, LineItem, Statement, StatementType

__all__ = [
    "Account",
    "ConsolidatedPeriod",
    "ConsolidatedStatement",
    "Consolidation",
    "ConsolidationSettings",
    "DocumentRef",
    "Overrides",
    "Restatement",
    "Source",
    "consolidate",
]

# --------------------------------------------------------------------------- building


@dataclass(slots=True)
class _Input:
    rank: int
    document: Document
    statement: Statement
    ids: list[str]


def consolidate(
    documents: list[Document],
    *,
    settings: ConsolidationSettings | None = None,
    overrides: Overrides | None = None,
    company: str | None = None,
) -> Consolidation:
    """Align the statements of several documents of one company. Documents that failed to extract are skipped
    with a warning; the result may hold no statement at all (check `statements`)."""
    settings = settings or ConsolidationSettings()
    overrides = overrides or Overrides()
    warnings: list[str] = []
    usable, skipped = [], []
    for doc in documents:
        if doc.error or not doc.statements:
            warnings.append(f"{doc.file}: skipped ({doc.error or 'no statements'})")
            skipped.append(doc.file)
        else:
            usable.append(doc)
    # Most recent last: the latest period a document reports decides, then the order given.
    ordered = [d for _, d in sorted(enumerate(usable), key=lambda x: (_latest(x[1]) or date.min, x[0]))]
    ordered = _resolve_unknown_scales(ordered, warnings)
    ordered, splits = adjust_for_splits(ordered)
    currency = next((st.currency for d in reversed(ordered) for st in d.statements if st.currency), None)
    scale = settings.scale or (max(_scale(st) for st in ordered[-1].statements) if ordered else 1)

    inputs = _choose_statements(ordered, currency, warnings, set(settings.types))
    for rows in inputs.values():
        _heading_ids(rows)
    groups = Groups()
    known = {a for rows in inputs.values() for i in rows for a in i.ids}
    suggestions: list[Suggestion] = []
    accepted = {(m.source, m.target) for m in overrides.accepted}
    for kind, rows in inputs.items():
        for s in suggest_matches(kind, _account_infos(rows), settings=settings, overrides=overrides):
            if (s.source, s.target) in accepted:
                s.applied, s.reason = True, "accepted by the analyst"
            if s.applied:
                groups.merge(s.source, s.target)
            suggestions.append(s)
    for m in [*overrides.accepted, *overrides.merge]:
        missing = [a for a in (m.source, m.target) if a not in known]
        if missing:
            warnings.append(f"merge of {m.source!r} into {m.target!r} not applied: no account {missing[0]!r}")
        else:
            groups.merge(m.source, m.target)

    # A pair joined anyway through a chain of other matches (2019 → 2020 → 2021) is no longer a question.
    suggestions = [s for s in suggestions if s.applied or groups.find(s.source) != groups.find(s.target)]

    # The balance dates of every statement: a year-only column of the income statement ends on its year's one.
    year_ends: dict[int, set[date]] = defaultdict(set)
    for rows in inputs.values():
        for row in rows:
            for p in row.statement.periods:
                if p.end is not None and (p.months in (None, 12)):
                    year_ends[p.end.year].add(p.end)

    statements: dict[StatementType, ConsolidatedStatement] = {}
    restatements: list[Restatement] = []
    excluded: list[Account] = []
    for kind, rows in inputs.items():
        built, restated, dropped = _build(kind, rows, groups, scale=scale, settings=settings, overrides=overrides,
                                          year_ends=year_ends, adjusted={d for s in splits for d in s.adjusted})
        built.checks = run_checks(built.to_statement(scale=scale, currency=currency))
        statements[kind] = built
        restatements.extend(restated)
        excluded.extend(dropped)
    unknown = [a for a in overrides.exclude if a not in known]
    warnings.extend(f"exclusion of {a!r} not applied: no such account" for a in unknown)
    return Consolidation(
        company=company or next((d.company for d in reversed(ordered) if d.company), None),
        currency=currency,
        scale=scale,
        documents=[DocumentRef(d.file, d.sha256, _latest(d)) for d in ordered],
        statements=dict(sorted(statements.items(), key=lambda kv: list(StatementType).index(kv[0]))),
        suggestions=suggestions,
        restatements=restatements,
        excluded=excluded,
        warnings=warnings,
        settings=settings,
        overrides=overrides,
        skipped=skipped,
        splits=splits,
    )


def _latest(doc: Document) -> date | None:
    ends = [p.end for st in doc.statements for p in st.periods if p.end]
    years = [date(y, 12, 31) for st in doc.statements for p in st.periods
             if p.end is None and (y := lone_year(p.label)) is not None]
    return max(ends or years) if ends or years else None


def _scale(st: Statement) -> int:
    """A statement's multiplier; an unknown scale has been resolved (or warned about) by the time this is asked."""
    return st.scale or 1


def _resolve_unknown_scales(ordered: list[Document], warnings: list[str]) -> list[Document]:
    """Statements whose scale is unknown take the one the company's other filings print for the same statement
    (the nearest in time first): a company keeps its unit from year to year. With none to go by, values stay as
    printed, and a warning says so either way."""
    resolved: list[Document] = []
    for n, doc in enumerate(ordered):
        statements = []
        for st in doc.statements:
            if st.scale is None:
                nearest = sorted(range(len(ordered)), key=lambda m: abs(m - n))
                known = next((o.scale for m in nearest if m != n for o in ordered[m].statements
                              if o.type == st.type and o.scale is not None), None)
                what = f"{doc.file}: the {st.type.display_name.lower()} prints no unit"
                warnings.append(f"{what}; taken as {known:,}, as the other filings print it" if known
                                else f"{what}; its values are taken as printed")
                st = st.model_copy(update={"scale": known or 1})
            statements.append(st)
        resolved.append(doc.model_copy(update={"statements": statements}))
    return resolved


def _choose_statements(
    ordered: list[Document], currency: str | None, warnings: list[str], wanted: set[StatementType]
) -> dict[StatementType, list[_Input]]:
    """One statement per type per document (the first; several entities are not consolidated together)."""
    inputs: dict[StatementType, list[_Input]] = defaultdict(list)
    for rank, doc in enumerate(ordered):
        seen: set[StatementType] = set()
        for st in doc.statements:
            if st.type not in wanted:
                continue
            if st.type in seen:
                warnings.append(f"{doc.file}: a second {st.type.display_name.lower()} (p{st.pages}) was left out")
                continue
            seen.add(st.type)
            undated = [p.label or p.key for p in st.periods if p.end is None and lone_year(p.label) is None]
            if len(undated) == len(st.periods):
                warnings.append(f"{doc.file}: the {st.type.display_name.lower()} has no dated column (columns are "
                                f"{', '.join(undated[:3]) or 'missing'}…): not consolidated")
                continue
            if undated:
                warnings.append(f"{doc.file}: {len(undated)} column(s) of the {st.type.display_name.lower()} without "
                                f"a date left out ({', '.join(undated[:3])})")
            if st.currency and currency and st.currency != currency:
                name = st.type.display_name.lower()
                warnings.append(f"{doc.file}: {name} in {st.currency}, not {currency}: left out")
                continue
            inputs[st.type].append(_Input(rank, doc, st, item_ids(st.type, st.items)))
    return inputs


def _account_infos(rows: list[_Input]) -> list[AccountInfo]:
    infos: dict[str, AccountInfo] = {}
    for row in rows:
        st = row.statement
        ends = {p.key: p.end.isoformat() + (f"/{p.months}m" if p.months else "") for p in st.periods if p.end}
        for item, account in zip(st.items, row.ids, strict=True):
            info = infos.setdefault(account, AccountInfo(account, item.label, item.is_total, item.unit, frozenset()))
            info.label = item.label  # rows are oldest first: the newest label wins
            scale = 1 if item.unit else _scale(st)
            printed = info.by_document.setdefault(row.rank, {})
            for key, v in item.values.items():
                if v is not None and key in ends:
                    # Figures printed in thousands and in millions agree when they round alike.
                    info.values[ends[key]] = printed[ends[key]] = (v * scale, 0.5 * scale if scale > 1 else 1e-9)
            if printed:
                info.documents = info.documents | {row.rank}  # a heading (no figure) is not the account
    return list(infos.values())


HEADING = " (heading)"
"""Suffix of the id of a heading whose label another filing prints as a line with figures ("OTHER ASSETS" 860 in
2019, the heading over "Other long-term assets" in 2020): the two are different rows."""


def _heading_ids(rows: list[_Input]) -> None:
    """Give headings (no figure, not a total) their own id where the same id has figures in another filing, so a
    line joined to a renamed account does not take the heading with it."""
    valued = {a for row in rows for item, a in zip(row.statement.items, row.ids, strict=True)
              if any(v is not None for v in item.values.values())}
    for row in rows:
        row.ids = [a + HEADING if a in valued and not item.is_total
                   and all(v is None for v in item.values.values()) else a
                   for item, a in zip(row.statement.items, row.ids, strict=True)]


def _build(
    kind: StatementType,
    rows: list[_Input],
    groups: Groups,
    *,
    scale: int,
    settings: ConsolidationSettings,
    overrides: Overrides,
    year_ends: dict[int, set[date]],
    adjusted: set[str],
) -> tuple[ConsolidatedStatement, list[Restatement], list[Account]]:
    mapping, periods = period_keys([r.statement for r in rows], settings, year_ends)
    # values[i][period][group] for statement i, already in the presentation scale; merged lines add up.
    values: list[dict[str, dict[str, float]]] = []
    sources: list[dict[tuple[str, str], list[Source]]] = []
    meta: dict[str, tuple[int, LineItem]] = {}
    members: dict[str, list[str]] = defaultdict(list)
    owner: dict[str, int] = {}
    printed_lines: dict[str, list[tuple[int, LineItem]]] = defaultdict(list)
    for i, row in enumerate(rows):
        factor = _scale(row.statement) / scale
        column: dict[str, dict[str, float]] = defaultdict(dict)
        where: dict[tuple[str, str], list[Source]] = defaultdict(list)
        for item, account in zip(row.statement.items, row.ids, strict=True):
            group = groups.find(account)
            if account not in members[group]:
                members[group].append(account)
            if group not in meta or meta[group][0] < i or account == group:
                meta[group] = (i, item)
            printed_lines[group].append((i, item))
            f = 1.0 if item.unit else factor
            for pkey, v in item.values.items():
                key = mapping[i].get(pkey)
                if key is None or v is None:
                    continue
                column[key][group] = column[key].get(group, 0.0) + v * f
                box = item.boxes.get(pkey, item.box)
                where[(group, key)].append(Source(row.document.file, item.page, item.raw.get(pkey), box))
        for key in mapping[i].values():
            owner[key] = i  # rows are oldest first: the most recent document reporting a period owns it
        values.append(column)
        sources.append(where)

    restatements = _restatements(kind, rows, values, sources, owner, meta, scale, adjusted)
    order = _row_order(rows, groups)
    if wanted := overrides.reorder.get(kind.value):
        order = apply_order(order, [groups.find(a) for a in wanted])
    dropped_ids = {groups.find(a) for a in overrides.exclude}
    names = {groups.find(a): label for a, label in overrides.rename.items()}
    for r in restatements:
        r.label = names.get(r.account, r.label)
    newest = {groups.find(a) for a in rows[-1].ids}
    keys = sorted(periods, key=lambda k: (when(periods[k]) or date.max, periods[k].months or 0, k))
    restated_keys = {r.period for r in restatements if r.kind == "restated"}

    accounts: list[Account] = []
    excluded: list[Account] = []
    cells: dict[tuple[str, str], list[Source]] = {}
    columns: dict[str, list[float | None]] = {k: [] for k in keys}
    for group in order:
        _, item = meta[group]
        line = Account(group, names.get(group, item.label), item.level, list(item.section), item.is_total,
                       item.unit, members[group])
        if group in dropped_ids:
            excluded.append(line)
            continue
        row_values = {k: values[owner[k]].get(k, {}).get(group) for k in keys}
        if group not in newest and all(v is None for v in row_values.values()):
            continue  # an old line whose every period a newer document reports without it: only in restatements
        accounts.append(line)
        for k in keys:
            columns[k].append(row_values[k])
            if (src := sources[owner[k]].get((group, k))) is not None:
                cells[(group, k)] = src
    frame = pl.DataFrame(
        {
            "account": [a.id for a in accounts],
            "label": [a.label for a in accounts],
            "level": [a.level for a in accounts],
            "section": [a.section for a in accounts],
            "is_total": [a.is_total for a in accounts],
            "unit": [a.unit for a in accounts],
            **{k: pl.Series(k, columns[k], dtype=pl.Float64) for k in keys},
        },
        schema_overrides={"section": pl.List(pl.String), "unit": pl.String, "level": pl.Int64},
    )
    def used(i: int, item: LineItem) -> tuple[str, ...]:
        """The periods of the row a line's figures fill (those its filing owns)."""
        keys = (mapping[i].get(pk) for pk, v in item.values.items() if v is not None)
        return tuple(sorted(k for k in keys if k is not None and owner[k] == i))

    weeks = period_weeks([r.statement for r in rows], mapping)
    lines = {a.id: [SourceLine(rows[i].document.file, item.page, item.label, used(i, item))
                    for i, item in printed_lines[a.id]] for a in accounts}
    built = ConsolidatedStatement(
        type=kind,
        periods=[
            ConsolidatedPeriod(
                key=k,
                label=periods[k].label,
                end=periods[k].end,
                months=periods[k].months,
                document=rows[owner[k]].document.file,
                restated=k in restated_keys or _printed_restated(rows[owner[k]].statement, mapping[owner[k]], k),
                weeks=weeks.get(k),
            )
            for k in keys
        ],
        accounts=accounts,
        frame=frame,
        sources=cells,
        lines=lines,
    )
    kept = [r for r in restatements if r.account not in dropped_ids]
    return built, kept, excluded


def _printed_restated(statement: Statement, keys: dict[str, str], key: str) -> bool:
    return any(p.restated for p in statement.periods if keys.get(p.key) == key)


def _row_order(rows: list[_Input], groups: Groups) -> list[str]:
    """The newest statement's order; each older statement's extra lines slot in after the line they followed."""
    order = list(dict.fromkeys(groups.find(a) for a in rows[-1].ids))
    for row in reversed(rows[:-1]):
        order = slot_in(order, list(dict.fromkeys(groups.find(a) for a in row.ids)))
    return order


def _restatements(
    kind: StatementType,
    rows: list[_Input],
    values: list[dict[str, dict[str, float]]],
    sources: list[dict[tuple[str, str], list[Source]]],
    owner: dict[str, int],
    meta: dict[str, tuple[int, LineItem]],
    scale: int,
    adjusted: set[str],
) -> list[Restatement]:
    """Every value an older statement printed for a period its owner reports differently (or not at all)."""
    found = []
    for i, column in enumerate(values):
        for key, older in column.items():
            j = owner[key]
            if j == i:
                continue
            newer = values[j].get(key, {})
            # Figures printed in thousands and in millions agree when they round to the same millions.
            coarse = max(_scale(rows[i].statement), _scale(rows[j].statement)) / scale
            fine = min(_scale(rows[i].statement), _scale(rows[j].statement)) / scale
            tolerance = 0.5 * coarse if coarse != fine else 0.0
            for group in dict.fromkeys([*newer, *older]):
                a, b = newer.get(group), older.get(group)
                unit = meta[group][1].unit
                if unit and a is not None and (rows[i].document.file in adjusted or rows[j].document.file in adjusted):
                    # A figure brought to the newest basis by a split is compared with the reprinted one, which the
                    # filing rounded (8.26 / 4 = 2.065 against 2.07).
                    same = abs(a - (b if b is not None else math.inf)) <= split_slack(unit, a)
                else:
                    same = a is not None and b is not None and _same(a, b, 0.0 if unit else tolerance)
                if same:
                    continue
                if (a is None or b is None) and not (a or b):
                    continue  # printed as nil in one document and left out of the other: nothing changed
                found.append(
                    Restatement(
                        type=kind,
                        account=group,
                        label=meta[group][1].label,
                        period=key,
                        value=a,
                        source=sources[j].get((group, key)) or [_statement_source(rows[j])],
                        previous=b,
                        previous_source=sources[i].get((group, key)) or [_statement_source(rows[i])],
                    )
                )
    return found


def _statement_source(row: _Input) -> Source:
    """For a line one filing does not print: that filing's statement (its first page), with no printed text."""
    return Source(row.document.file, row.statement.pages[0] if row.statement.pages else 0, None, None)


def _same(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
