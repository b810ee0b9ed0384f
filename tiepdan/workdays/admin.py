"""Admin for the override table (edited by the office) and the deadline rules.

Writes go through the services, so contradictions are rejected and recompute hooks run.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tiepdan.core.access import signed_in_user
from tiepdan.core.admin import ModelAdmin
from tiepdan.workdays import services
from tiepdan.workdays.models import CalendarOverride, DeadlineRule


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ModelAdmin):
    list_display = ["date", "kind", "name", "legal_reference", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_reference"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: object, change: bool
    ) -> None:
        actor = signed_in_user(request.user)
        if not change:
            obj.created_by = actor
        services.save_override(obj, actor=actor)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        services.delete_override(obj, actor=signed_in_user(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        actor = signed_in_user(request.user)
        for obj in queryset:
            services.delete_override(obj, actor=actor)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ModelAdmin):
    list_display = ["key", "label_vi", "amount", "unit", "direction", "legal_source"]
    list_filter = ["unit", "direction"]
    search_fields = ["key", "label_vi", "legal_source"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: DeadlineRule | None = None
    ) -> list[str]:
        # Other apps refer to rules by key.
        return ["key"] if obj else []
