"""Pillow settings our image checks rely on, whatever other libraries changed.

WeasyPrint (loaded by the dossier renderer in the same worker) sets Pillow's process-wide
``ImageFile.LOAD_TRUNCATED_IMAGES = True`` when it is imported, which would make a truncated photo
decode "successfully" with grey padding. Evidence checks and the photo task decode inside
``strict_decoding()`` so that a truncated image stays an error.
"""

from __future__ import annotations

from contextlib import contextmanager

from PIL import ImageFile


@contextmanager
def strict_decoding():
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
