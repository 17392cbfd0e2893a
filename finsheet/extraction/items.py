"""Line items from a page's rows (their wrapped labels joined by `wrapped`): indentation levels, section paths from
heading rows, totals (named when unlabeled), per-share and share-count rows."""

from __future__ import annotations

import re
from statistics import median

from finsheet.extraction.columns import Column
from finsheet.extraction.label_kinds import MAJOR_HEADING, TOTAL, is_generic_share_row, unit_of
from finsheet.extraction.rows import Row
from finsheet.extraction.titles import normalise
from finsheet.extraction.wrapped import MID_LABEL, join_wrapped
from finsheet.model import Box, LineItem, Period, Unit


def rename_keys(items: list[LineItem], renamed: dict[str, str]) -> None:
    """Carry renamed period keys to every line's values, printed texts and boxes."""
    if renamed:
        for item in items:
            item.values = {renamed.get(k, k): v for k, v in item.values.items()}
            item.raw = {renamed.get(k, k): v for k, v in item.raw.items()}
            item.boxes = {renamed.get(k, k): v for k, v in item.boxes.items()}


def line_items(rows: list[Row], value_cols: list[Column], periods: list[Period],
               ocr_confidence: dict[tuple[int, str], float] | None = None) -> list[LineItem]:
    """Line items of one page's rows; for a scanned page, `ocr_confidence` is given OCR's confidence in each figure,
    by the item's id and the period key."""
    position = {id(col): k for k, col in enumerate(value_cols)}
    rows = join_wrapped(rows)
    label_x = [r.label_x0 for r in rows if r.label_words and r.values]
    levels = _indent_levels(label_x)
    deepest = max(label_x, default=0.0)
    items: list[LineItem] = []
    for row in rows:
        values: dict[str, float | None] = {}
        raw: dict[str, str] = {}
        boxes: dict[str, Box] = {}
        read: dict[str, float] = {}
        for col_id, cell in row.values.items():
            p = position.get(col_id)
            if p is None:
                continue
            key = periods[p].key
            values[key] = None if cell.figure.unreadable else cell.figure.value
            raw[key] = cell.figure.raw
            boxes[key] = cell.box
            read[key] = cell.conf
        label = row.label
        if not values and not label:
            continue
        if not values and (re.fullmatch(r"[\d\s,.%$£€()/-]*", label) or len(label) > 160):
            continue
        # on a scan, a line's own confidence is OCR's in its label; its figures' (in `ocr_confidence`) are judged
        # by the statement's arithmetic once it is parsed (`footing.doubt_unconfirmed`), and a currency sign's says
        # nothing of the figure beside it
        conf = min([w.conf for w in (row.words if ocr_confidence is None else row.label_words)] + [1.0])
        unread = [k for k, v in values.items() if v is None and k in raw]
        if unread:  # a figure OCR could not read is shown as missing, never guessed
            conf = min(conf, 0.5)
            row.note = (row.note + "; " if row.note else "") + "unreadable figure: " + ", ".join(raw[k] for k in unread)
        # a centred heading ("ASSETS") stands further right than any line item: it is a top-level heading
        level = 0 if not values and row.label_x0 > deepest + 5 else _level(levels, row.label_x0)
        items.append(LineItem(
            label=label, level=level, page=row.page, box=row.box,
            confidence=round(conf, 2), values=values, raw=raw, boxes=boxes, note=row.note,
        ))
        if ocr_confidence is not None:
            ocr_confidence.update({(id(items[-1]), key): c for key, c in read.items()})
    return [it for it in _trim(items)]


def _trim(items: list[LineItem]) -> list[LineItem]:
    """Drop the trailing lines with no figures (footnotes under the table)."""
    while items and not items[-1].values:
        items.pop()
    return items




def _indent_levels(xs: list[float]) -> dict[int, int]:
    """Indentation level of each label x position (rounded), from the steps between distinct positions."""
    distinct = sorted({round(x) for x in xs})
    if not distinct:
        return {}
    clusters: list[list[int]] = [[distinct[0]]]
    for x in distinct[1:]:
        if x - clusters[-1][-1] <= 2:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    starts = [c[0] for c in clusters]
    steps = [b - a for a, b in zip(starts, starts[1:], strict=False) if b - a >= 3]
    smallest = max(min(steps), 4) if steps else 10
    unit = float(median([s for s in steps if s < 3 * smallest])) if steps else float(smallest)
    base = starts[0]
    return {x: min(int(round((c[0] - base) / unit)), 6) for c in clusters for x in c}


def _level(levels: dict[int, int], x: float) -> int:
    if not levels:
        return 0
    nearest = min(levels, key=lambda k: abs(k - x))
    return levels[nearest]


def resolve_sections(items: list[LineItem]) -> None:
    """Section paths from heading rows (lines with no figures), totals, units; unlabeled totals named."""
    stack: list[tuple[float, str, bool]] = []  # (level, heading, major)
    unit_stack: Unit | None = None
    for item in items:
        label = item.label
        if not item.values:
            major = bool(MAJOR_HEADING.match(label))
            level = item.level - (0.5 if major else 0.0)
            while stack and stack[-1][0] >= level and not (stack[-1][2] and not major and stack[-1][0] < level + 0.5):
                stack.pop()
            stack.append((level, _heading_name(label), major))
            unit_stack = unit_of(label)
            item.section = [s[1] for s in stack[:-1]]
            continue
        item.section = [s[1] for s in stack]
        unit = unit_of(label) or (unit_stack if _shares_heading_unit(item, unit_stack) else None)
        if unit is None and any(f"{v}".endswith("p") for v in item.raw.values()):
            unit = "per_share"
        item.unit = unit
        if not label:
            item.is_total = True
            leaf = stack[-1][1] if stack else ""
            # the block's heading names what the total adds up, or the total itself ("Total comprehensive income is
            # attributable to:"), never "Total total ..."; a line of a label's details with no figures of its own
            # ("150,000 authorized as of ...": it opens mid-label) heads no block, and the total is left unnamed
            detail = leaf[:1].islower() or bool(MID_LABEL.match(leaf))
            item.label = "Total" if not leaf or detail else leaf if re.match(r"total\b", leaf, re.I) \
                else f"Total {_in_running_text(leaf)}"
            item.note = (item.note + "; " if item.note else "") + "no label printed"
            if stack and not stack[-1][2]:
                stack.pop()  # an unlabeled total closes the block it adds up
            continue
        else:
            item.is_total = bool(TOTAL.match(label)) or (label.isupper() and len(label) > 3 and bool(
                re.match(r"(?:net|total|gross|operating|income|profit|loss)\b", label, re.I)))
        if item.is_total and stack:
            name = normalise(re.sub(r"^total\s+", "", label, flags=re.I))
            for depth in range(len(stack) - 1, -1, -1):
                if normalise(stack[depth][1]) == name:
                    del stack[depth:]
                    break
        if unit_stack and not _shares_heading_unit(item, unit_stack) and not unit_of(label):
            unit_stack = None
    _unname_partial_totals(items)


def _unname_partial_totals(items: list[LineItem]) -> None:
    """A block's total is printed once. An unlabelled total named after its block, where the statement prints that
    total under its own label further down, adds up only part of the block (the equity components before treasury
    stock, above "Total shareholders' equity"): what it is, no line says, so it is left "Total"."""
    printed_later: set[str] = set()  # the names of the totals printed with their labels, from the bottom up
    for item in reversed(items):
        unlabelled = "no label printed" in (item.note or "")
        if not unlabelled:
            printed_later.add(normalise(item.label))
        elif item.is_total and item.label != "Total" and normalise(item.label) in printed_later:
            item.label = "Total"


def _in_running_text(heading: str) -> str:
    """A heading as words inside a name ("Current Assets" -> "current assets", "EXPENSES (note 7)" -> "expenses (note
    7)"): a heading set mostly in capitals, or in capitalised words, is lower-cased; a short word in capitals among
    words in lower case ("IFRS", "US") is an acronym and stays."""
    letters = [ch for ch in heading if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters):
        return heading.lower()
    return " ".join(w.lower() if w[:1].isupper() and (w[1:] == w[1:].lower() or len(w) > 4) else w
                    for w in heading.split())


def _heading_name(label: str) -> str:
    text = label.rstrip(":").strip()
    return text[:1].upper() + text[1:].lower() if text.isupper() else text




# Under a per-share heading ("Income per share - basic:", "Earnings per share"), the result is split into its
# parts by operations: "Continuing operations", "Income from discontinued operations" (or just "Continuing") are
# per-share figures there.
_OPERATIONS_PART = re.compile(
    r"(?:(?:net )?(?:income|earnings|profit|loss)(?: \(loss\))?\s+(?:from|on)\s+)?"
    r"(?:continuing|discontinued)(?: operations)?(?: \(.*\))?:?",
    re.I,
)


# A line naming the result or a part of it, however qualified ("Income from continuing operations attributable to
# the parent", "Discontinued operations, net of tax", "Net income attributable to the parent")
_RESULT_NAMED = re.compile(r"\b(?:income|earnings|profit|loss|operations)\b", re.I)
# A per-share amount prints cents: two decimals ("1.31", "$(0.09)"), where money in a statement of thousands or
# millions prints none or one
_CENTS = re.compile(r"[^\d]*\d+\.\d{2}\)?")
# What OCR leaves of cents whose point it lost ("131" for "1.31", "1234" for "12.34"): three or four digits with no
# separator. A text layer never prints a per-share amount so, and money under the heading prints its own grouping.
CENTS_POINT_LOST = re.compile(r"[^\d]*\d{3,4}\)?")


def _shares_heading_unit(item: LineItem, unit: Unit | None) -> bool:
    """Whether a line takes the unit of the heading above it: "Basic" and "Diluted" under a share count's or a
    per-share heading; under a per-share heading, the result's parts by operations, and any line naming the result
    whose every figure prints cents."""
    label = item.label.strip()
    if is_generic_share_row(label):
        return True
    if unit != "per_share":
        return False
    if _OPERATIONS_PART.fullmatch(label):
        return True
    # a nil says nothing of a line's precision; a scan's lost point is read as cents where the line's other figures
    # print cents
    raws = [raw.strip() for key, raw in item.raw.items() if item.values.get(key)]
    return any(_CENTS.fullmatch(r) for r in raws) and bool(_RESULT_NAMED.search(label)) and all(
        _CENTS.fullmatch(r) or CENTS_POINT_LOST.fullmatch(r) for r in raws)


def mark_structural_totals(items: list[LineItem]) -> None:
    """A line whose figures equal the sum of the lines just above it (since the last heading or total) is a
    subtotal even when its label does not say so ("Equity attributable to owners of the parent")."""
    block: list[LineItem] = []
    for item in items:
        if not item.values or item.unit is not None:
            block = [] if not item.values else block
            continue
        keys = [k for k, v in item.values.items() if v is not None]
        if not item.is_total and len(block) >= 2 and keys and (len(keys) >= 2 or len(block) >= 3):
            sums = [sum(it.values.get(k) or 0.0 for it in block) for k in keys]
            if all(abs(s - (item.values[k] or 0.0)) <= 0.5 * len(block) * _unit(item) + 1e-9
                   for s, k in zip(sums, keys, strict=True)) and any(item.values[k] for k in keys):
                item.is_total = True
        block = [item] if item.is_total else [*block, item]


def _unit(item: LineItem) -> float:
    decimals = max((len(m.group(1)) for raw in item.raw.values() if (m := re.search(r"\.(\d{1,2})\)?$", raw))),
                   default=0)
    return 10.0 ** -decimals
