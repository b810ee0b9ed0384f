"""The conclusion notice on the citizen's status page (registered with ``intake.status``)."""

from __future__ import annotations

from tiepdan.intake.models import Matter
from tiepdan.intake.status import StatusSection

from .models import Conclusion
from .paperwork import notice_url


def conclusion_section(matter: Matter) -> StatusSection | None:
    """The latest issued conclusion notice of ``matter`` (date and download link); the bodies
    and the directions stay in the notice itself."""
    conclusion = (Conclusion.objects.filter(matter=matter, notice_issued_at__isnull=False,
                                            notice__isnull=False)
                  .order_by("-notice_issued_at").first())
    if conclusion is None:
        return None
    return StatusSection("minutes/_citizen_status.html", {
        "conclusion": conclusion, "issued_at": conclusion.notice_issued_at,
        "due_date": conclusion.due_date, "url": notice_url(conclusion, "citizen"),
    }, order=20)
