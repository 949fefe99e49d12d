"""The real Celery worker: password reset mail goes through it and the link works."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_password_reset_mail_is_delivered_by_the_worker(client, sari, celery_worker):
    mail_dir = celery_worker["mail_dir"]
    response = client.post("/akun/kata-sandi/reset/", {"email": "sari@example.org"})
    assert response.status_code == 302

    import time

    # Other mail (a dossier reminder of the worker's own) may land in the same folder: look for ours.
    deadline = time.monotonic() + 30
    body = ""
    while time.monotonic() < deadline and not body:
        for path in mail_dir.glob("*.log"):
            text = path.read_text()
            if "To: sari@example.org" in text:
                body = text
        time.sleep(0.2)
    assert body, "the worker did not deliver the reset e-mail"
    assert "To: sari@example.org" in body
    link = re.search(r"http://testserver(/akun/kata-sandi/reset/[^/\s]+/[^/\s]+/)", body).group(1)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"new_password1": "Baru-sekali-2025", "new_password2": "Baru-sekali-2025"})
    assert response.status_code == 302
    # Through the login page: django-axes needs the request that Client.login() does not pass.
    response = client.post("/akun/masuk/", {"username": "sari", "password": "Baru-sekali-2025"})
    assert response.status_code == 302
