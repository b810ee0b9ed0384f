from django.urls import path

from .views import public, staff

app_name = "hearings"

urlpatterns = [
    path("xa/<int:ward_code>/lich-tiep/", public.schedule_page, name="schedule"),
    path("xa/<int:ward_code>/lich-tiep.ics", public.schedule_ical, name="schedule_ical"),
    path("moi/<str:token>/", public.invitation, name="invitation"),
    path("moi/<str:token>/giay-moi.pdf", public.invitation_pdf, name="invitation_pdf"),
    path("can-bo/xa/<int:ward_code>/buoi-tiep/", staff.hearing_list, name="list"),
    path("can-bo/xa/<int:ward_code>/buoi-tiep/<int:pk>/", staff.hearing_detail, name="detail"),
    path("can-bo/xa/<int:ward_code>/buoi-tiep/<int:pk>/moc/<slug:key>/", staff.milestone_done,
         name="milestone_done"),
    path("can-bo/xa/<int:ward_code>/buoi-tiep/<int:pk>/<str:action>/", staff.hearing_action,
         name="action"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/de-xuat-truc-tuyen/", staff.propose,
         name="propose"),
    path("can-bo/xa/<int:ward_code>/de-xuat-truc-tuyen/", staff.proposals, name="proposals"),
]
