"""Pages where Bappeda admins (and the superuser) manage the users and OPDs of their kabupaten."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("pengguna/", views.user_list, name="user_list"),
    path("opd/", views.opd_list, name="opd_list"),
]
