from celery import shared_task
from django.core import management
from django.core.mail import EmailMultiAlternatives


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(*, subject: str, body: str, to: list[str], html: str | None = None, from_email: str | None = None):
    """Deliver one e-mail through Django's configured backend, off the request cycle."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task
def clear_expired_sessions():
    management.call_command("clearsessions")
