"""A year of meetings of the secretariat and two working groups for the demo, made by the services.

Needs the demo actors (polku/actors/demo.py) and challenges (polku/voice/demo.py). The
secretariat meets about once a month, the working groups every six or seven weeks; each has
meetings to come. Past meetings were held, with attendance, decisions, actions followed up
with progress notes, and minutes in every state. Several items are about demo challenges,
and decisions on them reach those challenges as outcomes.

How the past is made. The services rightly refuse what only the past allows: scheduling a
meeting that has started, an action due on a day already gone, a comment deadline in the
past. So every step runs through the real service with the clock set back to the moment it
would have happened: `_clock` patches `django.utils.timezone.now` for the length of one step,
inside this loader only (a management command, one thread). All steps of all meetings are
sorted by their moment and run in that order, so each service sees the world as it then was:
a meeting is scheduled three weeks ahead, items are proposed and accepted, the agenda is sent,
invitees answer, the meeting is held, attendance, decisions and actions are recorded, actions
are followed up, and the minutes are drafted, circulated, commented on, revised, approved and
published. Rows, audit events, notifications and challenges' timelines carry the times they
would have had; the audit log's hash chain stays whole, and its times follow the clock rather
than the order the rows were written in. A progress note planned after today has not
happened yet and is left out, which is how some actions stay open and become overdue.

Two things the clock cannot set are set afterwards: the e-mails of that year went at the
time, so every invitation is marked as mailed in its current revision and every notification
as e-mailed when it was made; and people have read what is more than two weeks old. Loading
the demo therefore sends no e-mails about the past.

Dates are relative to today, so the demo always looks current. A body that already has
meetings is left as it is, so running the loader twice adds nothing.
"""

from polku.meetings.demo.loader import COUNTED, MEETINGS, load
from polku.meetings.demo.plans import (
    IDENTIFICATION,
    LABOUR,
    READ_AFTER,
    SECRETARIAT,
)

__all__ = [
    "COUNTED",
    "IDENTIFICATION",
    "LABOUR",
    "MEETINGS",
    "READ_AFTER",
    "SECRETARIAT",
    "load",
    "summary",
]


def summary(created: dict[str, int]) -> list[str]:
    counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in created.items())
    return [f"Demo meetings created: {counts}."]
