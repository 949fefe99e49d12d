from django.urls import include, path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.home, name="home"),
    path("lembaga/", views.body_list_view, name="body_list"),
    path("lembaga/bentuk/", views.body_bulk_setup_view, name="body_bulk_setup"),
    path("lembaga/<int:pk>/", views.body_detail, name="body_detail"),
    path("lembaga/<int:pk>/sk/", views.decree_list, name="decree_list"),
    path("lembaga/<int:pk>/sk/<int:decree_pk>/berkas/", views.decree_file, name="decree_file"),
    path("lembaga/<int:pk>/anggota/tambah/", views.member_add, name="member_add"),
    path("lembaga/<int:pk>/anggota/impor/", views.member_import_view, name="member_import"),
    path("lembaga/<int:pk>/anggota/impor/contoh/", views.member_import_template_view, name="member_import_template"),
    path("lembaga/<int:pk>/anggota/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("lembaga/<int:pk>/anggota/<int:member_pk>/aktif/", views.member_toggle_active, name="member_toggle_active"),
    path("lembaga/<int:pk>/sekretariat/", views.secretariat_edit, name="secretariat_edit"),
    path("lembaga/<int:pk>/sekretariat/papan-nama/", views.name_board_photo, name="name_board_photo"),
    path("lembaga/<int:pk>/sekretariat/struktur/", views.org_chart_photo, name="org_chart_photo"),
    path("", include("forums.urls_workplans")),
    path("", include("forums.urls_kelembagaan")),
]
