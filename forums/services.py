"""Writes on bodies (Tim Pembina, Forum, Pokja): bulk setup, SK, members, secretariat.

Views and (later) the API call these with the body they already fetched through
``forums.selectors.body_to_edit``, which is where editing rights are checked; ``body_bulk_setup``
checks its own, since it acts on a whole kabupaten.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import require_kabupaten_admin
from accounts.models import User
from kks_portal.lib.files.checks import check_file
from kks_portal.lib.files.errors import UploadRefused
from kks_portal.lib.files.types import FileType
from regions.models import Region, kabupaten_code_of
from tatanan.models import Cycle, Tatanan

from .models import Body, Decree, Member, Secretariat

logger = logging.getLogger(__name__)


# --- Bulk setup ---------------------------------------------------------------------------------


def body_bulk_setup(*, kabupaten: Region, actor: User) -> dict[str, int]:
    """Create the Tim Pembina and Forum of ``kabupaten``, the Tim Pembina and Forum Kecamatan Sehat
    of each of its kecamatan and the Pokja of each desa/kelurahan, from the region table.

    Idempotent: bodies that exist are left alone. Returns the number created per kind, plus
    ``"existing"`` (already there) and ``"created"`` (total new). Only the Bappeda admin of the
    kabupaten (or a superuser) may run it.
    """
    if kabupaten.level != Region.Level.KABKOTA:
        raise ValidationError(_("Pembentukan lembaga massal hanya untuk kabupaten/kota."))
    require_kabupaten_admin(actor, kabupaten.code)
    below = Region.objects.filter(code__startswith=kabupaten.code + ".")
    wanted: list[tuple[str, Region]] = [
        (Body.Kind.TIM_PEMBINA_KABKOTA, kabupaten),
        (Body.Kind.FORUM_KABKOTA, kabupaten),
    ]
    for kecamatan in below.filter(level=Region.Level.KECAMATAN).order_by("code"):
        wanted.append((Body.Kind.TIM_PEMBINA_KECAMATAN, kecamatan))
        wanted.append((Body.Kind.FORUM_KECAMATAN, kecamatan))
    for desa in below.filter(level=Region.Level.DESA).order_by("code"):
        wanted.append((Body.Kind.POKJA_DESA, desa))

    existing = set(
        Body.objects.filter(region__code__startswith=kabupaten.code + ".").values_list("kind", "region_id")
    ) | set(Body.objects.filter(region=kabupaten).values_list("kind", "region_id"))
    new = [
        Body(kind=kind, region=region, name=Body.default_name(kind=kind, region=region))
        for kind, region in wanted
        if (kind, region.code) not in existing
    ]
    with transaction.atomic():
        # ignore_conflicts: two admins pressing the button at once must not fail on the unique key.
        Body.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    counts = dict.fromkeys(Body.Kind.values, 0)
    for body in new:
        counts[body.kind] += 1
    counts["created"] = len(new)
    counts["existing"] = len(wanted) - len(new)
    logger.info("body_bulk_setup %s by %s: %d created", kabupaten.code, actor.pk, len(new))
    return counts


# --- SK -----------------------------------------------------------------------------------------


def decree_add(
    *,
    body: Body,
    actor: User,
    number: str,
    date: datetime.date,
    signer: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    file=None,
) -> Decree:
    """Record a new SK of ``body``; the SK that was current stays as history, no longer current."""
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai berlaku.")})
    if file is not None and not hasattr(file, "url"):
        decree_file_validate(file)
    with transaction.atomic():
        # Lock the body so that two SKs added at once cannot both end up current.
        Body.objects.select_for_update().get(pk=body.pk)
        body.decrees.filter(is_current=True).update(is_current=False)
        decree = Decree(
            body=body,
            number=number.strip(),
            date=date,
            signer=signer.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            is_current=True,
            created_by=actor,
        )
        if file is not None:
            decree.file = file
        decree.save()
    return decree


# --- Members ------------------------------------------------------------------------------------


MEMBER_FIELDS = ("name", "position", "origin", "phone", "email", "order")


def member_create(*, body: Body, actor: User, tatanan=(), **fields) -> Member:
    member = Member(body=body, **{k: v for k, v in fields.items() if k in MEMBER_FIELDS})
    member.full_clean(exclude=["body"])
    member.save()
    member.tatanan.set(tatanan)
    return member


def member_update(*, member: Member, actor: User, tatanan=None, **fields) -> Member:
    for key, value in fields.items():
        if key in MEMBER_FIELDS:
            setattr(member, key, value)
    member.full_clean(exclude=["body"])
    member.save()
    if tatanan is not None:
        member.tatanan.set(tatanan)
    return member


def member_set_active(*, member: Member, actor: User, active: bool) -> Member:
    """Deactivate (or reactivate) a member: a member who left stays on record, not deleted."""
    member.active = active
    member.save(update_fields=["active"])
    return member


# --- Secretariat --------------------------------------------------------------------------------

PHOTO_MAX_BYTES = 10 * 1024 * 1024


SK_TYPES = frozenset({FileType.PDF, FileType.JPEG, FileType.PNG, FileType.WEBP})
PHOTO_TYPES = frozenset({FileType.JPEG, FileType.PNG, FileType.WEBP})
SK_MAX_BYTES = 20 * 1024 * 1024


def _checked(file, *, types: frozenset[str], max_bytes: int, too_large: str, wrong_type: str) -> None:
    """The file by the refusal rules every upload follows (``kks_portal.lib.files.checks.check_file``: name,
    size, type by content, polyglots, bombs, broken files), as a form error. An oversize file gets
    ``too_large`` and a type outside ``types`` gets ``wrong_type`` (``%(name)s``: the file's name);
    the others the check's own message."""
    try:
        check_file(file, types=types, max_bytes=max_bytes)
    except UploadRefused as refused:
        if refused.code == "too_large":
            raise ValidationError(too_large, code=refused.code) from refused
        if refused.code == "unsupported_type":
            name = getattr(file, "name", "") or ""
            raise ValidationError(wrong_type % {"name": name}, code=refused.code) from refused
        raise ValidationError(refused.message, code=refused.code) from refused


def photo_validate(file) -> None:
    """A JPG, PNG or WebP image (by content) of at most 10 MB, refused by the rules of every upload
    (web forms and the API alike)."""
    _checked(
        file,
        types=PHOTO_TYPES,
        max_bytes=PHOTO_MAX_BYTES,
        too_large=_("Ukuran foto %(size).1f MB melebihi batas 10 MB. Kecilkan foto lalu unggah lagi.")
        % {"size": file.size / (1024 * 1024)},
        wrong_type=_("Berkas “%(name)s” bukan foto yang dapat dibaca. Unggah foto berformat JPG, PNG atau WebP."),
    )


def decree_scan_validate(file) -> None:
    """An SK scan: a PDF or a photo (by content) of at most 20 MB, refused by the rules of every
    upload (the form's field check; ``decree_add`` calls it through ``decree_file_validate``)."""
    _checked(
        file,
        types=SK_TYPES,
        max_bytes=SK_MAX_BYTES,
        too_large=_("Berkas SK melebihi batas 20 MB."),
        wrong_type=_("Berkas SK “%(name)s” harus berupa PDF atau foto (JPG, PNG, WebP)."),
    )


def decree_file_validate(file) -> None:
    """``decree_scan_validate`` with its errors on the ``file`` field (what ``decree_add`` raises)."""
    try:
        decree_scan_validate(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


SECRETARIAT_FIELDS = ("address", "room", "has_name_board", "notes")
SECRETARIAT_PHOTOS = ("name_board_photo", "org_chart_photo")


def secretariat_update(*, body: Body, actor: User, **fields) -> Secretariat:
    """Create or update the secretariat of ``body``. A photo field given a file replaces the old
    photo (the old file is deleted from storage); given ``False`` it is cleared; absent, kept."""
    secretariat, _created = Secretariat.objects.get_or_create(body=body)
    for key in SECRETARIAT_FIELDS:
        if key in fields:
            setattr(secretariat, key, fields[key])
    old_files = []
    for key in SECRETARIAT_PHOTOS:
        if key not in fields or fields[key] is None:
            continue
        new = fields[key]
        old = getattr(secretariat, key)
        if old:
            old_files.append((old.storage, old.name))
        if new is False:
            setattr(secretariat, key, None)
        else:
            photo_validate(new)
            setattr(secretariat, key, new)
    secretariat.save()
    # Delete replaced files only once the row points at the new ones.
    for storage, name in old_files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return secretariat


# --- Member import ------------------------------------------------------------------------------


def tatanan_for_members() -> list[Tatanan]:
    """The tatanan a member may coordinate: those of the set of the newest cycle (the 2023 set
    when no cycle exists yet)."""
    cycle = Cycle.objects.order_by("-award_year").first()
    if cycle is not None:
        return list(Tatanan.objects.filter(tatanan_set=cycle.tatanan_set_id).order_by("number"))
    return list(Tatanan.objects.filter(tatanan_set__code="2023").order_by("number"))


# --- Names ---------------------------------------------------------------------------------------


def body_rename(*, body: Body, actor: User, name: str) -> Body:
    """Give ``body`` the name its SK uses ("Forum Komunikasi Kota Sehat Cilegon"); an empty name
    puts the default back. The Bappeda admin of the body's kabupaten/kota (or a superuser) only."""
    require_kabupaten_admin(actor, kabupaten_code_of(body.region_id))
    name = " ".join((name or "").split())
    if len(name) > 200:
        raise ValidationError({"name": _("Nama paling banyak 200 karakter.")})
    body.name = name or Body.default_name(kind=body.kind, region=body.region)
    body.save(update_fields=["name"])
    return body
