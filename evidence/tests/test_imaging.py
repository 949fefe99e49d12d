"""A truncated photo stays broken even after WeasyPrint turned Pillow's lenient mode on."""

import io

import weasyprint  # noqa: F401  - importing it sets ImageFile.LOAD_TRUNCATED_IMAGES = True
from PIL import Image, ImageFile

from evidence.photos import BrokenImage, derive


def _truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()[:900]


def test_weasyprint_leaves_pillow_lenient_and_derive_is_strict_anyway():
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True

    try:
        derive(io.BytesIO(_truncated_jpeg()))
    except BrokenImage:
        pass
    else:
        raise AssertionError("a truncated JPEG must not make copies")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint
