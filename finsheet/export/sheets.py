"""The supporting sheets of the workbook: Checks (formulas that evaluate to TRUE/FALSE), Restatements, Sources (the
document, page and printed text behind every value) and Notes (documents, matches, overrides, warnings).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.consolidate.model import Consolidation, Source
from finsheet.export.footing import plain_statement, signed_formula
from finsheet.extraction.checks import CheckSpec, Ref, check_specs
from finsheet.extraction.ties import cross_specs
from finsheet.model import StatementType

if TYPE_CHECKING:
    from finsheet.export.workbook import StatementLayout, WorkbookFormulas

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FIRST_ROW = 4
"""Statement sheets' first account row (HEADER_ROWS + 1 in workbook.py)."""


def number_format(values: list[float | None], unit: str | None) -> str:
    """Thousands separators, negatives in parentheses, nil as a dash; as many decimals as the values need (≤ 3)."""
    if unit == "per_share":
        decimals = 2
    elif unit == "percent":
        decimals = 1
    else:
        decimals = next(
            (d for d in range(4) if all(abs(round(v, d) - v) < 1e-9 for v in values if v is not None)), 3
        )
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'{body};({body});"–"'


def fit_columns(ws: Worksheet, widest: dict[str, int], *, first_row: int = FIRST_ROW) -> None:
    """Widen the given columns to their longest text (up to `widest[column]` characters) so labels are not cut off
    by the next column; text longer than that wraps."""
    for column, limit in widest.items():
        longest = 0
        for (cells,) in ws.iter_rows(min_row=first_row, min_col=ws[f"{column}1"].column,
                                     max_col=ws[f"{column}1"].column):
            text = "" if cells.value is None else str(cells.value)
            longest = max(longest, len(text))
            if len(text) > limit:
                cells.alignment = Alignment(wrap_text=True, vertical="top")
        current = ws.column_dimensions[column].width or 8
        ws.column_dimensions[column].width = max(current, min(limit, longest + 2))


def _header(ws: Worksheet, title: str, columns: Sequence[tuple[str, float]], note: str = "") -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = note
    for i, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}3"


def write_checks(
    ws: Worksheet, consolidation: Consolidation, layouts: dict[str, StatementLayout], formulas: WorkbookFormulas
) -> None:
    """Every check of every statement (the same `check_specs` the extraction runs, on the consolidated periods) and
    the ties between statements, as live formulas: the printed figure, what it should be, the difference, TRUE or
    FALSE; a check that cannot be verified says "not verified" in words, never FALSE."""
    _header(
        ws,
        "Checks",
        [("Statement", 22), ("Check", 70), ("Period", 14), ("Printed", 14), ("Computed", 14), ("Difference", 12),
         ("OK", 12), ("Detail", 90)],
        f"{consolidation.scale_label}; TRUE where the printed figure equals what its lines add up to, within "
        "rounding; 'not verified' where the statement's structure could not be decided or a figure is missing",
    )
    plain = {kind: plain_statement(st) for kind, st in consolidation.statements.items()}
    specs: list[tuple[str, CheckSpec]] = []
    for kind in consolidation.statements:
        structure = layouts[kind.value].structure
        specs += [(kind.display_name, spec) for spec in check_specs(plain[kind], structure)]
    specs += [("Across statements", spec) for spec in cross_specs(plain)]
    labels = {(kind, p.key): p.label for kind, st in consolidation.statements.items() for p in st.periods}
    by_kind = {kind.value: layouts[kind.value] for kind in consolidation.statements}
    for r, (where, spec) in enumerate(specs, start=FIRST_ROW):
        _check_row(ws, r, where, spec, by_kind, labels, formulas)
    fit_columns(ws, {"B": 90, "H": 120})


def _check_row(
    ws: Worksheet,
    r: int,
    where: str,
    spec: CheckSpec,
    layouts: dict[str, StatementLayout],
    labels: dict[tuple[StatementType, str], str],
    formulas: WorkbookFormulas,
) -> None:
    check = spec.check
    ref = (spec.printed or spec.computed or (None,))[0]
    period = labels.get((ref.kind, ref.period), ref.period) if ref is not None else ""
    ws.cell(row=r, column=1, value=where)
    ws.cell(row=r, column=2, value=spec.describe or check.name.replace("_", " "))
    ws.cell(row=r, column=3, value=period)
    ws.cell(row=r, column=8, value=check.detail)
    fmt = number_format([check.expected, check.actual], None)
    for c in "DEF":
        ws[f"{c}{r}"].number_format = fmt
    if check.ok is None or check.expected is None or check.actual is None or not spec.printed:
        # Nothing to compute live: the figures as far as they exist, and the verdict in words.
        ws.cell(row=r, column=4, value=check.actual)
        ws.cell(row=r, column=5, value=check.expected)
        verdict = ws.cell(row=r, column=7, value=NOT_VERIFIED if check.ok is None else check.ok)
        verdict.font = GREY if check.ok is None else BOLD
        return
    if check.name == "subtotal_foots":
        # The total as printed, a figure: its own cell on the statement sheet is now the formula being checked.
        ws.cell(row=r, column=4, value=check.actual)
    else:
        formulas.put(ws, f"D{r}", "=" + _side(spec.printed, layouts), check.actual)
    formulas.put(ws, f"E{r}", "=" + _side(spec.computed, layouts), check.expected)
    formulas.put(ws, f"F{r}", f"=D{r}-E{r}", check.actual - check.expected)
    formulas.put(ws, f"G{r}", f"=ABS(F{r})<={spec.tolerance!r}", check.ok)


NOT_VERIFIED = "not verified"
GREY = Font(italic=True, color="808080")


def _side(refs: Sequence[Ref], layouts: dict[str, StatementLayout]) -> str:
    """Σ sign × figure as printed, over cells of the statement sheets (a run of rows as one SUM range)."""
    if not refs:
        return "0"
    parts: list[str] = []
    groups: dict[tuple[StatementType, str], list[Ref]] = {}
    for ref in refs:
        groups.setdefault((ref.kind, ref.period), []).append(ref)
    for (kind, period), group in groups.items():
        layout = layouts[kind.value]
        moved = [g for g in group if (g.row, period) in layout.printed]
        plain = [(g.row, g.sign) for g in group if (g.row, period) not in layout.printed]
        if plain:
            parts.append(signed_formula(layout.columns[period], plain, FIRST_ROW, layout.sheet))
        for g in moved:
            cell = f"'{layout.sheet}'!{layout.printed_cell(g.row, period)}"
            parts.append(cell if g.sign > 0 else f"-{cell}")
    text = parts[0]
    for part in parts[1:]:
        text += part if part.startswith("-") else f"+{part}"
    return text


def _where(sources: Iterable[Source]) -> tuple[str, int | str, str]:
    """Document(s), page(s) (a number when there is one) and printed text of the sources of one value."""
    items = list(sources)
    pages = list(dict.fromkeys(s.page for s in items))
    return (
        "; ".join(dict.fromkeys(s.document for s in items)),
        pages[0] if len(pages) == 1 else "; ".join(map(str, pages)),
        "; ".join(s.raw or "" for s in items),
    )


def write_restatements(ws: Worksheet, consolidation: Consolidation, formulas: WorkbookFormulas) -> None:
    """Every value an older document printed differently, both values and both sources."""
    _header(
        ws,
        "Restatements",
        [("Statement", 22), ("Account", 44), ("Period", 12), ("Value used", 14), ("From", 28), ("Page", 8),
         ("Earlier value", 14), ("Earlier document", 28), ("Page", 8), ("Difference", 14), ("What", 20)],
        "The most recent document's figure is used; an earlier document printed another (blank: not reported)",
    )
    for r, item in enumerate(consolidation.restatements, start=FIRST_ROW):
        doc, page, _ = _where(item.source)
        old_doc, old_page, _ = _where(item.previous_source)
        row: list[Any] = [item.type.display_name, item.label, item.period, item.value, doc, page, item.previous,
                          old_doc, old_page]
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
        diff = None if item.value is None or item.previous is None else item.value - item.previous
        formulas.put(ws, f"J{r}", f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(G{r})),D{r}-G{r},"")', diff)
        ws.cell(row=r, column=11, value=item.kind)
    fit_columns(ws, {"B": 80, "E": 60, "H": 60})


def write_sources(ws: Worksheet, consolidation: Consolidation) -> None:
    """The document, page and printed text behind every value of every statement sheet."""
    _header(
        ws,
        "Sources",
        [("Statement", 22), ("Account", 44), ("Period", 12), ("Value", 14), ("Printed", 14), ("Document", 30),
         ("Page", 8)],
        f"Values in {consolidation.scale_label}; 'Printed' is the text as it appears on the page",
    )
    r = FIRST_ROW
    for kind, statement in consolidation.statements.items():
        columns = {p.key: statement.frame[p.key].to_list() for p in statement.periods}
        for i, account in enumerate(statement.accounts):
            for p in statement.periods:
                value = columns[p.key][i]
                for source in statement.sources.get((account.id, p.key), []):
                    ws.append([kind.display_name, account.label, p.label, value, source.raw, source.document,
                               source.page])
                    r += 1
    fit_columns(ws, {"B": 80, "F": 60})


def write_notes(ws: Worksheet, consolidation: Consolidation) -> None:
    """What went into the workbook: documents, scale, label matches, overrides and warnings."""
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["C"].width = 50
    ws.column_dimensions["D"].width = 10
    ws.column_dimensions["E"].width = 30

    def block(title: str, rows: Iterable[Sequence[Any]]) -> None:
        ws.append([])
        ws.append([title])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        for row in rows:
            ws.append(list(row))

    ws["A1"] = f"{consolidation.company or 'Consolidation'} — notes"
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Scale", consolidation.scale_label])
    block(
        "Documents (oldest first; a later one wins where periods overlap)",
        [(d.file, d.sha256, d.latest.isoformat() if d.latest else "") for d in consolidation.documents],
    )
    block(
        "Label matches (source → target, score 0–100)",
        [(s.source_label, s.target_label, s.type.display_name, s.score, s.reason if s.applied else "suggested only")
         for s in consolidation.suggestions],
    )
    o = consolidation.overrides
    block(
        "Overrides",
        [
            *(("merge", m.source, m.target) for m in [*o.merge, *o.accepted]),
            *(("rename", a, label) for a, label in o.rename.items()),
            *(("exclude", a) for a in o.exclude),
            *(("reorder", kind, ", ".join(ids)) for kind, ids in o.reorder.items()),
        ],
    )
    block("Excluded accounts", [(a.label, a.id) for a in consolidation.excluded])
    block("Warnings", [(w,) for w in consolidation.warnings])
