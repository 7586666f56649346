"""What the thread needs from satellite apps, registered in their AppConfig.ready():
the requester's status link (identity) and the case's documents an officer may attach
(exports). The core imports neither."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dsar.models import Case


@dataclass(frozen=True)
class AttachableDocument:
    id: int
    title: str
    file_name: str  # in default storage
    content_type: str
    size: int
    sha256: str


_documents: list[Callable[[Case], list[AttachableDocument]]] = []
_status_urls: list[Callable[[Case], str]] = []


def register_documents_provider(provider: Callable[[Case], list[AttachableDocument]]) -> None:
    if provider not in _documents:
        _documents.append(provider)


def register_status_url(builder: Callable[[Case], str]) -> None:
    if builder not in _status_urls:
        _status_urls.append(builder)


def attachable_documents(case: Case) -> list[AttachableDocument]:
    return [doc for provider in _documents for doc in provider(case)]


def status_url(case: Case) -> str:
    """The requester's private link, for emails; an error if no app provides one."""
    if not _status_urls:
        raise LookupError("No status page is installed: the identity app provides it.")
    return _status_urls[0](case)
