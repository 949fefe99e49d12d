from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .forms import QueuedPasswordResetForm
from .selectors import can_manage_users, opds_manageable_by, users_manageable_by


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm


@login_required
def user_list(request):
    if not can_manage_users(request.user):
        raise Http404
    return render(request, "accounts/user_list.html", {"users": users_manageable_by(request.user)})


@login_required
def opd_list(request):
    if not can_manage_users(request.user):
        raise Http404
    return render(request, "accounts/opd_list.html", {"opds": opds_manageable_by(request.user)})
