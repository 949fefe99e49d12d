from django.urls import include, path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

app_name = "tatanan"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("impor/", views.instrument_upload, name="instrument_upload"),
    path("siklus-baru/", views.cycle_next, name="cycle_next"),
    path("lokal/", include("tatanan.urls_local")),
    path("<year:award_year>/", views.cycle_detail, name="cycle_detail"),
    path("<year:award_year>/kelembagaan/", views.kelembagaan, name="kelembagaan"),
    path("<year:award_year>/syarat-bukti/", views.requirements_review_page, name="requirements_review"),
    path("<year:award_year>/<slug:code>/", views.tatanan_detail, name="tatanan_detail"),
]
