"""Failures the room and readiness pages report (their ``client_error`` message: a camera that
would not open, an SDP the browser refused, a script error), written to the server's log so
that a technician sees what went wrong at a bridge point.

Bounded: the text by the message's schema (``protocol.ClientError``, refused beyond
``protocol.MAX_CLIENT_ERROR_CHARS``; control characters are refused there too, so a report is
one log line), and the number by a budget per connection, so that a page failing in a loop
cannot flood the log; what the budget drops is counted and said with the next line logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .protocol import MessageBudget

log = logging.getLogger(__name__)

#: Reports logged at once, then one every REPORT_EVERY_SECONDS at most, per connection.
REPORT_BURST = 5
REPORT_EVERY_SECONDS = 30.0


@dataclass
class ClientErrorLog:
    """The reports of one connection."""

    budget: MessageBudget = field(default_factory=lambda: MessageBudget(
        burst=REPORT_BURST, per_second=1 / REPORT_EVERY_SECONDS, tokens=REPORT_BURST))
    dropped: int = 0

    def record(self, hearing_id: int, who: str, where: str, message: str) -> bool:
        """Log one report of the page of ``who``; False when over the budget (not logged)."""
        if not self.budget.take():
            self.dropped += 1
            return False
        earlier = f" ({self.dropped} earlier reports not logged)" if self.dropped else ""
        log.warning("hearing %s: the page of %s failed in %r: %r%s", hearing_id, who, where,
                    message, earlier)
        self.dropped = 0
        return True
