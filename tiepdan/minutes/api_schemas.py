"""Response schemas of the minutes and conclusions API (``minutes.api``)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class DocumentRef(Schema):
    id: int
    symbol: str
    pdf_url: str
    docx_url: str


class MinutesOut(Schema):
    id: int
    version: int
    status: str
    opening: str
    chair: str
    attendance: list[Any]
    matters: list[Any]
    timeline: list[dict[str, Any]]  # rows of the recording, each with its "link"
    proceedings: str
    citizen_opinions: str
    chair_conclusion: str
    chair_name: str
    secretary_name: str
    missing: dict[str, str]  # part -> what must be written before finalising
    finalised_at: str | None
    document: DocumentRef | None


class MinutesVersionOut(Schema):
    id: int
    version: int
    status: str
    finalised_at: str | None
    document: DocumentRef | None


class MinutesBodyOut(Schema):
    current: MinutesOut | None
    versions: list[MinutesVersionOut]


class ConclusionOut(Schema):
    id: int
    matter: str  # tracking code
    matter_id: int
    matter_status: str
    outcome: str
    directions: str
    responsible_bodies: list[Any]
    deadline_working_days: int | None
    due_date: str | None
    deadline_explanation: str
    contact_person: str
    notice: DocumentRef | None
    notice_issued_at: str | None
