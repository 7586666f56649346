"""The access response letter as a PDF (exports.letters), against WeasyPrint's floor.

The product path is ``exports.letters.services.letter_render_pdf``: read the case, fill every
Art 15 section, render the template and lay it out with WeasyPrint (tagged PDF/UA-1).
The floor is WeasyPrint itself on a one-paragraph document with the same PDF options.
"""

from __future__ import annotations

from typing import Any

from dsar.choices import Right, Status
from dsar.models import Case
from exports.letters import pdf
from exports.letters.services import letter_render_pdf

from .runner import Context, Row, Target, count_queries, time_pair

ONE_PARAGRAPH = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Letter</title>'
    "</head><body><p>Thank you for your request. We have enclosed a copy of the personal "
    "data we hold about you.</p></body></html>"
)


def one_paragraph_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=ONE_PARAGRAPH, media_type="print").write_pdf(pdf_variant=pdf.PDF_VARIANT)


def _letter_case(ctx: Context) -> Case:
    """An access request of the bench officer's first controller, ready to answer."""
    case = (
        Case.objects.filter(
            controller__slug=ctx.dataset.officer_controllers[0],
            right=Right.ACCESS,
            status__in=[Status.READY_FOR_REVIEW, Status.IN_PROGRESS],
        )
        .order_by("due_date", "id")
        .first()
    )
    if case is None:
        raise AssertionError("letter: no open access request to write to")
    return case


def access_letter(ctx: Context) -> list[Row]:
    case = _letter_case(ctx)

    def product() -> Any:
        fresh = Case.objects.get(pk=case.pk)  # as a request would: nothing cached on it
        document = letter_render_pdf(case=fresh, kind="access_response")
        assert document.startswith(b"%PDF"), "not a PDF"
        return document

    samples, floor_samples = time_pair(
        product, one_paragraph_pdf, repeat=min(ctx.plan.repeat, 10), warmup=min(ctx.plan.warmup, 1)
    )
    return [
        Row(
            name="access response letter PDF",
            cases=ctx.dataset.cases,
            samples=samples,
            floor="WeasyPrint, one paragraph",
            floor_samples=floor_samples,
            queries=count_queries(product),
            floor_queries=count_queries(one_paragraph_pdf),
            target=Target(max_ms=1000),
        )
    ]
