"""Account identity, label matching across documents, and the analyst's overrides.

An account is identified by its statement type, its section path and its normalised label, so two lines with the
same name in different sections ("Deferred income taxes" under assets and under liabilities) stay apart. The id is
readable and stable across documents, which is what lets overrides be stored as data and re-applied when a new
document joins a consolidation:

    balance_sheet:assets/current assets:merchandise inventories

Close labels across years ("Sales" in 2019, "Net sales" in 2021) are *suggested* as matches with a rapidfuzz score.
Lines whose labels differ more ("Cost of goods sold" / "Cost of sales", "OTHER ASSETS" / "Other long-term assets")
are suggested on figure evidence: the filings print the same figures for the periods they share. A suggestion is
applied when the analyst accepts it, when the figures say so without ambiguity (see `suggest_matches`), or when it
is the only close label, within the same section, scoring at least `ConsolidationSettings.auto_match_score`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process

from finsheet.model import LineItem, StatementType

_FOOTNOTE = re.compile(r"\((?:note\s*)?[a-z0-9]{1,2}\)|\bnote\s+\d+\b|[*†‡]")
# Parts of a label that change every year while the account stays the same: a parenthetical holding a figure or a
# note reference ("(net of $12 and $9)", "(441,825,000 shares)", "(Note 5)"), a "net of $X" clause, and figures
# with thousands separators or a currency sign (share counts, par values). Years ("due 2027") are kept: they tell
# one instrument from another.
_VARYING = re.compile(
    r"\([^()]*(?:\d|\bnotes?\b)[^()]*\)"
    r"|,?\s*\bnet of\b[^;:()]*\d[^;:()]*"
    r"|[$€£]\s?\d[\d,]*(?:\.\d+)?"
    r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b"
)
_NON_WORD = re.compile(r"[^a-z0-9%]+")


class ConsolidationSettings(BaseModel):
    """How a consolidation is built. Stored with it as JSON (`model_dump(mode="json")`)."""

    scale: int | None = None
    """Presentation scale (1, 1000, 1000000, ...); None: the largest scale of the most recent document."""
    months: int | None = None
    """Keep only flow periods of this length (12 for annual); balance dates and unknown lengths are always kept."""
    match_score: float = 80.0
    """Label pairs scoring at least this (0–100, see `mapping.label_scores`) are suggested as the same account."""
    auto_match_score: float = 90.0
    """Unambiguous same-section suggestions scoring at least this are applied without asking."""
    auto_match: bool = True
    types: list[StatementType] = Field(
        default_factory=lambda: [StatementType.INCOME, StatementType.BALANCE, StatementType.CASH_FLOW,
                                 StatementType.COMPREHENSIVE]
    )
    """Statement types to consolidate. Changes in equity is left out by default: its columns are components
    (share capital, retained earnings, ...) and its years are rows, so there are no period columns to align."""
    common_size_base: dict[str, str] = Field(default_factory=dict)
    """Statement type → account id used as 100 % in common-size columns (default: total revenue / total assets)."""


class Merge(BaseModel):
    """`source` is folded into `target`: one row, the target's label, values summed where both have one."""

    source: str
    target: str


class Overrides(BaseModel):
    """The analyst's edits to a consolidation: data re-applied on every rebuild, never edits to the statements."""

    merge: list[Merge] = Field(default_factory=list)
    rename: dict[str, str] = Field(default_factory=dict)
    """Account id → the label to show."""
    exclude: list[str] = Field(default_factory=list)
    reorder: dict[str, list[str]] = Field(default_factory=dict)
    """Statement type → account ids in the wanted order; accounts not listed keep their place around them."""
    accepted: list[Merge] = Field(default_factory=list)
    """Suggestions the analyst accepted (applied like merges)."""
    rejected: list[Merge] = Field(default_factory=list)
    """Suggestions the analyst turned down: never applied automatically."""
    spread: dict[str, list[str]] = Field(default_factory=dict)
    """Standard spread line ("revenue", "debt", ... see `spread.STANDARD`) → the account ids that make it up, where
    the analyst chose them (an empty list: the line is left blank); other lines take the suggested mapping."""


class Suggestion(BaseModel):
    """Two accounts that never appear in the same filing, with close labels or the same figures."""

    type: StatementType
    source: str
    target: str
    source_label: str
    target_label: str
    score: float
    same_section: bool
    """Both in the same part of the statement (the top of the section path: assets, liabilities, ...)."""
    agree: list[str] = Field(default_factory=list)
    """Periods both filings report with the same figure for the two lines (and no other line of either filing)."""
    differ: list[str] = Field(default_factory=list)
    """Periods where their figures differ: the pair is then only ever suggested."""
    ambiguous: list[str] = Field(default_factory=list)
    """Periods with the same figure that another line of one of the filings also prints: no evidence either way."""
    strong: bool = False
    """The agreement is evidence on its own: two periods agree, or one with a figure of three digits or more."""
    same_kind: bool = True
    """Both totals or both plain lines."""
    applied: bool = False
    reason: str = ""


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """'Net income (note 5)’s' -> 'net income s': lower case, footnote markers and the figures that change every
    year ("net of $12", share counts) dropped, punctuation to spaces."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = _VARYING.sub(" ", text)
    text = _FOOTNOTE.sub(" ", text)
    return _NON_WORD.sub(" ", text.replace("'", "")).strip()


def account_id(kind: StatementType, item: LineItem) -> str:
    """The identity of a line: statement type, section path and normalised label (and unit when not money)."""
    section = "/".join(normalise(s) for s in item.section)
    unit = f" [{item.unit}]" if item.unit else ""
    return f"{kind.value}:{section}:{normalise(item.label)}{unit}"


def item_ids(kind: StatementType, items: Sequence[LineItem]) -> list[str]:
    """Account ids of a statement's items; a repeated id within one statement gets '#2', '#3', ... in order."""
    seen: dict[str, int] = defaultdict(int)
    ids = []
    for item in items:
        base = account_id(kind, item)
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return ids


def section_of(account: str) -> str:
    """The top of an account's section path ("assets", "liabilities", "operating activities"): the part of the
    statement it belongs to. Sub-headings move between years ("Other assets" becomes "Property and equipment");
    the part does not."""
    return account.split(":", 2)[1].split("/", 1)[0]


@dataclass(slots=True)
class AccountInfo:
    """What matching needs to know about one account of one statement type."""

    id: str
    label: str
    is_total: bool
    unit: str | None
    documents: frozenset[int]
    """Ranks of the documents that print a figure for it (higher = more recent); a heading alone does not count."""
    values: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Period end (and length) -> (value in units, rounding tolerance): for the evidence of shared periods."""
    by_document: dict[int, dict[str, tuple[float, float]]] = field(default_factory=dict)
    """The same per document: to tell whether a figure is printed under another line of the same filing."""


TINY = 100
"""A single shared figure below this (as printed: 4 in millions, 86 in thousands) could agree by chance: such a
figure joins two lines only when their labels are close as well."""


def _printed(value: float, tolerance: float) -> float:
    """The figure as printed (the value in units over the scale it was printed in, which the tolerance carries)."""
    return abs(value) / (2 * tolerance) if tolerance >= 0.5 else abs(value)


def _evidence(a: AccountInfo, b: AccountInfo) -> tuple[list[str], list[str]]:
    """Periods both accounts report with the same non-nil value, and periods where their values differ."""
    agree, differ = [], []
    for key in a.values.keys() & b.values.keys():
        (x, tx), (y, ty) = a.values[key], b.values[key]
        if abs(x - y) <= max(tx, ty):
            if x:
                agree.append(key)
        else:
            differ.append(key)
    return sorted(agree), sorted(differ)


class _Printed:
    """Per document and period, the figures each account prints: is a figure printed under another line too?"""

    def __init__(self, accounts: Sequence[AccountInfo]) -> None:
        self._at: dict[tuple[int, str], list[tuple[float, float, str]]] = defaultdict(list)
        for a in accounts:
            for doc, values in a.by_document.items():
                for key, (v, t) in values.items():
                    self._at[(doc, key)].append((v, t, a.id))

    def elsewhere(self, account: AccountInfo, key: str) -> bool:
        """Whether a filing of `account` prints its figure for `key` under another line as well."""
        for doc, values in account.by_document.items():
            if key not in values:
                continue
            x, tx = values[key]
            if any(other != account.id and abs(v - x) <= max(t, tx) for v, t, other in self._at[(doc, key)]):
                return True
        return False


def label_scores(labels: list[str]) -> np.ndarray:
    """0–100 for every pair of normalised labels: the mean of rapidfuzz's token-set ratio (a label that only adds
    words, "Sales" / "Net sales", scores high) and token-sort ratio (the words added count against it, so "Cash" is
    not "Cash and cash equivalents"). WRatio's partial matching scored long unrelated labels 85."""
    token_set = process.cdist(labels, labels, scorer=fuzz.token_set_ratio, dtype=np.float32)
    token_sort = process.cdist(labels, labels, scorer=fuzz.token_sort_ratio, dtype=np.float32)
    result: np.ndarray = (token_set + token_sort) / 2
    return result


def _same_figures(orphans: list[AccountInfo]) -> set[tuple[int, int]]:
    """Index pairs of orphans (in no common filing, same unit) that print the same non-nil figure for a period.
    A sweep over each period's sorted figures: pairs of lines with unrelated figures are never looked at."""
    by_period: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for n, account in enumerate(orphans):
        for key, (v, t) in account.values.items():
            if v:
                by_period[key].append((v, t, n))
    found: set[tuple[int, int]] = set()
    for entries in by_period.values():
        entries.sort()
        widest = max(t for _, t, _ in entries)
        for i, (x, tx, a) in enumerate(entries):
            for y, ty, b in entries[i + 1:]:
                if y - x > widest:
                    break
                if abs(y - x) <= max(tx, ty) and not orphans[a].documents & orphans[b].documents \
                        and orphans[a].unit == orphans[b].unit:
                    found.add((min(a, b), max(a, b)))
    return found


def suggest_matches(
    kind: StatementType, accounts: Iterable[AccountInfo], *, settings: ConsolidationSettings, overrides: Overrides
) -> list[Suggestion]:
    """Pairs of accounts that never share a filing and have close labels or the same figures, best first; marks
    those that apply by themselves.

    The target of a pair is the account seen in the more recent document, so the newest label wins. Headings (no
    values) are not accounts and are not matched. Figure evidence: the periods both filings print with the same
    non-nil figure ("Net property and equipment" 20,890 for fiscal 2019 in one, "Property and equipment, net" 20,890
    in the next), leaving out a figure either filing also prints under another line (then it tells nothing). Pairs
    in the same part of the statement whose figures agree and never differ are joined, chained across filings
    (2019 ≈ 2020 in one pair, 2020 ≈ 2021 in another: one row), unless the chain would put two lines of one filing
    in one row. Labels need not be close when the evidence is strong (`Suggestion.strong`); a pair with only a
    small figure in common needs close labels too. Without figure evidence a pair is applied only when it is the
    only candidate for both accounts and scores at least `auto_match_score`. A pair whose figures differ is only
    ever suggested.
    """
    everything = [a for a in accounts if a.values]
    pool = [a for a in everything if a.documents]
    everywhere = frozenset().union(*(a.documents for a in pool)) if pool else frozenset()
    # An account present in every document cannot have been renamed between them.
    orphans = [a for a in pool if a.documents != everywhere]
    rejected = {(m.source, m.target) for m in overrides.rejected}
    if len(orphans) < 2:
        return []
    labels = [normalise(a.label) for a in orphans]
    # Vectorised passes score every pair; only the few above the cut-off are looked at in Python.
    scores = label_scores(labels)
    close = {(int(i), int(j)) for i, j in zip(*(scores >= settings.match_score).nonzero(), strict=True) if i < j}
    printed = _Printed(everything)
    pairs: list[Suggestion] = []
    for i, j in sorted(close | _same_figures(orphans)):
        a, b = orphans[i], orphans[j]
        # Whether a line is a total is the extractor's reading and flips between years ("Net property and
        # equipment" bold in 2019, plain in 2020), so it only weighs on matches without a shared figure.
        if a.documents & b.documents or a.unit != b.unit:
            continue
        older, newer = (a, b) if max(a.documents) < max(b.documents) else (b, a)
        if (older.id, newer.id) in rejected:
            continue
        agree, differ = _evidence(older, newer)
        ambiguous = [k for k in agree if printed.elsewhere(older, k) or printed.elsewhere(newer, k)]
        agree = [k for k in agree if k not in ambiguous]
        strong = len(agree) >= 2 or any(_printed(*newer.values[k]) >= TINY for k in agree)
        if (i, j) not in close and not (strong and not differ):
            continue  # unrelated labels with a chance coincidence: not worth a question
        pairs.append(
            Suggestion(
                type=kind,
                source=older.id,
                target=newer.id,
                source_label=older.label,
                target_label=newer.label,
                score=round(float(scores[i, j]), 1),
                same_section=section_of(older.id) == section_of(newer.id),
                agree=agree,
                differ=differ,
                ambiguous=ambiguous,
                strong=strong,
                same_kind=older.is_total == newer.is_total,
            )
        )
    pairs.sort(key=lambda s: (-s.score, s.target, s.source))
    if settings.auto_match:
        _mark_applied(pairs, {a.id: a for a in orphans}, settings)
    return pairs


def _mark_applied(pairs: list[Suggestion], accounts: dict[str, AccountInfo], settings: ConsolidationSettings) -> None:
    """Pairs the figures join (in chains, one line per filing in each), then lone close matches."""
    # Never across parts of the statement: an asset line that became a liability is a reclassification to show.
    agreeing = [s for s in pairs if s.agree and not s.differ and s.same_section
                and (s.strong or s.score >= settings.match_score)]
    chains = Groups()
    for s in agreeing:
        chains.merge(s.source, s.target)
    members: dict[str, list[str]] = defaultdict(list)
    for s in agreeing:
        for a in (s.source, s.target):
            if a not in members[chains.find(a)]:
                members[chains.find(a)].append(a)
    consistent = {root for root, ids in members.items() if _one_per_filing([accounts[a] for a in ids])}
    joined = Groups()
    for s in agreeing:
        if chains.find(s.source) in consistent:
            s.applied, s.reason = True, f"same figure for {', '.join(s.agree)} in both filings"
            joined.merge(s.source, s.target)
    open_pairs = [s for s in pairs if not s.applied and not s.differ and joined.find(s.source) != joined.find(s.target)
                  and s.score >= settings.match_score]
    count: dict[str, int] = defaultdict(int)
    for s in open_pairs:
        count[joined.find(s.source)] += 1
        count[joined.find(s.target)] += 1
    documents: dict[str, set[int]] = defaultdict(set)
    for info in accounts.values():
        documents[joined.find(info.id)] |= info.documents
    for s in open_pairs:
        source, target = joined.find(s.source), joined.find(s.target)
        lone = count[source] == 1 and count[target] == 1
        # A label match must not put two lines of one filing in a row the figures already joined.
        if lone and s.same_section and s.same_kind and s.score >= settings.auto_match_score \
                and not documents[source] & documents[target]:
            s.applied, s.reason = True, "the only close match, in the same part of the statement"


def _one_per_filing(chain: list[AccountInfo]) -> bool:
    """A chain of agreeing lines is one account when no filing prints two of its lines and no two of its lines
    print different figures for a period (two old lines agreeing with one new line is a coincidence to show)."""
    seen: set[int] = set()
    for a in chain:
        if a.documents & seen:
            return False
        seen |= a.documents
    return all(not _evidence(a, b)[1] for n, a in enumerate(chain) for b in chain[n + 1:])


class Groups:
    """Union-find over account ids: each group is one consolidated row, named by its canonical (target) id."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, account: str) -> str:
        parent = self._parent.get(account, account)
        if parent == account:
            return account
        root = self.find(parent)
        self._parent[account] = root
        return root

    def merge(self, source: str, target: str) -> None:
        """Fold source's group into target's; the target's root stays the canonical id."""
        a, b = self.find(source), self.find(target)
        if a != b:
            self._parent[a] = b


def apply_order(order: list[str], wanted: Sequence[str]) -> list[str]:
    """Put the `wanted` accounts in that order in the slots they occupy; everything else keeps its place."""
    present = set(order)
    listed = [a for a in dict.fromkeys(wanted) if a in present]
    chosen = set(listed)
    queue = iter(listed)
    return [next(queue) if a in chosen else a for a in order]


def slot_in(order: list[str], older: Sequence[str]) -> list[str]:
    """Insert the accounts of an older statement that `order` lacks right after the account they followed there."""
    placed = set(order)
    after: dict[str | None, list[str]] = defaultdict(list)  # anchor (None: the top) -> accounts to insert after it
    anchor: str | None = None
    for account in older:
        if account in placed:
            anchor = account
            continue
        after[anchor].append(account)
        placed.add(account)
        anchor = account
    if not after:
        return list(order)
    result = _chain(None, after)
    for account in order:
        result.append(account)
        result.extend(_chain(account, after))
    return result


def _chain(account: str | None, after: dict[str | None, list[str]]) -> list[str]:
    """The accounts inserted after `account`, each followed by those inserted after it in turn (depth first)."""
    out: list[str] = []
    stack = list(reversed(after.get(account, [])))
    while stack:
        inserted = stack.pop()
        out.append(inserted)
        stack.extend(reversed(after.get(inserted, [])))
    return out
