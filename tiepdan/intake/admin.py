"""Admin of matters.  It can never reveal a protected identity: ``ProtectedIdentity`` is not
registered, a sealed matter's identity columns hold masks and are read-only here (so nobody types
a real name back into them), and a matter made a denunciation here is sealed on save."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Attachment, Matter, Representative
from .protection import protect_if_denunciation

IDENTITY_FIELDS = (
    "full_name", "id_type", "id_number", "id_issue_date", "id_issue_place", "gender",
    "date_of_birth", "address_province_code", "address_ward_code", "address", "phone", "email",
    "summary", "content", "complained_decision", "complained_by", "prior_agency",
    "online_reason_text", "join_point_detail", "kind",
)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.identity_sealed) and super().has_change_permission(
            request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.identity_sealed) and super().has_add_permission(
            request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.identity_sealed) and super().has_delete_permission(
            request, obj)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "extension", "size", "pages", "sha256", "encrypted",
              "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "commune", "kind", "status", "received_at", "channel",
                    "identity_sealed")
    list_filter = ("commune", "kind", "status", "channel", "identity_sealed")
    search_fields = ("tracking_code",)
    readonly_fields = ("tracking_code", "received_at", "consent_given_at", "registered_by",
                       "identity_sealed")
    inlines = [RepresentativeInline, AttachmentInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.identity_sealed:
            fields += IDENTITY_FIELDS
        return fields

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        protect_if_denunciation(form.instance)  # after the inlines: representatives included
