"""What the Review page shows and saves: a statement as a table in the filing's own number format, its checks as
badges, the analyst's corrections (edit, undo, revert) and their audit log. No streamlit here; the page lays these
out, and `source_page` draws the page beside it.

    table = review_table(statement, store.items_frame(viewer, statement_id))   # one row per line item
    styled = style_table(table, statement)                                      # formatted, totals bold, doubts shaded
    changes = apply_edits(store, viewer, editor_frame(table, statement), edited, statement)
    log = audit_table(store.audit_frame(viewer, document_id), statement_id, table, statement)

The table keeps the store's `item_id` and the period keys as column names (stable for the grid and the editor); the
page labels the columns with the printed period labels (`period_labels`) and their dates (`period_help`).
Text that came out of a PDF or an upload (labels, titles, file names) goes through `plain` before any markdown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from finsheet.errors import StorageError
from finsheet.model import LOW_CONFIDENCE, Check, Period, Statement

if TYPE_CHECKING:
    from finsheet.store import DocumentRecord, Store, Viewer
    from finsheet.workbench.source_page import ValueBox

ANALYST = "analyst"
INDENT = "\u2003"  # an em space: visible indentation that survives the grid's whitespace trimming
NIL = "—"
"""How a filing prints a nil value, and how the table shows a zero."""
DOUBT_COLOUR = "#fff3cd"
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def plain(text: object) -> str:
    """`text` made safe to put inside Streamlit markdown: every character markdown, Streamlit's directives
    (`:red[...]`, `:material/...:`) or LaTeX (`$`) would read is escaped, and line breaks become spaces."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


# --------------------------------------------------------------------------- numbers as the filing prints them


def format_number(value: float | None) -> str:
    """1234567 -> '1,234,567'; -171 -> '(171)'; 0 -> '—'; 11.3 -> '11.30'; None -> '' (no value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value == 0:
        return NIL
    text = f"{abs(value):,.0f}" if float(value).is_integer() else f"{abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def parse_number(text: object) -> float | None:
    """The inverse of `format_number` and what an analyst types: '1,234' / '(1,234)' / '-1234' / '$ 12.5' / '—'
    (nil: 0) / '' (no value). StorageError naming the text when it is not a number."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).strip().replace(",", "").replace("$", "").replace("€", "").replace("£", "").replace(" ", "")
    if not cleaned:
        return None
    if cleaned in {NIL, "-", "–", "nil"}:
        return 0.0
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    try:
        number = float(cleaned)
    except ValueError:
        raise StorageError(f"{str(text).strip()!r} is not a number (write 1,234, (1,234) or — for nil)") from None
    return -number if negative else number


# --------------------------------------------------------------------------- periods


def period_labels(statement: Statement) -> dict[str, str]:
    """Period key -> the label the filing prints, made unique (two columns may print the same words)."""
    labels: dict[str, str] = {}
    for p in statement.periods:
        label = p.label or (p.end.isoformat() if p.end else "period")
        labels[p.key] = label if label not in labels.values() else f"{label} ({_length(p) or p.end or p.key})"
    return labels


def _length(period: Period) -> str:
    return f"{period.months} months" if period.months else ""


def period_help(period: Period) -> str:
    """What the column header's hover says: 'ended 2023-12-31 · 12 months (restated)'."""
    parts = [f"{'ended' if period.months else 'at'} {period.end.isoformat()}" if period.end else "end date not read"]
    if period.months:
        parts.append(_length(period))
    if period.restated:
        parts.append("restated")
    return f"{period.label} — " + " · ".join(parts)


# --------------------------------------------------------------------------- the table


def review_table(statement: Statement, items: pl.DataFrame) -> pl.DataFrame:
    """One row per line item: `item_id`, `line` (the label indented by level), `label`, `level`, `is_total`,
    `confidence`, `flag` (⚠ low confidence, ✎ corrected by an analyst), `page`, then one column per period key."""
    keys = [p.key for p in statement.periods if p.key in items.columns]
    flags = [
        ("✎ " if engine == ANALYST else "") + (f"⚠ {conf or 0.0:.0%}" if (conf or 0.0) < LOW_CONFIDENCE else "")
        for engine, conf in zip(items["engine"], items["confidence"], strict=True)
    ]
    return items.select(
        pl.col("item_id"),
        (pl.lit(INDENT).repeat_by(pl.col("level").clip(0, 8)).list.join("") + pl.col("label")).alias("line"),
        "label",
        "level",
        "is_total",
        "confidence",
        pl.Series("flag", flags, dtype=pl.Utf8),
        "page",
        *keys,
    )


def style_table(table: pl.DataFrame, statement: Statement) -> Any:
    """The table for display, as a pandas Styler (st.dataframe draws one): the line, one column per period key
    with the values as printed (separators, brackets, — for nil), the flag; totals bold, low-confidence values
    shaded, corrected rows blue."""
    keys = [p.key for p in statement.periods if p.key in table.columns]
    text = {k: [format_number(v) for v in table[k].to_list()] for k in keys}
    shown = pl.DataFrame({"line": table["line"], **text, "flag": table["flag"]}).to_pandas()
    totals = table["is_total"].to_list()
    doubtful = [(c or 0.0) < LOW_CONFIDENCE for c in table["confidence"]]
    corrected = ["✎" in f for f in table["flag"]]
    columns = list(shown.columns)

    def row_style(row: Any) -> list[str]:
        i = int(row.name)
        css = []
        if totals[i]:
            css.append("font-weight: bold")
        if corrected[i]:
            css.append("color: #1f4e79")
        base = "; ".join(css)
        shade = f"background-color: {DOUBT_COLOUR}" if doubtful[i] else ""
        return [("; ".join(x for x in (base, shade) if x) if c in keys or c == "flag" else base) for c in columns]

    return shown.style.apply(row_style, axis=1)


def doubt(statement: Statement, row: int, key: str | None = None) -> str | None:
    """Why a line (or one of its values) is shaded, in words; None when it was read with confidence."""
    if not 0 <= row < len(statement.items):
        return None
    item = statement.items[row]
    if item.confidence >= LOW_CONFIDENCE:
        return None
    why = f"read with {item.confidence:.0%} confidence (below {LOW_CONFIDENCE:.0%})"
    if key is not None and key in item.raw:
        why += f"; printed as “{item.raw[key]}”, read as {format_number(item.values.get(key)) or 'no value'}"
    if statement.scale is None:
        why += "; the statement prints no unit"
    return why + ": compare it with the page"


# --------------------------------------------------------------------------- checks


State = Literal["pass", "fail", "unverified"]


@dataclass(frozen=True, slots=True)
class Badge:
    """One check as the page shows it: a state (green / red / grey), a short text with the numbers, the detail."""

    state: State
    text: str
    detail: str


def check_state(check: Check) -> State:
    """True passes, False fails, None is not verified (the structure could not be decided or a figure is missing)."""
    ok: bool | None = check.ok
    return "unverified" if ok is None else "pass" if ok else "fail"


def check_badges(statement: Statement) -> list[Badge]:
    """Every check of the statement: 'Total assets = liabilities + equity · December 31, 2023: 6,950 = 6,950'."""
    labels = period_labels(statement)
    badges = []
    for check in statement.checks:
        text = check.name.replace("_", " ")
        text = text[:1].upper() + text[1:]
        if check.period:
            text += f" · {labels.get(check.period, check.period)}"
        state = check_state(check)
        if check.expected is not None or check.actual is not None:
            sign = "=" if state == "pass" else "≠" if state == "fail" else "vs"
            text += f": {format_number(check.actual) or '?'} {sign} {format_number(check.expected) or '?'}"
        badges.append(Badge(state, text, check.detail))
    return badges


# --------------------------------------------------------------------------- corrections


def editor_frame(table: pl.DataFrame, statement: Statement) -> pl.DataFrame:
    """What the correction grid edits: item_id, label, level, is_total, then one text column per period key with
    the value as printed (the grid shows and takes '1,234', '(171)', '—')."""
    keys = [p.key for p in statement.periods if p.key in table.columns]
    return table.select(
        "item_id", "label", "level", "is_total",
        *[pl.Series(k, [format_number(v) for v in table[k].to_list()], dtype=pl.Utf8) for k in keys],
    )


def apply_edits(
    store: Store, viewer: Viewer, before: pl.DataFrame, after: Any, statement: Statement
) -> list[str]:
    """Save every cell the analyst changed (label, level, total flag, values typed as printed) as a correction with
    its audit entry; the store re-runs the checks. `before` is `editor_frame` (or the review table), `after` the
    data editor's frame (pandas or Polars, same rows). Returns one line per change; StorageError for an invalid
    value (nothing after it is saved)."""
    edited = after if isinstance(after, pl.DataFrame) else pl.from_pandas(after)
    if edited.height != before.height:
        raise StorageError("rows cannot be added or removed here; correct the values in place")
    labels = period_labels(statement)
    keys = [p.key for p in statement.periods if p.key in before.columns]
    changes = []
    for old, new in zip(before.iter_rows(named=True), edited.iter_rows(named=True), strict=True):
        item_id = int(old["item_id"])
        if str(new["label"] or "").strip() != old["label"]:
            store.correct_label(viewer, item_id, str(new["label"] or ""))
            changes.append(f"{old['label']}: label → “{str(new['label']).strip()}”")
        if _int(new["level"]) != old["level"]:
            store.correct_level(viewer, item_id, _int(new["level"]))
            changes.append(f"{old['label']}: level {old['level']} → {_int(new['level'])}")
        if bool(new["is_total"]) != bool(old["is_total"]):
            store.correct_total(viewer, item_id, bool(new["is_total"]))
            changes.append(f"{old['label']}: total {_yes(old['is_total'])} → {_yes(new['is_total'])}")
        for key in keys:
            a, b = parse_number(old[key]), parse_number(new[key])
            if a != b:
                store.correct_value(viewer, item_id, key, b)
                changes.append(f"{old['label']} · {labels[key]}: {format_number(a) or 'blank'} → "
                               f"{format_number(b) or 'blank'}")
    return changes


def _yes(value: Any) -> str:
    return "yes" if bool(value) else "no"


def _int(value: Any) -> int:
    number = parse_number(value)
    if number is None or number < 0 or not float(number).is_integer():
        raise StorageError("a level is a whole number from 0 up")
    return int(number)


def audit_table(audit: pl.DataFrame, statement_id: int, table: pl.DataFrame, statement: Statement) -> pl.DataFrame:
    """The statement's corrections for reading: id, when, who, line (its label now), period (as printed), the
    change 'old → new' in the statement's format, and what it undid."""
    labels = period_labels(statement)
    names = dict(zip(table["item_id"].to_list(), table["label"].to_list(), strict=True))
    rows = []
    for r in audit.filter(pl.col("statement_id") == statement_id).iter_rows(named=True):
        field = str(r["field"])
        key = field[len("value["):-1] if field.startswith("value[") else None
        if key is not None:
            what, old, new = labels.get(key, key), _shown_value(r["old"]), _shown_value(r["new"])
        else:
            what = {"label": "label", "level": "level", "is_total": "total"}.get(field, field)
            old, new = _shown_field(field, r["old"]), _shown_field(field, r["new"])
        rows.append({
            "id": int(r["id"]), "when": r["at"], "who": r["username"],
            "line": names.get(r["item_id"], f"(line {r['item_id']} no longer exists)"), "period": what,
            "change": f"{old} → {new}", "note": f"undoes #{r['undoes']}" if r["undoes"] is not None else "",
        })
    schema = {"id": pl.Int64, "when": pl.Datetime, "who": pl.Utf8, "line": pl.Utf8, "period": pl.Utf8,
              "change": pl.Utf8, "note": pl.Utf8}
    return pl.DataFrame(rows, schema=schema)


def _shown_value(text: str | None) -> str:
    return format_number(None if text is None else float(text)) or "blank"


def _shown_field(field: str, text: str | None) -> str:
    if field == "is_total":
        return "yes" if text == "True" else "no"
    return f"“{text}”" if field == "label" else str(text)


def undoable(audit: pl.DataFrame, statement_id: int) -> list[int]:
    """Ids of the statement's corrections that can be undone now, newest first: the latest correction of each
    field (a value, a label) — an earlier one was overwritten by it, so undoing goes one step at a time. The latest
    may itself be an undo: undoing it redoes the change."""
    rows = audit.filter((pl.col("statement_id") == statement_id) & pl.col("item_id").is_not_null())
    if rows.is_empty():
        return []
    latest = rows.group_by("item_id", "field").agg(pl.col("id").max())["id"].to_list()
    return sorted((int(i) for i in latest), reverse=True)


# --------------------------------------------------------------------------- uploads that are already here


def already_uploaded(store: Store, viewer: Viewer, data: bytes) -> DocumentRecord | None:
    """The viewer's document with exactly these bytes, when they uploaded the file before (the Upload page links
    to it instead of queueing the same extraction again)."""
    from finsheet.extraction.pdf import sha256

    return store.find_document(viewer, sha256(data))


def name_once(name: str, message: str) -> str:
    """'a.pdf: a.pdf: damaged' -> 'a.pdf: damaged': a message that names its file says so once."""
    prefix = f"{name}: "
    while message.startswith(prefix + prefix):
        message = message[len(prefix):]
    body = message.removeprefix(prefix).replace(f"{name}: ", "").replace(f"'{name}' ", "")
    return prefix + body


# --------------------------------------------------------------------------- what the Review page says


def checks_first_failed(badges: list[Badge]) -> list[Badge]:
    """Failures first, then the checks that could not be verified, then the passes."""
    return sorted(badges, key=lambda b: ("fail", "unverified", "pass").index(b.state))


def checks_metric(badges: list[Badge]) -> tuple[str, str | None]:
    """'7/8' (passed of those that could be verified) and, when some could not be, how many."""
    verified = [b for b in badges if b.state != "unverified"]
    unverified = len(badges) - len(verified)
    return f"{sum(b.state == 'pass' for b in badges)}/{len(verified)}", (
        f"{unverified} not verified" if unverified else None)


def selected_cell(cells: list[tuple[int, str]], rows: list[int], keys: set[str]) -> tuple[int | None, str | None]:
    """The table's selection as (row, period key): a clicked cell, else a clicked row (no period); a cell of the
    label or flag column selects its row only."""
    row = cells[0][0] if cells else rows[0] if rows else None
    key = cells[0][1] if cells and cells[0][1] in keys else None
    return row, key


def selection_caption(statement: Statement, page: int, row: int, key: str | None, spot: ValueBox | None) -> str:
    """What the outline on the page shows: the line, the period and its value as printed, and how exact the box is."""
    item = statement.items[row]
    said = f"page {page} · **{plain(item.label)}**"
    if key is None or spot is None:
        return said
    said += f" · {plain(period_labels(statement)[key])}: **{plain(format_number(item.values.get(key)) or 'no value')}**"
    if spot.exact:
        return said + " · outlined in red"
    if spot.box:
        return said + " · the value's own box was not recorded: red marks the column's span on this line"
    return said + " · no position recorded for this period's values"


def scale_caption(statement: Statement) -> str:
    """'USD · × 1,000': how to read the printed values (escaped: the currency comes from the PDF)."""
    scale = ("scale unknown: values as printed" if statement.scale is None
             else f"× {statement.scale:,}" if statement.scale != 1 else "as printed")
    return f"{plain(statement.currency or 'currency unknown')} · {scale}"


def corrected_lines(table: pl.DataFrame) -> list[tuple[int, str]]:
    """(item id, label) of the lines the analyst corrected (flagged ✎), for "revert to extracted"."""
    return [(int(i), label) for i, label, flag in table.select("item_id", "label", "flag").iter_rows() if "✎" in flag]
