# Local indicators of a kabupaten/kota; included by tatanan/urls.py (namespace "tatanan").
from django.urls import path

from . import views_local

urlpatterns = [
    path("<int:award_year>/", views_local.local_list, name="local_list"),
    path("<int:award_year>/<int:pk>/", views_local.local_edit, name="local_edit"),
    path("<int:award_year>/<int:pk>/hapus/", views_local.local_delete, name="local_delete"),
]
