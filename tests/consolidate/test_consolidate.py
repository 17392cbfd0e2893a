"""Consolidation: periods aligned across documents, account identity, label matches, overrides, restatements,
and the derived figures (changes, CAGR, common size)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.analysis import CAGR_COLUMN, analyse, common_size_base, pct_column, share_column, span
from finsheet.consolidate.mapping import ConsolidationSettings, Merge, Overrides, apply_order, normalise, slot_in
from finsheet.model import Document, LineItem, Period, Statement, StatementType

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
IS, BS = StatementType.INCOME, StatementType.BALANCE
ENDS = {2017: date(2017, 9, 3), 2018: date(2018, 9, 2), 2019: date(2019, 9, 1), 2020: date(2020, 8, 30),
        2021: date(2021, 8, 29)}

Row = tuple[str, list[float | None]] | tuple[str, list[float | None], list[str]] | tuple[
    str, list[float | None], list[str], bool
]


def statement(kind: StatementType, years: list[int], rows: list[Row], *, scale: int = 1_000_000,
              currency: str = "USD", months: int | None = 12) -> Statement:
    periods = [Period(key=ENDS[y].isoformat(), label=str(y), end=ENDS[y], months=months) for y in years]
    items = []
    for n, row in enumerate(rows):
        label, values = row[0], row[1]
        section = row[2] if len(row) > 2 else []  # type: ignore[misc]
        total = row[3] if len(row) > 3 else False  # type: ignore[misc]
        vals = {p.key: v for p, v in zip(periods, values, strict=True)}
        items.append(LineItem(label=label, section=section, is_total=total, level=1, page=10 + n,
                              box=(0.0, float(n), 1.0, n + 1.0), values=vals,
                              raw={k: f"{v:,}" for k, v in vals.items() if v is not None}))
    return Statement(type=kind, title=kind.display_name, pages=[10], confidence=1.0, scale=scale, currency=currency,
                     periods=periods, items=items)


def document(name: str, *statements: Statement) -> Document:
    return Document(file=name, sha256=name * 4, pages=50, statements=list(statements), company="ACME")


REV = ["Revenue"]
OPEX = ["Operating expenses"]


def income_2021() -> Statement:
    return statement(IS, [2021, 2020, 2019], [
        ("Net sales", [192052, 163220, 149351], REV),
        ("Membership fees", [3877, 3541, 3352], REV),
        ("Total revenue", [195929, 166761, 152703], REV, True),
        ("Merchandise costs", [170684, 144939, 132886], OPEX),
        ("Preopening expenses", [76, 55, 86], OPEX),
    ])


def income_2019() -> Statement:
    return statement(IS, [2019, 2018, 2017], [
        ("Sales", [149351, 138434, 126172], REV),
        ("Membership fees", [3352, 3142, 2853], REV),
        ("Total revenue", [152703, 141576, 129025], REV, True),
        ("Merchandise costs", [132886, 123152, 111882], OPEX),
        ("Provision for impaired assets", [5, 12, 30], OPEX),
        ("Preopening expenses", [86, 68, 82], OPEX),
    ])


def row_of(frame_labels: list[str], label: str) -> int:
    return frame_labels.index(label)


def test_periods_ordered_by_end_across_documents() -> None:
    """Three-year statements from two filings give one column per fiscal year, oldest first."""
    result = consolidate([document("c21.pdf", income_2021()), document("c19.pdf", income_2019())])
    st = result.statements[IS]
    assert [p.key for p in st.periods] == [ENDS[y].isoformat() for y in range(2017, 2022)]
    assert [p.document for p in st.periods] == ["c19.pdf", "c19.pdf", "c21.pdf", "c21.pdf", "c21.pdf"]
    assert [d.file for d in result.documents] == ["c19.pdf", "c21.pdf"]
    labels = list(st.frame["label"])
    revenue = row_of(labels, "Total revenue")
    assert [st.frame[p.key][revenue] for p in st.periods] == [129025, 141576, 152703, 166761, 195929]
    assert result.scale_label == "USD millions"


def test_row_order_follows_newest_with_old_lines_slotted_in() -> None:
    """Rows follow the newest statement; a line only older filings have sits after the line it followed there."""
    st = consolidate([document("c19.pdf", income_2019()), document("c21.pdf", income_2021())]).statements[IS]
    assert list(st.frame["label"]) == [
        "Net sales", "Membership fees", "Total revenue", "Merchandise costs", "Provision for impaired assets",
        "Preopening expenses",
    ]
    impaired = list(st.frame["label"]).index("Provision for impaired assets")
    assert [st.frame[ENDS[y].isoformat()][impaired] for y in (2017, 2018, 2019, 2020)] == [30, 12, None, None]


def test_close_label_in_same_section_is_matched() -> None:
    """'Sales' (2019 filing) and 'Net sales' (2021 filing) become one row with the newest label."""
    result = consolidate([document("c19.pdf", income_2019()), document("c21.pdf", income_2021())])
    applied = [s for s in result.suggestions if s.applied]
    assert [(s.source_label, s.target_label) for s in applied] == [("Sales", "Net sales")]
    st = result.statements[IS]
    net_sales = list(st.frame["label"]).index("Net sales")
    assert st.frame[ENDS[2017].isoformat()][net_sales] == 126172
    assert "Sales" not in list(st.frame["label"])


def test_same_label_in_two_sections_stays_two_accounts() -> None:
    """'Deferred income taxes' as an asset and as a liability are never merged, across documents either."""
    def bs(year: int, asset: float, liability: float) -> Statement:
        return statement(BS, [year], [
            ("Deferred income taxes", [asset], ["Assets", "Other assets"]),
            ("Total assets", [asset + 100], ["Assets"], True),
            ("Deferred income taxes", [liability], ["Liabilities", "Other liabilities"]),
            ("Total liabilities", [liability + 50], ["Liabilities"], True),
        ], months=None)

    result = consolidate([document("a.pdf", bs(2020, 10, 20)), document("b.pdf", bs(2021, 11, 22))])
    st = result.statements[BS]
    deferred = [i for i, label in enumerate(st.frame["label"]) if label == "Deferred income taxes"]
    assert len(deferred) == 2
    assert [st.frame["2021-08-29"][i] for i in deferred] == [11, 22]
    assert [st.frame["2020-08-30"][i] for i in deferred] == [10, 20]
    assert st.accounts[deferred[0]].section == ["Assets", "Other assets"]
    assert not [s for s in result.suggestions if s.applied]


def test_line_moved_to_another_part_is_not_joined() -> None:
    """A line under assets in one filing and liabilities in the next stays two rows, even with a shared figure."""
    old = statement(BS, [2020, 2019], [("Deferred income taxes", [50, 40], ["Assets"])], months=None)
    new = statement(BS, [2021, 2020], [("Deferred income taxes", [30, 50], ["Liabilities"])], months=None)
    result = consolidate([document("o.pdf", old), document("n.pdf", new)])
    [s] = result.suggestions
    assert (s.score, s.agree, s.same_section, s.applied) == (100.0, ["2020-08-30"], False, False)
    assert len(result.statements[BS].accounts) == 2


def test_overlapping_period_takes_newest_and_flags_restatement() -> None:
    """A period both filings report comes from the newer one; each differing value is kept as a restatement."""
    old = income_2019()
    old.items[3].values[ENDS[2019].isoformat()] = 132_000  # merchandise costs as first printed
    old.items[3].raw[ENDS[2019].isoformat()] = "132,000"
    result = consolidate([document("c21.pdf", income_2021()), document("c19.pdf", old)])
    st = result.statements[IS]
    costs = list(st.frame["label"]).index("Merchandise costs")
    assert st.frame[ENDS[2019].isoformat()][costs] == 132886
    restated = [r for r in result.restatements if r.label == "Merchandise costs"]
    assert len(restated) == 1
    r = restated[0]
    assert (r.period, r.value, r.previous) == (ENDS[2019].isoformat(), 132886, 132_000)
    assert [s.document for s in r.source] == ["c21.pdf"] and [s.document for s in r.previous_source] == ["c19.pdf"]
    assert r.previous_source[0].raw == "132,000" and r.kind == "restated"
    assert next(p for p in st.periods if p.key == ENDS[2019].isoformat()).restated


def test_line_dropped_by_newer_filing_is_a_restatement_not_a_value() -> None:
    """An older line the newer filing no longer prints for a shared period is flagged, not mixed into its column."""
    result = consolidate([document("c19.pdf", income_2019()), document("c21.pdf", income_2021())])
    dropped = [r for r in result.restatements if r.label == "Provision for impaired assets"]
    assert [(r.period, r.value, r.previous, r.kind) for r in dropped] == [
        (ENDS[2019].isoformat(), None, 5, "no longer reported")]
    assert [(s.document, s.raw) for s in dropped[0].source] == [("c21.pdf", None)]  # the filing that left it out
    # A change of presentation is listed, but does not mark the period as restated.
    st = consolidate([document("c19.pdf", income_2019()), document("c21.pdf", income_2021())]).statements[IS]
    assert not any(p.restated for p in st.periods)


def test_scales_are_normalised_before_comparing() -> None:
    """A filing in thousands and one in millions agree within rounding, and show in one scale."""
    thousands = statement(IS, [2020, 2019], [("Revenue", [166_761_400, 152_703_200], [], True)], scale=1000)
    millions = statement(IS, [2021, 2020], [("Revenue", [195_929, 166_761], [], True)])
    result = consolidate([document("t.pdf", thousands), document("m.pdf", millions)])
    st = result.statements[IS]
    assert result.scale == 1_000_000
    assert st.frame["2019-09-01"][0] == pytest.approx(152_703.2)
    assert st.frame["2020-08-30"][0] == 166_761
    assert result.restatements == []


def test_unknown_scale_takes_the_other_filings() -> None:
    """A filing whose statement printed no unit takes the unit the company's other filing prints for it (a company
    keeps its unit), with a warning; with no other filing to go by its values stay as printed, also warned."""
    unknown = statement(IS, [2020, 2019], [("Revenue", [166_761, 152_703], [], True)])
    unknown.scale = None
    millions = statement(IS, [2021, 2020], [("Revenue", [195_929, 166_761], [], True)])
    result = consolidate([document("old.pdf", unknown), document("new.pdf", millions)])
    assert result.statements[IS].frame["2019-09-01"][0] == 152_703
    assert result.restatements == []
    assert any("old.pdf" in w and "prints no unit; taken as 1,000,000" in w for w in result.warnings)
    alone = consolidate([document("old.pdf", unknown)])
    assert alone.statements[IS].frame["2019-09-01"][0] == 152_703
    assert any("taken as printed" in w for w in alone.warnings)


def test_scale_can_be_chosen() -> None:
    """settings.scale presents every value in that scale."""
    result = consolidate([document("m.pdf", income_2021())], settings=ConsolidationSettings(scale=1000))
    assert result.statements[IS].frame["2021-08-29"][0] == 192_052_000
    assert result.scale_label == "USD thousands"


def test_ambiguous_or_cross_section_matches_are_only_suggested() -> None:
    """Two candidates for one label, or a match across sections, are suggested and not applied."""
    old = statement(IS, [2019], [("Other income", [5], ["Other"]), ("Interest expense", [7], ["Other"])])
    new = statement(IS, [2021], [("Other income, net", [6], ["Other"]), ("Other income (expense)", [1], ["Other"]),
                                 ("Interest expense, net", [8], ["Financing"])])
    result = consolidate([document("o.pdf", old), document("n.pdf", new)])
    assert result.suggestions, "close labels should be suggested"
    assert not [s for s in result.suggestions if s.applied]
    assert any(s.source_label == "Interest expense" and not s.same_section for s in result.suggestions)
    assert len(result.statements[IS].accounts) == 5


def test_accepted_and_rejected_suggestions() -> None:
    """An accepted suggestion merges the rows; a rejected one is never applied even when unambiguous."""
    docs = [document("c19.pdf", income_2019()), document("c21.pdf", income_2021())]
    suggestion = next(s for s in consolidate(docs).suggestions if s.source_label == "Sales")
    pair = Merge(source=suggestion.source, target=suggestion.target)
    rejected = consolidate(docs, overrides=Overrides(rejected=[pair]))
    assert "Sales" in list(rejected.statements[IS].frame["label"])
    off = ConsolidationSettings(auto_match=False)
    plain = consolidate(docs, settings=off)
    assert "Sales" in list(plain.statements[IS].frame["label"])
    accepted = consolidate(docs, settings=off, overrides=Overrides(accepted=[pair]))
    assert "Sales" not in list(accepted.statements[IS].frame["label"])
    assert next(s for s in accepted.suggestions if s.source_label == "Sales").reason == "accepted by the analyst"


def test_overrides_merge_rename_exclude_reorder() -> None:
    """Merging sums lines of one statement; rename, exclude and reorder change only the consolidated view."""
    base = consolidate([document("c21.pdf", income_2021())])
    ids = {a.label: a.id for a in base.statements[IS].accounts}
    overrides = Overrides(
        merge=[Merge(source=ids["Preopening expenses"], target=ids["Merchandise costs"])],
        rename={ids["Merchandise costs"]: "Cost of sales"},
        exclude=[ids["Membership fees"]],
        reorder={"income_statement": [ids["Total revenue"], ids["Net sales"]]},
    )
    st = consolidate([document("c21.pdf", income_2021())], overrides=overrides).statements[IS]
    assert list(st.frame["label"]) == ["Total revenue", "Net sales", "Cost of sales"]
    assert st.frame["2021-08-29"][2] == 170684 + 76
    assert len(st.sources[(ids["Merchandise costs"], "2021-08-29")]) == 2


def test_overrides_survive_json_and_a_new_document() -> None:
    """Overrides stored as JSON are re-applied when another filing joins the consolidation."""
    first = consolidate([document("c21.pdf", income_2021())])
    ids = {a.label: a.id for a in first.statements[IS].accounts}
    stored = Overrides(rename={ids["Net sales"]: "Sales, net"}, exclude=[ids["Preopening expenses"]]).model_dump(
        mode="json")
    settings = ConsolidationSettings(months=12).model_dump(mode="json")
    again = consolidate(
        [document("c21.pdf", income_2021()), document("c19.pdf", income_2019())],
        settings=ConsolidationSettings.model_validate(settings),
        overrides=Overrides.model_validate(stored),
    )
    st = again.statements[IS]
    labels = list(st.frame["label"])
    assert "Sales, net" in labels and "Preopening expenses" not in labels
    assert st.frame["2017-09-03"][labels.index("Sales, net")] == 126172  # the 2019 filing's "Sales", matched
    assert [a.label for a in again.excluded] == ["Preopening expenses"]


def test_unknown_override_warns() -> None:
    """An override naming an account no document has is reported, not silently dropped or fatal."""
    result = consolidate([document("c21.pdf", income_2021())],
                         overrides=Overrides(merge=[Merge(source="income_statement::nope", target="x")],
                                             exclude=["income_statement::gone"]))
    assert any("nope" in w for w in result.warnings)
    assert any("gone" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("doc", "warning"),
    [
        (Document(file="bad.pdf", sha256="x", pages=0, error="not a PDF"), "bad.pdf: skipped (not a PDF)"),
        (Document(file="empty.pdf", sha256="y", pages=3), "empty.pdf: skipped (no statements)"),
    ],
)
def test_failed_documents_are_skipped_with_a_warning(doc: Document, warning: str) -> None:
    """A document that failed to extract is left out and named in the warnings; the rest still consolidates."""
    result = consolidate([doc, document("c21.pdf", income_2021())])
    assert warning in result.warnings
    assert IS in result.statements


def test_nothing_to_consolidate() -> None:
    """No usable document gives an empty consolidation, not an exception."""
    result = consolidate([Document(file="bad.pdf", sha256="x", pages=0, error="encrypted")])
    assert result.statements == {} and result.documents == []


def test_other_currency_is_left_out() -> None:
    """A statement in another currency is not mixed in."""
    eur = statement(IS, [2019], [("Revenue", [1.0])], currency="EUR")
    result = consolidate([document("eur.pdf", eur), document("c21.pdf", income_2021())])
    assert [p.key for p in result.statements[IS].periods] == ["2019-09-01", "2020-08-30", "2021-08-29"]
    assert any("EUR" in w for w in result.warnings)


def test_quarters_and_years_ending_the_same_day_stay_apart() -> None:
    """A 3-month and a 12-month column ending on one date are two periods; `months` keeps one length."""
    end = date(2021, 8, 29)
    st = Statement(type=IS, title="IS", pages=[1], confidence=1, scale=1, currency="USD", periods=[
        Period(key="2021-08-29/3m", label="Q4", end=end, months=3),
        Period(key="2021-08-29/12m", label="FY", end=end, months=12)],
        items=[LineItem(label="Revenue", page=1, box=(0, 0, 1, 1), values={"2021-08-29/3m": 5, "2021-08-29/12m": 20})])
    both = consolidate([document("q.pdf", st)]).statements[IS]
    assert [(p.key, p.months) for p in both.periods] == [("2021-08-29/3m", 3), ("2021-08-29/12m", 12)]
    annual = consolidate([document("q.pdf", st)], settings=ConsolidationSettings(months=12)).statements[IS]
    assert [p.key for p in annual.periods] == ["2021-08-29"] and annual.frame["2021-08-29"][0] == 20


def test_columns_headed_only_by_a_year() -> None:
    """A '2021' column without a date joins the dated 2021 period; a lone '2022' becomes FY2022, ordered last."""
    dated = Statement(type=IS, title="IS", pages=[1], confidence=1, scale=1, currency="USD", periods=[
        Period(key="2021-12-31", label="December 31, 2021", end=date(2021, 12, 31), months=12),
        Period(key="2020-12-31", label="December 31, 2020", end=date(2020, 12, 31), months=12)],
        items=[LineItem(label="Revenue", page=1, box=(0, 0, 1, 1), values={"2021-12-31": 110, "2020-12-31": 100})])
    years = Statement(type=IS, title="IS", pages=[1], confidence=1, scale=1, currency="USD", periods=[
        Period(key="2022", label="2022"), Period(key="2021", label="2021")],
        items=[LineItem(label="Revenue", page=1, box=(0, 0, 1, 1), values={"2022": 121, "2021": 110})])
    result = consolidate([document("old.pdf", dated), document("new.pdf", years)])
    st = result.statements[IS]
    assert [p.key for p in st.periods] == ["2020-12-31", "2021-12-31", "FY2022"]
    assert st.frame.row(0)[-3:] == (100, 110, 121)
    assert result.warnings == [] and [d.file for d in result.documents] == ["old.pdf", "new.pdf"]
    assert analyse(st)[CAGR_COLUMN][0] == pytest.approx(0.1)  # 100 → 121 over two years


def test_year_only_income_statement_takes_the_balance_sheet_date() -> None:
    """Income statement columns '2022' / '2021' end on the balance sheet's 31 December 2022 / 2021."""
    income = Statement(type=IS, title="IS", pages=[1], confidence=1, scale=1, currency="EUR", periods=[
        Period(key="2022", label="2022"), Period(key="2021", label="2021")],
        items=[LineItem(label="Revenue", page=1, box=(0, 0, 1, 1), values={"2022": 9, "2021": 8})])
    balance = Statement(type=BS, title="BS", pages=[2], confidence=1, scale=1, currency="EUR", periods=[
        Period(key="2022-12-31", label="31.12.2022", end=date(2022, 12, 31)),
        Period(key="2021-12-31", label="31.12.2021", end=date(2021, 12, 31))],
        items=[LineItem(label="Total assets", page=2, box=(0, 0, 1, 1), is_total=True,
                        values={"2022-12-31": 50, "2021-12-31": 40})])
    result = consolidate([document("ar.pdf", income, balance)])
    assert [p.key for p in result.statements[IS].periods] == ["2021-12-31", "2022-12-31"]
    assert result.statements[IS].frame["2022-12-31"].to_list() == [9]


def test_same_period_twice_in_one_statement_counts_once() -> None:
    """Two columns read as the same period (a misread header) are not added together: the first counts."""
    end = date(2021, 12, 31)
    st = Statement(type=IS, title="IS", pages=[1], confidence=1, scale=1, currency="USD", periods=[
        Period(key="a", label="2021", end=end, months=12), Period(key="b", label="2021 again", end=end, months=12)],
        items=[LineItem(label="Revenue", page=1, box=(0, 0, 1, 1), values={"a": 5, "b": 7})])
    result = consolidate([document("d.pdf", st)]).statements[IS]
    assert [p.key for p in result.periods] == ["2021-12-31"] and result.frame["2021-12-31"].to_list() == [5]


def test_changes_cagr_and_common_size() -> None:
    """Change and % change between consecutive years, CAGR over the span, shares of total revenue."""
    result = consolidate([document("c19.pdf", income_2019()), document("c21.pdf", income_2021())])
    st = result.statements[IS]
    table = analyse(st)
    revenue = list(st.frame["label"]).index("Total revenue")
    assert table["change 2021-08-29"][revenue] == 195929 - 166761
    assert table[pct_column(st.periods[-1])][revenue] == pytest.approx((195929 - 166761) / 166761)
    s = span(st)
    assert s is not None and s.years == 4
    assert table[CAGR_COLUMN][revenue] == pytest.approx((195929 / 129025) ** 0.25 - 1)
    assert common_size_base(st) == st.accounts[revenue].id
    assert table[share_column(st.periods[-1])][revenue] == 1.0
    costs = list(st.frame["label"]).index("Merchandise costs")
    assert table[share_column(st.periods[-1])][costs] == pytest.approx(170684 / 195929)


@pytest.mark.parametrize(
    ("old", "new", "change", "pct", "cagr"),
    [
        (0.0, 5.0, 5.0, None, None),  # no % change from zero, no CAGR from zero
        (-4.0, 2.0, 6.0, 1.5, None),  # a negative base: % change over its size, no CAGR
        (None, 2.0, None, None, None),  # a missing year: blank
        (10.0, 0.0, -10.0, -1.0, None),
    ],
)
def test_undefined_figures_are_blank(old: float | None, new: float | None, change: float | None,
                                     pct: float | None, cagr: float | None) -> None:
    """Division by zero, negative bases and missing values give blanks, never errors or infinities."""
    st = consolidate([document("x.pdf", statement(IS, [2019, 2021], [("Other", [old, new])]))]).statements[IS]
    table = analyse(st)
    assert table["change 2021-08-29"][0] == change
    got = table["pct 2021-08-29"][0]
    assert got == pct if pct is None else got == pytest.approx(pct)
    assert table[CAGR_COLUMN][0] == cagr


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Net income (note 5)", "net income"), ("Stockholders’ equity", "stockholders equity"),
     ("TOTAL  ASSETS", "total assets"), ("Sales(a)", "sales"), ("Cash & equivalents*", "cash equivalents")],
)
def test_label_normalisation(text: str, expected: str) -> None:
    """Labels compare without case, footnote markers or punctuation."""
    assert normalise(text) == expected


def test_order_helpers() -> None:
    """slot_in inserts after the predecessor; apply_order moves only the listed accounts."""
    assert slot_in(["a", "c"], ["a", "b", "c", "d"]) == ["a", "b", "c", "d"]
    assert slot_in(["c", "a"], ["x", "a", "b"]) == ["x", "c", "a", "b"]
    assert apply_order(["a", "b", "c", "d"], ["d", "b"]) == ["a", "d", "c", "b"]


# --------------------------------------------------------------------------- real filings

COSTCO = [SAMPLES / "series" / "COSTCO_2019_10K.pdf", SAMPLES / "series" / "COSTCO_2020_10K.pdf",
          SAMPLES / "pdfs" / "COSTCO_2021_10K.pdf"]


@pytest.fixture(scope="module")
def costco() -> list[Document]:
    if not all(p.is_file() for p in COSTCO):
        pytest.skip("../shared/samples is absent")
    from finsheet.extraction.pipeline import extract

    docs = [extract(p) for p in COSTCO]
    if not all(d.statement(IS) and d.statement(BS) for d in docs):
        pytest.skip("the extractor does not find the Costco statements yet")
    return docs


def _find(st: object, *patterns: str) -> int:
    from finsheet.consolidate.alignment import ConsolidatedStatement

    assert isinstance(st, ConsolidatedStatement)
    labels = [normalise(a.label) for a in st.accounts]
    for pattern in patterns:
        if pattern in labels:
            return labels.index(pattern)
    raise AssertionError(f"none of {patterns} in {labels}")


@pytest.mark.samples
@pytest.mark.slow
def test_costco_three_filings_hand_checked(costco: list[Document]) -> None:
    """Three Costco 10-Ks give fiscal 2017–2021 with the hand-checked revenue, net income and total assets."""
    result = consolidate(costco, settings=ConsolidationSettings(months=12))
    income, balance = result.statements[IS], result.statements[BS]
    assert result.scale_label == "USD millions"
    years = [ENDS[y].isoformat() for y in range(2017, 2022)]
    assert [p.key for p in income.periods] == years
    revenue = _find(income, "total revenue")
    assert [income.frame[k][revenue] for k in years] == [129025, 141576, 152703, 166761, 195929]
    net = _find(income, "net income attributable to costco")
    assert [income.frame[k][net] for k in years] == [2679, 3134, 3659, 4002, 5007]
    assets = _find(balance, "total assets")
    assert [balance.frame[k][assets] for k in years[1:]] == [40830, 45400, 55556, 59268]
    assert [p.document for p in income.periods][-3:] == ["COSTCO_2021_10K.pdf"] * 3
    # The 2019 filing's "Net property and equipment" is the later "Property and equipment, net": same 2019 figure.
    matched = {(s.source_label, s.target_label) for s in result.suggestions if s.applied}
    assert ("Net property and equipment", "Property and equipment, net") in matched
    ppe = _find(balance, "property and equipment net")
    assert balance.frame[years[1]][ppe] is not None and balance.frame[years[-1]][ppe] is not None
    assert StatementType.EQUITY not in result.statements  # components as columns: nothing to align by period
    assert len(set(a.id for a in income.accounts)) == len(income.accounts)
    assert not any(math.isnan(v) for k in years for v in income.frame[k] if v is not None)
