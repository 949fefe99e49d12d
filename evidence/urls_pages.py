"""Pages of activities, uploads, galleries and completeness (filled by the UI work)."""

urlpatterns: list = []
