"""Photos of a report: checked, turned upright, resized and stripped of every EXIF field.

Only the stripped copy is stored (a case document), so nothing shown anywhere carries the phone's
metadata. The GPS position in the original's EXIF, if any, is returned so the form can offer it as
the report's location.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
MAX_PIXELS = 50_000_000  # a decompression bomb beyond this is refused
GPS_IFD = 0x8825


@dataclass(frozen=True)
class Photo:
    file: ContentFile  # the stripped JPEG, named
    width: int
    height: int
    gps: tuple[float, float] | None  # (lat, lon) from the original's EXIF


def _rational(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        numerator, denominator = value
        return float(numerator) / float(denominator)


def _degrees(dms: Any, ref: str) -> float:
    degrees, minutes, seconds = (_rational(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if ref in ("S", "W") else value


def exif_gps(image: Image.Image) -> tuple[float, float] | None:
    """(lat, lon) from the EXIF GPS block, or None when there is none or it is unreadable."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = _degrees(gps[2], str(gps.get(1, "N")))
        lon = _degrees(gps[4], str(gps.get(3, "E")))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lat, 7), round(lon, 7)


def prepare_photo(upload: Any) -> Photo:
    """Read an uploaded photo; refuse anything that is not an image, or too large, with a Dutch
    message, before anything is written."""
    name = getattr(upload, "name", "") or "foto"
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > settings.BALIE_REPORTS_PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photos": _("De foto %(name)s is te groot (meer dan %(mb)d MB).")
                % {"name": name, "mb": settings.BALIE_REPORTS_PHOTO_MAX_BYTES // (1024 * 1024)}
            }
        )
    upload.seek(0)
    data = upload.read()
    not_an_image = ValidationError(
        {"photos": _("%(name)s is geen foto (JPEG, PNG of WebP).") % {"name": name}}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise not_an_image
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    {"photos": _("De foto %(name)s heeft te veel pixels.") % {"name": name}}
                )
            gps = exif_gps(image)
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    except Image.DecompressionBombWarning:
        raise ValidationError(
            {"photos": _("De foto %(name)s heeft te veel pixels.") % {"name": name}}
        ) from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    side = settings.BALIE_REPORTS_PHOTO_MAX_SIDE
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh image carries no EXIF, ICC or comment: only the pixels are written.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    stem = name.rsplit(".", 1)[0][:80] or "foto"
    return Photo(
        file=ContentFile(out.getvalue(), name=f"{stem}.jpg"), width=clean.width, height=clean.height, gps=gps
    )


def thumbnail(data: bytes, *, side: int = 480) -> bytes:
    """A small JPEG of a stored photo (already upright and stripped) for a page of thumbnails;
    a phone need not load the full photo to show it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()
