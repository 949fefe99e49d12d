from django.urls import include, path

from . import views

app_name = "tatanan"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("impor/", views.instrument_upload, name="instrument_upload"),
    path("lokal/", include("tatanan.urls_local")),
    path("<int:award_year>/", views.cycle_detail, name="cycle_detail"),
    path("<int:award_year>/kelembagaan/", views.kelembagaan, name="kelembagaan"),
    path("<int:award_year>/<slug:code>/", views.tatanan_detail, name="tatanan_detail"),
]
