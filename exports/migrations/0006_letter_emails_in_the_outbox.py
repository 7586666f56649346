from django.db import migrations


def letters_into_the_outbox(apps, schema_editor):
    """Letter emails were sent by their own task, resting as 'sending' or 'failed' between
    its tries. The outbox now sends them: give each unsent one its PDF as an attachment
    and make it pending, so it is never sent without it."""
    Document = apps.get_model("exports", "Document")
    OutgoingEmail = apps.get_model("dsar", "OutgoingEmail")
    unsent = Document.objects.filter(
        category="letter",
        status="ready",
        delivery="email",
        emailed_at__isnull=True,
        email__state__in=["sending", "failed"],
    ).select_related("case")
    for document in unsent:
        name = f"{document.case.reference}-{document.kind.replace('_', '-')}-{document.pk}.pdf"
        OutgoingEmail.objects.filter(pk=document.email_id).update(
            state="pending",
            claimed_at=None,
            attachments=[
                {"file": document.file.name, "name": name, "content_type": document.content_type}
            ],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0005_suppression_withdrawn"),
        ("dsar", "0013_outbox_claims_and_attachments"),
    ]

    operations = [migrations.RunPython(letters_into_the_outbox, migrations.RunPython.noop)]
