"""The workbook's standard spread, ratios and mapping sheets (openpyxl), and the notes they add.

    write_spread_sheets(workbook, consolidation, layouts, formulas)

* Spread: the standard chart of accounts (see `consolidate/spread.py`) by fiscal year (and LTM). Every cell is a
  live formula over the as-reported sheets ('Income statement'!F7, negated for a deduction, summed where several
  lines make one standard line); derived lines (gross profit, EBITDA, net debt, free cash flow) over the spread.
* Ratios: live formulas over the Spread sheet; a blank where a figure is missing or a base is zero.
* Mapping: for every row of every statement sheet, each printed line (document, page, label) that feeds it, and
  which rows make up each spread line.
* Notes: stock splits found between filings, the spread's conventions, 53-week years.

Every formula is recorded in `WorkbookFormulas` with the value finsheet computed, like the other sheets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.consolidate import spread as model
from finsheet.consolidate.model import Consolidation
from finsheet.consolidate.spread import RATIOS, STANDARD, Spread, SpreadPeriod, build_spread, cell_parts
from finsheet.model import StatementType

if TYPE_CHECKING:
    from finsheet.export.workbook import StatementLayout, WorkbookFormulas

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADING = Font(italic=True, color="44546A")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
FIRST_ROW = 4
MONEY = '#,##0;(#,##0);"–"'
PERCENT = '0.0%;(0.0%);"–"'
TIMES = '0.00"×";(0.00"×");"–"'
DAYS = '0.0;(0.0);"–"'
SPREAD, RATIO_SHEET, MAPPING = "Spread", "Ratios", "Mapping"
AUTHOR = "finsheet"


def write_spread_sheets(
    wb: Workbook, consolidation: Consolidation, layouts: dict[str, StatementLayout], formulas: WorkbookFormulas
) -> Spread:
    """Add Spread and Ratios after the statement sheets, Mapping after Sources, and the notes; the spread."""
    spread = build_spread(consolidation)
    after = len(consolidation.statements)
    rows = _write_spread(wb.create_sheet(SPREAD, after), consolidation, spread, layouts, formulas)
    _write_ratios(wb.create_sheet(RATIO_SHEET, after + 1), consolidation, spread, rows, formulas)
    names = wb.sheetnames
    at = names.index("Sources") + 1 if "Sources" in names else len(names)
    _write_mapping(wb.create_sheet(MAPPING, at), consolidation, spread, layouts)
    if "Notes" in names:
        notes = wb["Notes"]
        assert isinstance(notes, Worksheet)
        append_notes(notes, consolidation, spread)
    return spread


def _header(ws: Worksheet, title: str, note: str, periods: list[SpreadPeriod], first: str) -> dict[str, str]:
    ws["A1"], ws["A1"].font = title, TITLE
    ws["A2"] = note
    ws["A3"] = first
    ws["A3"].font, ws["A3"].fill = BOLD, HEADER_FILL
    letters = {p.key: get_column_letter(i + 2) for i, p in enumerate(periods)}
    for p in periods:
        cell = ws[f"{letters[p.key]}3"]
        cell.value = p.label
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        cell.comment = Comment(_period_comment(p), AUTHOR)
        ws.column_dimensions[letters[p.key]].width = 14
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = "1:3"
    ws.row_dimensions[3].height = 32
    return letters


def _period_comment(p: SpreadPeriod) -> str:
    if p.ltm is not None:
        fy, current, prior = p.ltm
        return f"LTM = {fy} + {current} − {prior} (flows); balances at {p.ltm_balance or 'no balance sheet date'}"
    weeks = f"; {p.weeks} weeks" if p.weeks else ""
    return f"Flows: {p.flow or '—'}; balances at {p.balance or '—'}{weeks}"


def _write_spread(
    ws: Worksheet, consolidation: Consolidation, spread: Spread, layouts: dict[str, StatementLayout],
    formulas: WorkbookFormulas,
) -> dict[str, int]:
    title = " — ".join(x for x in (consolidation.company, "Standard spread") if x)
    note = (f"{consolidation.scale_label}; costs, assets and liabilities positive; every figure a formula over the "
            "as-reported sheets (see Mapping for the lines behind each)")
    letters = _header(ws, title, note, spread.periods, "Line")
    mapped_from = get_column_letter(len(spread.periods) + 2)
    ws[f"{mapped_from}3"] = "Mapped from"
    ws[f"{mapped_from}3"].font, ws[f"{mapped_from}3"].fill = BOLD, HEADER_FILL
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions[mapped_from].width = 70
    where = {a.id: st for st in consolidation.statements.values() for a in st.accounts}
    labels = {a.id: a.label for st in consolidation.statements.values() for a in st.accounts}
    values = {row["key"]: row for row in spread.frame.iter_rows(named=True)}
    rows: dict[str, int] = {}
    r = FIRST_ROW
    section: StatementType | None = None
    for line in STANDARD:
        if line.statement != section:
            section = line.statement
            ws.cell(row=r, column=1, value=section.display_name).font = HEADING
            r += 1
        rows[line.key] = r
        r += 1
    for line in STANDARD:
        r = rows[line.key]
        label = ws.cell(row=r, column=1, value=line.label)
        label.alignment = Alignment(indent=1)
        if line.derived is not None:
            label.font = BOLD
            a, op, b = line.derived
            ws.cell(row=r, column=len(spread.periods) + 2,
                    value=f"{model.LINES[a].label} {'+' if op == '+' else '−'} {model.LINES[b].label}")
            for p in spread.periods:
                x, y = f"{letters[p.key]}{rows[a]}", f"{letters[p.key]}{rows[b]}"
                formula = f'=IF(AND(ISNUMBER({x}),ISNUMBER({y})),{x}{op}{y},"")'
                cell = formulas.put_at(ws, r, _column(letters, p), formula, values[line.key][p.key])
                cell.number_format, cell.font = MONEY, BOLD
            continue
        mapped = spread.mapping[line.key]
        sources = [f"{'−' if sign < 0 else ''}{labels[a]} ({where[a].type.display_name.lower()})"
                   for a, sign in mapped.accounts]
        how = "; ".join(sources) or "not found: choose the lines on the Consolidate page"
        _put(ws, r, len(spread.periods) + 2, ("analyst's choice: " if mapped.chosen else "") + how)
        for p in spread.periods:
            parts = cell_parts(mapped, p, where, spread.figures)
            if not parts:
                continue
            terms = []
            for account, key, sign, s in parts:
                layout = layouts[where[account].type.value]
                ref = f"'{layout.sheet}'!{layout.columns[key]}{layout.rows[account]}"
                terms.append(("-" if sign * s < 0 else "+") + ref)
            formula = "=" + "".join(terms).removeprefix("+")
            cell = formulas.put_at(ws, r, _column(letters, p), formula, values[line.key][p.key])
            cell.number_format = MONEY
    return rows


def _put(ws: Worksheet, row: int, column: int, value: str | int) -> None:
    """A value from a PDF (a label, a file name) written as what it is: text that begins with "=" stays text."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _column(letters: dict[str, str], p: SpreadPeriod) -> int:
    return list(letters).index(p.key) + 2


def _write_ratios(
    ws: Worksheet, consolidation: Consolidation, spread: Spread, rows: dict[str, int], formulas: WorkbookFormulas
) -> None:
    title = " — ".join(x for x in (consolidation.company, "Ratios") if x)
    note = (f"Live formulas over the {SPREAD} sheet; ROE and ROA over average balances, working-capital days on "
            f"closing balances over {model.DAYS} days; a blank where a figure is missing or a base is zero")
    letters = _header(ws, title, note, spread.periods, "Ratio")
    ws.column_dimensions["A"].width = 40
    values = {row["key"]: row for row in spread.ratios.iter_rows(named=True)}
    for n, ratio in enumerate(RATIOS):
        r = FIRST_ROW + n
        ws.cell(row=r, column=1, value=ratio.label)
        for i, p in enumerate(spread.periods):
            col = letters[p.key]
            prev = letters[spread.periods[i - 1].key] if i > 0 and p.ltm is None else None
            a = f"'{SPREAD}'!{col}{rows[ratio.a]}"
            fmt = PERCENT
            if ratio.kind == "growth":
                if prev is None:
                    continue
                before = f"'{SPREAD}'!{prev}{rows[ratio.a]}"
                formula = (f'=IF(AND(ISNUMBER({a}),ISNUMBER({before})),'
                           f'IF({before}<>0,({a}-{before})/ABS({before}),""),"")')
            elif ratio.kind == "average":
                if prev is None:
                    continue
                b, opening = f"'{SPREAD}'!{col}{rows[ratio.b]}", f"'{SPREAD}'!{prev}{rows[ratio.b]}"
                formula = (f'=IF(AND(ISNUMBER({a}),ISNUMBER({b}),ISNUMBER({opening})),'
                           f'IF({b}+{opening}<>0,{a}/(({b}+{opening})/2),""),"")')
            else:
                b = f"'{SPREAD}'!{col}{rows[ratio.b]}"
                times = f"*{model.DAYS}" if ratio.kind == "days" else ""
                formula = f'=IF(AND(ISNUMBER({a}),ISNUMBER({b})),IF({b}<>0,{a}/{b}{times},""),"")'
                fmt = DAYS if ratio.kind == "days" else TIMES if ratio.kind == "multiple" else PERCENT
            cell = formulas.put_at(ws, r, i + 2, formula, values[ratio.key][p.key])
            cell.number_format = fmt


def _write_mapping(
    ws: Worksheet, consolidation: Consolidation, spread: Spread, layouts: dict[str, StatementLayout]
) -> None:
    ws["A1"], ws["A1"].font = "Mapping: the printed lines behind every row", TITLE
    ws["A2"] = ("One line per printed line that feeds a workbook row: lines renamed between filings are joined on "
                "their figures or the analyst's merges; 'Periods used' are the columns its figures fill")
    columns = [("Sheet", 22), ("Row", 6), ("Account", 44), ("Document", 30), ("Page", 7), ("Printed label", 60),
               ("Periods used", 36)]
    for i, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}3"
    r = FIRST_ROW
    for kind, statement in consolidation.statements.items():
        layout = layouts[kind.value]
        for account in statement.accounts:
            for source in statement.lines.get(account.id, []):
                row: list[str | int] = [layout.sheet, layout.rows[account.id], account.label, source.document,
                                        source.page, source.label, ", ".join(source.periods)]
                for c, value in enumerate(row, start=1):
                    _put(ws, r, c, value)
                r += 1
    r += 1
    ws.cell(row=r, column=1, value="Standard spread lines").font = BOLD
    r += 1
    for c, name in enumerate(["Sheet", "Spread line", "Account", "From sheet", "Row", "Sign", "Chosen by"], start=1):
        ws.cell(row=r, column=c, value=name).font = BOLD
    r += 1
    where = {a.id: (kind, a) for kind, st in consolidation.statements.items() for a in st.accounts}
    for line in STANDARD:
        if line.derived is not None:
            continue
        mapped = spread.mapping[line.key]
        for account_id, sign in mapped.accounts or [("", 1)]:
            cells: list[str | int]
            if account_id:
                kind, a = where[account_id]
                cells = [SPREAD, line.label, a.label, layouts[kind.value].sheet, layouts[kind.value].rows[account_id],
                         "negated" if sign < 0 else "", "analyst" if mapped.chosen else "suggested"]
            else:
                cells = [SPREAD, line.label, "(none)", "", "", "", "analyst" if mapped.chosen else "nothing found"]
            for c, value in enumerate(cells, start=1):
                _put(ws, r, c, value)
            r += 1


def append_notes(ws: Worksheet, consolidation: Consolidation, spread: Spread) -> None:
    """Stock splits and the spread's conventions at the end of the Notes sheet."""
    def block(title: str, lines: list[str]) -> None:
        ws.append([])
        ws.append([title])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        for text in lines:
            ws.append([text])

    block("Stock splits", [s.note for s in consolidation.splits] or ["None found between these filings."])
    block("Standard spread", [
        "Costs, assets and liabilities positive (one printed negative is negated); gross profit = revenue − cost "
        "of sales; EBITDA = EBIT + D&A; net debt = debt − cash; free cash flow = operating cash flow − capex.",
        "Fiscal years are named by the calendar year they end in; LTM = fiscal year + current year-to-date − prior "
        "year-to-date, only where both year-to-date periods are reported.",
        *spread.notes,
    ])
