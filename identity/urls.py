from django.urls import path

from . import clock_status, revoke_views, status_views, thread_views, views

app_name = "identity"

urlpatterns = [
    # The requester's status page (no login: the signed link is the key).
    path("status/", status_views.ask_for_link, name="ask_for_link"),
    path("status/sent/", status_views.link_sent, name="link_sent"),
    path("status/<str:token>/", status_views.status_page, name="status"),
    path("status/<str:token>/steps/<int:step_id>/upload/", status_views.upload, name="upload"),
    path("status/<str:token>/withdraw/", status_views.withdraw, name="withdraw"),
    path("status/<str:token>/revoke/", revoke_views.revoke_status_links, name="revoke_links"),
    path(
        "status/<str:token>/downloads/<int:link_id>/revoke/",
        revoke_views.revoke_download_link,
        name="revoke_download",
    ),
    path("status/<str:token>/answer/", clock_status.answer, name="answer"),
    path("status/<str:token>/messages/", thread_views.message, name="message"),
    path(
        "status/<str:token>/messages/files/<int:file_id>/",
        thread_views.message_file,
        name="message_file",
    ),
    # Officers.
    path(
        "identity/cases/<str:reference>/steps/<int:step_id>/review/",
        views.step_review,
        name="step_review",
    ),
    path("identity/cases/<str:reference>/steps/add/", views.step_add, name="step_add"),
    path("identity/cases/<str:reference>/request-more/", views.request_more, name="request_more"),
    path(
        "identity/cases/<str:reference>/close-unverified/",
        views.close_unverified,
        name="close_unverified",
    ),
    path("identity/evidence/<int:evidence_id>/", views.evidence_view, name="evidence"),
]
