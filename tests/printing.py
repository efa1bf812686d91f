"""Print a workbook as LibreOffice would (to PDF) and measure the pages: paper, text size, sheet, header."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

A4_POINTS = (595, 842)
FOOTER_BAND = 45  # points at the bottom of a page that hold the footer


@dataclass
class Page:
    """One printed page."""

    number: int
    width: float
    height: float
    sheet: str  # from the footer (the sheet name, left)
    lines: list[str]  # text lines from the top, footer excluded
    smallest: float  # the smallest text on the page, footer included (points)
    smallest_body: float  # the smallest text above the footer

    @property
    def is_a4(self) -> bool:
        return sorted((round(self.width), round(self.height))) == list(A4_POINTS)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (CI installs libreoffice-calc)")
    return found


def to_pdf(workbooks: list[Path], outdir: Path) -> list[Path]:
    """Convert ``workbooks`` to PDF with one headless LibreOffice run (its own profile, so it can run
    beside another LibreOffice)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profile").resolve().as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, workbooks)], check=True, capture_output=True, timeout=300)
    pdfs = [outdir / f"{w.stem}.pdf" for w in workbooks]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return pdfs


def pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf``, measured."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for i, p in enumerate(doc.pages, start=1):
            body = p.crop((0, 0, p.width, p.height - FOOTER_BAND))
            foot = p.crop((0, p.height - FOOTER_BAND, p.width, p.height))
            footer = (foot.extract_text() or "").strip()
            sheet = footer.rsplit(" Page ", 1)[0].strip() if " Page " in footer else ""
            sizes = [c["size"] for c in p.chars]
            body_sizes = [c["size"] for c in body.chars]
            out.append(Page(i, float(p.width), float(p.height), sheet,
                            [line for line in (body.extract_text() or "").split("\n") if line.strip()],
                            min(sizes, default=99.0), min(body_sizes, default=99.0)))
    return out
