"""Sign-in pages: Django's auth views with our forms and templates (templates/registration/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import forms, views

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=forms.LoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/ganti/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path("kata-sandi/ganti/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("kata-sandi/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("kata-sandi/reset/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("kata-sandi/reset/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
