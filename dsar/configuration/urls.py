"""/settings/<controller>/...: a controller's settings, for its admins."""

from django.urls import path

from . import datamap_views, identity_views, portable_views, sources_views, team_views, views

app_name = "settings"

urlpatterns = [
    path("", views.settings_home, name="home"),
    # The invitation link (before <slug>/..., which it would otherwise match).
    path("join/<str:uidb64>/<str:token>/", team_views.join, name="join"),
    path("organisations/new/", views.new_controller, name="new_controller"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/organisation/", views.organisation, name="organisation"),
    path("<slug:slug>/letterhead/", views.letterhead, name="letterhead"),
    path("<slug:slug>/letterhead/preview/", views.letterhead_preview, name="letterhead_preview"),
    path("<slug:slug>/identity/", identity_views.identity_index, name="identity"),
    path(
        "<slug:slug>/identity/<slug:right>/",
        identity_views.identity_policy,
        name="identity_policy",
    ),
    path("<slug:slug>/data-map/", datamap_views.data_map, name="data_map"),
    path("<slug:slug>/data-map/systems/new/", datamap_views.system_edit, name="system_add"),
    path("<slug:slug>/data-map/systems/<int:pk>/", datamap_views.system_edit, name="system_edit"),
    path(
        "<slug:slug>/data-map/systems/<int:pk>/delete/",
        datamap_views.system_delete,
        name="system_delete",
    ),
    path("<slug:slug>/data-map/categories/new/", datamap_views.category_edit, name="category_add"),
    path(
        "<slug:slug>/data-map/categories/<int:pk>/",
        datamap_views.category_edit,
        name="category_edit",
    ),
    path(
        "<slug:slug>/data-map/categories/<int:pk>/delete/",
        datamap_views.category_delete,
        name="category_delete",
    ),
    path(
        "<slug:slug>/data-map/access-preview/",
        datamap_views.access_preview,
        name="access_preview",
    ),
    path("<slug:slug>/sources/", sources_views.sources_index, name="sources"),
    path("<slug:slug>/sources/new/", sources_views.source_edit, name="source_add"),
    path("<slug:slug>/sources/<int:pk>/", sources_views.source_edit, name="source_edit"),
    path(
        "<slug:slug>/sources/<int:pk>/searches/new/",
        sources_views.query_edit,
        name="query_add",
    ),
    path(
        "<slug:slug>/sources/<int:pk>/searches/<int:part>/",
        sources_views.query_edit,
        name="query_edit",
    ),
    path("<slug:slug>/sources/<int:pk>/steps/new/", sources_views.action_edit, name="action_add"),
    path(
        "<slug:slug>/sources/<int:pk>/steps/<int:part>/",
        sources_views.action_edit,
        name="action_edit",
    ),
    path(
        "<slug:slug>/sources/<int:pk>/<slug:what>/<int:part>/delete/",
        sources_views.part_delete,
        name="source_part_delete",
    ),
    path("<slug:slug>/team/", team_views.team_page, name="team"),
    path("<slug:slug>/team/<int:pk>/role/", team_views.member_role, name="member_role"),
    path("<slug:slug>/team/<int:pk>/remove/", team_views.member_remove, name="member_remove"),
    path("<slug:slug>/team/<int:pk>/token/revoke/", team_views.token_revoke, name="token_revoke"),
    path("<slug:slug>/webhooks/", team_views.webhooks_page, name="webhooks"),
    path(
        "<slug:slug>/webhooks/<int:pk>/deliveries/",
        team_views.webhook_deliveries,
        name="webhook_deliveries",
    ),
    path("<slug:slug>/webhooks/<int:pk>/rotate/", team_views.webhook_rotate, name="webhook_rotate"),
    path("<slug:slug>/webhooks/<int:pk>/remove/", team_views.webhook_remove, name="webhook_remove"),
    path("<slug:slug>/configuration/", portable_views.configuration, name="configuration"),
    path(
        "<slug:slug>/configuration/download/",
        portable_views.configuration_download,
        name="configuration_download",
    ),
    path(
        "<slug:slug>/configuration/apply/",
        portable_views.configuration_apply,
        name="configuration_apply",
    ),
    path("<slug:slug>/changes/", views.changes, name="changes"),
]
