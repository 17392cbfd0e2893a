"""A scanned line printing a currency sign on some of its figures and none on others is shown as doubtful
(`doubt.doubt_lone_signs`): the sign may be a 5 OCR read as "$". A scanned figure read with one bracket of its two is
shown as doubtful (`doubt.doubt_half_brackets`): the other went into its first digit. A text layer's line, and a
line consistent in its signs and brackets, are left as read."""

from __future__ import annotations

import pytest

from finsheet.extraction.doubt import doubt_half_brackets, doubt_lone_signs
from finsheet.model import LOW_CONFIDENCE, LineItem


def _line(*printed: str, page: int = 1) -> LineItem:
    keys = [f"20{23 - i}-12-31" for i in range(len(printed))]
    values = {k: None if p == "\u2014" else float(p.strip("$£€()").replace(",", "")) for k, p in
              zip(keys, printed, strict=True)}
    return LineItem(label="Deferred income taxes", page=page, box=(0.0, 0.0, 1.0, 1.0), confidence=0.95,
                    values=values, raw=dict(zip(keys, printed, strict=True)))


@pytest.mark.parametrize("printed", [("50,412", "$2,929"), ("$2,929", "50,412"), ("(1,062)", "£2,511", "3,004"),
                                     ("$(5,511)", "4,417")])
def test_a_sign_on_some_of_a_scanned_lines_figures_makes_it_doubtful(printed: tuple[str, ...]) -> None:
    line = _line(*printed)
    doubt_lone_signs([line], scanned_pages={1})
    assert line.confidence < LOW_CONFIDENCE


@pytest.mark.parametrize("printed", [("$50,412", "$52,929"), ("50,412", "52,929"), ("$1,204", "\u2014"),
                                     ("$1,204",)])
def test_a_line_consistent_in_its_signs_is_left_as_read(printed: tuple[str, ...]) -> None:
    line = _line(*printed)
    doubt_lone_signs([line], scanned_pages={1})
    assert line.confidence == 0.95


def test_a_text_layers_line_is_left_as_read() -> None:
    """A text layer prints what the statement prints: a sign on one figure of a line is no misreading there."""
    line = _line("50,412", "$2,929", page=2)
    doubt_lone_signs([line], scanned_pages={1})
    assert line.confidence == 0.95


@pytest.mark.parametrize("printed", [("6,883,682)", "(13,305,382)"), ("(5,883,682", "(13,305,382)"),
                                     ("$ 1,204)", "\u2014"), ("(1,062))",)])
def test_a_scanned_figure_with_one_bracket_makes_its_line_doubtful(printed: tuple[str, ...]) -> None:
    line = _line(*printed)
    doubt_half_brackets([line], scanned_pages={1})
    assert line.confidence < LOW_CONFIDENCE


@pytest.mark.parametrize("printed", [("(5,883,682)", "(13,305,382)"), ("1,204", "(15)"), ("$(5,511)", "\u2014")])
def test_a_line_whose_figures_print_both_brackets_or_none_is_left_as_read(printed: tuple[str, ...]) -> None:
    line = _line(*printed)
    doubt_half_brackets([line], scanned_pages={1})
    assert line.confidence == 0.95


def test_a_text_layers_half_bracket_is_left_as_read() -> None:
    """A text layer prints what the page prints: a bracket it lacks is the page's layout, not a misreading."""
    line = _line("6,883,682)", page=2)
    doubt_half_brackets([line], scanned_pages={1})
    assert line.confidence == 0.95
