"""What the Consolidate page shows and changes: a consolidation of chosen documents, its tables for display, and
the analyst's overrides edited as data (accept/reject a suggestion, merge, rename, exclude). No streamlit here.

    gathered = gather(store, viewer, company="ACME", document_ids=[3, 4], consolidation_id=None)
    overrides = accept(gathered.consolidation.overrides, suggestion)      # a new Overrides; the old one is kept
    gathered = gather(store, viewer, ..., overrides=overrides)             # rebuilt with it
    consolidation_id = save(store, viewer, gathered)                       # settings reopen later

Overrides are values: each edit returns a new `Overrides`, so the page can hold the current one in session state
and rebuild from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

from finsheet.consolidate.alignment import ConsolidatedStatement, Consolidation
from finsheet.consolidate.mapping import ConsolidationSettings, Merge, Overrides, Suggestion, normalise
from finsheet.errors import StorageError
from finsheet.export.workbook import build_workbook_bytes
from finsheet.jobs import gather as gathering
from finsheet.model import StatementType
from finsheet.workbench.review import INDENT, format_number

if TYPE_CHECKING:
    from finsheet.store import ConsolidationRecord, DocumentRecord, Store, Viewer

Gathered = gathering.Gathered


UNNAMED = "(company not named)"
"""Stands for the documents whose company neither the extraction nor the analyst has named."""


def companies(store: Store, viewer: Viewer) -> list[str]:
    """The companies of the viewer's extracted documents, and UNNAMED when some have none."""
    names = store.companies(viewer)
    if any(d.company is None and d.status == "completed" for d in store.list_documents(viewer)):
        names.append(UNNAMED)
    return names


def company_documents(store: Store, viewer: Viewer, company: str) -> list[DocumentRecord]:
    """The viewer's extracted documents of a company (of no named company for UNNAMED), newest first."""
    wanted = None if company == UNNAMED else company
    return [d for d in store.list_documents(viewer) if d.status == "completed" and d.company == wanted]


def default_documents(documents: list[DocumentRecord], viewer: Viewer) -> list[int]:
    """The documents a new consolidation starts with: one copy of each file (an admin sees every user's upload of
    the same filing; summing them would double it), the viewer's own copy first, else the earliest upload."""
    chosen: dict[str, DocumentRecord] = {}
    for d in sorted(documents, key=lambda d: (d.owner != viewer.username, d.id)):
        chosen.setdefault(d.sha256, d)
    keep = {d.id for d in chosen.values()}
    return [d.id for d in documents if d.id in keep]


def document_name(document: DocumentRecord, viewer: Viewer) -> str:
    """'acme-2023.pdf' for an analyst; 'acme-2023.pdf · ann' for an admin, who sees everyone's documents."""
    return document.name + (f" · {document.owner}" if viewer.is_admin else "")


# Session-state keys of the Consolidate page's controls (pages/_common.py re-exports the first two).
def gather(
    store: Store,
    viewer: Viewer,
    *,
    company: str,
    document_ids: list[int],
    settings: ConsolidationSettings | None = None,
    overrides: Overrides | None = None,
    consolidation_id: int | None = None,
    name: str = "",
) -> Gathered:
    """Consolidate the viewer's chosen documents (each must be the viewer's: AuthError otherwise). Documents never
    extracted are named in the warnings; StorageError when none is chosen."""
    if not document_ids:
        raise StorageError("choose at least one extracted document")
    result, skipped = gathering.consolidate_stored(store, viewer, document_ids, settings=settings,
                                                   overrides=overrides, company=company)
    return Gathered(result, company, list(document_ids), consolidation_id, name or company, skipped)


def reopen(store: Store, viewer: Viewer, record: ConsolidationRecord) -> Gathered:
    """A saved consolidation rebuilt with its documents, settings and overrides."""
    return gather(
        store, viewer, company=record.company, document_ids=list(record.document_ids),
        settings=ConsolidationSettings.model_validate(record.settings),
        overrides=Overrides.model_validate(record.overrides), consolidation_id=record.id, name=record.name,
    )


def save(store: Store, viewer: Viewer, gathered: Gathered, *, name: str | None = None) -> int:
    """Save (or update) the consolidation; its id."""
    return gathering.save(store, viewer, gathered, name=name)


def workbook_bytes(consolidation: Consolidation) -> bytes:
    """The .xlsx for the download button (ExportError when there is nothing to write)."""
    return build_workbook_bytes(consolidation)


# --------------------------------------------------------------------------- tables for display


def statement_table(statement: ConsolidatedStatement) -> pl.DataFrame:
    """One row per account: `line` (label indented by level, '*' when a value of the row was restated), then one
    formatted column per period label (restated periods marked 'R'), then the account id."""
    frame = statement.frame
    restated_periods = {p.key for p in statement.periods if p.restated}
    columns: dict[str, list[str]] = {
        "line": [INDENT * max(0, min(a.level, 8)) + a.label for a in statement.accounts],
    }
    for p in statement.periods:
        title = p.label + (" (R)" if p.key in restated_periods else "")
        columns[title] = [format_number(v) for v in frame[p.key].to_list()]
    columns["account"] = [a.id for a in statement.accounts]
    return pl.DataFrame(columns)


def totals_mask(statement: ConsolidatedStatement) -> list[bool]:
    return [a.is_total for a in statement.accounts]


def real_suggestions(consolidation: Consolidation) -> list[Suggestion]:
    """The suggestions worth an analyst's look: not two lines printed with the same name (they are separate on
    purpose: different sections), and never a total onto a plain line or the reverse ("Total other income" is not
    "Income tax", whatever the score)."""
    return [s for s in consolidation.suggestions
            if s.same_kind and normalise(s.source_label) != normalise(s.target_label)]


def suggestions_frame(consolidation: Consolidation) -> pl.DataFrame:
    """The label-match suggestions (`real_suggestions`): statement, source → target labels, score, whether applied
    and why."""
    rows = [
        {"statement": s.type.display_name, "line": s.source_label, "same as": s.target_label,
         "score": round(s.score, 1), "applied": s.applied, "reason": s.reason}
        for s in real_suggestions(consolidation)
    ]
    schema = {"statement": pl.Utf8, "line": pl.Utf8, "same as": pl.Utf8, "score": pl.Float64,
              "applied": pl.Boolean, "reason": pl.Utf8}
    return pl.DataFrame(rows, schema=schema)


def restatements_frame(consolidation: Consolidation) -> pl.DataFrame:
    """Values an older document printed differently: statement, line, period (as labelled), now, before (as
    printed: separators, brackets), sources."""
    labels = {(kind, p.key): p.label for kind, st in consolidation.statements.items() for p in st.periods}
    rows = [
        {"statement": r.type.display_name, "line": r.label, "period": labels.get((r.type, r.period), r.period),
         "now": format_number(r.value), "before": format_number(r.previous),
         "now from": ", ".join(sorted({s.document for s in r.source})),
         "before from": ", ".join(sorted({s.document for s in r.previous_source}))}
        for r in consolidation.restatements
    ]
    schema = {"statement": pl.Utf8, "line": pl.Utf8, "period": pl.Utf8, "now": pl.Utf8, "before": pl.Utf8,
              "now from": pl.Utf8, "before from": pl.Utf8}
    return pl.DataFrame(rows, schema=schema)


def account_choices(consolidation: Consolidation) -> dict[str, str]:
    """Account id -> 'Balance sheet · Total assets', for pickers (excluded accounts included, marked)."""
    choices = {}
    for kind, st in consolidation.statements.items():
        for a in st.accounts:
            choices[a.id] = f"{kind.display_name} · {a.label}"
    for a in consolidation.excluded:
        choices[a.id] = f"{a.label} (excluded)"
    return choices


# --------------------------------------------------------------------------- overrides as values


def accept(overrides: Overrides, suggestion: Suggestion) -> Overrides:
    """The suggestion applied (and no longer rejected)."""
    pair = Merge(source=suggestion.source, target=suggestion.target)
    return overrides.model_copy(update={
        "accepted": [*_without(overrides.accepted, pair), pair], "rejected": _without(overrides.rejected, pair),
    })


def reject(overrides: Overrides, suggestion: Suggestion) -> Overrides:
    """The suggestion never applied (and no longer accepted)."""
    pair = Merge(source=suggestion.source, target=suggestion.target)
    return overrides.model_copy(update={
        "rejected": [*_without(overrides.rejected, pair), pair], "accepted": _without(overrides.accepted, pair),
    })


def merge(overrides: Overrides, source: str, target: str) -> Overrides:
    """`source` folded into `target` (one row, values summed)."""
    if source == target:
        raise StorageError("choose two different lines to merge")
    pair = Merge(source=source, target=target)
    return overrides.model_copy(update={"merge": [*_without(overrides.merge, pair), pair]})


def rename(overrides: Overrides, account: str, label: str) -> Overrides:
    """Show `account` as `label` (an empty label restores the printed one)."""
    names = {k: v for k, v in overrides.rename.items() if k != account}
    if label.strip():
        names[account] = label.strip()
    return overrides.model_copy(update={"rename": names})


def exclude(overrides: Overrides, account: str, *, excluded: bool = True) -> Overrides:
    """Leave `account` out of the tables and the workbook (or bring it back with `excluded=False`)."""
    kept = [a for a in overrides.exclude if a != account]
    return overrides.model_copy(update={"exclude": [*kept, account] if excluded else kept})


def merge_request(overrides: Overrides, source: str | None, target: str | None,
                  names: dict[str, str]) -> tuple[Overrides | None, str]:
    """What the Merge form asks: the new overrides and what was done, or None and what is missing."""
    if source is None or target is None or source == target:
        return None, "Choose two different lines to merge."
    return merge(overrides, source, target), f"Merged {names[source]} into {names[target]}."


def rename_request(overrides: Overrides, account: str | None, label: str,
                   names: dict[str, str]) -> tuple[Overrides | None, str]:
    """What the Rename form asks: the new overrides and what was done, or None and what is missing."""
    if account is None or not label.strip():
        return None, "Choose a line and type its new name."
    return rename(overrides, account, label), f"Renamed {names[account]}."


def exclude_request(overrides: Overrides, account: str | None,
                    names: dict[str, str]) -> tuple[Overrides | None, str]:
    """What the Leave out form asks: the new overrides and what was done, or None (nothing chosen)."""
    if account is None:
        return None, ""
    return exclude(overrides, account), f"Left out {names[account]}."


def mapping_actions(overrides: Overrides, names: dict[str, str]) -> list[tuple[str, str]]:
    """Every mapping action in force as (action id, what it does in words), so each can be undone on its own."""
    def name(account: str) -> str:
        return names.get(account, account)

    actions = [(f"merge:{m.source}>{m.target}", f"merged {name(m.source)} into {name(m.target)}")
               for m in overrides.merge]
    actions += [(f"accepted:{m.source}>{m.target}", f"matched {name(m.source)} with {name(m.target)}")
                for m in overrides.accepted]
    actions += [(f"rejected:{m.source}>{m.target}", f"kept {name(m.source)} apart from {name(m.target)}")
                for m in overrides.rejected]
    actions += [(f"rename:{a}", f"renamed {name(a)} to “{label}”") for a, label in overrides.rename.items()]
    actions += [(f"exclude:{a}", f"left out {name(a)}") for a in overrides.exclude]
    return actions


def undo_action(overrides: Overrides, action: str) -> Overrides:
    """The overrides without the one action `action` (an id from `mapping_actions`); the others stay."""
    kind, _, rest = action.partition(":")
    if kind in ("merge", "accepted", "rejected"):
        source, _, target = rest.partition(">")
        pairs: list[Merge] = getattr(overrides, kind)
        return overrides.model_copy(update={kind: _without(pairs, Merge(source=source, target=target))})
    if kind == "rename":
        return rename(overrides, rest, "")
    if kind == "exclude":
        return exclude(overrides, rest, excluded=False)
    raise StorageError(f"no mapping action {action!r}")


def undo_merges(overrides: Overrides) -> Overrides:
    """Every manual merge and accepted suggestion dropped."""
    return overrides.model_copy(update={"merge": [], "accepted": []})


def _without(pairs: list[Merge], pair: Merge) -> list[Merge]:
    return [m for m in pairs if (m.source, m.target) != (pair.source, pair.target)]


def style_statement(statement: ConsolidatedStatement) -> Any:
    """`statement_table` as a pandas Styler (st.dataframe draws one): totals bold, the account id left out."""
    table = statement_table(statement)
    totals = totals_mask(statement)
    shown = table.drop("account").to_pandas()

    def row_style(row: Any) -> list[str]:
        return ["font-weight: bold" if totals[int(row.name)] else ""] * len(row)

    return shown.style.apply(row_style, axis=1)


def workbook_key(gathered: Gathered) -> str:
    """Identifies what the workbook is built from (documents, settings, overrides, the figures themselves, which
    a correction on the Review page changes): rebuild only when it changes."""
    c = gathered.consolidation
    figures = [str(st.frame.hash_rows().sum()) for st in c.statements.values()]
    return "|".join([
        ",".join(map(str, gathered.document_ids)), c.settings.model_dump_json(), c.overrides.model_dump_json(),
        *figures,
    ])


# --------------------------------------------------------------------------- variance colours by meaning

FAVOURABLE, UNFAVOURABLE, NEUTRAL = "#2e7d32", "#c62828", "#78909c"
_COST_WORDS = ("cost", "expense", "tax", "depreciation", "amortization", "amortisation", "impairment", "loss",
               "provision", "interest paid", "purchases")


def adverse_when_rising(statement: ConsolidatedStatement, row: int) -> bool:
    """Whether a rise of this line's printed value is bad news: a cost, expense, tax, loss (printed as a positive
    number), or a liability. A cost printed in brackets is negative already, so its rise in size is a fall in
    value and the plain sign is right for it."""
    account = statement.accounts[row]
    words = normalise(" ".join([account.label, *account.section]))
    if statement.type == StatementType.BALANCE:
        return any(w in words for w in ("liabilit", "payable", "debt", "borrowing", "provision", "deferred revenue"))
    values = [v for p in statement.periods if (v := statement.frame[p.key][row]) is not None]
    printed_positive = bool(values) and sum(values) > 0
    return printed_positive and any(w in words for w in _COST_WORDS) and "income" not in normalise(account.label)


def variance_colours(statement: ConsolidatedStatement, labels: list[str], changes: list[float]) -> list[str]:
    """A colour per bar of a variance chart by what the change means: green when favourable (revenue up, a cost
    down), red when unfavourable (a cost or a liability up), grey for a line not found."""
    rows = {a.label: i for i, a in reversed(list(enumerate(statement.accounts)))}
    colours = []
    for label, change in zip(labels, changes, strict=True):
        row = rows.get(label)
        if row is None or not change:
            colours.append(NEUTRAL)
            continue
        good = (change > 0) != adverse_when_rising(statement, row)
        colours.append(FAVOURABLE if good else UNFAVOURABLE)
    return colours


def variance_figure(consolidation: Consolidation, kind: StatementType, start: str, end: str, *, top: int = 12) -> Any:
    """`charts.variance` with its bars coloured by meaning (see `variance_colours`) rather than by sign."""
    from finsheet.export import charts

    figure = charts.variance(consolidation, kind, start, end, top=top)
    if figure.data:
        bar = figure.data[0]
        labels, changes = list(bar.y or []), [float(x) for x in (bar.x or [])]
        bar.marker.color = variance_colours(consolidation.statements[kind], labels, changes)
        figure.update_layout(title=f"{figure.layout.title.text} · green favourable, red unfavourable")
    return figure


def checks_caption(statement: ConsolidatedStatement) -> str:
    """'checks: 12/14 pass · 1 not verified · <what failed>' (the failures' details escaped: labels come from PDFs)."""
    from finsheet.workbench.review import plain

    passed = sum(check.ok is True for check in statement.checks)
    unverified = sum(check.ok is None for check in statement.checks)
    failed = [check.detail for check in statement.checks if check.ok is False]
    said = f"checks: {passed}/{len(statement.checks) - unverified} pass"
    said += f" · {unverified} not verified" if unverified else ""
    return said + (" · " + plain("; ".join(failed)) if failed else "")


def spread_candidates(consolidation: Consolidation, statements: set[StatementType]) -> dict[str, str]:
    """The consolidated lines a standard-spread line may be made of: account id -> 'Statement · label'."""
    return {a.id: f"{kind.display_name} · {a.label}" for kind, st in consolidation.statements.items()
            if kind in statements for a in st.accounts}
