from django.urls import include, path

from . import views

app_name = "indicators"

# Each feature keeps its own URL and view module so they grow independently.
urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/isian/<int:entry_pk>/", views.entry_edit, name="entry_edit"),
    path("", include("indicators.urls_requests")),
    path("", include("indicators.urls_excel")),
    path("", include("indicators.urls_fieldwork")),
    path("", include("indicators.urls_innovations")),
]
