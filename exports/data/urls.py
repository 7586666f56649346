"""Officer pages of the data half (the "Personal data" and "Disclosure" panels' actions)
and the requester's download; included in ``exports.urls`` (namespace ``exports``)."""

from django.urls import path

from .views import disclosure, personal_data

case = "cases/<str:reference>/data"
urlpatterns = [
    # The subject's data (exports.data): officer actions of the case page's data panel.
    path(f"{case}/search/", personal_data.search_start, name="search_start"),
    path(
        f"{case}/search/<int:collection_id>/release/",
        personal_data.search_release,
        name="search_release",
    ),
    path(
        f"{case}/manual/<int:result_id>/",
        personal_data.manual_upload,
        name="manual_upload",
    ),
    path(f"{case}/exports/", personal_data.export_create, name="export_create"),
    path(
        f"{case}/exports/<int:document_id>/links/",
        personal_data.link_create,
        name="link_create",
    ),
    path(
        f"{case}/links/<int:link_id>/revoke/",
        personal_data.link_revoke,
        name="link_revoke",
    ),
    path(f"{case}/exemptions/", personal_data.exemption_add, name="exemption_add"),
    path(
        f"{case}/exemptions/<int:exemption_id>/remove/",
        personal_data.exemption_remove,
        name="exemption_remove",
    ),
    path(f"{case}/run/", personal_data.run_start, name="run_start"),
    path(
        f"{case}/steps/<int:step_id>/done/",
        personal_data.step_done,
        name="step_done",
    ),
    path(f"{case}/suppress/", personal_data.suppress, name="suppress"),
    path(
        f"{case}/objection/",
        personal_data.objection_decide,
        name="objection_decide",
    ),
    # Disclosure (exports.data, issue 14): review, the bundle, erasure with care, approvals.
    path(f"{case}/review/", disclosure.review_page, name="review"),
    path(f"{case}/review/withhold/", disclosure.withhold, name="withhold"),
    path(
        f"{case}/review/withheld/<int:withholding_id>/remove/",
        disclosure.unwithhold,
        name="unwithhold",
    ),
    path(f"{case}/bundle/", disclosure.bundle_page, name="bundle"),
    path(f"{case}/bundle/add/", disclosure.bundle_add, name="bundle_add"),
    path(
        f"{case}/bundle/redact-everywhere/", disclosure.suggestion_redact, name="suggestion_redact"
    ),
    path(f"{case}/bundle/<int:document_id>/", disclosure.document_page, name="bundle_document"),
    path(
        f"{case}/bundle/<int:document_id>/remove/", disclosure.bundle_remove, name="bundle_remove"
    ),
    path(
        f"{case}/bundle/<int:document_id>/pages/<int:page>.png",
        disclosure.document_preview,
        name="bundle_preview",
    ),
    path(
        f"{case}/bundle/<int:document_id>/file/<str:which>/",
        disclosure.document_file,
        name="bundle_file",
    ),
    path(f"{case}/bundle/<int:document_id>/marks/", disclosure.mark_add, name="mark_add"),
    path(
        f"{case}/bundle/<int:document_id>/marks/<int:mark_id>/remove/",
        disclosure.mark_remove,
        name="mark_remove",
    ),
    path(f"{case}/bundle/<int:document_id>/redact/", disclosure.redact, name="redact"),
    path(f"{case}/erasure/", disclosure.erasure_page, name="erasure"),
    path(
        f"{case}/approvals/<int:approval_id>/approve/",
        disclosure.approval_approve,
        name="approval_approve",
    ),
    path(
        f"{case}/approvals/<int:approval_id>/withdraw/",
        disclosure.approval_withdraw,
        name="approval_withdraw",
    ),
    # The requester's (or the recipient organisation's) download: the signed link is the key.
    path("download/<str:token>/", personal_data.download, name="download"),
]
