"""Stock splits, found from the figures: after a 4-for-1 split a filing reprints the earlier years' earnings per share
divided by 4 and their share counts multiplied by 4. Where two filings print the same period's per-share and share
figures in one uniform ratio, the older filing's figures (and every filing's before it) are brought to the newest
filing's basis, so the EPS row runs on one basis across the years.

    documents, splits = adjust_for_splits(documents)      # oldest first, as `consolidate` orders them

Money is never touched and share counts are never scaled like money: per-share figures are divided by the ratio,
share counts multiplied by it. The printed text (`LineItem.raw`) stays as printed, so the Sources sheet shows what
the page says beside the adjusted value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import median

from finsheet.consolidate.mapping import normalise
from finsheet.model import Document, LineItem, Statement

# The ratios companies split by: forward splits 2-for-1 to 20-for-1, reverse splits 1-for-2 to 1-for-50, and the
# odd 3-for-2 and 5-for-4. A restatement that is not a split (8.26 reprinted as 8.10) matches none of them.
_RATIOS = sorted({Fraction(k) for k in range(2, 21)} | {Fraction(1, k) for k in (2, 3, 4, 5, 8, 10, 12, 15, 20, 25,
                                                                                    30, 40, 50)}
                 | {Fraction(3, 2), Fraction(5, 4), Fraction(2, 3), Fraction(4, 5)})
_EPS_SLACK = 0.006
"""A reprinted EPS is rounded to the cent: 8.26 / 4 = 2.065 is printed 2.06 or 2.07."""
_SHARES_SLACK = 0.002
"""Share counts (often in thousands) round to their last digit; weighted averages move by a share or two."""


@dataclass(slots=True)
class Split:
    """A split between two filings: `ratio` new shares for one old share (4 for a 4-for-1, 1/10 for a 1-for-10)."""

    ratio: Fraction
    older: str
    newer: str
    evidence: list[str] = field(default_factory=list)
    """The figures that show it: 'Diluted (per share) 2019-09-01: 8.26 → 2.07'."""
    adjusted: list[str] = field(default_factory=list)
    """The filings whose per-share and share figures were brought to the newest basis by this split."""

    @property
    def name(self) -> str:
        """'4-for-1', '1-for-10', '3-for-2'."""
        return f"{self.ratio.numerator}-for-{self.ratio.denominator}"

    @property
    def note(self) -> str:
        """The sentence for the Notes sheet and the Consolidate page."""
        docs = ", ".join(self.adjusted) or self.older
        return (f"{self.name} stock split between {self.older} and {self.newer} (the same periods reprinted: "
                f"{'; '.join(self.evidence[:3])}). Per-share figures of {docs} are divided by {_show(self.ratio)} "
                f"and share counts multiplied by it; the printed figures are in Sources.")


def split_slack(unit: str, value: float) -> float:
    """How far a reprinted figure may be from the split-adjusted one: rounding, not a restatement."""
    return _EPS_SLACK + 1e-9 if unit == "per_share" else _SHARES_SLACK * abs(value) + 1


def _show(ratio: Fraction) -> str:
    return str(ratio.numerator) if ratio.denominator == 1 else f"{ratio.numerator}/{ratio.denominator}"


def adjust_for_splits(documents: list[Document]) -> tuple[list[Document], list[Split]]:
    """Documents (oldest first) with every filing's per-share and share figures on the newest filing's basis, and
    the splits found. Filings that share no per-share or share figure with the next one are taken as on its basis."""
    splits: list[Split] = []
    factor = Fraction(1)
    factors = [Fraction(1)] * len(documents)
    for n in range(len(documents) - 2, -1, -1):
        split = _split_between(documents[n], documents[n + 1])
        if split is not None:
            split.adjusted = [d.file for d in documents[: n + 1]]
            splits.append(split)
            factor *= split.ratio
        factors[n] = factor
    if not splits:
        return documents, []
    adjusted = [
        doc if f == 1 else doc.model_copy(update={"statements": [_adjusted_statement(st, float(f))
                                                                 for st in doc.statements]})
        for doc, f in zip(documents, factors, strict=True)
    ]
    return adjusted, list(reversed(splits))


def _adjusted_statement(statement: Statement, factor: float) -> Statement:
    items: list[LineItem] = []
    for item in statement.items:
        if item.unit == "per_share":
            values = {k: None if v is None else v / factor for k, v in item.values.items()}
        elif item.unit == "shares":
            values = {k: None if v is None else v * factor for k, v in item.values.items()}
        else:
            items.append(item)
            continue
        items.append(item.model_copy(update={"values": values}))
    return statement.model_copy(update={"items": items})


def _figures(doc: Document) -> dict[tuple[str, str, str], tuple[float, str, str]]:
    """(unit, line, period end and length) -> (figure, unit, label) of a filing's per-share and share lines. A line
    is its unit and label without its section ("Basic" per share under "Earnings per share" one year, under "Net
    income per common share" the next); the first of a filing's lines of that name counts."""
    found: dict[tuple[str, str, str], tuple[float, str, str]] = {}
    for st in doc.statements:
        ends = {p.key: p.end.isoformat() + (f"/{p.months}m" if p.months else "") for p in st.periods if p.end}
        for item in st.items:
            if item.unit not in ("per_share", "shares"):
                continue
            line = normalise(item.label)
            for key, v in item.values.items():
                if v and key in ends:
                    found.setdefault((item.unit, line, ends[key]), (v, item.unit, item.label))
    return found


def _split_between(older: Document, newer: Document) -> Split | None:
    """The split between two filings when every per-share and share figure both print moved by one ratio."""
    old, new = _figures(older), _figures(newer)
    shared = sorted(old.keys() & new.keys())
    # Per-share figures shrink by the ratio, share counts grow by it: both read as "new shares per old share".
    ratios = [(old[k][0] / new[k][0]) if old[k][1] == "per_share" else (new[k][0] / old[k][0]) for k in shared]
    ratios = [r for r in ratios if r > 0]
    if len(ratios) < 2 or len(ratios) < len(shared):
        return None  # a sign change is not a split; one figure alone is too little to go on
    guess = median(ratios)
    ratio = min(_RATIOS, key=lambda r: abs(math.log(guess / float(r))))
    if abs(math.log(guess / float(ratio))) > 0.05:
        return None
    if not any(old[k][1] == "shares" for k in shared) and 1 not in (ratio.numerator, ratio.denominator):
        return None  # EPS alone moved by 5/4: more likely a restatement than a split; share counts would say
    for k in shared:
        (a, unit, _), (b, _, _) = old[k], new[k]
        expected = a / float(ratio) if unit == "per_share" else a * float(ratio)
        if abs(expected - b) > split_slack(unit, expected):
            return None
    evidence = [f"{new[k][2]} ({new[k][1].replace('_', ' ')}) {k[2].split('/')[0]}: {old[k][0]:,.6g} → "
                f"{new[k][0]:,.6g}" for k in shared]
    return Split(ratio, older.file, newer.file, evidence)
