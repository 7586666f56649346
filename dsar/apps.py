from django.apps import AppConfig


class DsarConfig(AppConfig):
    name = "dsar"
    verbose_name = "Data subject requests"

    def ready(self) -> None:
        """Webhooks listen to case signals (dsar.hooks), told after each commit."""
        from .hooks import register_case_signal_listener
        from .webhooks.services import enqueue_signals

        register_case_signal_listener(enqueue_signals)

        # The same person's other requests, and the messages with the requester.
        from .panels import CasePanel, register_case_panel
        from .people import panels as person
        from .thread import panels as thread

        register_case_panel(
            CasePanel(key="person", template=person.TEMPLATE, context=person.panel_context, order=5)
        )
        register_case_panel(
            CasePanel(key="thread", template=thread.TEMPLATE, context=thread.panel_context, order=6)
        )
        # Issue 16: the case's record for a regulator, and who looked at the case.
        from .reports import panels as reports

        register_case_panel(
            CasePanel(
                key="record", template=reports.TEMPLATE, context=reports.panel_context, order=90
            )
        )
