from celery import shared_task


@shared_task
def ping():
    """Round trip through broker, worker and result backend (used by health checks and tests)."""
    return "pong"
