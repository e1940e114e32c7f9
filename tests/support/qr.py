"""Reading a certificate as a phone would: its QR code decoded by a real decoder (OpenCV's), from
a PNG or from a PDF page rasterised by PDFium (pypdfium2).

OpenCV's classic ``QRCodeDetector`` fails to find the finder patterns of a few valid codes, by
their data pattern (measured: 2 of 800 certificate URLs, each read once segno chose another mask);
its ArUco-based ``QRCodeDetectorAruco`` reads those, as a phone's decoder does. Either decoding
is the code's content: there is nothing to guess.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image


def decode_qr(picture: bytes | Image.Image) -> str:
    """The text of the one QR code in `picture` (PNG bytes or an image); AssertionError if none
    is decoded."""
    image = picture if isinstance(picture, Image.Image) else Image.open(io.BytesIO(picture))
    grey = np.asarray(image.convert("L"))
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, points, _ = detector.detectAndDecode(grey)
        if points is not None and text:
            return str(text)
    raise AssertionError("no QR code decoded")


def pdf_page(pdf: bytes, dpi: float = 150) -> Image.Image:
    """The first page of `pdf`, rasterised at `dpi` by PDFium."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 1, f"{len(document)} pages"
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
