"""Admin of the bodies (cơ quan, đơn vị) and their representatives; tasks are read here and
changed only through the pages and the API (services)."""

from __future__ import annotations

from django.contrib import admin

from tiepdan.core.admin import ModelAdmin, ReadOnlyAdmin

from .models import Body, FollowUpTask


@admin.register(Body)
class BodyAdmin(ModelAdmin):
    list_display = ["name", "commune", "email", "is_active"]
    list_filter = ["commune", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "body", "matter", "due_date", "status", "progress"]
    list_filter = ["status", "body__commune"]
    readonly_fields = [f.name for f in FollowUpTask._meta.fields]
