"""Opening PDFs: what is not a readable PDF, and encrypted ones."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from ankify.errors import SourceError
from ankify.sources.pdf.document import open_pdf

from ...pdf_fixtures import chapter_book, corrupt_bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "no such file: check the path"),
        (b"", "is empty, not a PDF: download or export it again"),
        (b"Q: not a PDF\n", "is not a PDF (it does not start with %PDF-): check the file"),
        (corrupt_bytes(), "is damaged and cannot be read: download or export the PDF again"),
    ],
)
def test_files_that_are_not_readable_pdfs(tmp_path: Path, data: bytes | None, message: str):
    path = tmp_path / "dlbook.pdf"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(SourceError) as error:
        open_pdf(path)
    assert str(error.value) == f"{path}: {message}"


def test_an_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    path = chapter_book().save(
        tmp_path / "locked.pdf",
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="open sesame",
        owner_pw="owner",
    )
    with pytest.raises(SourceError, match=r"needs a password$") as error:
        open_pdf(path)
    assert error.value.option == "password"
    with pytest.raises(SourceError, match=r"the password is wrong: check it$"):
        open_pdf(path, password="sesame")
    with open_pdf(path, password="open sesame") as doc:
        assert doc.page_count == 8
