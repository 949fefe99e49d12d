"""The photos of a chapter: their print copies, made where the photo pipeline has not yet.

Print copies (≤ 800 px JPEGs, named by kabupaten and SHA-256) are made by the photo task when a
photo is uploaded (``evidence.print_copies``). A photo uploaded before that has none: the chapter
task makes it here, once, before WeasyPrint runs (docs/PERFORMANCE.md, "Dossier compile"); the
name is content-addressed, so a copy is never made twice.
"""

from __future__ import annotations

from evidence.print_copies import print_copy_ensure


def print_copies_ensure(photos: list[dict]) -> int:
    """Make the print copies of the photos of a chapter's data (``evidence_item`` dicts) that are
    missing; a photo whose copy cannot be made loses its ``print`` name (shown as not available).
    Returns how many copies were made or found."""
    ready = 0
    for photo in photos:
        if not photo.get("print"):
            continue
        if print_copy_ensure(preview=photo.get("preview", ""), name=photo["print"]):
            ready += 1
        else:
            photo["print"] = ""
    return ready
