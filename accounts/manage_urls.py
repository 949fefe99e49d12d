"""Pages where Bappeda admins (and the superuser) manage the users and OPDs of their kabupaten."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/ubah/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.user_activate, name="user_activate"),
    path("pengguna/<int:pk>/kirim-email-kata-sandi/", views.user_password_email, name="user_password_email"),
    path("pengguna/<int:pk>/peran/tambah/", views.role_add, name="role_add"),
    path("pengguna/<int:pk>/peran/<int:role_pk>/hapus/", views.role_remove, name="role_remove"),
    path("opd/", views.opd_list, name="opd_list"),
    path("opd/baru/", views.opd_create, name="opd_create"),
    path("opd/<int:pk>/ubah/", views.opd_edit, name="opd_edit"),
]
