"""Tesseract's TSV for a batch of images: each word is placed with its own image's scale."""

import pytest

from finsheet.extraction.ocr import _words_from_tsv


def _row(page: int, left: int, top: int, width: int, height: int, conf: float, text: str) -> str:
    return "\t".join(str(c) for c in (5, page, 1, 1, 1, 1, left, top, width, height, conf, text))


def test_each_image_of_a_batch_is_placed_with_its_own_scale() -> None:
    tsv = "\n".join([
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
        _row(1, 300, 600, 200, 50, 96.0, "Revenue"),
        "1\t2\t0\t0\t0\t0\t0\t0\t1240\t1754\t-1\t",
        _row(2, 300, 600, 200, 50, 91.0, "1,234"),
        _row(2, 10, 10, 5, 40, 20.0, "|"),  # a ruling line: no word
        _row(3, 1, 1, 1, 1, 90.0, "stray"),  # no image 3 in this batch
    ])
    pages = _words_from_tsv(tsv, [72 / 300, 72 / 150])
    assert sorted(pages) == [1, 2]
    (revenue,) = pages[1]
    (amount,) = pages[2]
    assert (revenue.text, revenue.x0, revenue.top, revenue.x1) == ("Revenue", 72.0, 144.0, 120.0)
    assert (amount.text, amount.x0, amount.top, amount.x1) == ("1,234", 144.0, 288.0, 240.0)
    assert abs(amount.conf - 0.91) < 1e-9


def _line(*texts: str, conf: float = 85.0) -> str:
    """One line of a heading read from a 300-dpi image, a word every 150 pixels."""
    return "\n".join(_row(1, 600 + 150 * i, 400, 120, 40, conf, text) for i, text in enumerate(texts))


def _read(*texts: str, conf: float = 85.0) -> list[str]:
    return [w.text for w in _words_from_tsv(_line(*texts, conf=conf), [72 / 300])[1]]


@pytest.mark.parametrize(("misread", "month"), [
    ("Sepi.ember", "September"), ("Jecember", "December"), ("Dccember", "December"), ("DECEMEER", "DECEMBER"),
    ("Novomber", "November"), ("Octobcr", "October"), ("Janury", "January"), ("Febmary", "February"),
    ("Septembcr", "September")])
@pytest.mark.parametrize("order", ["month day, year", "day month year"])
def test_a_month_misread_by_a_letter_or_two_is_read_as_that_month_in_a_date(misread: str, month: str,
                                                                          order: str) -> None:
    """A column heading's month that OCR misread leaves the column undated and the heading read as a line of
    figures; beside a day and a year nothing but a month can stand."""
    if order == "month day, year":
        assert _read("September", "30", "2024", misread, "30", "2023") == [
            "September", "30", "2024", month, "30", "2023"]
    else:
        assert _read("31", misread, "2022") == ["31", month, "2022"]


@pytest.mark.parametrize("texts", [
    ("Sepi.ember", "revenue", "2023"),  # no day beside it
    ("Sepi.ember", "30", "Inc."),  # no year after the day
    ("Nocember", "30", "2023"),  # as close to November as to December: left as read
    ("Members", "30", "2023"),  # no month that close
    ("Total", "30", "2023"),
    ("September", "30", "2023"),  # read right
])
def test_words_that_are_no_misread_month_of_a_date_are_left_as_read(texts: tuple[str, ...]) -> None:
    assert _read(*texts) == list(texts)


def test_a_date_split_over_two_lines_is_no_date() -> None:
    tsv = "\n".join([_row(1, 600, 400, 120, 40, 85.0, "Jecember"), _row(1, 750, 400, 40, 40, 85.0, "31"),
                     _row(1, 100, 700, 80, 40, 85.0, "2022")])
    assert [w.text for w in _words_from_tsv(tsv, [72 / 300])[1]] == ["Jecember", "31", "2022"]
