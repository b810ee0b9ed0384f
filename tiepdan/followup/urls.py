from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("can-bo/xa/<int:ward_code>/theo-doi/", views.board, name="board"),
    path("can-bo/xa/<int:ward_code>/theo-doi/<int:pk>/", views.task_detail, name="task"),
    path("can-bo/xa/<int:ward_code>/theo-doi/<int:pk>/hoan-thanh/", views.task_complete,
         name="task_complete"),
    path("can-bo/xa/<int:ward_code>/theo-doi/<int:pk>/huy/", views.task_cancel,
         name="task_cancel"),
    path("can-bo/xa/<int:ward_code>/theo-doi/<int:pk>/doi-han/", views.task_due,
         name="task_due"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/giao-viec/", views.task_create,
         name="task_create"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/ket-thuc/", views.matter_close,
         name="matter_close"),
    path("can-bo/theo-doi/tep/<int:pk>/", views.attachment_download, name="attachment"),
]
