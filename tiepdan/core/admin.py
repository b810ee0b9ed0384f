"""Admin for communes, cities and staff roles, at /quan-tri/.

The admin site requires the same two-step sign-in as every staff page (django-otp's
``OTPAdminSite``: the session must be OTP-verified) and is open only to superusers and
system administrators.  It has no login form of its own: it sends people to the staff login,
so there is one sign-in path, covered by django-axes lockout.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from django_otp.middleware import is_verified

from .forms import StaffRoleForm
from .models import City, Commune, Role, StaffProfile, StaffRole
from .text_forms import CleanTextMixin, ModelForm


class TiepDanAdminSite(OTPAdminSite):
    site_header = _("Quản trị Tiếp Dân")
    site_title = _("Quản trị Tiếp Dân")
    index_title = _("Quản trị hệ thống")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (super().has_permission(request) and user.is_authenticated):
            return False
        return user.is_superuser or StaffRole.objects.filter(
            user=user, role=Role.SYSTEM_ADMIN).exists()

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None
              ) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return HttpResponseRedirect(index)
        if request.user.is_authenticated and is_verified(request.user):
            raise PermissionDenied  # a signed-in staff member without admin rights
        return redirect_to_login(request.GET.get("next") or index, resolve_url(settings.LOGIN_URL))


# The documented django-otp way to make the default admin site (used by every app's
# ``admin.register``) require OTP without changing INSTALLED_APPS.
admin.site.__class__ = TiepDanAdminSite


class ModelAdmin(admin.ModelAdmin):
    """Base of every admin page: its form cleans text like every form of the product
    (``core.text_forms``: NFC, control characters refused)."""

    form = ModelForm


class ReadOnlyAdmin(ModelAdmin):
    """Records (registers, numbers, issued documents, triage steps, tasks): read in the admin,
    written only by the services that keep their rules and audit trail."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(City)
class CityAdmin(ModelAdmin):
    list_display = ["name", "province_code"]
    search_fields = ["name", "=province_code"]


@admin.register(Commune)
class CommuneAdmin(ModelAdmin):
    list_display = ["name", "ward_code", "city", "is_active"]
    list_filter = ["city", "is_active"]
    search_fields = ["name", "=ward_code"]


@admin.register(StaffRole)
class StaffRoleAdmin(ModelAdmin):
    form = StaffRoleForm
    list_display = ["user", "role", "commune", "city", "position"]
    list_filter = ["role", "city", "commune"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "commune__name"]
    autocomplete_fields = ["user", "commune"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    form = StaffRoleForm
    extra = 0
    fields = ["role", "commune", "city", "position"]
    autocomplete_fields = ["commune"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = ModelForm
    can_delete = False
    fields = ["phone"]


class StaffUserChangeForm(CleanTextMixin, UserChangeForm):
    pass


class StaffUserCreationForm(CleanTextMixin, AdminUserCreationForm):
    pass


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    inlines = [*UserAdmin.inlines, StaffProfileInline, StaffRoleInline]
    # Vietnamese order (see core.names): "Họ đệm" (Vũ Văn) then "Tên" (Chủ) gives "Vũ Văn Chủ".
    fieldsets = tuple(
        (name, {**options, "fields": ("last_name", "first_name", "email"),
                "description": _("Họ và tên được ghi và hiển thị theo thứ tự “Họ đệm Tên”: "
                                 "ô Họ ghi họ và tên đệm (Vũ Văn), ô Tên ghi tên (Chủ).")})
        if "first_name" in options.get("fields", ()) else (name, options)
        for name, options in UserAdmin.fieldsets or ())


# The admin pages of the apps registered before this one (auth, django-otp, django-axes) get
# the same clean forms; the product's own admin classes derive from ``ModelAdmin`` above.
for _model_admin in list(admin.site._registry.values()):
    if not issubclass(_model_admin.form, CleanTextMixin):
        _model_admin.form = type(_model_admin.form.__name__, (CleanTextMixin, _model_admin.form),
                                 {"__module__": __name__})
