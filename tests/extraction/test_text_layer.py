"""Text layers drawn one glyph per text object: PDFium breaks a line after every character, and words are
rebuilt from the glyphs' spacing (a real filing in ../shared/corpus; skipped on a fresh clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsheet import StatementType, extract
from finsheet.extraction.pdf import open_pdf, page_texts, read_page

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdfs"
BCB = CORPUS / "BCB_BANCORP_2022_10K.pdf"

pytestmark = pytest.mark.skipif(not BCB.is_file(), reason="../shared/corpus is not here")


def test_letters_drawn_one_by_one_join_into_words() -> None:
    """'L o a n s ,  i n c l u d i n g  f e e s' drawn glyph by glyph reads 'Loans, including fees', and its
    figure '123,577' is one figure."""
    with open_pdf(BCB) as doc:
        page = read_page(doc, 36)
    texts = [w.text for w in page.words]
    assert "Loans," in texts and "including" in texts and "123,577" in texts
    assert sum(len(t) == 1 for t in texts) < 0.2 * len(texts)


def test_the_plain_text_of_such_a_page_finds_its_title_and_figures() -> None:
    """The fast plain-text pass reads the same page as lines of words, so the statement is found."""
    with open_pdf(BCB) as doc:
        text = page_texts(doc)[36]
    assert "Consolidated Statements of Operations" in " ".join(text.split())
    assert "123,577" in text


def test_the_consolidated_income_statement_is_read() -> None:
    """The consolidated statement of operations is found on its page, beside the parent company's."""
    doc = extract(BCB)
    consolidated = [s for s in doc.statements if s.type == StatementType.INCOME and 37 in s.pages]
    assert len(consolidated) == 1
    loans = next(i for i in consolidated[0].items if i.label == "Loans, including fees")
    assert list(loans.values.values()) == [123577.0, 107660.0]
