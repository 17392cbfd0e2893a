"""Review: tie a statement out against its page. Click a value: its box is outlined on the page at a readable zoom.
Correct values in the filing's own format; undo any correction; every check as a green / red / grey badge."""

import streamlit as st

from finsheet.errors import FinsheetError
from finsheet.jobs.intake import unfinished
from finsheet.workbench import review, source_page
from finsheet.workbench.review import plain
from finsheet.workbench.session import REVIEW_DOCUMENT, REVIEW_MESSAGES, REVIEW_STATEMENT
from pages._common import current_user, show_error, workbench

user = current_user()
wb = workbench()
BADGE = {"pass": ("green", ":material/check:"), "fail": ("red", ":material/close:"),
         "unverified": ("gray", ":material/help:")}


@st.cache_resource(show_spinner=False, max_entries=6)  # a rendered page is shared, never changed: no copy per hit
def _raster(path: str, page: int, scale: float):  # noqa: ANN202
    return source_page.render_page(path, page, scale=scale)


@st.cache_data(show_spinner=False, max_entries=64)
def _page_size(path: str, page: int) -> tuple[float, float]:
    return source_page.page_size(path, page)


@st.cache_data(show_spinner=False, max_entries=256)
def _picture(path: str, page: int, scale: float, crop: tuple, line: tuple | None, value: tuple | None):  # noqa: ANN202
    return source_page.highlight(_raster(path, page, scale), scale, crop=crop, line=line, value=value)


@st.dialog("The whole page", width="large")
def _full_page(path: str, page: int, line: tuple | None, value: tuple | None) -> None:
    size = _page_size(path, page)
    scale = source_page.render_scale((0, 0, *size), target=2400)
    st.image(_picture(path, page, scale, (0, 0, *size), line, value), width="stretch")


st.title("Review")
documents = wb.store.list_documents(user)
ready = [d for d in documents if d.statements]
if not ready:
    st.info("No extracted statements yet: upload a PDF, or wait for the running jobs (Jobs page).")
    if unfinished(wb.queue.list_jobs(user)):  # e.g. the demo documents right after a first login

        def _until_ready() -> None:
            if any(d.statements for d in wb.store.list_documents(user)):
                st.rerun()

        st.fragment(_until_ready, run_every=1.5)()
    st.stop()
failed = [d for d in documents if d.status == "failed" and not d.statements]
if failed:
    with st.expander(f"{len(failed)} document(s) without statements"):
        for d in failed:
            st.markdown(f"- **{plain(d.name)}**: {plain(d.error or '')}")

ids = {d.id: d for d in ready}
if (wanted := st.query_params.get("document")) and wanted.isdigit() and int(wanted) in ids:
    st.session_state[REVIEW_DOCUMENT] = int(wanted)  # a link from Upload or Consolidate opens that document
    del st.query_params["document"]
top = st.columns([3, 3, 1])
doc = ids[top[0].selectbox("Document", list(ids), key=REVIEW_DOCUMENT, format_func=lambda i: f"{ids[i].name} · "
                           f"{ids[i].company or 'company unknown'}" + (f" · {ids[i].owner}" if user.is_admin else ""))]
statements = wb.store.list_statements(user, doc.id)
record = top[1].selectbox("Statement", statements, key=f"{REVIEW_STATEMENT}_{doc.id}",
                          format_func=lambda s: f"{s.title} (p. {', '.join(map(str, s.pages))})")
statement = wb.store.get_statement(user, record.statement_id)
badges = review.checks_first_failed(review.check_badges(statement))
passed, unverified = review.checks_metric(badges)
top[2].metric("Checks passed", passed, help=unverified)
table = review.review_table(statement, wb.store.items_frame(user, record.statement_id))
labels = review.period_labels(statement)
view = st.container(height=230, border=False)  # the page above the table (fixed: the table stays put)
left, right = st.columns([5, 1], vertical_alignment="bottom")
zoom = left.segmented_control("Page view", list(source_page.ZOOMS), format_func=source_page.ZOOMS.__getitem__,
                              default="line", key="review_zoom", label_visibility="collapsed") or "line"
event = st.dataframe(
    review.style_table(table, statement), hide_index=True, on_select="rerun",
    selection_mode=["single-cell", "single-row"], key=f"review_grid_{record.statement_id}",
    height=min(330, 38 + 35 * table.height),
    column_config={"line": st.column_config.TextColumn("line", width=260, pinned=True),
                   "flag": st.column_config.TextColumn(" ", width=70),
                   **{p.key: st.column_config.TextColumn(labels[p.key], help=review.period_help(p), width=150,
                                                         alignment="right") for p in statement.periods}},
)
row, key = review.selected_cell(event.selection.cells, event.selection.rows, set(labels)) if event else (None, None)
spot = source_page.value_box(statement, row, key) if row is not None and key else None
line = source_page.item_box(statement, row) if row is not None else None
page = spot.page if spot else line[0] if line else statement.pages[0]
with view:
    try:
        path = str(wb.store.pdf_path(doc))
        shown = source_page.view_region(statement, page, line[1] if line else None, zoom=zoom,
                                        size=_page_size(path, page))
        factor = source_page.render_scale(shown)
        value = spot.box if spot else None
        st.image(_picture(path, page, factor, shown, line[1] if line else None, value), width="stretch")
        if right.button("Full page", icon=":material/open_in_full:", key="review_full_page"):
            _full_page(path, page, line[1] if line else None, value)
    except FinsheetError as exc:
        show_error(exc)
if row is None:
    left.caption(f"page {page} · click a value in the table to outline it on the page")
else:
    with left:
        st.caption(review.selection_caption(statement, page, row, key, spot))
        if why := review.doubt(statement, row, key):
            st.caption(f":orange[⚠ {plain(why)}]")

st.markdown(" ".join(f":{BADGE[b.state][0]}-badge[{BADGE[b.state][1]} {plain(b.text)}]" for b in badges)
            or ":gray-badge[no check could be made]")
st.caption(f"{review.scale_caption(statement)} · confidence {statement.confidence:.0%} · "
           "**bold**: totals · shaded ⚠: read with low confidence · ✎ corrected · hover a period for its dates")

messages = st.session_state.pop(REVIEW_MESSAGES, None)
audit = wb.store.audit_frame(user, doc.id)
log = review.audit_table(audit, record.statement_id, table, statement)
for message in messages or []:
    (st.error if message.startswith("Not ") else st.success)(plain(message))
with st.expander("Correct values", icon=":material/edit:"):
    st.caption("Type values as printed: 1,234 · (1,234) for a negative · — for nil · empty for no value. Each change "
               "is audited, the checks run again, and any change can be undone below.")
    editable = review.editor_frame(table, statement)
    edited = st.data_editor(
        editable.to_pandas(), hide_index=True, key=f"review_editor_{record.statement_id}", num_rows="fixed",
        disabled=["item_id"],
        column_config={"item_id": None, "label": st.column_config.TextColumn("line", width=280),
                       "is_total": st.column_config.CheckboxColumn("total", width=60),
                       "level": st.column_config.NumberColumn("level", min_value=0, max_value=8, step=1, width=60),
                       **{p.key: st.column_config.TextColumn(labels[p.key], help=review.period_help(p), width=150,
                                                             alignment="right") for p in statement.periods}},
    )
    if st.button("Save corrections", type="primary", key=f"review_save_{record.statement_id}"):
        try:
            st.session_state[REVIEW_MESSAGES] = review.apply_edits(wb.store, user, editable, edited, statement)
        except FinsheetError as exc:
            st.session_state[REVIEW_MESSAGES] = [f"Not saved: {exc}"]
        st.rerun()

shown_rows = {r["id"]: r for r in log.iter_rows(named=True)}
with st.container(border=bool(shown_rows)):
    for audit_id in review.undoable(audit, record.statement_id)[:6]:
        r = shown_rows[audit_id]
        a, b = st.columns([6, 1], vertical_alignment="center")
        a.markdown(f"#{audit_id} · {plain(r['line'])} · {plain(r['period'])}: {plain(r['change'])} "
                   f"{plain(r['note'])}")
        if b.button("Undo", key=f"review_undo_{audit_id}", icon=":material/undo:"):
            try:
                wb.store.undo_correction(user, audit_id)
                st.session_state[REVIEW_MESSAGES] = [f"Undone: {r['line']} · {r['period']}: {r['change']}"]
            except FinsheetError as exc:
                st.session_state[REVIEW_MESSAGES] = [f"Not undone: {exc}"]
            st.rerun()
    if corrected := review.corrected_lines(table):
        c1, c2 = st.columns([6, 1], vertical_alignment="bottom")
        target = c1.selectbox("Revert a line to what was extracted", corrected, format_func=lambda x: x[1],
                              key=f"review_revert_pick_{record.statement_id}")
        if c2.button("Revert", key=f"review_revert_{record.statement_id}", icon=":material/restore:"):
            count = wb.store.revert_item(user, target[0])
            st.session_state[REVIEW_MESSAGES] = [f"{target[1]}: {count} field(s) back to the extracted value"]
            st.rerun()
with st.expander(f"Audit log ({log.height})", icon=":material/history:"):
    if log.is_empty():
        st.caption("No corrections to this statement yet.")
    else:
        st.dataframe(log, hide_index=True, column_config={"id": st.column_config.NumberColumn("#", width=50)})

company_col, delete_col, _ = st.columns([1, 1, 3])
with company_col.popover("Company", icon=":material/apartment:"):
    company = st.text_input("Reporting company (groups documents on the Consolidate page)", value=doc.company or "",
                            key=f"review_company_{doc.id}")
    if st.button("Save company", key=f"review_company_save_{doc.id}"):
        wb.store.set_company(user, doc.id, company)
        st.rerun()
with delete_col.popover("Delete document", icon=":material/delete:"):
    st.markdown(f"Delete **{plain(doc.name)}** with its {doc.statements} statement(s), corrections and jobs? "
                "The deletion is audited; it cannot be undone (upload the file again to start over).")
    sure = st.checkbox("Yes, delete it", key=f"review_delete_sure_{doc.id}")
    if st.button("Delete", type="primary", disabled=not sure, key=f"review_delete_{doc.id}"):
        try:
            wb.store.delete_document(user, doc.id)
            if others := [i for i in ids if i != doc.id]:  # the picker moves on to a document that still exists
                st.query_params["document"] = str(others[0])
            st.session_state[REVIEW_MESSAGES] = [f"Deleted {doc.name} with its {doc.statements} statement(s)."]
            st.rerun()
        except FinsheetError as exc:
            show_error(exc)
