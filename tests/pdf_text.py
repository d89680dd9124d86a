"""The text of a PDF, for tests, as poppler's pdftotext reads it (in the order it is drawn)."""

import subprocess
import tempfile
from pathlib import Path


def pdf_text(content: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True, text=True).stdout
