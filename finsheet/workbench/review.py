"""What the Review page shows and saves: a statement as an editable table, its checks, and its source page as an
image with one line's box highlighted. No streamlit here; the page lays these out.

    table = review_table(statement, store.items_frame(viewer, statement_id))   # one row per line item
    styled = style_table(table, statement)                                      # totals bold, doubts marked
    image = page_image(pdf_path, page, box=item.box)                           # PIL image, box highlighted
    changes = apply_edits(store, viewer, table, edited, statement)             # corrections + audit + checks

The table keeps the store's `item_id` and the period keys as column names (stable for the data editor); the page
labels the columns with the printed period labels (`period_labels`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from PIL import Image, ImageDraw

from finsheet.errors import PdfError, StorageError
from finsheet.extraction.pdf import open_pdf
from finsheet.model import Box, Statement

if TYPE_CHECKING:
    from finsheet.store import Store, Viewer

LOW_CONFIDENCE = 0.8
"""Items read with less confidence than this are marked for the analyst's eye."""
ANALYST = "analyst"
INDENT = "\u2003"  # an em space: visible indentation that survives the grid's whitespace trimming
EDITABLE = ("label", "level", "is_total")
HIGHLIGHT = (255, 196, 0)


def period_labels(statement: Statement) -> dict[str, str]:
    """Period key -> the printed label, made unique (two columns may print the same words)."""
    labels: dict[str, str] = {}
    for p in statement.periods:
        label = p.label or p.key
        labels[p.key] = label if label not in labels.values() else f"{label} ({p.key})"
    return labels


def review_table(statement: Statement, items: pl.DataFrame) -> pl.DataFrame:
    """One row per line item: `item_id`, `line` (the label indented by level), `label`, `level`, `is_total`,
    `confidence`, `flag` (⚠ low confidence, ✎ corrected by an analyst), `page`, then one column per period key."""
    keys = [p.key for p in statement.periods if p.key in items.columns]
    flags = [
        ("✎ " if engine == ANALYST else "") + ("⚠" if (conf or 0.0) < LOW_CONFIDENCE else "")
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
    """The table for display, as a pandas Styler (st.dataframe draws one): totals bold, low-confidence rows
    shaded, corrected rows blue, numbers with thousands separators (negatives in parentheses, as printed)."""
    keys = [p.key for p in statement.periods if p.key in table.columns]
    text = {k: [format_number(v) for v in table[k].to_list()] for k in keys}
    shown = pl.DataFrame({"line": table["line"], **text, "flag": table["flag"]}).to_pandas()
    totals = table["is_total"].to_list()
    doubtful = [(c or 0.0) < LOW_CONFIDENCE for c in table["confidence"]]
    corrected = ["✎" in f for f in table["flag"]]

    def row_style(row: Any) -> list[str]:
        i = int(row.name)
        css = []
        if totals[i]:
            css.append("font-weight: bold")
        if doubtful[i]:
            css.append("background-color: #fff3cd")
        if corrected[i]:
            css.append("color: #1f4e79")
        return ["; ".join(css)] * len(row)

    return shown.style.apply(row_style, axis=1)


def format_number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return f"({text})" if value < 0 else text


def check_badges(statement: Statement) -> list[tuple[str, bool | None, str]]:
    """(short name, ok, detail) per check: 'assets = liabilities + equity · 2023-12-31'."""
    badges = []
    for check in statement.checks:
        name = check.name.replace("_", " ")
        if check.period:
            name += f" · {check.period}"
        badges.append((name, check.ok, check.detail))
    return badges


# --------------------------------------------------------------------------- the source page


def statement_region(statement: Statement, page: int, *, margin: float = 36.0) -> Box | None:
    """The part of `page` the statement's lines cover, with room above for its title: what is worth showing
    (a filing page is mostly margin). None when no line of the statement is on that page."""
    boxes = [i.box for i in statement.items if i.page == page and any(i.box)]
    if not boxes:
        return None
    return (min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - 3 * margin,
            max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin)


def page_image(
    pdf: Path | bytes, page: int, *, box: Box | None = None, crop: Box | None = None, scale: float = 1.5
) -> Image.Image:
    """Page `page` (1-based) rendered at `scale` × 72 dpi, with `box` (PDF points, origin top-left) outlined and
    tinted, then cut to `crop` (PDF points) when given. PdfError when the file or page cannot be read."""
    with open_pdf(pdf, "the source PDF") as doc:  # holds the PDFium lock: pages render from Streamlit's threads
        if not 1 <= page <= len(doc):
            raise PdfError(f"the source PDF has no page {page}")
        image = doc[page - 1].render(scale=scale).to_pil().convert("RGB")
    if box is not None and any(box):
        x0, top, x1, bottom = (v * scale for v in box)
        pad = 2 * scale
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        draw.rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), fill=(*HIGHLIGHT, 70), outline=(*HIGHLIGHT, 255),
                       width=max(2, round(scale)))
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    if crop is not None:
        x0, top, x1, bottom = (v * scale for v in crop)
        image = image.crop((max(0, round(x0)), max(0, round(top)), min(image.width, round(x1)),
                            min(image.height, round(bottom))))
    return image


def item_box(statement: Statement, row: int) -> tuple[int, Box] | None:
    """(page, box) of the statement's `row`-th line item, or None when out of range."""
    if not 0 <= row < len(statement.items):
        return None
    item = statement.items[row]
    return item.page, item.box


# --------------------------------------------------------------------------- corrections


def apply_edits(
    store: Store, viewer: Viewer, before: pl.DataFrame, after: Any, statement: Statement
) -> list[str]:
    """Save every cell the analyst changed (label, level, total flag, values) as a correction with its audit
    entry; the store re-runs the checks. `after` is the data editor's frame (pandas or Polars, same rows).
    Returns one line per change; StorageError for an invalid value (nothing after it is saved)."""
    edited = after if isinstance(after, pl.DataFrame) else pl.from_pandas(after)
    if edited.height != before.height:
        raise StorageError("rows cannot be added or removed here; correct the values in place")
    keys = [p.key for p in statement.periods if p.key in before.columns]
    changes = []
    for old, new in zip(before.iter_rows(named=True), edited.iter_rows(named=True), strict=True):
        item_id = int(old["item_id"])
        if str(new["label"] or "").strip() != old["label"]:
            store.correct_label(viewer, item_id, str(new["label"] or ""))
            changes.append(f"{old['label']}: label → {str(new['label']).strip()!r}")
        if _int(new["level"]) != old["level"]:
            store.correct_level(viewer, item_id, _int(new["level"]))
            changes.append(f"{old['label']}: level {old['level']} → {_int(new['level'])}")
        if bool(new["is_total"]) != bool(old["is_total"]):
            store.correct_total(viewer, item_id, bool(new["is_total"]))
            changes.append(f"{old['label']}: total {bool(old['is_total'])} → {bool(new['is_total'])}")
        for key in keys:
            a, b = _float(old[key]), _float(new[key])
            if a != b:
                store.correct_value(viewer, item_id, key, b)
                changes.append(f"{old['label']} [{key}]: {format_number(a) or 'blank'} → {format_number(b) or 'blank'}")
    return changes


def _float(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _int(value: Any) -> int:
    number = _float(value)
    if number is None or number < 0:
        raise StorageError("a level is a whole number from 0 up")
    return int(number)
