from django.contrib import admin

from tiepdan.core.admin import ReadOnlyAdmin

from .models import RegisterEntry, RegisterSequence


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
