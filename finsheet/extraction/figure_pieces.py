"""A line's figures assembled from the pieces they are printed or read in: digits grouped by spaces ("947 398"),
split at a separator ("1 , 462"), a sign or bracket set apart ("( 25,776)", "$ 1,234"), and the separators OCR lost
or ran together ("(1,629" "146)", "$1" "407,146.48", "€1169" "781"). Two pieces are one figure only where they
stand a figure space apart, never as far as the next column."""

from __future__ import annotations

import math
import re

from finsheet.extraction import numbers
from finsheet.extraction.numbers import Figure, parse_figure
from finsheet.model import Word

_DASHES = ("-", "–", "—", "−")

SIGN_GAP = 0.6
"""The widest gap between a minus sign and its digits, as a share of the line's height: a word space (0.25 to 0.35
em) and a little. Columns stand an em or more apart, so a nil dash before the next column's figure is further."""

SET_AGAINST = 0.1
"""A gap this small (a share of the line's height), or an overlap, sets a dash against the word after it: it is that
word's sign or a smudge OCR boxed beside it, never a nil of its own (a nil stands apart in its column)."""


_NIL_GLUED = re.compile(r"([-–—−])([$£€¥])")
"""A nil run into the next column's currency symbol ("—$" before "56,173,977"), where a text layer set no space."""


def _unglued(word: Word) -> tuple[Word, Word]:
    """A nil and the currency symbol run into it, as two words, split in proportion to their characters."""
    mid = (word.x0 + word.x1) / 2
    return (Word(word.text[0], word.x0, word.top, mid, word.bottom, word.conf),
            Word(word.text[1], mid, word.top, word.x1, word.bottom, word.conf))


def _sign_of(sign: Word, nxt: Word, height: float) -> bool:
    """Whether `sign` belongs to the figure `nxt` starts: an opening parenthesis or a currency symbol standing apart
    from its digits, or a minus sign a word space before them. A dash further off is a nil, and what follows it
    opens the next column ("—  40,443,840"), as anything but digits after a dash does ("—  $ 728", "—  $—"): a
    minus before a currency symbol is set solid with it and its digits, one word ("-$1,234")."""
    gap = nxt.x0 - sign.x1
    if sign.text in _DASHES:
        if gap <= SET_AGAINST * height:
            return True
        return gap <= SIGN_GAP * height and bool(re.match(r"\(?\d", nxt.text))
    if sign.text in ("(", "$", "£", "€", "¥", "($", "$("):
        return gap <= 1.2 * height or _figure_space(sign, nxt, after_sign=True)
    return False


def figure_tokens(line: list[Word], decimal_comma: bool) -> list[tuple[Figure | None, list[Word]]]:
    """A line's words with figures assembled from their printed pieces; (None, [word]) for text."""
    out: list[tuple[Figure | None, list[Word]]] = []
    face = _digit_pitch(line)
    i = 0
    n = len(line)
    while i < n:
        w = line[i]
        if _NIL_GLUED.fullmatch(w.text):
            nil, symbol = _unglued(w)
            out += [(parse_figure(nil.text), [nil]), (None, [symbol])]
            i += 1
            continue
        height = max(w.bottom - w.top, 4.0)
        group = [w]
        j = i + 1

        def near(a: Word, b: Word, factor: float = 0.45, height: float = height) -> bool:
            return b.x0 - a.x1 <= factor * height

        while j < n and _sign_of(group[-1], line[j], height):
            group.append(line[j])
            j += 1
        text = "".join(g.text for g in group)
        # digits grouped with spaces ("947 398"), or split around a separator ("1 , 462", "0 .19p"); a table sets
        # its groups a figure space apart (a digit's width), wider than a word space in some faces
        while j < n and (near(group[-1], line[j]) or _figure_space(group[-1], line[j], face=face)):
            first_lost = _first_comma_lost(text, group[-1], line[j], decimal_comma)
            space_lost = len(group) == 1 and _first_space_lost(text, group[-1], line[j])
            if not (first_lost or space_lost or _continues_number(text, line[j].text, decimal_comma)):
                break
            group.append(line[j])
            if space_lost:
                text = f"{text[:-3]} {text[-3:]} {line[j].text}"
            elif not line[j].text[0].isdigit() or text[-1] in ",.":
                text += line[j].text
            else:  # a figure grouped by commas lost one where OCR broke it ("(1,629 146)", "$1 407,146.48"): the
                # group's separator
                lost = first_lost or (_COMMA_GROUPED.fullmatch(_digits_of(text)) and not decimal_comma)
                text += ("," if lost else " ") + line[j].text
            j += 1
        if j < n and line[j].text in (")", "%", ")%", "%)") and near(group[-1], line[j]):
            group.append(line[j])
            text += line[j].text
            j += 1
        fig = parse_figure(text.replace(" ", "") if _SPACE_GROUPS.match(text) else text, decimal_comma=decimal_comma)
        if fig is None and len(group) > 1:
            if w.text in _DASHES and group[1].text.startswith("("):
                i += 1  # a dash against a figure in brackets, which carries its own sign: a mark OCR read off a rule
                continue
            # what followed the word made no figure with it: the word stands on its own
            group, j = [w], i + 1
            fig = parse_figure(w.text, decimal_comma=decimal_comma)
        if fig is not None and (len(group) > 1 or _figure_like(w.text)):
            out.append((fig, group))
            i = j
        else:
            out.append((None, [w]))
            i += 1
    return out


_SPACE_GROUPS = re.compile(r"^[(\-–—−]?[$£€]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?\)?%?$|.*\d[ ]?[,.][ ]?\d")


FIGURE_SPACE = 0.8
"""The widest gap between two groups of one figure's digits, as a share of the line's height: a figure space (a
digit's width, about 0.5 em, 0.6 em in a typewriter face) and a little; columns stand several em apart."""

FIGURE_SPACE_PITCHES = 1.6
"""The same gap as a share of the digit pitch of the group after it. OCR's boxes are tight round the ink, so its
line height is the digits' own (0.7 em) and its gap takes in both digits' side bearings: a typewriter face's figure
space (0.6 em) measures 0.8 em between the inks, 1.2 to 1.4 pitches. Columns stand several em apart."""

SIGN_SPACE_PITCHES = 2.0
"""The widest gap between a sign or bracket set a space before its digits ("( 25,776)") and them, in digit pitches:
the space, and the sign's own side bearing (a bracket's ink is a third of its cell, 1.6 pitches between the inks in a
typewriter face)."""


def _digit_pitch(line: list[Word]) -> float:
    """The width of a digit on the line: the narrowest pitch among its words of three digits (a figure's group, or
    a small figure). Digits are set at one width in every face, so the narrowest is the face's own; OCR stretches a
    word's box along a rule under a total (three digits boxed 56 points wide), and that box's pitch would take a
    column's gap for a figure space. A word of more digits may be a misreading that crowds an extra one into the
    ink ("7321" for 731), whose pitch is too narrow."""
    return min(((w.x1 - w.x0) / 2.75 for w in line if re.fullmatch(r"\d{3}", w.text)), default=math.inf)


def _figure_space(a: Word, b: Word, *, after_sign: bool = False, face: float = math.inf) -> bool:
    """Whether `b` stands a figure space after `a`, which ends in a digit or, in OCR's words, a comma (OCR broke the
    figure after a separator: "-2," "344,564.83"), or, `after_sign`, is a sign or bracket set a space before its
    digits ("( 25,776)", "$ 1,234"); `face`: the line's digit pitch (`_digit_pitch`)."""
    broken = a.text.endswith(",") and a.conf < 1.0 and b.conf < 1.0  # a text layer prints what it means
    if not (after_sign or a.text[-1:].isdigit() or broken):
        return False
    if after_sign and not re.match(r"\(?\d", b.text):
        return False  # a dash or a word after a sign is no figure's digits (and gives no digit pitch)
    # the last character's ink is about 3/4 of its advance
    pitch = min((b.x1 - b.x0) / max(len(b.text) - 0.25, 1.0), face)
    pitches = SIGN_SPACE_PITCHES if after_sign else FIGURE_SPACE_PITCHES
    return b.x0 - a.x1 <= max(FIGURE_SPACE * max(a.bottom - a.top, 4.0), pitches * pitch)


_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def _digits_of(text: str) -> str:
    return re.sub(r"^[(\-–—−$£€ ]+", "", text)


def _continues_number(text: str, nxt: str, decimal_comma: bool = False) -> bool:
    if not re.search(r"\d$|[,.]$", text):
        return False
    if re.fullmatch(r"[,.]", nxt):
        return True
    if text[-1] in ",.":  # no figure ends on a separator: the rest of it follows ("-2," "449,969.33")
        return bool(re.fullmatch(r"\d+(?:[.,]\d+)*\)?[p%]?", nxt))
    if re.fullmatch(r"[.,]\d+(?:[.,]\d+)*\)?[p%]?", nxt):  # the rest of a figure from a separator on (",522.21")
        return True
    head = _digits_of(text)
    if not decimal_comma and _COMMA_GROUPED.fullmatch(head):  # "(1,629" "146)": OCR dropped the last comma
        return bool(re.fullmatch(r"\d{3}(?:\.\d+)?\)?", nxt))
    return bool(re.fullmatch(r"\d{1,3}(?: \d{3})*", head) and re.fullmatch(r"\d{3}(?:[.,]\d+)?\)?", nxt))


def _first_comma_lost(text: str, last: Word, nxt: Word, decimal_comma: bool) -> bool:
    """Whether OCR broke a figure grouped by commas at its first comma and lost it ("$1" "407,146.48" for
    "$1,407,146.48"): one to three digits, then the rest of the figure from a group of three on, comma-grouped. Only
    in OCR's words: a text layer prints what it means, and two figures that close
    (a note "1" set against "407,146") are two."""
    return (not decimal_comma and last.conf < 1.0 and nxt.conf < 1.0
            and bool(re.fullmatch(r"\d{1,3}", _digits_of(text)))
            and bool(re.fullmatch(r"\d{3}(?:,\d{3})+(?:\.\d+)?\)?", nxt.text)))


def _first_space_lost(text: str, last: Word, nxt: Word) -> bool:
    """Whether OCR ran a figure grouped by spaces together at its first space ("€1169" "781" for "€1 169 781"): four
    to six digits, then a group of three a figure space after them (which no other figure stands so near). Only in
    OCR's words: a text layer prints what it means."""
    return (last.conf < 1.0 and nxt.conf < 1.0 and bool(re.fullmatch(r"[(\-–—−]?[$£€]?\d{4,6}", text))
            and bool(re.fullmatch(r"\d{3}\)?", nxt.text)))


def _figure_like(text: str) -> bool:
    return bool(re.search(r"\d", text)) or numbers.is_nil(text)
