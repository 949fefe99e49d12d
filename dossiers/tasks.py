"""Celery tasks of a dossier compile: one per chapter, then the merge (see ``services``).

Tasks take primary keys and call services. ``acks_late`` with ``reject_on_worker_lost``: a task
whose worker is killed is delivered again and completes, and every step is idempotent. A task that
fails for good marks its version failed (freeing the assessment for the next compile) and re-raises.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

# Database hiccups (a locked SQLite file, a dropped PostgreSQL connection) are worth a retry.
TRANSIENT = (OperationalError, InterfaceError)
OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "max_retries": 3,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
}


@shared_task(**OPTIONS)
def render_chapter(version_id: int, key: str) -> int | None:
    """Render (or reuse) chapter ``key`` of a version; returns the ChapterRender id."""
    try:
        return services.version_chapter_render(version_id=version_id, key=key)
    except TRANSIENT:
        raise
    except Exception as exc:
        services.version_fail(version_id=version_id, error=f"{key}: {exc}")
        raise


@shared_task(**OPTIONS)
def merge_version(version_id: int) -> str:
    """Merge a version's chapters into its sealed PDF; returns the PDF's SHA-256."""
    try:
        return services.version_merge(version_id=version_id).sha256
    except TRANSIENT:
        raise
    except Exception as exc:
        services.version_fail(version_id=version_id, error=str(exc))
        raise


@shared_task(soft_time_limit=120, time_limit=180)
def resume_stale_compiles() -> dict:
    """Periodic: send again the compiles whose worker died (see ``services.stale_compiles_resume``)."""
    return services.stale_compiles_resume()
