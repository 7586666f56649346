from django.apps import AppConfig


class DsarConfig(AppConfig):
    name = "dsar"
    verbose_name = "Data subject requests"

    def ready(self) -> None:
        """Webhooks listen to case signals (dsar.hooks), told after each commit."""
        from .hooks import register_case_signal_listener
        from .webhooks.services import enqueue_signals

        register_case_signal_listener(enqueue_signals)

        # Issue 15: the same person's other requests, on every case page.
        from .panels import CasePanel, register_case_panel
        from .people.panels import TEMPLATE, panel_context

        register_case_panel(
            CasePanel(key="person", template=TEMPLATE, context=panel_context, order=5)
        )
