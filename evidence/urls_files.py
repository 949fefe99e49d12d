"""Scoped downloads of evidence files (filled by the downloads work)."""

urlpatterns: list = []
