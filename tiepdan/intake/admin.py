from django.contrib import admin

from .models import Attachment, Matter, Representative


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "extension", "size", "pages", "sha256", "uploaded_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("tracking_code", "commune", "kind", "status", "received_at", "channel")
    list_filter = ("commune", "kind", "status", "channel")
    search_fields = ("tracking_code",)
    readonly_fields = ("tracking_code", "received_at", "consent_given_at", "registered_by")
    inlines = [RepresentativeInline, AttachmentInline]
