"""The store: schema and migrations, users, documents, exact round trip of extractions, corrections, isolation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from finsheet.errors import AuthError, StorageError
from finsheet.extraction.pipeline import extract
from finsheet.model import Check, Document, LineItem, Period, Statement, StatementType
from finsheet.settings import load_settings
from finsheet.store import SCHEMA_VERSION, CacheKey, Store, User, UserRef
from finsheet.store.schema import migrate

ANN = UserRef(username="ann")
BOB = UserRef(username="bob")
ADMIN = UserRef(username="root", role="admin")


def rich_document(sha: str = "ab" * 32) -> Document:
    """A Document using every field the model has, including the awkward ones (None values, keys only in raw)."""
    items = [
        LineItem(label="Cash", level=1, section=["Assets", "Current assets"], page=1, box=(72.0, 100.5, 540.25, 110.0),
                 confidence=0.97, values={"2023-12-31": 1203.0, "2022-12-31": None}, raw={"2023-12-31": "1,203",
                 "2022-12-31": "—", "extra": "n/a"}, boxes={"2023-12-31": (400.0, 100.5, 430.0, 110.0)}, note="7, 8"),
        LineItem(label="Basic EPS", page=2, box=(1, 2, 3, 4), unit="per_share", values={"2023-12-31": 1.23},
                 raw={"2023-12-31": "1.23"}, engine="llm:qwen"),
        LineItem(label="Total assets", is_total=True, page=2, box=(1, 2, 3, 4), values={"2023-12-31": -5.5e9}),
    ]
    periods = [
        Period(key="2023-12-31", label="December 31, 2023", end=date(2023, 12, 31)),
        Period(key="2022-12-31", label="2022 (restated)", end=date(2022, 12, 31), start=date(2022, 1, 1), months=12,
               restated=True),
    ]
    checks = [Check(name="balance", ok=False, detail="6,959 ≠ 6,958", period="2023-12-31", expected=6959, actual=6958)]
    statements = [
        Statement(type=StatementType.BALANCE, title="Balance sheets", pages=[1, 2], confidence=0.93, scale=1000,
                  currency="USD", periods=periods, items=items, checks=checks, entity="Parent"),
        Statement(type=StatementType.CASH_FLOW, title="Cash flows", pages=[3], confidence=0.5, scale=None),
    ]
    return Document(file="acme.pdf", sha256=sha, pages=3, seconds=0.42, statements=statements, company="ACME",
                    engine="whisperer", warnings=["page 3: OCR"], timings={"open": 0.01, "parse": 0.2}, ocr_pages=[3])


@pytest.fixture
def store() -> Store:
    """An in-memory store with two analysts."""
    s = Store()
    s.create_user("ann", name="Ann", email="ann@example.com", password_hash="h1")
    s.create_user("bob", name="Bob", email="bob@example.com", password_hash="h2")
    return s


def add(store: Store, owner: str = "ann", sha: str = "ab" * 32, name: str = "acme.pdf") -> int:
    record, _ = store.add_document(sha256=sha, name=name, size=100, pages=3, owner=owner)
    return record.id


def test_rich_document_round_trips_exactly(store: Store) -> None:
    """load_document rebuilds the very Document that was saved, field for field."""
    doc = rich_document()
    doc_id = add(store)
    store.save_extraction(doc_id, doc, engine="whisperer", seconds=1.5)
    assert store.load_document(ANN, doc_id) == doc


def test_real_extraction_round_trips(store: Store, statement_pdf, tmp_path: Path) -> None:
    """A Document extracted from a real PDF survives the store unchanged."""
    path = tmp_path / "acme.pdf"
    path.write_bytes(statement_pdf(1))
    doc = extract(path, settings=load_settings(data_dir=tmp_path))
    doc_id = add(store, sha=doc.sha256)
    store.save_extraction(doc_id, doc, engine="local", seconds=doc.seconds)
    assert store.load_document(ANN, doc_id) == doc


def test_saving_again_replaces_without_duplicates(store: Store) -> None:
    """A second extraction of a document replaces its statements; the history of extractions is kept."""
    doc_id = add(store)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    first_ids = [s.statement_id for s in store.list_statements(ANN, doc_id)]
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    records = store.list_statements(ANN, doc_id)
    assert [r.type for r in records] == ["balance_sheet", "cash_flow"]
    assert not set(first_ids) & {r.statement_id for r in records}
    assert store.get_document(ANN, doc_id).statements == 2  # type: ignore[union-attr]


def test_extraction_of_another_file_is_refused(store: Store) -> None:
    """Saving a Document whose sha256 is not the document's is an error, and stores nothing."""
    doc_id = add(store)
    with pytest.raises(StorageError, match="another file"):
        store.save_extraction(doc_id, rich_document(sha="cd" * 32), engine="local", seconds=1)
    assert store.load_document(ANN, doc_id) is None


def test_failed_extraction_is_recorded(store: Store) -> None:
    """A Document with an error is stored as a failed extraction with that message."""
    doc_id = add(store)
    doc = Document(file="acme.pdf", sha256="ab" * 32, pages=3, error="no financial statements found")
    store.save_extraction(doc_id, doc, engine="local", seconds=0.1)
    record = store.get_document(ANN, doc_id)
    assert record is not None and (record.status, record.error) == ("failed", "no financial statements found")
    assert store.load_document(ANN, doc_id) == doc


def test_record_failure_keeps_earlier_statements(store: Store) -> None:
    """A later unreadable-file failure is recorded without losing the statements already stored."""
    doc_id = add(store)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    store.record_failure(doc_id, "acme.pdf: the PDF is damaged")
    record = store.get_document(ANN, doc_id)
    assert record is not None and record.status == "failed" and record.statements == 2
    assert store.load_document(ANN, doc_id) == rich_document()


@pytest.mark.parametrize(("viewer", "visible"), [(ANN, ["a.pdf"]), (BOB, ["b.pdf"]), (ADMIN, ["b.pdf", "a.pdf"])])
def test_documents_are_isolated_per_user(store: Store, viewer: UserRef, visible: list[str]) -> None:
    """Each analyst lists only their documents; an admin lists everyone's."""
    add(store, "ann", "aa" * 32, "a.pdf")
    add(store, "bob", "bb" * 32, "b.pdf")
    assert [d.name for d in store.list_documents(viewer)] == visible
    assert store.documents_frame(viewer)["name"].to_list() == visible


def test_other_users_document_raises_auth_error(store: Store) -> None:
    """Loading, listing statements of or renaming another user's document raises AuthError."""
    doc_id = add(store, "ann")
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    for call in (lambda: store.get_document(BOB, doc_id), lambda: store.load_document(BOB, doc_id),
                 lambda: store.list_statements(BOB, doc_id), lambda: store.set_company(BOB, doc_id, "X")):
        with pytest.raises(AuthError):
            call()
    assert store.get_document(BOB, 999) is None


def test_same_bytes_same_owner_is_one_document(store: Store) -> None:
    """add_document dedupes by (owner, sha256); another owner gets their own document."""
    first, created = store.add_document(sha256="aa" * 32, name="a.pdf", size=1, pages=1, owner="ann")
    again, created_again = store.add_document(sha256="aa" * 32, name="copy.pdf", size=1, pages=1, owner="ann")
    other, created_other = store.add_document(sha256="aa" * 32, name="a.pdf", size=1, pages=1, owner="bob")
    assert (created, created_again, created_other) == (True, False, True)
    assert again.id == first.id != other.id


def test_company_set_by_analyst_survives_reextraction(store: Store) -> None:
    """The analyst's company name wins over later extractions; clearing it lets extraction set it again."""
    doc_id = add(store)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    assert store.get_document(ANN, doc_id).company == "ACME"  # type: ignore[union-attr]
    store.set_company(ANN, doc_id, "Acme Holdings")
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    assert [d.id for d in store.list_documents(ANN, company="Acme Holdings")] == [doc_id]
    assert store.companies(ANN) == ["Acme Holdings"]
    store.set_company(ANN, doc_id, None)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    assert store.companies(ANN) == ["ACME"]


def test_a_company_named_in_another_case_or_without_its_point_keeps_the_name_it_goes_by(store: Store) -> None:
    """A 10-K names "ACME INC." and a 10-Q "Acme Inc": one company, consolidated together, under the spelling the
    store knew first; another company keeps its own."""
    first, second, other = add(store), add(store, sha="cd" * 32), add(store, sha="ef" * 32)
    store.save_extraction(first, rich_document().model_copy(update={"company": "ACME INC."}), engine="local",
                          seconds=1)
    store.save_extraction(second, rich_document("cd" * 32).model_copy(update={"company": "Acme Inc"}),
                          engine="local", seconds=1)
    store.save_extraction(other, rich_document("ef" * 32).model_copy(update={"company": "Acme Industries Inc."}),
                          engine="local", seconds=1)
    assert store.companies(ANN) == ["ACME INC.", "Acme Industries Inc."]
    assert {d.id for d in store.list_documents(ANN, company="ACME INC.")} == {first, second}


def test_correct_value_audits_and_reruns_checks(store: Store) -> None:
    """A corrected value is stored, the item becomes the analyst's, the audit has old → new, checks are rerun."""
    doc_id = add(store)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    statement_id = store.list_statements(ANN, doc_id)[0].statement_id
    items = store.items_frame(ANN, statement_id)
    cash = int(items.filter(pl.col("label") == "Cash")["item_id"][0])
    store.correct_value(ANN, cash, "2022-12-31", 1000.0, raw="1,000")
    store.correct_label(ANN, cash, "Cash and cash equivalents")
    statement = store.get_statement(ANN, statement_id)
    item = statement.items[0]
    assert (item.label, item.values["2022-12-31"], item.raw["2022-12-31"], item.engine) == (
        "Cash and cash equivalents", 1000.0, "1,000", "analyst")
    assert statement.checks != rich_document().statements[0].checks  # recomputed, not the stored failing check
    log = store.audit_log(ANN, doc_id)
    assert [(e.field, e.old, e.new, e.username) for e in log] == [
        ("label", "Cash", "Cash and cash equivalents", "ann"), ("value[2022-12-31]", None, "1000.0", "ann")]
    assert store.audit_log(BOB) == []
    assert len(store.audit_log(ADMIN)) == 2


def test_correcting_a_period_the_statement_lacks_fails(store: Store) -> None:
    """A value for a period key the statement does not have is refused and nothing is audited."""
    doc_id = add(store)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    statement_id = store.list_statements(ANN, doc_id)[0].statement_id
    item_id = int(store.items_frame(ANN, statement_id)["item_id"][0])
    with pytest.raises(StorageError, match="no period"):
        store.correct_value(ANN, item_id, "1999-12-31", 1.0)
    with pytest.raises(AuthError):
        store.correct_label(BOB, item_id, "Mine now")
    assert store.audit_log(ADMIN) == []


def test_items_frame_has_ids_and_a_column_per_period(store: Store) -> None:
    """items_frame: one row per line item with its id, and the values under each period key in order."""
    doc_id = add(store)
    store.save_extraction(doc_id, rich_document(), engine="local", seconds=1)
    frame = store.items_frame(ANN, store.list_statements(ANN, doc_id)[0].statement_id)
    assert frame.columns[-2:] == ["2023-12-31", "2022-12-31"]
    assert frame["label"].to_list() == ["Cash", "Basic EPS", "Total assets"]
    assert frame["2023-12-31"].to_list() == [1203.0, 1.23, -5.5e9]
    assert frame["item_id"].n_unique() == 3


def test_users_crud(store: Store) -> None:
    """Users are created, updated field by field, listed, disabled and deleted; duplicates are refused."""
    with pytest.raises(AuthError, match="taken"):
        store.create_user("ann")
    updated = store.update_user("ann", role="admin", disabled=True, email="a@b.c")
    assert (updated.role, updated.disabled, updated.email, updated.name) == ("admin", True, "a@b.c", "Ann")
    assert isinstance(store.get_user("ann"), User)
    assert [u.username for u in store.list_users()] == ["ann", "bob"]
    assert store.delete_user("bob") is True and store.delete_user("bob") is False
    assert store.get_user("bob") is None
    with pytest.raises(AuthError):
        store.update_user("nobody", name="x")


@pytest.mark.parametrize("value", [True, False, 3, "text", {"a": [1, 2]}, None])
def test_app_settings_round_trip(store: Store, value: object) -> None:
    """set_setting then get_setting gives the value back, overwriting an earlier one."""
    store.set_setting("allow_registration", "first")
    store.set_setting("allow_registration", value)
    assert store.get_setting("allow_registration", "default") == value
    assert store.get_setting("missing", "default") == "default"


def test_consolidations_are_saved_updated_and_isolated(store: Store) -> None:
    """A consolidation keeps its JSON settings and overrides; other analysts cannot see or touch it."""
    a, b = add(store, "ann", "aa" * 32), add(store, "ann", "bb" * 32)
    cid = store.save_consolidation(ANN, company="ACME", name="FY", document_ids=[a, b], settings={"scale": 1000},
                                   overrides={"merge": [["x", "y"]]})
    store.save_consolidation(ANN, company="ACME", name="FY v2", document_ids=[b], settings={}, overrides={},
                             consolidation_id=cid)
    got = store.get_consolidation(ANN, cid)
    assert got is not None and (got.name, got.document_ids, got.settings) == ("FY v2", [b], {})
    assert [c.id for c in store.list_consolidations(ANN, company="ACME")] == [cid]
    assert store.list_consolidations(BOB) == []
    with pytest.raises(AuthError):
        store.get_consolidation(BOB, cid)
    with pytest.raises(AuthError):
        store.save_consolidation(BOB, company="ACME", name="steal", document_ids=[a], settings={}, overrides={})
    assert store.delete_consolidation(ANN, cid) is True
    assert store.get_consolidation(ANN, cid) is None


def test_llm_cache(store: Store) -> None:
    """cache_put/get by the full key; hits are counted; clear says how many answers it removed."""
    key = CacheKey(sha256="ab" * 32, pages=(3, 4), engine="llm", model="qwen", prompt_version="v1")
    assert store.cache_get(key) is None
    store.cache_put(key, '{"a": 1}')
    store.cache_put(key, '{"a": 2}')
    assert store.cache_get(key) == '{"a": 2}'
    assert store.cache_get(key.model_copy(update={"pages": (3,)})) is None
    stats = store.cache_stats()
    assert (stats.entries, stats.hits, stats.bytes) == (1, 1, len('{"a": 2}'))
    assert store.cache_clear() == 1 and store.cache_stats().entries == 0


def test_delete_document_removes_everything(store: Store, tmp_path: Path) -> None:
    """Deleting a document removes its statements and its PDF file unless another owner shares the bytes."""
    store.uploads_dir = tmp_path
    doc_id = add(store, "ann", "aa" * 32)
    shared = add(store, "bob", "aa" * 32)
    (tmp_path / f"{'aa' * 32}.pdf").write_bytes(b"%PDF-1.4")
    store.save_extraction(doc_id, rich_document(sha="aa" * 32), engine="local", seconds=1)
    assert store.delete_document(ANN, doc_id) is True
    assert store.get_document(ANN, doc_id) is None
    assert (tmp_path / f"{'aa' * 32}.pdf").exists()
    assert store.delete_document(BOB, shared) is True
    assert not (tmp_path / f"{'aa' * 32}.pdf").exists()
    assert store.list_documents(ADMIN) == []


def test_older_database_file_is_upgraded_in_place(tmp_path: Path) -> None:
    """A file at schema version 1 opens at the latest version with its data intact."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.execute("INSERT INTO users (username, name) VALUES ('ann', 'Ann')")
    con.close()
    with Store(path) as store:
        assert store.migrated_from == 1
        assert store.schema_version == SCHEMA_VERSION > 1
        assert store.get_user("ann").name == "Ann"  # type: ignore[union-attr]
        store.cache_put(CacheKey(sha256="x", pages=(1,), engine="e", model="m", prompt_version="1"), "v")
    with Store(path) as again:
        assert again.migrated_from == SCHEMA_VERSION
        assert again.cache_stats().entries == 1


def test_newer_database_file_is_refused(tmp_path: Path) -> None:
    """A file written by a newer finsheet is not opened (it would be misread)."""
    path = tmp_path / "new.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (?, now())", [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StorageError, match="newer"):
        Store(path)


def test_open_uses_the_data_dir(tmp_path: Path) -> None:
    """Store.open puts the database and uploads under settings.data_dir."""
    settings = load_settings(env={"FINSHEET_DATA_DIR": str(tmp_path / "d")})
    with Store.open(settings) as store:
        assert Path(store.path) == tmp_path / "d" / "finsheet.duckdb"
        assert store.uploads_dir == tmp_path / "d" / "uploads"
    assert (tmp_path / "d" / "finsheet.duckdb").is_file()
