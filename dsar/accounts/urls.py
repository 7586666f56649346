from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/two-factor/setup/", views.setup, name="setup"),
    path("account/two-factor/verify/", views.verify, name="verify"),
    path(
        "account/two-factor/recovery-codes/",
        views.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path("account/token/revoke/", views.token_revoke, name="token_revoke"),
    path("account/token/new/", views.token_create, name="token_create"),
]
