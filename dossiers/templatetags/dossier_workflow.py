"""The workflow panel of the dossier page: ``{% load dossier_workflow %}{% workflow_panel assessment %}``.

Shows the status, the history timeline, the berita acara, and the actions of the person looking:
Bappeda sees the submission checklist and the submit button, verifiers the way to the review.

Also the filters ``entry_box`` and ``reply_box`` of the review page's comment boxes (below)."""

from django import template

from dossiers.models import Dossier
from dossiers.workflow.forms import SubmitForm
from dossiers.workflow.selectors import berita_acara_of, events_of, threads_of
from dossiers.workflow.services import (
    Action,
    allowed_actions,
    correction_open_now,
    is_kabupaten_admin,
    is_participant,
    submission_checklist,
)

register = template.Library()


@register.inclusion_tag("dossiers/workflow/_panel.html", takes_context=True)
def workflow_panel(context, assessment):
    user = context["request"].user
    if not is_participant(user, assessment):
        return {"visible": False}
    dossier = (
        Dossier.objects.select_related("submitted_version", "status_changed_by").filter(assessment=assessment).first()
    )
    actions = allowed_actions(user, dossier, assessment)
    can_submit = bool(actions & {Action.SUBMIT, Action.SUBMIT_CORRECTION})
    show_checklist = is_kabupaten_admin(user, assessment) and (
        can_submit or (dossier is None or dossier.status == Dossier.Status.DRAFT)
    )
    return {
        "visible": True,
        "request": context["request"],
        "assessment": assessment,
        "dossier": dossier,
        "status": dossier.status if dossier else Dossier.Status.DRAFT,
        "status_label": dossier.get_status_display() if dossier else Dossier.Status.DRAFT.label,
        "events": events_of(dossier) if dossier else [],
        "berita_acara": berita_acara_of(dossier) if dossier else [],
        "actions": actions,
        "can_submit": can_submit,
        "checklist": submission_checklist(assessment) if show_checklist else None,
        "submit_form": SubmitForm(),
        "correction_open": bool(dossier and correction_open_now(dossier)),
        "thread_count": threads_of(dossier).count if dossier else 0,
        "csrf_token": context.get("csrf_token"),
    }


# The comment boxes of a tatanan tab where the verifier scores (``TabComments``): what was typed in
# one box and its error, e.g. ``{% with box=comments|entry_box:entry.pk %}{{ box.text }}{% endwith %}``.


@register.filter
def entry_box(comments, entry_id) -> dict:
    return comments.box(f"entry-{entry_id}") if comments else {"text": "", "error": ""}


@register.filter
def reply_box(comments, comment_id) -> dict:
    return comments.box(f"reply-{comment_id}") if comments else {"text": "", "error": ""}
