"""The text of a PDF made by reportlab, for tests: its page streams decoded and joined."""

import base64
import re
import zlib


def pdf_text(content: bytes) -> str:
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\s*endstream", content, re.DOTALL):
        data = stream.strip()
        if data.endswith(b"~>"):  # reportlab writes ASCII85 over Flate
            data = base64.a85decode(data[:-2])
        try:
            chunks.append(zlib.decompress(data).decode("latin-1"))
        except zlib.error:
            continue  # an image or font, not text
    return "".join(chunks)
