"""Pages where Bappeda admins (and the superuser) manage the users and OPDs of their kabupaten."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

app_name = "accounts"
urlpatterns = [
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<id:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<id:pk>/ubah/", views.user_edit, name="user_edit"),
    path("pengguna/<id:pk>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<id:pk>/aktifkan/", views.user_activate, name="user_activate"),
    path("pengguna/<id:pk>/buka-kunci/", views.user_unlock, name="user_unlock"),
    path("pengguna/<id:pk>/kirim-email-kata-sandi/", views.user_password_email, name="user_password_email"),
    path("pengguna/<id:pk>/peran/tambah/", views.role_add, name="role_add"),
    path("pengguna/<id:pk>/peran/<id:role_pk>/hapus/", views.role_remove, name="role_remove"),
    path("opd/", views.opd_list, name="opd_list"),
    path("opd/baru/", views.opd_create, name="opd_create"),
    path("opd/<id:pk>/ubah/", views.opd_edit, name="opd_edit"),
]
