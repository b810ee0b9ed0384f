"""Response schemas of the follow-up API (``followup.api``)."""

from __future__ import annotations

from ninja import Schema


class BodyOut(Schema):
    id: int
    name: str
    email: str


class BodyRef(Schema):
    id: int
    name: str


class UpdateAttachmentOut(Schema):
    id: int
    name: str
    extension: str
    size: int
    pages: int


class UpdateOut(Schema):
    id: int
    at: str
    text: str
    progress: int  # per cent
    author: str
    attachments: list[UpdateAttachmentOut]


class TaskOut(Schema):
    id: int
    matter_id: int
    tracking_code: str
    title: str
    body: BodyRef
    source: str
    conclusion_id: int | None
    due_date: str
    due_working_days: int | None
    due_explanation: str
    status: str
    progress: int  # per cent
    mark: str  # "overdue", "due_soon" or ""
    created_at: str
    done_at: str | None
    result: str
    escalated_at: str | None


class TaskDetailOut(TaskOut):
    updates: list[UpdateOut]


class ClosureOut(Schema):
    matter_id: int
    tracking_code: str
    status: str
    result: str
    closed_at: str
