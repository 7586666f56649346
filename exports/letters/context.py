"""What every letter's template gets: letterhead, addressee, dates and the written parts."""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
import re
from collections.abc import Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from dsar.models import Case, Controller

from . import truth
from .base import LetterKind, missing_fields
from .pdf import logo_url

ICO = {
    "name": "Information Commissioner's Office",
    "address": "Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF",
    "phone": "0303 123 1113",
    "complaint_url": "ico.org.uk/make-a-complaint",
}


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six")


def _months(n: int) -> str:
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} month{'' if n == 1 else 's'}"


def period_words(controller: Controller) -> dict[str, str]:
    """The controller's time limit in words: "one month" or "28 days"; and its extension."""
    if controller.deadline_rule == "days":
        period = f"{controller.deadline_days} days"
    else:
        period = "one month"
    return {"period": period, "extension": f"{_months(controller.extension_months)}"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _logo(controller: Controller, *, for_pdf: bool) -> dict[str, str] | None:
    """The logo as a storage reference (for the PDF) or inline data (for the browser)."""
    settings = getattr(controller, "letterhead_settings", None)
    if settings is None or not settings.logo:
        return None
    name = settings.logo.name
    if for_pdf:
        src = logo_url(name)
    else:
        try:
            with default_storage.open(name, "rb") as handle:
                data = base64.b64encode(handle.read()).decode()
        except OSError:
            return None
        src = f"data:{mimetypes.guess_type(name)[0] or 'image/png'};base64,{data}"
    return {"src": src, "alt": settings.logo_description or f"{controller.name} logo"}


def letterhead(controller: Controller, *, for_pdf: bool) -> dict[str, Any]:
    lines = _lines(controller.letterhead)
    joined = " ".join(lines)
    return {
        "name": controller.name,
        "legal_name": controller.legal_name if controller.legal_name not in joined else "",
        "lines": lines,
        "address": _lines(controller.postal_address),
        # Shown once: skipped when the letterhead text already gives it.
        "company_number": controller.company_number
        if controller.company_number not in joined
        else "",
        "ico_registration": controller.ico_registration
        if controller.ico_registration not in joined
        else "",
        "dpo_name": controller.dpo_name,
        "dpo_email": controller.dpo_email,
        "dpo_phone": controller.dpo_phone,
        "website": controller.website.removeprefix("https://").removeprefix("http://"),
        "logo": _logo(controller, for_pdf=for_pdf),
    }


def addressee(case: Case, delivery: str) -> list[str]:
    """Name, organisation, then the postal address (post) or the email address."""
    lines = [case.requester_name]
    if case.organisation_name:
        lines.append(case.organisation_name)
    address = _lines(case.requester_address)
    if address and (delivery == "post" or not case.requester_email):
        lines += address
    elif case.requester_email:
        lines.append(f"By email: {case.requester_email}")
    return lines


BULLETS = ("- ", "* ", "• ")


def _block_html(block: str) -> SafeString:
    """One paragraph; lines starting "- " become a real (tagged) list."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    first_item = next((i for i, line in enumerate(lines) if line.startswith(BULLETS)), None)
    if first_item is None or not all(line.startswith(BULLETS) for line in lines[first_item:]):
        return linebreaks_filter("\n".join(lines), autoescape=True)
    intro = linebreaks_filter("\n".join(lines[:first_item]), autoescape=True)
    items = format_html_join(
        "", "<li>{}</li>", ((line[2:].strip(),) for line in lines[first_item:])
    )
    return format_html("{}<ul>{}</ul>", intro, items)


def paragraphs_html(value: str) -> SafeString:
    """Officer-written text as escaped paragraphs and lists."""
    blocks = [b for b in re.split(r"\n\s*\n", value.strip()) if b.strip()]
    return mark_safe("".join(_block_html(b) for b in blocks))  # noqa: S308 - parts escaped


def _text_html(value: str, label: str, *, required: bool) -> SafeString:
    """A written part as paragraphs; an empty required part as a visible marker."""
    if value.strip():
        return paragraphs_html(value)
    if required:
        return format_html('<p class="to-complete">To be completed: {}</p>', label)
    return mark_safe("")


def build_context(
    case: Case,
    kind: LetterKind,
    values: Mapping[str, str],
    *,
    letter_date: dt.date,
    delivery: str,
    for_pdf: bool,
    corrects: Any = None,
) -> dict[str, Any]:
    """The template context of one letter; ``values`` are the resolved free-text parts."""
    controller = case.controller
    missing = {f.name for f in missing_fields(case, kind, values)}
    text = {
        f.name: _text_html(values.get(f.name, ""), f.label, required=f.name in missing)
        for f in kind.fields
    }
    context: dict[str, Any] = {
        "kind": kind,
        "title": kind.title,
        "case": case,
        "controller": controller,
        "letterhead": letterhead(controller, for_pdf=for_pdf),
        "addressee": addressee(case, delivery),
        "greeting_name": case.requester_name,
        "letter_date": letter_date,
        "values": dict(values),
        "text": text,
        "missing": sorted(missing),
        "ico": ICO,
        "time_limit": period_words(controller),
        "acting_for_other": case.acting_for_other,
        "subject_name": case.data_subject_name,
        "right_label": case.get_right_display().split(" (", 1)[0].lower(),
        "corrects": corrects,
        "for_pdf": for_pdf,
        # Issue 13: a late letter apologises; the courts are those of the controller's region.
        "late": truth.is_late(case, kind.key, letter_date),
        "courts": truth.courts(case),
    }
    context.update(kind.context(case, values))
    return context


def render_html(
    case: Case,
    kind: LetterKind,
    values: Mapping[str, str],
    *,
    letter_date: dt.date,
    delivery: str,
    for_pdf: bool,
    corrects: Any = None,
) -> str:
    context = build_context(
        case,
        kind,
        values,
        letter_date=letter_date,
        delivery=delivery,
        for_pdf=for_pdf,
        corrects=corrects,
    )
    return render_to_string(kind.template, context)
