"""Tesseract's TSV for a batch of images: each word is placed with its own image's scale."""

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
