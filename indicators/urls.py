from django.urls import include, path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

app_name = "indicators"

# Each feature keeps its own URL and view module so they grow independently.
urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("<id:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<id:pk>/isian/<id:entry_pk>/", views.entry_edit, name="entry_edit"),
    path("", include("indicators.requests.urls")),
    path("", include("indicators.excel.urls")),
    path("", include("indicators.fieldwork.urls")),
    path("", include("indicators.innovations.urls")),
]
