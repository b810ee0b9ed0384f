"""Protecting denouncers (Luật Tố cáo 2018 Đ9, Đ47 k1 e, Đ56): sealing the identity of every
denunciation.  (The blind indexes of every matter are ``intake.digests``.)

Sealing moves the real identity — name, identity document, birth date, gender, address, phone,
e-mail, representatives, the attachments' file names and any text in which the redaction below
changed something — into one Fernet token (:class:`~tiepdan.intake.models.ProtectedIdentity`) and
overwrites the plain columns with readable masks.  Every page, API, export, document or message
that reads ``matter.full_name`` or ``matter.phone`` can therefore only ever see the mask.  The
free-text columns (summary, content …) keep the petition, with the exact occurrences of the
denouncer's name, numbers and e-mail replaced by a mask; the original text is in the token.
Attachments are encrypted too (the stored file is a Fernet token).

Reading it back is ``intake.identity.reveal`` (permission-checked, with a reason, audited).
A matter once sealed stays sealed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..digests import citizen_digests
from ..models import Attachment, IdType, Matter, MatterKind, ProtectedIdentity, Representative
from ..search import search_text_for
from . import keys as identity_keys
from .redaction import identity_pattern, redact

log = logging.getLogger(__name__)

#: Masks written into the plain columns of a sealed matter (valid for every column's
#: constraints: lengths, choices, e-mail format).
MASK_NAME = "Người tố cáo (được giữ bí mật)"
MASK_REPRESENTATIVE = "Người đại diện (được giữ bí mật)"
MASK = "(giữ bí mật)"

#: Text columns that may quote the denouncer; redacted when sealing.
TEXT_FIELDS = ("summary", "content", "complained_decision", "complained_by", "prior_agency",
               "online_reason_text", "join_point_detail")

@dataclasses.dataclass(frozen=True)
class RepresentativeIdentity:
    position: int
    full_name: str
    phone: str


@dataclasses.dataclass(frozen=True)
class Identity:
    """The real identity of a petitioner (the attribute names are those of ``Matter``)."""

    full_name: str
    id_type: str
    id_number: str
    id_issue_date: dt.date | None
    id_issue_place: str
    gender: str
    date_of_birth: dt.date | None
    address_province_code: int | None
    address_ward_code: int | None
    address: str
    phone: str
    email: str
    representatives: tuple[RepresentativeIdentity, ...] = ()
    attachment_names: dict[str, str] = dataclasses.field(default_factory=dict)
    original_texts: dict[str, str] = dataclasses.field(default_factory=dict)

    def get_id_type_display(self) -> str:
        return str(IdType(self.id_type).label) if self.id_type in IdType.values else self.id_type

    def pattern(self) -> re.Pattern[str] | None:
        """What to look for in free text to remove this identity."""
        return identity_pattern(
            names=[self.full_name, *(r.full_name for r in self.representatives)],
            numbers=[self.id_number], emails=[self.email],
            phones=[self.phone, *(r.phone for r in self.representatives if r.phone)],
        )

    def to_json(self) -> bytes:
        data = dataclasses.asdict(self)
        for name in ("id_issue_date", "date_of_birth"):
            data[name] = data[name].isoformat() if data[name] else None
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Identity:
        data = json.loads(raw.decode("utf-8"))
        for name in ("id_issue_date", "date_of_birth"):
            data[name] = dt.date.fromisoformat(data[name]) if data[name] else None
        data["representatives"] = tuple(RepresentativeIdentity(**r)
                                        for r in data["representatives"])
        return cls(**data)


def plain_identity(matter: Matter, representatives: Iterable[Representative] | None = None
                   ) -> Identity:
    """The identity of a matter that is not sealed, read from its columns (of a Matter, or of
    the historical Matter of a migration: the same columns)."""
    reps = representatives if representatives is not None else matter.representatives.all()
    return Identity(
        full_name=matter.full_name, id_type=matter.id_type, id_number=matter.id_number,
        id_issue_date=matter.id_issue_date, id_issue_place=matter.id_issue_place,
        gender=matter.gender, date_of_birth=matter.date_of_birth,
        address_province_code=matter.address_province_code,
        address_ward_code=matter.address_ward_code, address=matter.address,
        phone=matter.phone, email=matter.email,
        representatives=tuple(RepresentativeIdentity(r.position, r.full_name, r.phone)
                              for r in reps),
    )


def open_sealed(matter: Matter) -> Identity:
    """Decrypt a sealed identity.  Internal: callers check permissions and audit (see
    ``intake.identity.reveal``)."""
    token = ProtectedIdentity.objects.values_list("ciphertext", flat=True).get(matter=matter)
    return Identity.from_json(identity_keys.decrypt(token.encode("ascii")))


# Blind indexes of sealed matters ------------------------------------------------------------


# ``matter_model`` is Matter or a migration's historical Matter (a class built at run time).
def backfill_digests(matter_model: Any = Matter, batch_size: int = 500) -> int:
    """Fill the digests of every matter from its plain columns or, when sealed, from its
    decrypted identity (used by migration 0003 and ``tiepdan identity rebuild-digests``)."""
    sealed_model = matter_model._meta.get_field("protected_identity").related_model
    done = 0
    for matter in matter_model.objects.order_by("pk").iterator(chunk_size=batch_size):
        id_number, phone = matter.id_number, matter.phone
        if matter.identity_sealed:
            token = sealed_model.objects.values_list("ciphertext", flat=True).get(
                matter_id=matter.pk)
            identity = Identity.from_json(identity_keys.decrypt(token.encode("ascii")))
            id_number, phone = identity.id_number, identity.phone
        id_digest, phone_digest = citizen_digests(id_number, phone)
        if (id_digest, phone_digest) != (matter.id_digest, matter.phone_digest):
            matter_model.objects.filter(pk=matter.pk).update(id_digest=id_digest,
                                                             phone_digest=phone_digest)
        done += 1
    return done


# Sealing ---------------------------------------------------------------------------------------


def protect_identity(matter: Matter) -> bool:
    """Seal the identity of ``matter`` (a denunciation) if it is not sealed yet; idempotent.

    Runs in the caller's transaction (a savepoint of it) and locks the matter row.  Afterwards
    ``matter`` holds the masks.  Returns whether it sealed anything now.
    """
    with transaction.atomic():
        sealed = _seal(matter.pk, Matter, ProtectedIdentity, Representative, Attachment)
    if sealed:
        matter.refresh_from_db()
    return sealed


def protect_if_denunciation(matter: Matter) -> bool:
    return matter.kind == MatterKind.TO_CAO and protect_identity(matter)


def _seal(pk: int, matter_model, sealed_model, representative_model, attachment_model) -> bool:
    """The sealing itself, on model classes given explicitly so that migrations can run it on
    their historical models."""
    matter = matter_model.objects.select_for_update(of=("self",)).get(pk=pk)
    if matter.identity_sealed:
        return False
    reps = list(representative_model.objects.filter(matter_id=pk).order_by("position"))
    attachments = list(attachment_model.objects.filter(matter_id=pk).order_by("pk"))
    identity = plain_identity(matter, reps)
    pattern = identity.pattern()
    redacted = {name: redact(getattr(matter, name), pattern) for name in TEXT_FIELDS}
    identity = dataclasses.replace(
        identity,
        attachment_names={str(a.pk): a.original_name for a in attachments},
        original_texts={name: getattr(matter, name) for name, text in redacted.items()
                        if text != getattr(matter, name)},
    )
    sealed_model.objects.create(
        matter_id=pk, ciphertext=identity_keys.encrypt(identity.to_json()).decode("ascii"),
        key_id=identity_keys.primary_key_id())
    # The search text is rebuilt from the masks: the denouncer is never found by identity.
    search_text = search_text_for(tracking_code=matter.tracking_code, full_name=MASK_NAME,
                                  phone=MASK, summary=redacted["summary"],
                                  content=redacted["content"])
    # (Migration 0004 seals on a historical model that has no search text yet.)
    fields: dict[str, Any] = (
        {"search_text": search_text} if hasattr(matter, "search_text") else {})
    matter_model.objects.filter(pk=pk).update(
        identity_sealed=True, full_name=MASK_NAME, id_number=MASK, id_issue_date=None,
        id_issue_place=MASK if matter.id_issue_place else "", gender="", date_of_birth=None,
        address_province_code=None, address_ward_code=None, address=MASK, phone=MASK,
        email="", **redacted, **fields)
    for rep in reps:
        representative_model.objects.filter(pk=rep.pk).update(
            full_name=MASK_REPRESENTATIVE, phone=MASK if rep.phone else "")
    for number, attachment in enumerate(attachments, start=1):
        _seal_attachment(attachment_model, attachment, number)
    log.info("identity sealed matter=%s", pk)
    return True


def _seal_attachment(attachment_model, attachment, number: int) -> None:
    fields: dict[str, Any] = {"original_name": f"tai-lieu-{number}.{attachment.extension}"}
    if not attachment.encrypted:
        old_name = attachment.file.name
        with attachment.file.open("rb") as handle:
            plain = handle.read()
        attachment.file.save(old_name, ContentFile(identity_keys.encrypt(plain)), save=False)
        fields |= {"file": attachment.file.name, "encrypted": True,
                   "key_id": identity_keys.primary_key_id()}
        # The plain copy goes once the sealed one is committed.
        transaction.on_commit(partial(attachment.file.storage.delete, old_name))
    attachment_model.objects.filter(pk=attachment.pk).update(**fields)


def encrypt_upload(data: bytes) -> tuple[bytes, str]:
    """(stored bytes, key id) of an attachment of a denunciation, encrypted before it is
    written anywhere."""
    return identity_keys.encrypt(data), identity_keys.primary_key_id()


def seal_existing_denunciations(matter_model, sealed_model, representative_model,
                                attachment_model) -> int:
    """Seal every denunciation that is not sealed yet (migration 0003)."""
    pks = list(matter_model.objects.filter(kind=MatterKind.TO_CAO, identity_sealed=False)
               .values_list("pk", flat=True))
    for pk in pks:
        _seal(pk, matter_model, sealed_model, representative_model, attachment_model)
    return len(pks)


# Key rotation ----------------------------------------------------------------------------------


def rotate_keys() -> tuple[int, int]:
    """Re-encrypt every sealed identity and encrypted attachment that is not under the newest
    key (``MultiFernet.rotate``).  One transaction per row, so it can be resumed.  Returns
    (identities, files) re-encrypted."""
    newest = identity_keys.primary_key_id()
    rows = files = 0
    for pk in (ProtectedIdentity.objects.exclude(key_id=newest)
               .values_list("pk", flat=True).iterator()):
        with transaction.atomic():
            sealed = ProtectedIdentity.objects.select_for_update().get(pk=pk)
            sealed.ciphertext = identity_keys.rotate(sealed.ciphertext.encode("ascii")).decode(
                "ascii")
            sealed.key_id, sealed.rotated_at = newest, timezone.now()
            sealed.save(update_fields=["ciphertext", "key_id", "rotated_at"])
        rows += 1
    for pk in (Attachment.objects.filter(encrypted=True).exclude(key_id=newest)
               .values_list("pk", flat=True).iterator()):
        with transaction.atomic():
            attachment = Attachment.objects.select_for_update().get(pk=pk)
            old_name = attachment.file.name
            if not old_name:  # opening it would fail the same way, less clearly
                raise ValueError(f"encrypted attachment {pk} has no file")
            with attachment.file.open("rb") as handle:
                token = identity_keys.rotate(handle.read())
            attachment.file.save(old_name, ContentFile(token), save=False)
            attachment.key_id = newest
            attachment.save(update_fields=["file", "key_id"])
            transaction.on_commit(partial(attachment.file.storage.delete, old_name))
        files += 1
    return rows, files
