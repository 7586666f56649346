from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = "Identity verification"

    def ready(self) -> None:
        """Plug into the case core without it importing us: route newly confirmed cases
        to the checks they need, and add the verification section to the case page."""
        from dsar.hooks import register_confirmation_router, replace_case_actions
        from dsar.panels import CasePanel, register_case_panel

        from . import models  # noqa: F401  (connects the evidence file clean-up)
        from .panels import TEMPLATE, panel_context
        from .services import route_confirmed_case

        register_confirmation_router(route_confirmed_case)
        # Issue 15: emails about the message thread carry the requester's status link.
        from dsar.thread.hooks import register_status_url

        from .tokens import status_url

        register_status_url(status_url)
        replace_case_actions("request-identity", "identity-received")
        register_case_panel(
            CasePanel(key="identity", template=TEMPLATE, context=panel_context, order=10)
        )
        # Issue 16: the steps in a case's record for a regulator (not the evidence).
        from dsar.reports.record import register_record_section

        from .record import SECTION

        register_record_section(SECTION)
        # Issue 13: identity letters ask only what the policy needs, and say how long
        # evidence is kept.
        from exports.letters import register_prefill_provider

        from .letters import prefill

        register_prefill_provider(prefill)
