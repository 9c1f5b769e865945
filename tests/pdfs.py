"""Small PDFs made on the fly for the PDF-reading tests (no binary fixtures in the repo)."""

from __future__ import annotations

import io
from pathlib import Path

__all__ = ["text_pdf", "write_encrypted_pdf"]


def text_pdf(text: str = "Qais al-Khazali in Basra") -> bytes:
    """Return the bytes of a one-page PDF whose text layer holds ``text``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with PdfPages(buf) as pdf:
        fig = plt.figure(figsize=(4, 4))
        fig.text(0.1, 0.5, text)
        pdf.savefig(fig)
        plt.close(fig)
    return buf.getvalue()


def write_encrypted_pdf(path: Path) -> None:
    """Write a password-protected copy of :func:`text_pdf` to ``path``."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(text_pdf()))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as fh:
        writer.write(fh)
