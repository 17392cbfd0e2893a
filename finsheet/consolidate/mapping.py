"""Account identity, label matching across documents, and the analyst's overrides.

An account is identified by its statement type, its section path and its normalised label, so two lines with the
same name in different sections ("Deferred income taxes" under assets and under liabilities) stay apart. The id is
readable and stable across documents, which is what lets overrides be stored as data and re-applied when a new
document joins a consolidation:

    balance_sheet:assets/current assets:merchandise inventories

Close labels across years ("Sales" in 2019, "Net sales" in 2021) are *suggested* as matches with a rapidfuzz score;
a suggestion is applied only when the analyst accepts it, or when it is unambiguous, within the same section and
scores at least `ConsolidationSettings.auto_match_score`.
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


class Suggestion(BaseModel):
    """Two accounts that never appear in the same statement and have close labels."""

    type: StatementType
    source: str
    target: str
    source_label: str
    target_label: str
    score: float
    same_section: bool
    """Both in the same part of the statement (the top of the section path: assets, liabilities, ...)."""
    agree: list[str] = Field(default_factory=list)
    """Periods both filings report with the same figure for the two lines."""
    differ: list[str] = Field(default_factory=list)
    """Periods where their figures differ: the pair is then only ever suggested."""
    same_kind: bool = True
    """Both totals or both plain lines."""
    applied: bool = False
    reason: str = ""


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """'Net income (note 5)’s' -> 'net income s': lower case, footnote markers dropped, punctuation to spaces."""
    text = text.lower().replace("’", "'").replace("‘", "'")
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
    """Ranks of the documents it appears in (higher = more recent)."""
    values: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Period end (and length) -> (value in units, rounding tolerance): for the evidence of shared periods."""


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


def label_scores(labels: list[str]) -> np.ndarray:
    """0–100 for every pair of normalised labels: the mean of rapidfuzz's token-set ratio (a label that only adds
    words, "Sales" / "Net sales", scores high) and token-sort ratio (the words added count against it, so "Cash" is
    not "Cash and cash equivalents"). WRatio's partial matching scored long unrelated labels 85."""
    token_set = process.cdist(labels, labels, scorer=fuzz.token_set_ratio, dtype=np.float32)
    token_sort = process.cdist(labels, labels, scorer=fuzz.token_sort_ratio, dtype=np.float32)
    result: np.ndarray = (token_set + token_sort) / 2
    return result


def suggest_matches(
    kind: StatementType, accounts: Iterable[AccountInfo], *, settings: ConsolidationSettings, overrides: Overrides
) -> list[Suggestion]:
    """Close-label pairs of accounts that never share a document, best first; marks those that apply by themselves.

    The target of a pair is the account seen in the more recent document, so the newest label wins. Headings (no
    values) are not matched. A pair in the same part of the statement applies by itself when both filings print the
    same figure for a period they share ("Net property and equipment" 20,890 for fiscal 2019 in one, "Property and
    equipment, net" 20,890 in the next), or when it is the only candidate for both accounts and scores at least
    `auto_match_score`. A pair whose shared periods disagree is only ever suggested.
    """
    pool = [a for a in accounts if a.documents and a.values]
    everywhere = frozenset().union(*(a.documents for a in pool)) if pool else frozenset()
    # An account present in every document cannot have been renamed between them.
    orphans = [a for a in pool if a.documents != everywhere]
    rejected = {(m.source, m.target) for m in overrides.rejected}
    if len(orphans) < 2:
        return []
    labels = [normalise(a.label) for a in orphans]
    # Vectorised passes score every pair; only the few above the cut-off are looked at in Python.
    scores = label_scores(labels)
    scores[scores < settings.match_score] = 0
    pairs: list[Suggestion] = []
    for i, j in zip(*scores.nonzero(), strict=True):
        a, b = orphans[i], orphans[j]
        # Whether a line is a total is the extractor's reading and flips between years ("Net property and
        # equipment" bold in 2019, plain in 2020), so it only weighs on matches without a shared figure.
        if i >= j or a.documents & b.documents or a.unit != b.unit:
            continue
        older, newer = (a, b) if max(a.documents) < max(b.documents) else (b, a)
        if (older.id, newer.id) in rejected:
            continue
        agree, differ = _evidence(older, newer)
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
                same_kind=older.is_total == newer.is_total,
            )
        )
    pairs.sort(key=lambda s: (-s.score, s.target, s.source))
    if settings.auto_match:
        _mark_applied(pairs, settings.auto_match_score)
    return pairs


def _mark_applied(pairs: list[Suggestion], threshold: float) -> None:
    """Same figures for a shared period first (each source to its one agreeing target), then lone close matches."""
    # Never across parts of the statement: an asset line that became a liability is a reclassification to show.
    agreeing = [s for s in pairs if s.agree and not s.differ and s.same_section]
    targets_of: dict[str, int] = defaultdict(int)
    sources_of: dict[str, int] = defaultdict(int)
    for s in agreeing:
        targets_of[s.source] += 1
        sources_of[s.target] += 1
    joined = Groups()
    for s in agreeing:
        # Two old lines agreeing with one new line (or the reverse) is a coincidence to show, not to apply.
        if targets_of[s.source] == 1 and sources_of[s.target] == 1:
            s.applied, s.reason = True, f"same figure for {', '.join(s.agree)} in both filings"
            joined.merge(s.source, s.target)
    open_pairs = [s for s in pairs if not s.applied and not s.differ and joined.find(s.source) != joined.find(s.target)]
    count: dict[str, int] = defaultdict(int)
    for s in open_pairs:
        count[joined.find(s.source)] += 1
        count[joined.find(s.target)] += 1
    for s in open_pairs:
        lone = count[joined.find(s.source)] == 1 and count[joined.find(s.target)] == 1
        if lone and s.same_section and s.same_kind and s.score >= threshold:
            s.applied, s.reason = True, "the only close match, in the same part of the statement"


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
