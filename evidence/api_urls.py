"""API routes of activities and evidence (filled by the API work)."""

urlpatterns: list = []
