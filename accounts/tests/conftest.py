import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """MD5 instead of PBKDF2 for the personas and logins of these tests: the hashing itself is
    Django's to test, and a million PBKDF2 rounds per persona make the suite crawl."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
