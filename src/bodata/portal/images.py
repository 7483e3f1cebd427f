"""Recognising the images tenants and staff upload: by their first bytes, and decoded where Pillow can."""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png", "PNG"),
    (b"GIF87a", "image/gif", ".gif", "GIF"),
    (b"GIF89a", "image/gif", ".gif", "GIF"),
    (b"BM", "image/bmp", ".bmp", "BMP"),
    (b"II*\x00", "image/tiff", ".tif", "TIFF"),
    (b"MM\x00*", "image/tiff", ".tif", "TIFF"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
ACCEPTED = "JPEG, PNG, GIF, WebP, HEIC, AVIF, BMP or TIFF"


def image_type(data: bytes) -> tuple[str, str] | None:
    """The MIME type and extension (``.jpg``) of an image; None for anything else.

    Formats Pillow reads must also decode as what their first bytes claim (a PDF renamed ``.jpg`` or a truncated
    header is refused); HEIC and AVIF, which Pillow cannot read, are recognised by their ``ftyp`` brand.
    """
    found = next(((mime, ext, fmt) for magic, mime, ext, fmt in _SIGNATURES if data.startswith(magic)), None)
    if found is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = ("image/webp", ".webp", "WEBP")
    if found is None and data[4:8] == b"ftyp":
        if data[8:12] == b"avif":
            return "image/avif", ".avif"
        return ("image/heic", ".heic") if data[8:12] in _HEIF_BRANDS else None
    if found is None:
        return None
    mime_type, extension, pillow_format = found
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != pillow_format:
                return None
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return mime_type, extension
