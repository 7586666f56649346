from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Data map and exports"

    def ready(self) -> None:
        from dsar.panels import CasePanel, register_case_panel

        from . import letters  # noqa: F401 - registers the letter kinds
        from .panels import documents_panel

        register_case_panel(
            CasePanel(
                key="documents",
                template="exports/_documents_panel.html",
                context=documents_panel,
                order=50,
            )
        )
