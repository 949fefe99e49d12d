"""A truncated photo stays broken even after WeasyPrint turned Pillow's lenient mode on."""

import io

import pytest
import weasyprint  # noqa: F401  - importing it sets ImageFile.LOAD_TRUNCATED_IMAGES = True
from PIL import Image, ImageFile

from evidence.photos import BrokenImage, derive


def _truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()[:900]


def test_weasyprint_leaves_pillow_lenient_and_derive_is_strict_anyway():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True

    with pytest.raises(BrokenImage):
        derive(io.BytesIO(_truncated_jpeg()))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint
