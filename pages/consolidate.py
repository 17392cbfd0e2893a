"""Consolidate: one company's documents aligned by period; mapping suggestions, line edits (each undoable),
restatements, charts, and the workbook download. The controls stay in the session and in the URL."""

import streamlit as st

from finsheet.consolidate.mapping import ConsolidationSettings
from finsheet.consolidate.model import Consolidation
from finsheet.consolidate.spread import LINES, VOCABULARY, build_spread, display_tables
from finsheet.errors import FinsheetError
from finsheet.export import charts
from finsheet.workbench import consolidation as cv
from finsheet.workbench import consolidation_session as keys
from finsheet.workbench.consolidation_session import ConsolidationSession
from finsheet.workbench.review import plain
from pages._common import current_user, show_error, workbench

user = current_user()
wb = workbench()
session = ConsolidationSession(st.session_state)
KEEP = {"bind": "query-params", "persist_state": "session"}  # survive a visit to another page, and a reload
st.title("Consolidate")
companies = cv.companies(wb.store, user)
if not companies:
    st.info("No extracted document yet: upload a PDF and wait for its job (Jobs page).")
    st.stop()

top = st.columns([2, 2, 3])
company = top[0].selectbox("Company", companies, key=keys.COMPANY, **KEEP)
saved = {r.id: r for r in wb.store.list_consolidations(user, company)}
session.open_pending(saved)
choice = top[1].selectbox("Consolidation", [0, *saved], key=keys.CHOICE, persist_state="session",
                          format_func=lambda i: saved[i].name if i else "New consolidation")
record = saved.get(choice)
listed = cv.company_documents(wb.store, user, company)
docs = {d.id: d for d in listed}
session.follow(company, record, list(docs), defaults=cv.default_documents(listed, user))
chosen = top[2].multiselect("Documents", list(docs), key=keys.DOCUMENTS, **KEEP,
                            format_func=lambda i: cv.document_name(docs[i], user))
opts = st.columns(4)
months = opts[0].selectbox("Flow periods", [0, 12, 6, 3], key=keys.MONTHS, **KEEP,  # 0: any length
                           format_func=lambda m: f"{m} months only" if m else "all lengths")
scale = opts[1].selectbox("Present in", [0, 1, 1000, 1_000_000, 1_000_000_000], key=keys.SCALE, **KEEP,
                          format_func=lambda s: f"× {s:,}" if s else "the latest document's scale")
try:
    gathered = cv.gather(wb.store, user, company=company, document_ids=chosen,
                         settings=ConsolidationSettings(months=months or None, scale=scale or None),
                         overrides=session.overrides, consolidation_id=record.id if record else None,
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

overrides = session.overrides
names = cv.account_choices(c)
known = session.labels(names)

st.subheader("Line mapping")
if message := session.take_message():
    st.success(plain(message), icon=":material/check:")
suggestions = cv.real_suggestions(c)
pending_suggestions = [s for s in suggestions if not s.applied]
if suggestions:
    st.dataframe(cv.suggestions_frame(c), hide_index=True)
if pending_suggestions:
    pick = st.selectbox("Suggestion", pending_suggestions, key="cons_suggestion",
                        format_func=lambda s: f"{s.source_label} → {s.target_label} ({s.score:.0f})")
    a, r, _ = st.columns([1, 1, 4])
    a.button("Accept", key="cons_accept", on_click=session.accept, args=(pick,))
    r.button("Reject", key="cons_reject", on_click=session.reject, args=(pick,))
with st.expander("Merge, rename, leave out lines", icon=":material/tune:"):
    m1, m2, m3 = st.columns([3, 3, 1], vertical_alignment="bottom")
    m1.selectbox("Merge this line", list(names), format_func=names.__getitem__, key=keys.MERGE_SOURCE, index=None)
    m2.selectbox("into this line", list(names), format_func=names.__getitem__, key=keys.MERGE_TARGET, index=None)
    m3.button("Merge", key="cons_merge", on_click=session.merge)
    n1, n2, n3 = st.columns([3, 3, 1], vertical_alignment="bottom")
    n1.selectbox("Rename this line", list(names), format_func=names.__getitem__, key=keys.RENAME_ACCOUNT, index=None)
    n2.text_input("to", key=keys.RENAME_LABEL)
    n3.button("Rename", key="cons_rename", on_click=session.rename)
    x1, x2 = st.columns([6, 1], vertical_alignment="bottom")
    x1.selectbox("Leave out this line", [a for a in names if a not in overrides.exclude], index=None,
                 format_func=names.__getitem__, key=keys.EXCLUDE_ACCOUNT)
    x2.button("Leave out", key="cons_exclude", on_click=session.exclude)
actions = cv.mapping_actions(overrides, known)
if actions:
    st.caption("Mapping actions in force — undo any one of them:")
    for action, said in actions:
        u1, u2 = st.columns([6, 1], vertical_alignment="center")
        u1.markdown(plain(said))
        u2.button("Undo", key=f"cons_undo_{action}", icon=":material/undo:",
                  on_click=session.undo, args=(action, said))
    if len(actions) > 1:
        with st.popover("Undo all merges and matches", icon=":material/delete_sweep:"):
            sure = st.checkbox("Yes, drop every merge and accepted match", key="cons_unmerge_sure")
            st.button("Undo all", key="cons_unmerge", disabled=not sure, type="primary",
                      on_click=session.undo_merges)


def standard_spread_section(consolidation: Consolidation) -> None:
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
        left.button("Apply", key="spread_apply", on_click=session.choose_spread, args=(key, picked))
        right.button("Back to the suggestion", key="spread_reset", disabled=not mapped.chosen,
                     on_click=session.choose_spread, args=(key, None))


if c.restatements:
    st.subheader(f"Restatements ({len(c.restatements)})")
    st.dataframe(cv.restatements_frame(c), hide_index=True)

standard_spread_section(c)

st.subheader("Save and download")
s1, s2, s3 = st.columns([3, 1, 2])
name = s1.text_input("Name", value=gathered.name, key=f"cons_name_{choice}")
if s2.button("Save", icon=":material/save:", key="cons_save"):
    try:
        session.saved(company, cv.save(wb.store, user, gathered, name=name))
        st.rerun()
    except FinsheetError as exc:
        show_error(exc)
try:
    workbook = session.workbook(gathered)
except FinsheetError as exc:
    show_error(exc)
    st.stop()
s3.download_button("Download workbook", data=workbook, file_name=f"{company[:60]}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
                   icon=":material/download:", key="cons_download")
