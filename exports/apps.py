from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Data map and exports"

    def ready(self) -> None:
        from dsar.panels import CasePanel, StatusPanel, register_case_panel, register_status_panel

        from . import letters
        from .data import panel as data
        from .data.prefill import prefill
        from .letters import panel as letters_panel

        register_case_panel(
            CasePanel(
                key="documents",
                template=letters_panel.TEMPLATE,
                context=letters_panel.documents_panel,
                order=50,
            )
        )
        # The subject's data: search, review, export, deliver, erase; before the letters.
        register_case_panel(
            CasePanel(key="data", template=data.TEMPLATE, context=data.data_panel, order=40)
        )
        # The requester's status page: their download links, where they are told of them.
        register_status_panel(
            StatusPanel(
                key="downloads",
                template=data.STATUS_TEMPLATE,
                context=data.status_downloads,
                order=50,
            )
        )
        # The data map fills the Art 15 items, enclosures and exemptions of the letters.
        letters.register_prefill_provider(prefill)
        # Disclosure review, the bundle and the second pair of eyes (exports.data).
        from .data.services import approval_actions

        approval_actions.register()
        register_case_panel(
            CasePanel(
                key="disclosure",
                template=data.DISCLOSURE_TEMPLATE,
                context=data.disclosure_panel,
                order=41,
            )
        )
        # Issue 15: an officer may attach the case's finished documents to a message.
        from dsar.thread.hooks import register_documents_provider

        from .letters.selectors import attachable_documents

        register_documents_provider(attachable_documents)
        # Issue 15: a request arriving by email keeps its message and attachments.
        from dsar.mailbox.services import register_received_files_handler

        from .received import keep_received_files

        register_received_files_handler(keep_received_files)
        # Collected records are named in SourceResult.files (JSON): keep them from the
        # orphan-file sweep (dsar.files).
        from dsar.hooks import register_file_references

        register_file_references(_collected_file_names)
        # A letter's email is sent by the outbox; the letter records when it went.
        from dsar.hooks import register_email_sent_listener

        from .letters.services import letter_email_sent

        register_email_sent_listener(letter_email_sent)
        # Issue 13: a clarification, extension or fee request to a requester who asked
        # for post goes as a letter, issued in the same transaction as the action.
        from dsar.hooks import register_letter_sender

        from .letters.post import send_by_post

        register_letter_sender(send_by_post)
        # Issue 16: letters sent and documents disclosed in a case's record for a regulator.
        from dsar.reports.record import register_record_section

        from .record import SECTIONS

        for section in SECTIONS:
            register_record_section(section)


def _collected_file_names():
    from .data.models import SourceResult

    for files in SourceResult.objects.values_list("files", flat=True).iterator():
        yield from (files or {}).values()
