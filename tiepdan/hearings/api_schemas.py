"""Response schemas of the hearing API (``hearings.api``): what each operation returns, typed,
so the OpenAPI schema describes the bodies a client receives."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ParticipantRef(Schema):
    id: int
    full_name: str
    attendance: str


class BridgePointOut(Schema):
    id: int
    name: str
    kind: str
    is_central: bool
    participants: list[ParticipantRef]


class MilestoneOut(Schema):
    due: str  # a date, or a date and time for the milestones with an hour
    explanation: str
    status: str
    mark: str  # "overdue", "due_soon" or ""
    owner_role: str
    evidence: str


class ChangeOut(Schema):
    kind: str
    version: int
    at: str
    actor_id: int | None
    reason: str
    previous_starts_at: str | None
    starts_at: str
    late_periods: list[Any]


class HearingDocumentOut(Schema):
    purpose: str
    symbol: str
    document_id: int
    version: int
    superseded_at: str | None
    pdf_url: str
    docx_url: str


class HearingOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    starts_at: str
    ends_at: str
    chair_id: int | None
    city_leaders_attend: bool
    version: int
    readiness_problems: list[str]
    matters: list[str]  # tracking codes of the agenda
    bridge_points: list[BridgePointOut]
    milestones: dict[str, MilestoneOut]
    actual_started_at: str | None
    held_at: str | None
    history: list[ChangeOut]
    documents: list[HearingDocumentOut]


class PointCreatedOut(Schema):
    id: int
    name: str
    responsible_person: str
    technical_contact_name: str


class PersonChoiceOut(Schema):
    key: str
    label: str


class PeopleGroupOut(Schema):
    group: str
    people: list[PersonChoiceOut]


class ParticipantCreatedOut(Schema):
    id: int
    full_name: str


class ProposalOut(Schema):
    id: int
    status: str


class ScheduleItemOut(Schema):
    starts_at: str
    ends_at: str
    kind: str
    title: str
    place: str
