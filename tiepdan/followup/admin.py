"""Admin of the bodies (cơ quan, đơn vị) and their representatives; tasks are read here and
changed only through the pages and the API (services)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Body, FollowUpTask


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "email", "is_active"]
    list_filter = ["commune", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "matter", "due_date", "status", "progress"]
    list_filter = ["status", "body__commune"]
    readonly_fields = [f.name for f in FollowUpTask._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
