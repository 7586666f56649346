from django.urls import path

from .views import officer, people, public, thread, triage

app_name = "dsar"

urlpatterns = [
    path("", public.home, name="home"),
    path("r/<slug:slug>/", public.request_form, name="request_form"),
    path("r/<slug:slug>/sent/", public.request_sent, name="request_sent"),
    path("r/<slug:slug>/confirm/<str:token>/", public.confirm, name="confirm"),
    path("queue/", officer.queue, name="queue"),
    path("queue/assign/", officer.queue_assign, name="queue_assign"),
    path("cases/log/", officer.log_request, name="log_request"),
    path("triage/", triage.triage_list, name="triage"),
    path("triage/<int:pk>/", triage.triage_detail, name="triage_detail"),
    path("triage/<int:pk>/files/<int:file_id>/", triage.triage_file, name="triage_file"),
    path("cases/<str:reference>/", officer.case_detail, name="case_detail"),
    path("cases/<str:reference>/panels/<slug:key>/", officer.case_panel, name="case_panel"),
    path("cases/<str:reference>/messages/", thread.message_send, name="message_send"),
    path(
        "cases/<str:reference>/messages/files/<int:file_id>/",
        thread.message_file,
        name="message_file",
    ),
    path("cases/<str:reference>/person/link/", people.person_link, name="person_link"),
    path("cases/<str:reference>/person/unlink/", people.person_unlink, name="person_unlink"),
    path("cases/<str:reference>/<slug:action>/", officer.case_action, name="case_action"),
]
