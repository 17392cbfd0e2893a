"""Printed figures, scale and currency: the parser's tricky tokens, one table each."""

from __future__ import annotations

import pytest

from finsheet.extraction.numbers import (
    dollar_currency,
    figures_currency,
    find_currency,
    find_scale,
    parse_figure,
    uses_decimal_comma,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234.0),
        ("(1,234)", -1234.0),
        ("-1,234", -1234.0),
        ("\u20131,234", -1234.0),  # en dash glued to the digits
        ("\u2212 1,234", -1234.0),  # minus sign, then a space
        ("$1,234", 1234.0),
        ("$(1,234)", -1234.0),
        ("(1,234.5)", -1234.5),
        ("10,989.0", 10989.0),
        ("287,943.41", 287943.41),
        ("0.19p", 0.19),
        ("12.5%", 12.5),
        ("(0.1%)", -0.1),
        ("\u2014", 0.0),  # em dash nil
        ("-", 0.0),
        ("\u2013", 0.0),
        ("nil", 0.0),
        ("7", 7.0),
    ],
)
def test_parse_figure_reads_printed_forms(text: str, value: float) -> None:
    """Parentheses, dashes and minus signs are negatives; a lone dash is nil; currency and % are dropped."""
    figure = parse_figure(text)
    assert figure is not None
    assert figure.value == pytest.approx(value)
    assert figure.raw == text


@pytest.mark.parametrize("text", ["Revenue", "B2", "(2", "1,23", "12,34,567", "2019-06-30", "abc123", ""])
def test_parse_figure_rejects_text(text: str) -> None:
    """Labels, note references, broken tokens and dates are not figures."""
    assert parse_figure(text) is None


@pytest.mark.parametrize(("text", "value"), [("1.234,5", 1234.5), ("(12.345,67)", -12345.67), ("0,5", 0.5)])
def test_decimal_comma_only_where_the_document_uses_it(text: str, value: float) -> None:
    """With the continental convention, 1.234,5 is 1234.5; without it the same token is not a figure."""
    figure = parse_figure(text, decimal_comma=True)
    assert figure is not None and figure.value == pytest.approx(value)
    assert parse_figure(text) is None or parse_figure(text).value != pytest.approx(value)  # type: ignore[union-attr]


def test_convention_is_decided_by_the_documents_own_figures() -> None:
    """A page of 1.234,56 figures is continental; a page of 1,234.56 figures is not."""
    assert uses_decimal_comma(["1.234,56", "12.345,00", "(3.210,10)", "7,50"])
    assert not uses_decimal_comma(["1,234.56", "12,345", "(3,210)", "7.50"])


@pytest.mark.parametrize(
    ("heading", "scale"),
    [
        ("(in thousands, except per share data)", 1000),
        ("(amounts in millions, except per share data)", 1_000_000),
        ("$ and shares in millions, except per share amounts", 1_000_000),
        ("£000\u2019s", 1000),
        ("CHF 000", 1000),
        ("$\u2019m", 1_000_000),
        ("$'m", 1_000_000),
        ("\u20acm", 1_000_000),
        ("\u00a5 million", 1_000_000),
        ("USD thousands", 1000),
        ("(In billions)", 1_000_000_000),
        ("December 31, 2023", None),
        ("Note", None),
    ],
)
def test_find_scale(heading: str, scale: int | None) -> None:
    """Every common way of printing the unit gives its multiplier; a date or a bare heading gives none."""
    assert find_scale(heading) == scale


@pytest.mark.parametrize(
    ("raws", "scanned", "currency"),
    [
        (["£2,250,909", "1,570,601", "£2,843,038"], False, "GBP"),  # two figures print one sign
        (["£2,250,909", "$92,129", "£2,843,038"], True, "GBP"),  # on a scan, a "$" read once is a misread 5
        (["£2,250,909", "$92,129", "£2,843,038"], False, None),  # a text layer prints what it means: two signs
        (["£2,250,909", "$92,129", "$2,843,038"], True, None),  # two "$" are no misreading: the signs disagree
        (["£2,250,909", "$92,129"], True, None),  # one sign of each: nothing says which
        (["$92,129", "$2,843,038"], True, "USD"),
    ],
)
def test_the_figures_own_signs_name_the_currency(raws: list[str], scanned: bool, currency: str | None) -> None:
    assert figures_currency(raws, scanned=scanned) == currency


@pytest.mark.parametrize(
    ("heading", "dollar", "currency"),
    [
        ("£000's", "USD", "GBP"),
        ("CHF 000", "USD", "CHF"),
        ("CHF000", "USD", "CHF"),
        ("\u20acm", "USD", "EUR"),
        ("$'m", "AUD", "AUD"),
        ("$ in millions", "USD", "USD"),
        ("in thousands of US$", "AUD", "USD"),
        ("(in thousands)", "USD", None),
        ("(in thousands of U.S. dollars)", "AUD", "USD"),
        ("in millions of euros", "USD", "EUR"),
    ],
)
def test_find_currency(heading: str, dollar: str, currency: str | None) -> None:
    """ISO codes and symbols name the currency; a bare "$" means the document's own dollar."""
    assert find_currency(heading, dollar=dollar) == currency


def test_dollar_is_the_documents_country() -> None:
    """An Australian report's "$" is AUD; a 10-K's is USD; nothing said means USD."""
    australian = ["Downer EDI Limited ABN 97 003 872 848", "operations in Australia and New Zealand"] * 3
    assert dollar_currency(australian) == "AUD"
    assert dollar_currency(["Form 10-K", "Securities and Exchange Commission", "United States"]) == "USD"
    assert dollar_currency(["nothing about countries"]) == "USD"


def test_a_country_counts_only_as_a_word_of_its_own() -> None:
    """The countries' names count where a word starts, as at the text's start; inside another word they are not
    named ("TASX", "MegaCanada")."""
    assert dollar_currency(["Canadian operations; TSX listed; Canada"]) == "CAD"
    assert dollar_currency(["TASX KTSX MegaCanada_Canada"] * 3) == "USD"


@pytest.mark.parametrize(("token", "fixed"), [("1O8", "108"), ("4,5l2", "4,512"), ("(52,6l4,808)", "(52,614,808)"),
                                              ("Total", "Total"), ("SO", "SO"), ("IS", "IS")])
def test_ocr_letters_in_figures_become_digits(token: str, fixed: str) -> None:
    """OCR's O-for-0 and l-for-1 inside figures are repaired; words are left alone."""
    from finsheet.extraction.ocr import _fix_ocr_digits

    assert _fix_ocr_digits(token) == fixed


def test_a_scan_that_lost_its_opening_parenthesis_is_still_negative() -> None:
    """"1,234)" is read as -1,234."""
    figure = parse_figure("1,234)")
    assert figure is not None and figure.value == -1234


@pytest.mark.parametrize("text", ["00030177", "06005142", "0123", "£'000", "£000", "$000", "€'000", "£°000",
                                  "£7000", "$7000", "€*000", '£"000'])
def test_reference_numbers_and_unit_tokens_are_not_figures(text: str) -> None:
    """An amount never starts with a zero (a company number does) and "£'000" is a column's unit, not nought,
    also as OCR reads its apostrophe ("£7000", "£°000")."""
    assert parse_figure(text) is None


@pytest.mark.parametrize(("text", "value"), [("0", 0.0), ("0.5", 0.5), ("(0.19)", -0.19), ("£7,000", 7000.0),
                                                ("7000", 7000.0), ("$17000", 17000.0)])
def test_zero_led_decimals_and_currency_amounts_are_still_figures(text: str, value: float) -> None:
    """The leading-zero rule spares "0" and "0.5"; a grouped amount with its currency is still an amount."""
    figure = parse_figure(text)
    assert figure is not None and figure.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("heading", "scale"),
    [("2016 £7000", 1000), ("£°000 £'000", 1000), ("Notes 2016 f000", 1000), ("2023 em 2022 em", 1_000_000),
     ("£rn", 1_000_000), ("2023 £m", 1_000_000), ("€m", 1_000_000), ("$ million", 1_000_000),
     ("(in millions, except per share)", 1_000_000), ("2016 2015 £ £", None), ("the firm", None),
     ("Item 7", None)],
)
def test_find_scale_reads_a_scans_unit_headings(heading: str, scale: int | None) -> None:
    """OCR's readings of "£'000" and "£m" in a heading are units; words that merely contain them are not."""
    assert find_scale(heading) == scale


@pytest.mark.parametrize(
    ("texts", "scale"),
    [(["The financial statements are presented in sterling, rounded to the nearest thousand."], 1000),
     (["All amounts are stated in £'000 unless otherwise indicated"], 1000),
     (["Figures are presented in millions of euros."], 1_000_000),
     (["(In thousands, except per share data)"], 1000),
     (["THE ACCOUNTS ARE PRESENTED IN\nMILLIONS OF EUROS"], 1_000_000),
     (["Amounts are in Thousands"], 1000),
     (["We serve thousands of customers in millions of homes."], None),
     (["(in millions)", "amounts are rounded to the nearest thousand"], None),
     ([], None)],
)
def test_prose_scale_only_from_explicit_phrases(texts: list[str], scale: int | None) -> None:
    """The prose names the unit only in set phrases; two different units named is no answer."""
    from finsheet.extraction.numbers import prose_scale

    assert prose_scale(texts) == scale


@pytest.mark.parametrize(
    ("others", "prose", "scale"),
    [([1000, None], None, 1000), ([None], 1_000_000, 1_000_000), ([1000], 1000, 1000),
     ([1000, 1_000_000], None, None), ([1000], 1_000_000, None), ([], None, None), ([None, None], None, None)],
)
def test_infer_scale_is_unknown_unless_the_document_agrees(others: list[int | None], prose: int | None,
                                                           scale: int | None) -> None:
    """An unread scale comes from the other statements and the prose where they agree, else stays unknown (None),
    never a silent 1."""
    from finsheet.extraction.numbers import infer_scale

    assert infer_scale(others, prose) == scale


@pytest.mark.parametrize(
    ("word", "clean"),
    [("|", ""), ("[", ""), ("]|", ""), (";", ""), ("°", ""), ("'", ""), ("=", ""), ("[OPERATING", "OPERATING"),
     ("|NET", "NET"), ("-|", "-"), ("78,948!", "78,948"), ("40,727,", "40,727"), ("0:", "0"), ("1]", "11"),
     ("—", "—"), ("-", "-"), ("(", "("), ("$", "$"), ("£", "£"), ("%", "%"), ("(3)", "(3)"), ("Total", "Total"),
     ("4,5l2", "4,512"), ("\u201c$8,240", "$8,240"), ("\u201858,311\u2019", "58,311"), ("'000", "'000"),
     ("-_", "-"), ("_—", "—"), ("_", ""), ("__", ""), ("(.165,069)", "(165,069)"), (",1,234.5", "1,234.5"),
     ("$'12,000", "$12,000"), (".165", ".165"), ("(.5)", "(.5)"), ("$.16", "$.16"), ("$__", "$"), ("_$", "$"),
     ("£_", "£"), ("1,772_", "1,772"), ("__(16,891)", "(16,891)"), ("net_", "net")],
)
def test_ocr_words_lose_rules_and_specks(word: str, clean: str) -> None:
    """A ruled table's rules and a scan's specks are no characters; nil dashes, brackets and currencies stay (an
    underscore beside a dash is the dash's stroke read twice: "-_" is a nil, at any word's edge a piece of the rule
    under it; a point before a figure grouped by commas is a speck, before a bare decimal it is the decimal's)."""
    from finsheet.extraction.ocr import clean_ocr_word

    assert clean_ocr_word(word) == clean


@pytest.mark.parametrize(
    ("heading", "scale"),
    [("Notes 2016 2015\n£ £", None), ("2023 2022\nUSD USD", None), ("2016 £'000", 1000), ("$ in thousands", 1000),
     ("(In U.S. dollars)", 1), ("Notes 2016 2015", None), ("For the year ended 31 March 2016", None)],
)
def test_stated_scale_reads_multipliers_and_currencies_in_words_and_nothing_else(heading: str,
                                                                                 scale: int | None) -> None:
    """A multiplier or a currency named in words states a scale; columns headed only "£" are a currency heading
    (whole units unless the document says otherwise: the pipeline decides); no unit at all is unknown."""
    from finsheet.extraction.numbers import currency_heading, stated_scale

    assert stated_scale(heading) == scale
    if scale is None:
        assert currency_heading(heading) == heading.endswith(("£ £", "USD USD"))


@pytest.mark.parametrize("printed", ["$-", "$ —", "£–", "US$-", "$nil"])
def test_a_nil_printed_with_its_currency_sign_is_nil(printed: str) -> None:
    """First and total rows print their currency sign: "$-" is a nil there, not text (a row of "$(0.36) $(0.02) $-"
    lost its figures and ran into the next line)."""
    from finsheet.extraction.numbers import parse_figure

    figure = parse_figure(printed)
    assert figure is not None and figure.value == 0.0 and figure.raw == printed
    assert parse_figure("$") is None and parse_figure("U-") is None


@pytest.mark.parametrize(("heading", "scale"), [
    ("S t a t e m e n t  o f  C o m p r e h e n s i v e  I n c o m e", None),
    ("C O N S O L I D A T E D S T A T E M E N T S O F I N C O M E", None),
    ("G r o u p  B a l a n c e  S h e e t\n£m £m", 1_000_000),
    ("e m", 1_000_000),  # OCR's "£m" standing alone
])
def test_a_title_in_spaced_letters_states_no_unit(heading: str, scale: int | None) -> None:
    """"S t a t e m e n t" holds "e m", OCR's reading of "£m": letters a space apart spell a word, not a unit."""
    from finsheet.extraction.numbers import find_scale

    assert find_scale(heading) == scale
