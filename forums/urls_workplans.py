"""URLs of the work plans (rencana kerja); filled in by the work-plan issue."""

urlpatterns: list = []
