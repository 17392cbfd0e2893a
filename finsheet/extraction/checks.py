"""Accounting identities on one statement, per period. A failed check names the numbers.

* balance sheet: total assets = total liabilities + equity (or net assets = total equity in the UK format);
* every "Total …" line (and every unlabeled total) equals the sum of the lines it closes;
* cash flow: cash at the start + the net change (+ exchange effects) = cash at the end, and the three activity
  totals add up to the net change.

Printed statements round every line, so sums may differ from their totals by a rounding unit per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar

from finsheet.extraction.items import MAJOR_HEADING
from finsheet.extraction.numbers import parse_figure
from finsheet.model import Check, LineItem, Statement, StatementType

T = StatementType


def run_checks(statement: Statement) -> list[Check]:
    """All checks that apply to the statement, for every period."""
    token = _UNIT.set(_rounding_unit(statement))
    seen: list[tuple[Check, list[LineItem]]] = []
    seen_token = _SEEN.set(seen)
    try:
        checks: list[Check] = []
        if statement.type == T.BALANCE:
            checks.extend(_balance(statement))
        if statement.type == T.CASH_FLOW:
            checks.extend(_cash_roll_forward(statement))
            checks.extend(_cash_activities(statement))
        checks.extend(_subtotals(statement))
        _doubt(seen)
        return checks
    finally:
        _UNIT.reset(token)
        _SEEN.reset(seen_token)


DOUBTFUL = 0.5
"""The confidence of a figure that breaks an identity the statement's other figures satisfy."""


def _doubt(seen: list[tuple[Check, list[LineItem]]]) -> None:
    """Figures that break a footing are shown as doubtful, never silently accepted: a figure (above all an OCR
    reading) in a failed identity is suspect unless, in the same period, it also takes part in one that holds
    (then its own reading is confirmed). The failed check names the suspects and, when one misread character
    explains the difference ("$8,240" for 58,240), the reading that foots."""
    confirmed = {(id(it), c.period) for c, items in seen if c.ok for it in items}
    for check, items in seen:
        if check.ok or check.period is None or check.expected is None or check.actual is None:
            continue
        key = check.period
        suspects = [it for it in items if (id(it), key) not in confirmed]
        for it in suspects:
            it.confidence = min(it.confidence, DOUBTFUL)
        fixes = [f"{it.label!r} printed {it.raw.get(key)!r} may be {_fmt(alt)}" for it in suspects
                 for alt in _misreadings(it.raw.get(key, "")) if _would_foot(check, items, it, key, alt)]
        if len(fixes) == 1:
            check.detail += f"; {fixes[0]}"
        elif suspects:
            check.detail += "; doubtful: " + ", ".join(repr(it.label) for it in suspects[:4])


# OCR's usual confusions inside a figure: a 5 read as "$" or "S", an 8 as "B", a 0 as "o", a 1 as "l" or "7".
_CONFUSIONS = {"$": "5", "S": "5", "B": "8", "o": "0", "O": "0", "l": "1", "7": "1", "1": "7"}


def _misreadings(raw: str) -> list[float]:
    """Values a printed figure would have with one of its characters read as OCR often confuses it."""
    out = []
    for i, ch in enumerate(raw):
        alt = _CONFUSIONS.get(ch)
        if alt is None:
            continue
        fig = parse_figure(raw[:i] + alt + raw[i + 1 :])
        if fig is not None:
            out.append(fig.value)
    return out


def _would_foot(check: Check, items: list[LineItem], item: LineItem, key: str, alt: float) -> bool:
    """Whether the failed identity holds with `item` read as `alt`, on whichever side it stands."""
    assert check.expected is not None and check.actual is not None
    shift = alt - (item.values.get(key) or 0.0)
    tol = _tolerance(len(items))
    return abs(check.expected + shift - check.actual) <= tol or abs(check.expected - check.actual - shift) <= tol


_SEEN: ContextVar[list[tuple[Check, list[LineItem]]]] = ContextVar("checks_seen")
"""Each check made in this run_checks call with the line items it compared."""
_UNIT: ContextVar[float] = ContextVar("rounding_unit", default=1.0)
"""The statement's printed rounding unit (1, 0.1, 0.01), worked out once per run_checks call."""


def _rounding_unit(statement: Statement) -> float:
    decimals = 0
    for item in statement.items:
        for raw in item.raw.values():
            m = re.search(r"[.,](\d{1,2})\)?%?$", raw)
            if m and not re.search(r"[.,]\d{3}\)?$", raw):
                decimals = max(decimals, len(m.group(1)))
    return 10.0**-decimals


def _tolerance(count: int) -> float:
    """Rounding slack: half a printed unit per line added, at least one unit."""
    unit = _UNIT.get()
    return max(unit, 0.5 * unit * count) + 1e-9


def _money(statement: Statement) -> list[LineItem]:
    return [it for it in statement.items if it.values and it.unit is None]


def _find(items: list[LineItem], pattern: str, *, last: bool = False) -> LineItem | None:
    regex = re.compile(pattern, re.I)
    hits = [it for it in items if regex.search(_norm(it.label))]
    if not hits:
        return None
    return hits[-1] if last else hits[0]


def _norm(label: str) -> str:
    text = label.lower().replace("\u2019", "'").replace("&", "and")
    text = re.sub(r"\(note[^)]*\)|\([a-z]\)", " ", text)
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9'()/ -]+", " ", text)).strip()


def _compare(
    statement: Statement,
    name: str,
    describe: Callable[[str], str],
    expected: Callable[[str], float | None],
    actual: Callable[[str], float | None],
    count: int,
    involved: list[LineItem | None],
) -> list[Check]:
    out = []
    for period in statement.periods:
        e, a = expected(period.key), actual(period.key)
        if e is None or a is None:
            continue
        ok = abs(e - a) <= _tolerance(count)
        detail = describe(period.label or period.key)
        detail += f": {_fmt(e)} vs {_fmt(a)}" + ("" if ok else f" (differs by {_fmt(a - e)})")
        check = Check(name=name, ok=ok, detail=detail, period=period.key, expected=e, actual=a)
        out.append(check)
        seen = _SEEN.get(None)
        if seen is not None:
            seen.append((check, [it for it in involved if it is not None and period.key in it.values]))
    return out


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def _value(item: LineItem | None, key: str) -> float | None:
    return None if item is None else item.values.get(key)


def _sum(items: list[LineItem | None], key: str) -> float | None:
    values = [_value(it, key) for it in items]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


# --------------------------------------------------------------------------- balance sheet


def _balance(st: Statement) -> list[Check]:
    items = _money(st)
    assets = _find(items, r"^total assets$") or _find(items, r"^total assets\b")
    both = _find(items, r"^total (?:liabilities|capitali[sz]ation and liabilities)[ ,]*(?:and|&) .*(?:equity|deficit"
                        r"|capital|net assets)|^total (?:equity|shareholders' funds) and liabilities$")
    if assets is not None and both is not None:
        return _compare(st, "assets_equal_liabilities_plus_equity",
                        lambda p: f"{p}: total assets = {both.label.lower()}",
                        lambda k: _value(assets, k), lambda k: _value(both, k), 1, [assets, both])
    liabilities = _find(items, r"^total liabilities$")
    equity = _find(items, r"^total (?:stockholders'|shareholders'|members')? ?(?:equity|deficit)(?: \(deficit\))?$",
                   last=True) or _find(items, r"^total equity", last=True)
    if assets is not None and liabilities is not None and equity is not None:
        return _compare(st, "assets_equal_liabilities_plus_equity",
                        lambda p: f"{p}: total assets = total liabilities + total equity",
                        lambda k: _value(assets, k), lambda k: _sum([liabilities, equity], k), 2,
                        [assets, liabilities, equity])
    net_assets = _find(items, r"^net assets$|^net (?:liabilities|assets)/\(?liabilities\)?$|^total net assets$")
    funds = equity or _find(
        items, r"shareholders?'?s? funds$|^total (?:capital and reserves|equity)|^net assets attributable"
    )
    if net_assets is not None and funds is not None and net_assets is not funds:
        return _compare(st, "net_assets_equal_equity", lambda p: f"{p}: net assets = total equity",
                        lambda k: _value(net_assets, k), lambda k: _value(funds, k), 1, [net_assets, funds])
    return []


# --------------------------------------------------------------------------- cash flow

_BEGIN = (r"(?:cash|cash equivalents|cash and cash equivalents).*(?:beginning|start|opening|brought forward|at 1 )"
          r"|^(?:beginning|opening) (?:cash|balance)")
_END = (r"(?:cash|cash equivalents|cash and cash equivalents).*(?:end of|at end|closing|year-end|year end|at 3[01] "
        r"|carried forward)|^(?:ending|closing) (?:cash|balance)")
_CHANGE = (r"^(?:net )?(?:\(?(?:increase|decrease)\)?[/ ]*(?:\(?(?:increase|decrease)\)?)?|change|movement)s? in cash"
           r"|^net (?:\(?(?:increase|decrease|change)\)?[/ ]*)+")
_FX = r"exchange|foreign currenc|translation"


def _cash_roll_forward(st: Statement) -> list[Check]:
    items = _money(st)
    begin, end = _find(items, _BEGIN), _find(items, _END, last=True)
    change = _find(items, _CHANGE)
    if begin is None or end is None or change is None or begin is end:
        return []
    fx = _find(items[items.index(change) + 1 :], _FX) if change in items else None

    def with_change(k: str) -> float | None:
        base = _sum([begin, change], k)
        if base is None:
            return None
        e = _value(end, k)
        extra = _value(fx, k) if fx is not None else None
        if extra is not None and e is not None and abs(base + extra - e) < abs(base - e):
            return base + extra
        return base

    return _compare(st, "cash_roll_forward", lambda p: f"{p}: cash at start + net change = cash at end",
                    with_change, lambda k: _value(end, k), 3, [begin, change, end])


_ACTIVITIES = ("operating", "investing", "financing")


def _cash_activities(st: Statement) -> list[Check]:
    items = _money(st)
    totals = [_find(items, rf"^(?:net |total )?cash\b.*\b{a}\b.*activit|^{a} activities$", last=True)
              for a in _ACTIVITIES]
    change = _find(items, _CHANGE)
    if any(t is None for t in totals) or change is None:
        return []
    last = max(items.index(t) for t in totals if t is not None)
    fx = _find(items[last + 1 : items.index(change)], _FX)  # exchange effects sit between the totals and the change

    def activities(k: str) -> float | None:
        base = _sum(list(totals), k)
        target = _value(change, k)
        if base is None:
            return None
        extra = _value(fx, k) if fx is not None else None
        if extra is not None and target is not None and abs(base + extra - target) < abs(base - target):
            return base + extra
        return base

    return _compare(st, "cash_activities_sum_to_change",
                    lambda p: f"{p}: operating + investing + financing = net change in cash",
                    activities, lambda k: _value(change, k), 4, [*totals, change])


# --------------------------------------------------------------------------- subtotals


def _subtotals(st: Statement) -> list[Check]:
    """Each "Total …" line (or unlabeled total) against the lines it closes: the lines since the last heading,
    or since an enclosing heading, with any inner subtotal standing for its own lines."""
    out: list[Check] = []
    segments: list[list[LineItem]] = [[]]
    headings: list[str] = [""]
    for item in st.items:
        if not item.values:
            segments.append([])  # a heading opens a block
            headings.append(item.label)
            continue
        if item.unit is not None:
            continue
        if not item.is_total:
            segments[-1].append(item)
            continue
        start = _closing_block(st, segments, item)
        if start is not None:
            parts = [it for seg in segments[start:] for it in seg]
            out.extend(_foot(st, item, parts))
            del segments[max(start, 1):]
            del headings[max(start, 1):]
            if start == 0:
                segments[0] = []
            segments[-1].append(item)
        elif _closes(item, headings[-1]) and len(segments[-1]) >= 2:
            out.extend(_foot(st, item, segments[-1]))  # reported as failing: it does not foot
            segments[-1] = [item]
        else:
            segments[-1].append(item)
    return out


def _closes(total: LineItem, heading: str) -> bool:
    """Whether the layout says this total closes the block under `heading` ("Total current assets" under
    "Current assets", or a total printed with no label)."""
    if MAJOR_HEADING.match(heading):
        return False  # grand totals ("Total assets") are tested by the balance identity instead
    if "no label printed" in (total.note or ""):
        return True
    name = re.sub(r"^total\s+", "", _norm(total.label))
    return bool(heading) and name == _norm(heading).rstrip(":")


def _closing_block(st: Statement, segments: list[list[LineItem]], total: LineItem) -> int | None:
    """The first segment index from which the lines add up to `total` in every period, innermost first."""
    keys = [k for k in total.values if total.values[k] is not None]
    if not keys:
        return None
    for start in range(len(segments) - 1, -1, -1):
        parts = [it for seg in segments[start:] for it in seg]
        if len(parts) < 2:
            continue
        tol = _tolerance(len(parts))
        sums = [_sum(list(parts), k) for k in keys]
        if all(s is not None and abs(s - (total.values[k] or 0.0)) <= tol for s, k in zip(sums, keys, strict=True)):
            return start
    return None


def _foot(st: Statement, total: LineItem, parts: list[LineItem]) -> list[Check]:
    label = total.label
    return _compare(
        st, "subtotal_foots", lambda p: f"{p}: {label} = sum of its {len(parts)} lines",
        lambda k: _sum(list(parts), k), lambda k: _value(total, k), len(parts), [*parts, total],
    )
