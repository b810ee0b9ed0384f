"""Admin of matters: view only.  Matters change only through the triage services (the state
machine, with records and audit), never by editing rows here; every matter viewed here is
audited like a view in the staff pages.  It can never reveal a protected identity:
``ProtectedIdentity`` is not registered and a sealed matter's columns hold only masks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tiepdan.core import access_log
from tiepdan.core.admin import ModelAdmin, ReadOnlyAdmin

from .models import (
    Attachment,
    FieldOfLaw,
    Matter,
    MatterDeadline,
    Representative,
    TriageRecord,
)

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
class MatterAdmin(ReadOnlyAdmin):
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

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None):
        matter = self.get_object(request, object_id)
        if matter is not None:
            access_log.log_access("intake.matter.viewed_in_admin", matter, actor=request.user,
                                  commune=matter.commune, request=request,
                                  data={"tracking_code": matter.tracking_code})
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(TriageRecord)
class TriageRecordAdmin(ReadOnlyAdmin):
    list_display = ("matter", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action", "to_status", "matter__commune")
    search_fields = ("matter__tracking_code",)


@admin.register(MatterDeadline)
class MatterDeadlineAdmin(ReadOnlyAdmin):
    list_display = ("matter", "rule_key", "trigger", "due", "open", "met_at")
    list_filter = ("rule_key", "open", "matter__commune")
    search_fields = ("matter__tracking_code",)


@admin.register(FieldOfLaw)
class FieldOfLawAdmin(ModelAdmin):
    """Lĩnh vực: each commune's list that triage picks from."""

    list_display = ["name", "commune", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["commune", "is_active"]
    search_fields = ["name"]
