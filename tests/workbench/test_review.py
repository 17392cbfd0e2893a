"""workbench.review: the review table, its styling, the source page with a highlighted box, and saving corrections."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from finsheet.errors import AuthError, PdfError, StorageError
from finsheet.extraction.pipeline import extract
from finsheet.jobs.uploads import save_upload
from finsheet.model import Check, Period, Statement, StatementType
from finsheet.settings import Settings
from finsheet.store import Store, User
from finsheet.workbench import review, source_page


@pytest.fixture
def stored(tmp_path: Path, statement_pdf: Callable[..., bytes]) -> tuple[Store, User, int, Path]:
    """A store holding one extracted two-statement PDF of `ann`: (store, ann, document id, pdf path)."""
    settings = Settings(data_dir=tmp_path / "data", ocr=False)
    store = Store.open(settings)
    ann = store.create_user("ann")
    data = statement_pdf()
    record = save_upload(store, settings, data, "acme.pdf", "ann")
    doc = extract(data, settings=settings, name="acme.pdf")
    store.save_extraction(record.id, doc, engine="local", seconds=doc.seconds)
    yield store, ann, record.id, store.pdf_path(record)
    store.close()


def _balance(store: Store, user: User, document_id: int) -> tuple[int, Statement]:
    record = next(s for s in store.list_statements(user, document_id) if s.type == StatementType.BALANCE.value)
    return record.statement_id, store.get_statement(user, record.statement_id)


def test_review_table_rows_and_columns(stored: tuple[Store, User, int, Path]) -> None:
    """One row per line item with its id, indentation, flags and one column per period key."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    table = review.review_table(statement, store.items_frame(ann, sid))
    assert table.height == len(statement.items)
    assert table.columns[:8] == ["item_id", "line", "label", "level", "is_total", "confidence", "flag", "page"]
    assert table.columns[8:] == [p.key for p in statement.periods]
    cash = table.row(by_predicate=pl.col("label") == "Cash and cash equivalents", named=True)
    assert cash["line"].startswith(review.INDENT * cash["level"]) and cash["level"] >= 1
    assert cash[statement.periods[0].key] == 1200.0


def test_style_marks_totals_doubts_and_corrections(stored: tuple[Store, User, int, Path]) -> None:
    """Totals are bold, low-confidence rows shaded, corrected rows coloured; numbers print with separators."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    items = store.items_frame(ann, sid)
    first = items["item_id"][0]
    store.correct_value(ann, int(first), statement.periods[0].key, 1234567.0)
    items = store.items_frame(ann, sid).with_columns(confidence=0.5)
    statement = store.get_statement(ann, sid)
    table = review.review_table(statement, items)
    html = review.style_table(table, statement).to_html()
    assert "font-weight: bold" in html
    assert "background-color: #fff3cd" in html
    assert "color: #1f4e79" in html
    assert "1,234,567" in html
    assert "✎" in table["flag"][0] and "⚠" in table["flag"][0]


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (1234.0, "1,234"), (-56.5, "(56.50)"), (0.0, "—"), (11.3, "11.30"), (-1_234_567.0, "(1,234,567)"),
])
def test_format_number(value: float | None, text: str) -> None:
    """Values print as in a filing: separators, negatives in parentheses, a dash for nil, blanks empty."""
    assert review.format_number(value) == text


def test_page_image_highlights_the_box(stored: tuple[Store, User, int, Path]) -> None:
    """The rendered page is tinted inside the line's box and left alone far from it."""
    store, ann, doc_id, path = stored
    _, statement = _balance(store, ann, doc_id)
    item = statement.items[2]
    plain = source_page.page_image(path, item.page, scale=1.0)
    marked = source_page.page_image(path, item.page, box=item.box, scale=1.0)
    assert plain.size == marked.size == (612, 792)
    x0, top, x1, bottom = item.box
    inside = (int(x1) + 1, int((top + bottom) / 2))  # just right of the text, inside the padded box
    assert plain.getpixel(inside) == (255, 255, 255)
    assert marked.getpixel(inside) != (255, 255, 255)
    assert marked.getpixel((5, 5)) == plain.getpixel((5, 5))


def test_page_image_bad_page_or_file(stored: tuple[Store, User, int, Path], tmp_path: Path) -> None:
    """A page past the end or an unreadable file is a PdfError, not a crash."""
    _, _, _, path = stored
    with pytest.raises(PdfError, match="no page 9"):
        source_page.page_image(path, 9)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(PdfError):
        source_page.page_image(broken, 1)


def test_apply_edits_saves_corrections_with_audit_and_checks(stored: tuple[Store, User, int, Path]) -> None:
    """Each changed cell becomes a correction with an audit entry, and the checks run again on the new figures."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    assert all(c.ok for c in statement.checks)
    before = review.review_table(statement, store.items_frame(ann, sid))
    key = statement.periods[0].key
    row = before["label"].to_list().index("Inventories")
    edited = before.to_pandas()
    edited.loc[row, key] = 999.0
    edited.loc[row, "label"] = "Merchandise inventories"
    changes = review.apply_edits(store, ann, before, edited, statement)
    assert len(changes) == 2
    after = store.get_statement(ann, sid)
    item = after.items[row]
    assert (item.label, item.values[key], item.engine) == ("Merchandise inventories", 999.0, "analyst")
    assert any(not c.ok for c in after.checks), "the current assets no longer foot"
    audit = store.audit_log(ann, doc_id)
    assert {(a.field, a.old, a.new) for a in audit} == {
        (f"value[{key}]", "650.0", "999.0"), ("label", "Inventories", "Merchandise inventories")}
    assert all(a.username == "ann" for a in audit)


def test_apply_edits_without_changes_saves_nothing(stored: tuple[Store, User, int, Path]) -> None:
    """An unchanged table writes no correction."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    before = review.review_table(statement, store.items_frame(ann, sid))
    assert review.apply_edits(store, ann, before, before.to_pandas(), statement) == []
    assert store.audit_log(ann, doc_id) == []


def test_apply_edits_refuses_bad_levels_and_row_changes(stored: tuple[Store, User, int, Path]) -> None:
    """A negative level or a table with rows added or removed is refused."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    before = review.review_table(statement, store.items_frame(ann, sid))
    edited = before.to_pandas()
    edited.loc[0, "level"] = -1
    with pytest.raises(StorageError, match="level"):
        review.apply_edits(store, ann, before, edited, statement)
    with pytest.raises(StorageError, match="rows"):
        review.apply_edits(store, ann, before, before.head(3), statement)


def test_check_badges_and_period_labels(stored: tuple[Store, User, int, Path]) -> None:
    """Every check becomes a badge with its period; period labels are the printed ones."""
    store, ann, doc_id, _ = stored
    _, statement = _balance(store, ann, doc_id)
    badges = review.check_badges(statement)
    assert len(badges) == len(statement.checks) > 0
    assert all(b.state == "pass" for b in badges)
    assert any("December 31, 2023" in b.text and "=" in b.text for b in badges), [b.text for b in badges]
    assert not any("2023-12-31" in b.text for b in badges), "periods as printed, not keys"
    assert list(review.period_labels(statement).values()) == ["December 31, 2023", "December 31, 2022"]
    assert review.period_help(statement.periods[0]).startswith("December 31, 2023 — at 2023-12-31")
    assert source_page.item_box(statement, 0) == (statement.items[0].page, statement.items[0].box)
    assert source_page.item_box(statement, len(statement.items)) is None


def test_page_image_from_bytes(statement_pdf: Callable[..., bytes]) -> None:
    """Bytes render as well as paths (page 2 of the fixture is the income statement)."""
    image = source_page.page_image(statement_pdf(), 2, scale=0.5)
    assert image.size == (306, 396)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_page_image_cropped_to_the_statement(stored: tuple[Store, User, int, Path]) -> None:
    """Cropping to the statement's region keeps its lines (and the highlight) and drops the empty margins."""
    store, ann, doc_id, path = stored
    _, statement = _balance(store, ann, doc_id)
    page = statement.items[0].page
    region = source_page.statement_region(statement, page)
    assert region is not None
    assert all(region[0] <= i.box[0] and i.box[3] <= region[3] for i in statement.items if i.page == page)
    assert source_page.statement_region(statement, page + 5) is None
    full = source_page.page_image(path, page, scale=1.0)
    cropped = source_page.page_image(path, page, box=statement.items[2].box, crop=region, scale=1.0)
    assert cropped.width < full.width and cropped.height < full.height
    tinted = [p for p in cropped.get_flattened_data() if p[0] > 240 and p[1] > 200 and p[2] < 200]  # amber, not ink
    assert tinted, "the highlight survives the crop"


@pytest.mark.parametrize(("ok", "state", "sign"), [
    (True, "pass", "="), (False, "fail", "≠"), (None, "unverified", "vs"),
])
def test_check_badge_states(ok: bool | None, state: str, sign: str) -> None:
    """A check that passed is green, one that failed red, one that could not be verified grey; each with numbers."""
    statement = Statement(type=StatementType.BALANCE, title="BS", pages=[1], confidence=1.0,
                          periods=[Period(key="2023-12-31", label="FY2023", end=date(2023, 12, 31))],
                          checks=[Check.model_construct(name="total_assets_foots", ok=ok, detail="d",
                                                        period="2023-12-31", expected=163_220.0, actual=-171.0)])
    (badge,) = review.check_badges(statement)
    assert badge.state == state
    assert badge.text == f"Total assets foots · FY2023: (171) {sign} 163,220"


@pytest.mark.parametrize(("text", "value"), [
    ("1,234", 1234.0), ("(1,234)", -1234.0), ("-12.5", -12.5), ("$ 1,000", 1000.0), ("—", 0.0), ("-", 0.0),
    ("", None), ("  ", None), (None, None), (42, 42.0), (float("nan"), None),
])
def test_parse_number(text: object, value: float | None) -> None:
    """What the grid shows (and an analyst types) reads back as the number."""
    assert review.parse_number(text) == value


def test_parse_number_refuses_words() -> None:
    """Text that is not a number is refused, naming it."""
    with pytest.raises(StorageError, match="'twelve' is not a number"):
        review.parse_number("twelve")


@pytest.mark.parametrize("value", [1234.0, -171.0, 0.0, 11.3, None, -1_234_567.0])
def test_format_and_parse_round_trip(value: float | None) -> None:
    """A value formatted for the grid reads back unchanged."""
    assert review.parse_number(review.format_number(value)) == value


@pytest.mark.parametrize(("text", "escaped"), [
    ("Cash **and** [link](http://x)", r"Cash \*\*and\*\* \[link\]\(http\://x\)"),
    (":red[alarm] $x$", r"\:red\[alarm\] \$x\$"),
    ("two\nlines", "two lines"),
    ("<b>html</b>", r"\<b\>html\</b\>"),
])
def test_plain_escapes_markdown(text: str, escaped: str) -> None:
    """Untrusted text is shown as written: no markdown, no directives, no LaTeX, no HTML."""
    assert review.plain(text) == escaped


def test_editor_round_trip_saves_typed_values(stored: tuple[Store, User, int, Path]) -> None:
    """The grid shows values as printed; typing '(1,000)' or '—' saves -1000 and 0, the rest stays untouched."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    table = review.review_table(statement, store.items_frame(ann, sid))
    editable = review.editor_frame(table, statement)
    key, old_key = statement.periods[0].key, statement.periods[1].key
    cash = table["label"].to_list().index("Cash and cash equivalents")
    assert editable[key][cash] == "1,200"
    assert review.apply_edits(store, ann, editable, editable.to_pandas(), statement) == []
    edited = editable.to_pandas()
    edited.loc[cash, key] = "(1,000)"
    edited.loc[cash, old_key] = "—"
    changes = review.apply_edits(store, ann, editable, edited, statement)
    assert changes == ["Cash and cash equivalents · December 31, 2023: 1,200 → (1,000)",
                       "Cash and cash equivalents · December 31, 2022: 1,000 → —"]
    after = store.get_statement(ann, sid).items[cash]
    assert (after.values[key], after.values[old_key]) == (-1000.0, 0.0)


def _cash(store: Store, ann: User, sid: int) -> tuple[int, int]:
    table = store.items_frame(ann, sid)
    row = table["label"].to_list().index("Cash and cash equivalents")
    return row, int(table["item_id"][row])


def test_undo_restores_the_value_and_the_checks(stored: tuple[Store, User, int, Path]) -> None:
    """Undo puts back the previous value as a new audited correction; the checks pass again and the line is the
    extraction's again."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    key = statement.periods[0].key
    row, item = _cash(store, ann, sid)
    store.correct_value(ann, item, key, 5000.0)
    broken = store.get_statement(ann, sid)
    assert any(review.check_state(c) == "fail" for c in broken.checks)
    assert broken.items[row].engine == "analyst"
    (latest,) = review.undoable(store.audit_frame(ann, doc_id), sid)
    store.undo_correction(ann, latest)
    fixed = store.get_statement(ann, sid)
    assert fixed.items[row].values[key] == 1200.0
    assert all(review.check_state(c) == "pass" for c in fixed.checks)
    assert fixed.items[row].engine != "analyst"
    log = store.audit_frame(ann, doc_id)
    assert log.height == 2 and log["undoes"].to_list() == [latest, None]
    with pytest.raises(StorageError, match="later correction"):
        store.undo_correction(ann, latest)  # already undone: the value is no longer what it set


def test_undo_is_refused_for_another_user(stored: tuple[Store, User, int, Path]) -> None:
    """Bob cannot undo ann's correction."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    _, item = _cash(store, ann, sid)
    store.correct_value(ann, item, statement.periods[0].key, 5000.0)
    bob = store.create_user("bob")
    (latest,) = review.undoable(store.audit_frame(ann, doc_id), sid)
    with pytest.raises(AuthError):
        store.undo_correction(bob, latest)
    with pytest.raises(StorageError, match="no correction #999"):
        store.undo_correction(ann, 999)


def test_revert_item_goes_back_to_the_extracted_values(stored: tuple[Store, User, int, Path]) -> None:
    """Several corrections of a line (value twice, label) are reverted at once to what the extraction read."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    key = statement.periods[0].key
    row, item = _cash(store, ann, sid)
    store.correct_value(ann, item, key, 5000.0)
    store.correct_value(ann, item, key, 6000.0)
    store.correct_label(ann, item, "Cash")
    assert store.revert_item(ann, item) == 2
    back = store.get_statement(ann, sid).items[row]
    assert (back.label, back.values[key], back.engine) == ("Cash and cash equivalents", 1200.0, "local")
    assert store.revert_item(ann, item) == 0


def test_audit_table_reads_as_the_statement_prints(stored: tuple[Store, User, int, Path]) -> None:
    """The audit log names the line, the period as printed and old → new in the statement's format."""
    store, ann, doc_id, _ = stored
    sid, statement = _balance(store, ann, doc_id)
    _, item = _cash(store, ann, sid)
    store.correct_value(ann, item, statement.periods[0].key, -163220.0)
    store.correct_total(ann, item, True)
    table = review.review_table(store.get_statement(ann, sid), store.items_frame(ann, sid))
    log = review.audit_table(store.audit_frame(ann, doc_id), sid, table, statement)
    assert log.select("line", "period", "change").rows() == [
        ("Cash and cash equivalents", "total", "no → yes"),
        ("Cash and cash equivalents", "December 31, 2023", "1,200 → (163,220)"),
    ]


def test_delete_document_is_audited_and_keeps_other_owners_file(
    stored: tuple[Store, User, int, Path], statement_pdf: Callable[..., bytes]
) -> None:
    """Deleting removes the document and its statements, leaves an audit row naming the file, and removes the PDF
    only once no other owner's document uses it."""
    store, ann, doc_id, path = stored
    sid, statement = _balance(store, ann, doc_id)
    _, item = _cash(store, ann, sid)
    store.correct_value(ann, item, statement.periods[0].key, 1.0)
    settings = Settings(data_dir=path.parent.parent, ocr=False)
    store.create_user("bob")
    bobs = save_upload(store, settings, statement_pdf(), "acme.pdf", "bob")
    assert store.find_document(ann, bobs.sha256).id == doc_id  # type: ignore[union-attr]
    assert store.delete_document(ann, doc_id) is True
    assert store.get_document(ann, doc_id) is None and path.exists()
    log = store.audit_frame(ann)
    assert log.filter(pl.col("field") == "deleted").select("old", "username").rows() == [("acme.pdf", "ann")]
    assert log.height == 2, "the correction's audit row is kept"
    admin = store.create_user("root", role="admin")
    assert store.delete_document(admin, bobs.id) is True
    assert not path.exists()
    assert store.find_document(ann, bobs.sha256) is None


def test_value_box_is_the_values_own_or_its_column_on_the_line(stored: tuple[Store, User, int, Path]) -> None:
    """A value with a recorded box is outlined exactly; without one, the column's span on the line stands in."""
    store, ann, doc_id, _ = stored
    _, statement = _balance(store, ann, doc_id)
    key = statement.periods[0].key
    row = next(i for i, item in enumerate(statement.items) if key in item.boxes)
    spot = source_page.value_box(statement, row, key)
    assert spot is not None and spot.exact and spot.box == statement.items[row].boxes[key]
    assert spot.box[0] > statement.items[row].box[0] + 100, "the value sits right of the label"
    statement.items[row].boxes.pop(key)
    guess = source_page.value_box(statement, row, key)
    assert guess is not None and not guess.exact and guess.box is not None
    assert (guess.box[1], guess.box[3]) == (statement.items[row].box[1], statement.items[row].box[3])
    assert source_page.value_box(statement, len(statement.items), key) is None


def test_line_view_is_a_readable_band_with_the_value_outlined(stored: tuple[Store, User, int, Path]) -> None:
    """The 'line' view is a band around the line, rendered so the band is TARGET_WIDTH pixels wide; the value's
    box is outlined red and the rest of the line tinted."""
    store, ann, doc_id, path = stored
    _, statement = _balance(store, ann, doc_id)
    key = statement.periods[0].key
    row = next(i for i, item in enumerate(statement.items) if key in item.boxes)
    spot = source_page.value_box(statement, row, key)
    assert spot is not None and spot.box is not None
    size = source_page.page_size(path, spot.page)
    band = source_page.view_region(statement, spot.page, spot.line, zoom="line", size=size)
    assert band[1] < spot.line[1] and spot.line[3] < band[3] and band[3] - band[1] <= 2 * source_page.BAND + 1
    scale = source_page.render_scale(band)
    assert scale >= 2.0, "a statement a few hundred points wide is drawn at least twice its printed size"
    image = source_page.highlight(source_page.render_page(path, spot.page, scale=scale), scale, crop=band,
                                  line=spot.line, value=spot.box)
    assert abs(image.width - source_page.TARGET_WIDTH) <= 2
    x0, top, _, bottom = ((v - o) * scale for v, o in zip(spot.box, (band[0], band[1], band[0], band[1]),
                                                          strict=True))
    edge = image.getpixel((round(x0 - 2 * scale), round((top + bottom) / 2)))
    assert edge[0] > 180 and edge[1] < 120, f"red outline at the value's left edge, got {edge}"
    whole = source_page.view_region(statement, spot.page, spot.line, zoom="page", size=size)
    assert whole == (0.0, 0.0, *size)


def test_source_page_refuses_a_decompression_bomb(tmp_path: Path) -> None:
    """Review draws pages through the pipeline's limits: a page holding a 20,000 × 20,000 image (400 MP decoded from
    0.4 MB) is refused with its reason instead of being decoded in the app's process."""
    from finsheet.bench_memory import image_pdf
    from finsheet.extraction.render import PageTooLarge

    path = tmp_path / "bomb.pdf"
    path.write_bytes(image_pdf(612, 792, 20000, 20000, level=6))
    with pytest.raises(PageTooLarge, match="FINSHEET_MAX_IMAGE_MEGAPIXELS"):
        source_page.render_page(path, 1, scale=1.0)


def test_the_pages_words_for_checks_selection_and_scale() -> None:
    """What Review says: failures first and 'passed/verified' with the not-verified count; a clicked cell gives its
    row and period, a label cell its row only; the caption names the line, the period, the value and how exact the
    outline is; the scale line escapes the currency from the PDF."""
    from finsheet.model import LineItem, Period, Statement, StatementType
    from finsheet.workbench.source_page import ValueBox

    badges = [review.Badge("pass", "a", ""), review.Badge("unverified", "b", ""), review.Badge("fail", "c", "")]
    assert [b.state for b in review.checks_first_failed(badges)] == ["fail", "unverified", "pass"]
    assert review.checks_metric(badges) == ("1/2", "1 not verified")
    assert review.checks_metric(badges[:1]) == ("1/1", None)
    assert review.selected_cell([(3, "2023-12-31")], [], {"2023-12-31"}) == (3, "2023-12-31")
    assert review.selected_cell([(3, "line")], [], {"2023-12-31"}) == (3, None)
    assert review.selected_cell([], [5], {"2023-12-31"}) == (5, None)
    assert review.selected_cell([], [], {"2023-12-31"}) == (None, None)
    st = Statement(type=StatementType.BALANCE, title="Balance sheet", pages=[2], confidence=0.9, scale=None,
                   currency="[x](http://evil)", periods=[Period(key="2023-12-31", label="December 31, 2023")],
                   items=[LineItem(label="Cash", level=1, page=2, box=(0, 0, 1, 1),
                                   values={"2023-12-31": -1234.0}, raw={"2023-12-31": "(1,234)"})])
    exact = ValueBox(page=2, line=(0, 0, 1, 1), box=(0, 0, 1, 1), exact=True)
    said = review.selection_caption(st, 2, 0, "2023-12-31", exact)
    assert "**Cash**" in said and "December 31, 2023" in said and r"\(1,234\)" in said and "outlined in red" in said
    assert review.selection_caption(st, 2, 0, None, None) == "page 2 · **Cash**"
    assert review.scale_caption(st).endswith("· scale unknown: values as printed")
    assert "](" not in review.scale_caption(st)
