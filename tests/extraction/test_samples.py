"""The real documents in ../shared/samples (skipped on a fresh clone): every truth value read exactly, on its page."""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from finsheet import Document, extract

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
pytestmark = [
    pytest.mark.samples,
    pytest.mark.skipif(not (SAMPLES / "truth.jsonl").is_file(), reason="../shared/samples is not here"),
]


def truth_rows() -> list[dict]:
    if not (SAMPLES / "truth.jsonl").is_file():
        return []
    return [json.loads(line) for line in (SAMPLES / "truth.jsonl").read_text().splitlines() if line.strip()]


def norm(label: str) -> str:
    label = label.lower().replace("\u2019", "'").replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]+", " ", label)).strip()


@cache
def extracted(name: str) -> Document:
    return extract(SAMPLES / "pdfs" / name)


def files(scanned: bool) -> list[str]:
    return sorted({t["file"] for t in truth_rows() if ("scanned" in t["file"]) == scanned})


@pytest.mark.parametrize("name", files(scanned=False))
def test_text_documents_read_every_truth_value(name: str) -> None:
    """Each truth value of a text-layer sample is on a line with its label, for its period, on its page."""
    misses = _misses(name)
    assert not misses, "\n".join(misses)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
@pytest.mark.parametrize("name", files(scanned=True))
def test_scanned_documents_read_by_ocr(name: str) -> None:
    """Scanned filings with no text layer are OCR'd and read as well as text ones."""
    doc = extracted(name)
    assert doc.ocr_pages
    misses = _misses(name)
    assert len(misses) <= 1, "\n".join(misses)


def _misses(name: str) -> list[str]:
    doc = extracted(name)
    misses = []
    for t in (t for t in truth_rows() if t["file"] == name):
        statements = [s for s in doc.statements if s.type.value == t["statement"] and t["page"] in s.pages]
        found = False
        for st in statements:
            keys = [p.key for p in st.periods if (p.end and p.end.isoformat() == t["period_end"])
                    or (p.end is None and t["period_end"][:4] in p.key)]
            for it in st.items:
                scale = 1 if it.unit in ("per_share", "shares") else st.scale
                if any(it.values.get(k) is not None and abs(it.values[k] * scale - t["value"] * t["scale"])
                       <= 0.005 * t["scale"] for k in keys):
                    if norm(it.label) == norm(t["label"]) or "no label" in t.get("note", "") or norm(
                            t["label"]) in norm(it.label):
                        found = True
        if not found:
            misses.append(f"{t['statement']} p{t['page']} {t['period']!r} {t['label']!r} = {t['value']}")
    return misses


@pytest.mark.parametrize("name", files(scanned=False))
def test_statements_are_checked_and_mostly_foot(name: str) -> None:
    """Every statement found carries checks where the layout allows, and most of those that could be verified pass
    (a check is not verified where the structure cannot be decided)."""
    doc = extracted(name)
    checks = [c for st in doc.statements for c in st.checks]
    assert doc.error is None
    # the identities that could be verified; whether a statement reaches a closing total is not a footing (a
    # nonprofit's cash summary may print none: it is flagged, and that flag is tested in test_checks)
    verified = [c for c in checks if c.ok is not None and c.name != "closing_total_found"]
    assert sum(c.ok is True for c in verified) >= 0.9 * len(verified)


def test_costco_series_reads_the_same_figures_as_the_readme() -> None:
    """The three Costco 10-Ks give the hand-checked revenue and total assets of every year they cover."""
    revenue = {"2017": 129025, "2018": 141576, "2019": 152703, "2020": 166761, "2021": 195929}
    assets = {"2018": 40830, "2019": 45400, "2020": 55556, "2021": 59268}
    paths = [SAMPLES / "series" / "COSTCO_2019_10K.pdf", SAMPLES / "series" / "COSTCO_2020_10K.pdf",
             SAMPLES / "pdfs" / "COSTCO_2021_10K.pdf"]
    seen_revenue: dict[str, float] = {}
    seen_assets: dict[str, float] = {}
    for path in paths:
        doc = extract(path)
        for st in doc.statements:
            for it in st.items:
                for p in st.periods:
                    value = it.values.get(p.key)
                    if value is None or p.end is None:
                        continue
                    year = str(p.end.year if p.end.month > 6 else p.end.year - 1)
                    if st.type.value == "income_statement" and norm(it.label) == "total revenue":
                        seen_revenue[year] = value
                    if st.type.value == "balance_sheet" and norm(it.label) == "total assets":
                        seen_assets[year] = value
    assert seen_revenue == revenue
    assert seen_assets == assets
