"""An extraction compared with a generated filing's truth (generated_filings.py).

`differences(doc, truth)` says, line by line, where an extracted `Document` differs from the truth (an empty list:
it matches); `figure_score(doc, truth)` counts the primary statements' figures read exactly, read wrong (and of
those, shown as doubtful or not), and missing, as the scorers of real filings do.

`python tests/extraction/generated_compare.py 0 1000 [--scanned | --worn] [--ruled]` prints each failing seed's
differences (of the scanned copies with --scanned, of worn scans with --worn; of filings whose tables are ruled as
grids with --ruled) and the figures' counts.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from generated_filings import T, Truth, TruthLine, TruthStatement, filing, scanned, worn

from finsheet.model import LOW_CONFIDENCE, Document, Statement

PRIMARY = (T.INCOME, T.BALANCE, T.CASH_FLOW)


def norm_label(label: str) -> str:
    """A label as the scorers compare it: lower case, note references and punctuation gone."""
    s = label.lower().replace("\u2019", "'").replace("&", " and ")
    s = re.sub(r"\(note[^)]*\)|\bnote\s*\d+\b|\([a-z]\)", " ", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _same_label(a: str, b: str) -> bool:
    na, nb = norm_label(a), norm_label(b)
    return bool(na) and (na == nb or difflib.SequenceMatcher(None, na, nb).ratio() >= 0.88)


def _columns(st: Statement, want: TruthStatement) -> tuple[dict[int, str], list[str]]:
    """The output period key of each truth column, and what differs."""
    found: dict[int, str] = {}
    problems: list[str] = []
    for i, col in enumerate(want.columns):
        if col.part:  # a part beside the whole has no end of its own: its key names it ("company 2022-12-31")
            keyed = [p for p in st.periods if p.key == f"{col.part} {col.end.isoformat()}" and p.end is None]
            if len(keyed) == 1:
                found[i] = keyed[0].key
            else:
                problems.append(f"part column {col.part} {col.end} not found once")
            continue
        same_end = [p for p in st.periods if p.end == col.end]
        if len(same_end) > 1:
            same_end = [p for p in same_end if p.months == col.months]
        if len(same_end) != 1:
            problems.append(f"period ending {col.end} ({col.months or '-'}m) not found once")
            continue
        period = same_end[0]
        if period.months is not None and col.months is not None and period.months != col.months:
            problems.append(f"period {period.key}: months {period.months}, want {col.months}")
        found[i] = period.key
    if problems:
        problems.append("periods out: " + ", ".join(f"{p.key} (end {p.end}, {p.months}m, {p.label!r})"
                                                    for p in st.periods))
    extra = [p.key for p in st.periods if p.key not in found.values()]
    if extra and not problems:
        problems.append(f"extra periods {extra}")
    return found, problems


def _matched_lines(st: Statement, want: TruthStatement) -> list[int | None]:
    """For each truth line, the index of the extracted line that is it (None: missing): the same label, or one
    nearly the same, looked for from the line after the last one matched on."""
    used: set[int] = set()
    start = 0
    out: list[int | None] = []
    for line in want.lines:
        candidates = [k for k in range(start, len(st.items)) if k not in used] + \
            [k for k in range(start) if k not in used]
        match = next((k for k in candidates if norm_label(st.items[k].label) == norm_label(line.label)), None)
        if match is None:
            match = next((k for k in candidates if _same_label(st.items[k].label, line.label)), None)
        out.append(match)
        if match is not None:
            used.add(match)
            start = match + 1
    return out


def _statement_differences(st: Statement, want: TruthStatement, allowed: list[TruthLine]) -> list[str]:
    name = f"{want.type.value} p{want.pages}"
    out: list[str] = []
    if st.pages != want.pages:
        out.append(f"{name}: pages {st.pages}")
    if want.scale is None:
        if st.scale is not None and st.confidence >= LOW_CONFIDENCE:
            out.append(f"{name}: scale {st.scale} claimed with confidence {st.confidence}, none is printed")
    elif st.scale != want.scale:
        out.append(f"{name}: scale {st.scale}, want {want.scale}")
    if want.currency and st.currency != want.currency:
        out.append(f"{name}: currency {st.currency}, want {want.currency}")
    keys, problems = _columns(st, want)
    out += [f"{name}: {p}" for p in problems]
    matches = _matched_lines(st, want)
    for line, match in zip(want.lines, matches, strict=True):
        if match is None:
            out.append(f"{name}: line {line.label!r} missing")
            continue
        item = st.items[match]
        if line.marked and norm_label(item.label) != norm_label(line.label):
            out.append(f"{name}: {line.label!r} read as {item.label!r} (a footnote mark follows it)")
        for i, value in enumerate(line.values):
            if i not in keys:
                continue
            got = item.values.get(keys[i])
            if value is None and got in (None, 0):
                continue
            if got is None or value is None or abs(got - value) > 1e-6:
                out.append(f"{name}: {line.label!r} [{keys[i]}] = {got} (raw {item.raw.get(keys[i])!r}), want {value}")
        if (item.unit or None) != line.unit:
            out.append(f"{name}: {line.label!r} unit {item.unit}, want {line.unit}")
    used = set(matches)
    for k, item in enumerate(st.items):
        if k in used or not any(v is not None for v in item.values.values()):
            continue
        if any(_same_label(item.label, a.label) for a in allowed):
            continue
        out.append(f"{name}: unexpected line {item.label!r} {item.raw}")
    return out


def differences(doc: Document, truth: Truth) -> list[str]:
    """Where `doc` differs from `truth`: statements missing, found twice or on pages holding none, periods, scale,
    currency, and every line's values (an empty list: the extraction is right)."""
    out: list[str] = []
    wanted: dict[T, set[int]] = {}  # the pages of each kind of statement (a group's and its parent's balance sheets)
    for t in truth.statements:
        wanted.setdefault(t.type, set()).update(t.pages)
    statement_pages = {p for t in truth.statements for p in t.pages}
    for want in truth.statements:
        same = [st for st in doc.statements if st.type == want.type and set(st.pages) & set(want.pages)]
        if not same:
            if not want.optional:
                found = [(st.type.value, st.pages, st.title) for st in doc.statements]
                out.append(f"{want.type.value} p{want.pages} not found; found {found}")
            continue
        if len(same) > 1:
            out.append(f"{want.type.value} p{want.pages} found {len(same)} times: {[st.pages for st in same]}")
        allowed = [line for t in truth.statements if t.optional for line in t.lines] if want.type == T.INCOME else []
        if want.lines:
            out += _statement_differences(same[0], want, allowed)
    for st in doc.statements:
        elsewhere = sorted(set(st.pages) - statement_pages)
        if elsewhere:
            out.append(f"extra: {st.type.value} {st.title!r} on p{st.pages} (no statement on p{elsewhere})")
        elif st.type not in wanted:
            out.append(f"extra: {st.type.value} {st.title!r} on p{st.pages}")
        elif st.type in PRIMARY and not set(st.pages) & wanted[st.type]:
            out.append(f"extra: {st.type.value} {st.title!r} on p{st.pages}")
    return out


@dataclass
class FigureScore:
    """The primary statements' figures of one filing, as read."""

    figures: int = 0
    exact: int = 0
    missing: int = 0
    wrong: list[str] = field(default_factory=list)
    """Figures read as another value, each described."""
    silent: list[str] = field(default_factory=list)
    """Of those, the ones not shown as doubtful (their line and statement at or above LOW_CONFIDENCE)."""

    def add(self, other: FigureScore) -> None:
        self.figures += other.figures
        self.exact += other.exact
        self.missing += other.missing
        self.wrong += other.wrong
        self.silent += other.silent


def figure_score(doc: Document, truth: Truth) -> FigureScore:
    """Each truth figure of the primary statements: read exactly, read wrong (silently or shown doubtful), or
    missing (its statement, its column or its line not found)."""
    score = FigureScore()
    for want in truth.statements:
        if want.type not in PRIMARY or want.optional:
            continue
        same = [st for st in doc.statements if st.type == want.type and set(st.pages) & set(want.pages)]
        st = same[0] if same else None
        keys: dict[int, str] = {}
        if st is not None:  # a column ending on the day wanted but over another length is another column
            months = {p.key: p.months for p in st.periods}
            keys = {i: key for i, key in _columns(st, want)[0].items() if months[key] in (None, want.columns[i].months)}
        matches = _matched_lines(st, want) if st is not None else [None] * len(want.lines)
        for line, match in zip(want.lines, matches, strict=True):
            item = st.items[match] if st is not None and match is not None else None
            for i, value in enumerate(line.values):
                if value is None:
                    continue
                score.figures += 1
                got = item.values.get(keys[i]) if item is not None and i in keys else None
                if got is None:
                    score.missing += 1
                elif abs(got - value) < 1e-6:
                    score.exact += 1
                else:
                    assert st is not None and item is not None
                    raw = item.raw.get(keys[i])
                    told = f"{want.type.value} {line.label!r} [{keys[i]}] = {got} ({raw!r}), want {value}"
                    score.wrong.append(told)
                    if min(item.confidence, st.confidence) >= LOW_CONFIDENCE:
                        score.silent.append(told)
    return score


def _explore(first: int, stop: int, *, scan: bool = False, wear: bool = False, ruled: bool = False) -> None:
    """Extract seeds first..stop-1 (their scanned copies with `scan`; drawn with tables ruled as grids with
    `ruled`) and print each failing seed's differences (the exploration behind the xfail marks of
    test_generated_filings.py), then the figures' counts."""
    from finsheet import extract

    failing = 0
    total = FigureScore()
    for seed in range(first, stop):
        pdf, truth = filing(seed, ruled=ruled)
        doc = extract(worn(pdf, seed) if wear else scanned(pdf) if scan else pdf)
        found = differences(doc, truth)
        total.add(figure_score(doc, truth))
        if found:
            failing += 1
            print(f"seed {seed}: " + "\n    ".join(found[:6]), flush=True)
    print(f"{stop - first - failing} of {stop - first} seeds exact; figures {total.exact}/{total.figures} exact, "
          f"{len(total.wrong)} wrong ({len(total.silent)} not shown as doubtful), {total.missing} missing")


if __name__ == "__main__":  # python tests/extraction/generated_compare.py 0 500 [--scanned | --worn] [--ruled]
    import sys

    _explore(int(sys.argv[1]), int(sys.argv[2]), scan="--scanned" in sys.argv, wear="--worn" in sys.argv,
             ruled="--ruled" in sys.argv)
