"""Consolidate: one company's documents aligned by period; mapping suggestions, line edits (each undoable),
restatements, charts, and the workbook download. The controls stay in the session and in the URL."""

import streamlit as st

from finsheet.consolidate.mapping import ConsolidationSettings, Overrides
from finsheet.consolidate.model import Consolidation
from finsheet.consolidate.spread import LINES, VOCABULARY, build_spread, choose, display_tables
from finsheet.errors import FinsheetError
from finsheet.export import charts
from finsheet.workbench import consolidation as cv
from finsheet.workbench.review import plain
from pages._common import (
    CONSOLIDATION_ID,
    CONSOLIDATION_KEY,
    OVERRIDES,
    WORKBOOK,
    current_user,
    follow_consolidation,
    show_error,
    workbench,
)

user = current_user()
wb = workbench()
KEEP = {"bind": "query-params", "persist_state": "session"}  # survive a visit to another page, and a reload
FLASH = "cons_flash"
st.title("Consolidate")
companies = cv.companies(wb.store, user)
if not companies:
    st.info("No extracted document yet: upload a PDF and wait for its job (Jobs page).")
    st.stop()

top = st.columns([2, 2, 3])
company = top[0].selectbox("Company", companies, key="cons_company", **KEEP)
saved = {r.id: r for r in wb.store.list_consolidations(user, company)}
if (pending := st.session_state.pop(CONSOLIDATION_ID, None)) in saved:
    st.session_state["cons_choice"] = pending
choice = top[1].selectbox("Consolidation", [0, *saved], key="cons_choice", persist_state="session",
                          format_func=lambda i: saved[i].name if i else "New consolidation")
record = saved.get(choice)
listed = cv.company_documents(wb.store, user, company)
docs = {d.id: d for d in listed}
follow_consolidation(st.session_state, company, record, list(docs), defaults=cv.default_documents(listed, user))
chosen = top[2].multiselect("Documents", list(docs), key="cons_docs", **KEEP,
                            format_func=lambda i: cv.document_name(docs[i], user))
opts = st.columns(4)
months = opts[0].selectbox("Flow periods", [0, 12, 6, 3], key="cons_months", **KEEP,  # 0: any length
                           format_func=lambda m: f"{m} months only" if m else "all lengths")
scale = opts[1].selectbox("Present in", [0, 1, 1000, 1_000_000, 1_000_000_000], key="cons_scale", **KEEP,
                          format_func=lambda s: f"× {s:,}" if s else "the latest document's scale")
try:
    gathered = cv.gather(wb.store, user, company=company, document_ids=chosen,
                         settings=ConsolidationSettings(months=months or None, scale=scale or None),
                         overrides=st.session_state[OVERRIDES], consolidation_id=record.id if record else None,
                         name=record.name if record else company)
except FinsheetError as exc:
    show_error(exc)
    st.stop()
c = gathered.consolidation
for warning in c.warnings:
    st.warning(plain(warning))
if not c.statements:
    st.stop()
st.caption(f"{plain(c.company or company)} · {c.scale_label} · {len(c.documents)} document(s), most recent last: "
           + ", ".join(plain(d.file) for d in c.documents) + " · (R): a period with restated values")

tabs = st.tabs([kind.display_name for kind in c.statements])
for tab, (kind, statement) in zip(tabs, c.statements.items(), strict=True):
    with tab:
        styled = cv.style_statement(statement)
        right = {c: st.column_config.TextColumn(c, alignment="right") for c in styled.data.columns[1:]}
        st.dataframe(styled, hide_index=True, height=min(700, 38 + 35 * len(statement.accounts)), column_config=right)
        st.caption(cv.checks_caption(statement))
        picks = st.multiselect("Chart lines", [a.id for a in statement.accounts], key=f"cons_chart_{kind.value}",
                               default=[a.id for a in statement.accounts if a.is_total][:3],
                               format_func=lambda i, s=statement: next(a.label for a in s.accounts if a.id == i))
        if picks:
            st.plotly_chart(charts.trend(c, kind, picks), key=f"cons_trend_{kind.value}")
        if len(statement.periods) >= 2:
            first, last = statement.periods[-2].key, statement.periods[-1].key
            st.plotly_chart(cv.variance_figure(c, kind, first, last, top=12), key=f"cons_var_{kind.value}")

overrides: Overrides = st.session_state[OVERRIDES]
names = cv.account_choices(c)
known: dict[str, str] = st.session_state.setdefault("cons_labels", {})  # a merged line leaves the tables: keep
known.update(names)  # its name for the undo list


def _set(new: Overrides, message: str, *clear: str) -> None:
    """Apply a mapping action and empty the form that made it (a second click must not repeat it)."""
    st.session_state[OVERRIDES] = new
    st.session_state[FLASH] = message
    for key in clear:
        st.session_state[key] = "" if key.endswith("label") else None


def _request(asked: tuple[Overrides | None, str], *clear: str) -> None:
    """Apply what a mapping form asked, or say what it is missing."""
    new, message = asked
    if new is not None:
        _set(new, message, *clear)
    elif message:
        st.session_state[FLASH] = message


def _merge() -> None:
    _request(cv.merge_request(overrides, st.session_state.get("cons_merge_source"),
                              st.session_state.get("cons_merge_target"), known),
             "cons_merge_source", "cons_merge_target")


def _rename() -> None:
    _request(cv.rename_request(overrides, st.session_state.get("cons_rename_account"),
                               st.session_state.get("cons_rename_label", ""), known),
             "cons_rename_account", "cons_rename_label")


def _exclude() -> None:
    _request(cv.exclude_request(overrides, st.session_state.get("cons_exclude_account"), known),
             "cons_exclude_account")


st.subheader("Line mapping")
if flash := st.session_state.pop(FLASH, None):
    st.success(plain(flash), icon=":material/check:")
suggestions = cv.real_suggestions(c)
pending_suggestions = [s for s in suggestions if not s.applied]
if suggestions:
    st.dataframe(cv.suggestions_frame(c), hide_index=True)
if pending_suggestions:
    pick = st.selectbox("Suggestion", pending_suggestions, key="cons_suggestion",
                        format_func=lambda s: f"{s.source_label} → {s.target_label} ({s.score:.0f})")
    a, r, _ = st.columns([1, 1, 4])
    a.button("Accept", key="cons_accept", on_click=lambda: _set(cv.accept(overrides, pick), "Suggestion accepted."))
    r.button("Reject", key="cons_reject", on_click=lambda: _set(cv.reject(overrides, pick), "Suggestion rejected."))
with st.expander("Merge, rename, leave out lines", icon=":material/tune:"):
    m1, m2, m3 = st.columns([3, 3, 1], vertical_alignment="bottom")
    m1.selectbox("Merge this line", list(names), format_func=names.__getitem__, key="cons_merge_source", index=None)
    m2.selectbox("into this line", list(names), format_func=names.__getitem__, key="cons_merge_target", index=None)
    m3.button("Merge", key="cons_merge", on_click=_merge)
    n1, n2, n3 = st.columns([3, 3, 1], vertical_alignment="bottom")
    n1.selectbox("Rename this line", list(names), format_func=names.__getitem__, key="cons_rename_account", index=None)
    n2.text_input("to", key="cons_rename_label")
    n3.button("Rename", key="cons_rename", on_click=_rename)
    x1, x2 = st.columns([6, 1], vertical_alignment="bottom")
    x1.selectbox("Leave out this line", [a for a in names if a not in overrides.exclude], index=None,
                 format_func=names.__getitem__, key="cons_exclude_account")
    x2.button("Leave out", key="cons_exclude", on_click=_exclude)
actions = cv.mapping_actions(overrides, known)
if actions:
    st.caption("Mapping actions in force — undo any one of them:")
    for action, said in actions:
        u1, u2 = st.columns([6, 1], vertical_alignment="center")
        u1.markdown(plain(said))
        u2.button("Undo", key=f"cons_undo_{action}", icon=":material/undo:",
                  on_click=lambda a=action, s=said: _set(cv.undo_action(overrides, a), f"Undone: {s}."))
    if len(actions) > 1:
        with st.popover("Undo all merges and matches", icon=":material/delete_sweep:"):
            sure = st.checkbox("Yes, drop every merge and accepted match", key="cons_unmerge_sure")
            st.button("Undo all", key="cons_unmerge", disabled=not sure, type="primary",
                      on_click=lambda: _set(cv.undo_merges(overrides), "Every merge and match undone."))


def standard_spread_section(consolidation: Consolidation, overrides: Overrides) -> None:
    """The standard spread: figures and ratios by fiscal year, and each line's mapping, which
    the analyst can change (saved with the other overrides)."""
    with st.expander("Standard spread", icon=":material/table_chart:"):
        spread = build_spread(consolidation)
        lines, ratios = display_tables(spread)
        st.dataframe(lines, hide_index=True)
        st.dataframe(ratios, hide_index=True)
        for note in [s.note for s in consolidation.splits] + spread.notes:
            st.caption(plain(note))
        key = st.selectbox("Spread line", list(VOCABULARY), format_func=lambda k: LINES[k].label, key="spread_line")
        names = cv.spread_candidates(consolidation, {LINES[key].statement, *VOCABULARY[key].statements})
        mapped = spread.mapping[key]
        picked = st.multiselect("is made of", list(names), default=[a for a, _ in mapped.accounts if a in names],
                                format_func=names.__getitem__, key=f"spread_pick_{key}_{mapped.chosen}")
        left, right, _ = st.columns([1, 2, 3])
        if left.button("Apply", key="spread_apply"):
            st.session_state[OVERRIDES] = choose(overrides, key, picked)
            st.rerun()
        if right.button("Back to the suggestion", key="spread_reset", disabled=not mapped.chosen):
            st.session_state[OVERRIDES] = choose(overrides, key, None)
            st.rerun()


if c.restatements:
    st.subheader(f"Restatements ({len(c.restatements)})")
    st.dataframe(cv.restatements_frame(c), hide_index=True)

standard_spread_section(c, overrides)

st.subheader("Save and download")
s1, s2, s3 = st.columns([3, 1, 2])
name = s1.text_input("Name", value=gathered.name, key=f"cons_name_{choice}")
if s2.button("Save", icon=":material/save:", key="cons_save"):
    try:
        st.session_state[CONSOLIDATION_ID] = cv.save(wb.store, user, gathered, name=name)
        st.session_state[CONSOLIDATION_KEY] = (company, st.session_state[CONSOLIDATION_ID])
        st.rerun()
    except FinsheetError as exc:
        show_error(exc)
key = cv.workbook_key(gathered)
if st.session_state.get(WORKBOOK, ("", b""))[0] != key:
    try:
        st.session_state[WORKBOOK] = (key, cv.workbook_bytes(c))
    except FinsheetError as exc:
        show_error(exc)
        st.stop()
s3.download_button("Download workbook", data=st.session_state[WORKBOOK][1], file_name=f"{company[:60]}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
                   icon=":material/download:", key="cons_download")
