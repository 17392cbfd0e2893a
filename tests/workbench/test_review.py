"""workbench.review: the review table, its styling, the source page with a highlighted box, and saving corrections."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from finsheet.errors import PdfError, StorageError
from finsheet.extraction.pipeline import extract
from finsheet.jobs.uploads import save_upload
from finsheet.model import Statement, StatementType
from finsheet.settings import Settings
from finsheet.store import Store, User
from finsheet.workbench import review


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


@pytest.mark.parametrize(("value", "text"), [(None, ""), (1234.0, "1,234"), (-56.5, "(56.5)"), (0.0, "0")])
def test_format_number(value: float | None, text: str) -> None:
    """Values print as in a filing: separators, negatives in parentheses, blanks empty."""
    assert review.format_number(value) == text


def test_page_image_highlights_the_box(stored: tuple[Store, User, int, Path]) -> None:
    """The rendered page is tinted inside the line's box and left alone far from it."""
    store, ann, doc_id, path = stored
    _, statement = _balance(store, ann, doc_id)
    item = statement.items[2]
    plain = review.page_image(path, item.page, scale=1.0)
    marked = review.page_image(path, item.page, box=item.box, scale=1.0)
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
        review.page_image(path, 9)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(PdfError):
        review.page_image(broken, 1)


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
    assert all(ok for _, ok, _ in badges)
    assert list(review.period_labels(statement).values()) == ["December 31, 2023", "December 31, 2022"]
    assert review.item_box(statement, 0) == (statement.items[0].page, statement.items[0].box)
    assert review.item_box(statement, len(statement.items)) is None


def test_page_image_from_bytes(statement_pdf: Callable[..., bytes]) -> None:
    """Bytes render as well as paths (page 2 of the fixture is the income statement)."""
    image = review.page_image(statement_pdf(), 2, scale=0.5)
    assert image.size == (306, 396)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_page_image_cropped_to_the_statement(stored: tuple[Store, User, int, Path]) -> None:
    """Cropping to the statement's region keeps its lines (and the highlight) and drops the empty margins."""
    store, ann, doc_id, path = stored
    _, statement = _balance(store, ann, doc_id)
    page = statement.items[0].page
    region = review.statement_region(statement, page)
    assert region is not None
    assert all(region[0] <= i.box[0] and i.box[3] <= region[3] for i in statement.items if i.page == page)
    assert review.statement_region(statement, page + 5) is None
    full = review.page_image(path, page, scale=1.0)
    cropped = review.page_image(path, page, box=statement.items[2].box, crop=region, scale=1.0)
    assert cropped.width < full.width and cropped.height < full.height
    tinted = [p for p in cropped.get_flattened_data() if p[0] > 240 and p[1] > 200 and p[2] < 200]  # amber, not ink
    assert tinted, "the highlight survives the crop"
