"""Celery tasks of the evidence app: photo derivatives and the sweep of dead uploads."""

from celery import shared_task

from .photos import process_blob
from .uploads import sweep_stale_uploads as sweep


@shared_task(acks_late=True)
def process_photo(blob_id: int) -> str:
    """Fix orientation, read EXIF date and GPS, make the thumbnail, the ≤ 1600 px copy and the
    dossier's ≤ 800 px print copy (once)."""
    return process_blob(blob_id)


@shared_task
def sweep_stale_uploads() -> int:
    """Remove pending blobs (and their files) that a dead process left, and stale temp uploads."""
    return sweep()
