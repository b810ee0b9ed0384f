from django.contrib import admin
from django.http import HttpRequest

from .models import RegisterEntry, RegisterSequence


class ReadOnlyAdmin(admin.ModelAdmin):
    """The register is a record: read here, written only by the triage services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    # No identity here: the admin list would show a denouncer's name; it stays on the matter.
    list_display = ["number", "year", "commune", "received_on", "kind", "outcome",
                    "follow_up_status", "refusal_notice"]
    list_filter = ["year", "commune", "kind", "outcome"]
    search_fields = ["matter__tracking_code"]


@admin.register(RegisterSequence)
class RegisterSequenceAdmin(ReadOnlyAdmin):
    list_display = ["commune", "year", "last_number"]
