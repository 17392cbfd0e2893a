"""A statement of changes in equity read across: on every line the total column adds up the component columns.
Layouts vary what the headings say (counts beside amounts, a total before the non-controlling interests, a
treasury column headed as shares, a subtotal or total whose heading does not say so) and the figures decide."""

from __future__ import annotations

import pytest
from layouts import line_values, statement

from finsheet.extraction.checks import check_specs, run_checks
from finsheet.extraction.equity_columns import column_sums
from finsheet.model import LineItem, Period, Statement, StatementType

BOX = (40.0, 100.0, 560.0, 110.0)


def equity(columns: list[str], rows: list[tuple[str, list[float | None]]], *, years: bool = False) -> Statement:
    """A statement of changes in equity with these column headings; None is a blank cell."""
    periods = [Period(key=f"{name} {n}" if not years else name, label=name) for n, name in enumerate(columns)]
    items = []
    for label, figures in rows:
        values = {p.key: v for p, v in zip(periods, figures, strict=True) if v is not None}
        items.append(LineItem(label=label, page=1, box=BOX, values=values,
                              raw={k: f"{v:,.0f}" for k, v in values.items()}))
    return Statement(type=StatementType.EQUITY, title="Statement of changes in equity", pages=[1], confidence=1.0,
                     periods=periods, items=items)


def across(st: Statement) -> list[tuple[str, bool | None]]:
    return [(s.check.detail.split(":")[0], s.check.ok) for s in check_specs(st)
            if s.check.name == "equity_columns_add_up"]


def sums(st: Statement) -> list[tuple[str, list[str]]]:
    labels = {p.key: p.label for p in st.periods}
    return [(labels[c.total], [labels[k] for k in c.parts]) for c in column_sums(st, 1.0)]


US = (["Common stock shares", "Common stock amount", "Additional paid-in capital", "Retained earnings",
       "Accumulated other comprehensive loss", "Total stockholders' equity", "Noncontrolling interests",
       "Total equity"],
      [("Balance at December 31, 2021", [1_200, 12, 5_400, 2_300, -150, 7_562, 300, 7_862]),
       ("Net income", [None, None, None, 900, None, 900, 40, 940]),
       ("Other comprehensive loss", [None, None, None, None, -35, -35, None, -35]),
       ("Stock-based compensation", [15, None, 120, None, None, 120, None, 120]),
       ("Dividends", [None, None, None, -400, None, -400, -10, -410]),
       ("Balance at December 31, 2022", [1_215, 12, 5_520, 2_800, -185, 8_147, 330, 8_477])])
UK = (["Share capital", "Share premium", "Shares to be issued", "Retained earnings", "Total equity"],
      [("At 1 January 2022", [3_208, 22_348, 286, -22_406, 3_436]),
       ("Loss for the year", [None, None, None, -333, -333]),
       ("Issue of shares", [67, 1_558, None, None, 1_625]),
       ("At 31 December 2022", [3_275, 23_906, 286, -22_739, 4_728])])


@pytest.mark.parametrize(("layout", "expected"), [
    (US, [("Total stockholders' equity", ["Common stock amount", "Additional paid-in capital", "Retained earnings",
                                          "Accumulated other comprehensive loss"]),
          ("Total equity", ["Total stockholders' equity", "Noncontrolling interests"])]),
    (UK, [("Total equity", ["Share capital", "Share premium", "Shares to be issued", "Retained earnings"])]),
])
def test_each_total_column_adds_the_components_since_the_total_before_it(layout, expected) -> None:
    """A count of shares is not added; a total stands for the columns it adds; "shares to be issued" is an amount."""
    st = equity(*layout)
    assert sums(st) == expected
    checks = across(st)
    assert checks and all(ok is True for _, ok in checks)


@pytest.mark.parametrize("cased", [str.upper, str.title, str.lower])
def test_headings_are_read_in_any_case(cased) -> None:
    columns, rows = US
    st = equity([cased(c) for c in columns], rows)
    assert len(sums(st)) == 2 and all(ok is True for _, ok in across(st))


def test_a_treasury_column_headed_as_shares_that_holds_amounts_is_added() -> None:
    """"Shares in treasury" reads as a count, but the lines add up only with its figures: they are amounts."""
    st = equity(["Shares outstanding", "Common stock", "Additional paid-in capital", "Shares in treasury",
                 "Accumulated deficit", "Total stockholders' equity"],
                [("Balances at December 31, 2021", [38_773_994, 4, 211_263, -1_043, -196_092, 14_132]),
                 ("Net loss", [None, None, None, None, -16_891, -16_891]),
                 ("Stock-based compensation", [None, None, 3_998, None, None, 3_998]),
                 ("Issuance of common stock", [2_006_108, None, 111, None, None, 111]),
                 ("Balances at December 31, 2022", [40_780_102, 4, 215_372, -1_043, -212_983, 1_350])])
    assert sums(st) == [("Total stockholders' equity", ["Common stock", "Additional paid-in capital",
                                                        "Shares in treasury", "Accumulated deficit"])]
    assert all(ok is True for _, ok in across(st))


def test_a_subtotal_whose_heading_does_not_say_so_is_not_added_twice() -> None:
    """"Attributable to owners of the parent" sums the reserves before it, as every line shows: it is a subtotal,
    and total equity adds it and the non-controlling interests, not the reserves a second time."""
    st = equity(["Share capital", "Retained earnings", "Attributable to owners of the parent",
                 "Non-controlling interests", "Total equity"],
                [("At 1 April 2021", [100, 500, 600, 50, 650]),
                 ("Profit for the year", [None, 80, 80, 5, 85]),
                 ("Dividends", [None, -30, -30, -2, -32]),
                 ("At 31 March 2022", [100, 550, 650, 53, 703])])
    assert sums(st) == [("Attributable to owners of the parent", ["Share capital", "Retained earnings"]),
                        ("Total equity", ["Attributable to owners of the parent", "Non-controlling interests"])]
    assert all(ok is True for _, ok in across(st))


def test_preferred_interests_totalled_before_equity_stay_outside_it() -> None:
    """Redeemable preferred units, totalled in columns of their own before the equity columns, are not equity: the
    stockholders' total (headed without "total") adds the equity columns alone, and total equity adds it and the
    non-controlling interests."""
    st = equity(["Preferred units", "Preferred value", "Total preferred interests", "Common stock value",
                 "Additional paid-in capital", "Accumulated deficit", "Stockholders' equity",
                 "Non-controlling interests", "Total equity"],
                [("Balance, December 31, 2021", [5_000, 300, 300, 10, 700, -600, 110, None, 110]),
                 ("Change in redemption value", [None, 40, 40, None, -10, -30, -40, None, -40]),
                 ("Net loss", [None, None, None, None, None, -50, -50, -2, -52]),
                 ("Stock-based compensation", [None, None, None, None, 25, None, 25, None, 25]),
                 ("Conversion of preferred units", [-5_000, -340, -340, 1, 339, None, 340, None, 340]),
                 ("Balance, December 31, 2022", [None, None, None, 11, 1_054, -680, 385, -2, 383])])
    assert sums(st) == [
        ("Total preferred interests", ["Preferred value"]),
        ("Stockholders' equity", ["Common stock value", "Additional paid-in capital", "Accumulated deficit"]),
        ("Total equity", ["Stockholders' equity", "Non-controlling interests"]),
    ]
    assert all(ok is True for _, ok in across(st))


def test_a_memorandum_column_of_comprehensive_income_is_no_subtotal() -> None:
    """A "Comprehensive income" column sums the components on the lines of profit and other comprehensive income,
    but prints no balance: it is a memorandum, neither a subtotal nor a part of the total."""
    st = equity(["Share capital", "Accumulated other comprehensive loss", "Retained earnings", "Comprehensive income",
                 "Non-controlling interest", "Total"],
                [("Balance as of January 1, 2022", [400, -20, 900, None, 30, 1_310]),
                 ("Profit", [None, None, 100, 100, 5, 105]),
                 ("Foreign currency translation adjustments", [None, -10, None, -10, -2, -12]),
                 ("Unrealized loss on derivatives", [None, -4, None, -4, None, -4]),
                 ("Change in pension plan assets", [None, 3, None, 3, None, 3]),
                 ("Comprehensive income", [None, None, None, 89, None, None]),
                 ("Exercise of options", [6, None, None, None, None, 6]),
                 ("Balance as of December 31, 2022", [406, -31, 1_000, None, 33, 1_408])])
    assert sums(st) == [("Total", ["Share capital", "Accumulated other comprehensive loss", "Retained earnings",
                                   "Non-controlling interest"])]
    assert all(ok is True for _, ok in across(st))


def test_a_last_column_headed_without_total_is_the_total() -> None:
    st = equity(["Called up share capital", "Profit and loss account", "Shareholders' funds"],
                [("At 1 October 2021", [1_000, 4_000, 5_000]), ("Profit for the year", [None, 700, 700]),
                 ("At 30 September 2022", [1_000, 4_700, 5_700])])
    assert sums(st) == [("Shareholders' funds", ["Called up share capital", "Profit and loss account"])]


def test_a_misread_figure_fails_its_line_and_is_doubtful() -> None:
    """The other lines decide the reading; the closing balance whose paid-in capital reads 5,570 for 5,520 fails
    against the stockholders' total, red, and the line is shown doubtful; total equity still adds up."""
    columns, rows = US
    closing = list(rows[-1][1])
    closing[2] = 5_570
    st = equity(columns, [*rows[:-1], (rows[-1][0], closing)])
    failed = [line for line, ok in across(st) if ok is False]
    assert failed == ["Balance at December 31, 2022"]
    assert sum(ok is True for _, ok in across(st)) == 11
    run_checks(st)
    assert st.items[-1].confidence < 1.0 and st.items[0].confidence == 1.0


def test_a_line_in_the_total_column_alone_is_not_read_across() -> None:
    """"Total comprehensive income" printed only in the total column sums the lines above it, down that column."""
    columns, rows = UK
    rows = [*rows[:2], ("Total comprehensive income", [None, None, None, None, -333]), *rows[2:]]
    assert "Total comprehensive income" not in dict(across(equity(columns, rows)))


def test_an_unread_figure_leaves_its_line_not_verified() -> None:
    columns, rows = UK
    st = equity(columns, rows)
    item = st.items[2]
    key = st.periods[1].key
    item.values.pop(key)
    item.raw[key] = "1,5S8"
    checks = dict(across(st))
    assert checks["Issue of shares"] is None and checks["At 31 December 2022"] is True


def test_periods_as_columns_are_not_read_across() -> None:
    """A statement of changes in equity laid out by year (its components down the page) is read down."""
    st = equity(["2022", "2021", "2020"], [("Balance at beginning of year", [90, 80, 70]),
                                           ("Net income", [10, 10, 10]), ("Balance at end of year", [100, 90, 80])],
                years=True)
    assert sums(st) == [] and across(st) == []


def test_one_line_adding_up_is_no_reading() -> None:
    """Columns that add up on a single line by chance, and on no other, decide nothing: no check, no failure."""
    st = equity(["Share capital", "Other reserves", "Retained earnings", "Total"],
                [("At 1 January 2022", [100, 20, 30, 150]), ("Profit", [None, 7, 40, 52]),
                 ("Dividends", [None, 3, -10, -9]), ("At 31 December 2022", [100, 30, 60, 193])])
    assert sums(st) == [] and across(st) == []


# --------------------------------------------------------------------------- read from generated pages


def _page(headings: list[tuple[str, ...]], lines: list[tuple[str, list[str]]], *, title: str, pitch: float = 70.0,
          start: float = 250.0, first_label: tuple[str, ...] = ()) -> bytes:
    """One statement of changes in equity: each column's heading a word group a line, stacked flush right over its
    figures (the first column's right edge at `start` + `pitch`); the first line's label printed as the lines
    `first_label` when given, its figures on the last."""
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    rights = [start + pitch * (n + 1) for n in range(len(headings))]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=landscape(A4), invariant=True)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(40, 560, title)
    c.setFont("Helvetica", 8)
    for words, right in zip(headings, rights, strict=True):
        for n, word in enumerate(words):
            c.drawRightString(right, 520 - 10 * (n + 4 - len(words)), word)
    y = 470.0
    for n, (label, figures) in enumerate(lines):
        if n == 0 and first_label:
            for text in first_label[:-1]:
                c.drawString(40, y, text)
                y -= 10
            label = first_label[-1]
        c.drawString(40, y, label)
        for figure, right in zip(figures, rights, strict=True):
            c.drawRightString(right, y, figure)
        y -= 13
    c.showPage()
    c.save()
    return buf.getvalue()


def _uk_lines(cap: int, nil: str) -> list[tuple[str, list[str]]]:
    return [("At 1 April 2021", [f"{cap:,}", "81,644", "(12,053)", f"{cap + 81_644 - 12_053:,}"]),
            ("Profit for the year", [nil, nil, "34,458", "34,458"]),
            ("Dividends paid", [nil, nil, "(3,000)", "(3,000)"]),
            ("Issue of shares", [nil, "1,100", nil, "1,100"]),
            ("At 31 March 2022", [f"{cap:,}", "82,744", "19,405", f"{cap + 82_744 + 19_405:,}"])]


@pytest.mark.parametrize("cap", [4, 12, 1])
@pytest.mark.parametrize("nil", ["–", "-", "—"])
@pytest.mark.parametrize(("first_heading", "cased"), [
    (("Issued", "share capital", "(note 24)", "£'000"), str), (("Called up", "share", "capital", "£'000"), str.upper),
    (("Share", "capital", "£"), str.title),
])
def test_a_first_column_of_small_figures_between_dashes_is_an_amount(cap: int, nil: str, first_heading, cased
                                                                     ) -> None:
    """A share capital of a few thousand pounds, printed on the balance lines with dashes on the movements, looks
    like a column of note references beside bigger figures; but a line with no note leaves the Notes column blank.
    It is the first component, and every line adds up across."""
    unit = first_heading[-1]
    headings = [first_heading, ("Share", "premium", unit), ("Retained", "earnings", unit), ("Total", unit)]
    pdf = _page(headings, _uk_lines(cap, nil), title=cased("Consolidated statement of changes in equity"))
    st = statement(pdf, StatementType.EQUITY)
    assert len(st.periods) == 4, [p.label for p in st.periods]
    assert line_values(st, "At 31 March 2022")[0] == cap
    across_checks = [c for c in st.checks if c.name == "equity_columns_add_up"]
    assert len(across_checks) == 5 and all(c.ok is True for c in across_checks)


US_HEADINGS = [("Shares", "outstanding"), ("Common", "stock"), ("Additional", "paid-in", "capital"),
               ("Accumulated", "deficit"), ("Accumulated", "other", "comprehensive", "loss"),
               ("Total", "stockholders'", "equity")]


def _us_lines(movements: int, nil: str) -> list[tuple[str, list[str]]]:
    """A balance, `movements` share issues, one other comprehensive loss, a balance: the other comprehensive loss
    column prints two figures (the opening balance, the loss) and dashes on every other line."""
    lines = [("Balance at December 31, 2021", ["32,951,329", "3", "185,588", "(122,057)", "17", "63,551"])]
    capital, shares = 185_588, 32_951_329
    for n in range(movements):
        capital += 100 + n
        shares += 1_000
        lines.append((f"Issuance of common stock, tranche {n + 1}", ["1,000", nil, f"{100 + n:,}", nil, nil,
                                                                     f"{100 + n:,}"]))
    lines.append(("Other comprehensive loss", [nil, nil, nil, nil, "(17)", "(17)"]))
    lines.append(("Balance at December 31, 2022", [f"{shares:,}", "3", f"{capital:,}", "(122,057)", nil,
                                                   f"{3 + capital - 122_057:,}"]))
    return lines


@pytest.mark.parametrize("movements", [8, 14, 20])
@pytest.mark.parametrize("nil", ["—", "-"])
@pytest.mark.parametrize("pitch", [62.0, 80.0])
def test_a_component_with_two_figures_and_dashes_elsewhere_is_a_column(movements: int, nil: str, pitch: float
                                                                       ) -> None:
    """Two figures among twenty lines would be too few for a column of amounts; the dashes on the other lines are
    its entries (nil), so it is one: its figures are read, and each line's total adds up with them."""
    pdf = _page(US_HEADINGS, _us_lines(movements, nil), title="CONSOLIDATED STATEMENTS OF STOCKHOLDERS' EQUITY",
                pitch=pitch)
    st = statement(pdf, StatementType.EQUITY)
    assert [p.label for p in st.periods][4] == "Accumulated other comprehensive loss"
    assert line_values(st, "Other comprehensive loss")[4] == -17
    across_checks = [c for c in st.checks if c.name == "equity_columns_add_up"]
    assert len(across_checks) == movements + 3 and all(c.ok is True for c in across_checks)


@pytest.mark.parametrize("first_label", [("Balance,", "December 31,", "2021"), ("Balance at", "31 December 2021"),
                                         ("Balance,", "December 31, 2021")])
@pytest.mark.parametrize("pitch", [58.0, 66.0])
def test_the_first_lines_label_wrapped_above_its_figures_names_no_column(first_label: tuple[str, ...], pitch: float
                                                                         ) -> None:
    """"Balance," / "December 31," / "2021 ..." at the labels' edge, above the first figures, in a narrow label
    column of a wide statement: the first line's label, not words of the columns' headings."""
    lines = [(label if n == 0 else f"Issue {n}", figures) for n, (label, figures) in enumerate(_us_lines(6, "—"))]
    pdf = _page(US_HEADINGS, lines, title="CONSOLIDATED STATEMENTS OF STOCKHOLDERS' EQUITY", pitch=pitch,
                start=90.0 - pitch + 50.0, first_label=first_label)
    st = statement(pdf, StatementType.EQUITY)
    assert [p.label for p in st.periods] == [" ".join(words) for words in US_HEADINGS]
