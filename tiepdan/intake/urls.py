from django.urls import path

from .views import citizen_status, identity, links, public, staff, steps, triage

app_name = "intake"

urlpatterns = [
    path("", public.home, name="home"),
    path("xa/<int:ward_code>/", public.commune_page, name="commune"),
    path("xa/<int:ward_code>/dang-ky/", public.register, name="register"),
    path("xa/<int:ward_code>/bien-nhan/<str:code>/", public.receipt, name="receipt"),
    # The registration in guided steps (a draft kept 24 hours, files uploaded at once).
    path("xa/<int:ward_code>/dang-ky/tung-buoc/", steps.start, name="steps"),
    path("xa/<int:ward_code>/dang-ky/buoc/<slug:slug>/", steps.step_page, name="step"),
    path("xa/<int:ward_code>/dang-ky/tai-len/", steps.upload, name="step_upload"),
    path("xa/<int:ward_code>/dang-ky/xoa-tep/", steps.remove_upload, name="step_remove_upload"),
    path("xa/<int:ward_code>/dang-ky/kiem-tra/", steps.check_answers, name="check"),
    # One status page per matter, from tracking code + phone or a personal signed link.
    path("ho-so/<str:token>/", citizen_status.status_page, name="status"),
    path("ho-so/<str:token>/bien-nhan.pdf", citizen_status.receipt_pdf, name="status_receipt"),
    path("tra-cuu/", public.lookup, name="lookup"),
    path("dia-gioi/xa/", public.ward_options, name="ward_options"),
    path("can-bo/xa/<int:ward_code>/ho-so/", staff.inbox, name="inbox"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/", staff.matter_detail, name="matter"),
    path("can-bo/xa/<int:ward_code>/tiep-nhan/", staff.assisted_register, name="assisted"),
    path("can-bo/tai-lieu/<int:pk>/", staff.attachment_download, name="attachment"),
    # Denouncer identity protection (Luật Tố cáo Đ47, Đ56).
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/danh-tinh/", identity.reveal,
         name="identity_reveal"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/ban-sao-che-danh-tinh/", identity.redacted,
         name="redacted_copy"),
    # Triage (phân loại, xử lý) of a matter.
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/xu-ly/", triage.panel, name="triage_panel"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/phan-loai/", triage.classify,
         name="triage_classify"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/huong-xu-ly/", triage.decide,
         name="triage_decide"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/tu-choi/", triage.refuse,
         name="triage_refuse"),
    # Split a mixed petition, answer duplicate suggestions, merge group members.
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/tach-don/", links.split, name="split"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/lien-ket-trung/", links.link_duplicate,
         name="link_duplicate"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/bo-qua-trung/", links.dismiss_duplicate,
         name="dismiss_duplicate"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/gop-thanh-vien/", links.merge,
         name="merge_members"),
]
