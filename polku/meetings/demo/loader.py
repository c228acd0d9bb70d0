"""Plays the demo year through the services with the clock set back; see the package docstring."""

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Max, Model
from django.utils import timezone

from polku.accounts.models import User
from polku.actors.models import Body, BodyMember, Organisation
from polku.audit.services import audit_write
from polku.meetings.choices import (
    OPEN_ACTION_STATUSES,
    AgendaItemStatus,
    Attendance,
    InvitationResponse,
    MinutesStatus,
)
from polku.meetings.demo.identification import IDENTIFICATION_MEETINGS
from polku.meetings.demo.labour import LABOUR_MEETINGS
from polku.meetings.demo.plans import (
    BODIES,
    PUBLISHED,
    READ_AFTER,
    Action,
    Comment,
    DemoBody,
    DemoMeeting,
    Item,
    Note,
    Paper,
    Revision,
)
from polku.meetings.demo.secretariat import SECRETARIAT_MEETINGS
from polku.meetings.models import (
    ActionItem,
    ActionNote,
    AgendaItem,
    Decision,
    Invitation,
    Meeting,
    MeetingDocument,
    Minutes,
    MinutesComment,
    MinutesVersion,
)
from polku.meetings.services import actions as action_services
from polku.meetings.services import agenda as agenda_services
from polku.meetings.services import documents as document_services
from polku.meetings.services import invitations as invitation_services
from polku.meetings.services import meetings as meeting_services
from polku.meetings.services import minutes as minutes_services
from polku.meetings.services.agenda_sending import agenda_send
from polku.meetings.services.decisions import decision_record
from polku.notifications.models import Notification
from polku.voice.models import Challenge, Outcome

MEETINGS = SECRETARIAT_MEETINGS + LABOUR_MEETINGS + IDENTIFICATION_MEETINGS


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Runs what is inside as if it were `moment`: services, timestamps and audit alike."""
    with mock.patch.object(timezone, "now", new=lambda: moment):
        yield


def _at(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _outside_holidays(day: date, *, later: bool) -> date:
    """Bodies do not meet between Christmas and Epiphany: a week earlier, or later if to come."""
    while (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 6):
        day += timedelta(weeks=1 if later else -1)
    return day


def _finnish_time(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.hour}.{local.minute:02d}"


def _finnish_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def _follow_up_text(open_actions: int, overdue: int) -> str:
    if not open_actions:
        return "No actions were open."
    if open_actions == 1:
        late = "past its due date" if overdue else "not yet due"
        return f"The follow-up list was reviewed: 1 action open, {late}."
    if not overdue:
        late = "none of them past its due date"
    elif overdue == 1:
        late = "1 of them past its due date"
    else:
        late = f"{overdue} of them past their due date"
    return f"The follow-up list was reviewed: {open_actions} actions open, {late}."


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _share(*parts: str) -> int:
    """A stable number from 0 to 99 for the parts: the same mix of attendance every load."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


@dataclass
class _Sitting:
    """One demo meeting while it is being made."""

    plan: DemoMeeting
    config: DemoBody
    body: Body
    day: date
    title: str = ""
    meeting: Meeting | None = None
    following: "_Sitting | None" = None
    items: dict[str, AgendaItem] = field(default_factory=dict)
    open_actions: int = 0
    overdue_actions: int = 0
    text: str = ""

    @property
    def starts_at(self) -> datetime:
        return _at(self.day, self.config.starts)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(hours=self.config.hours)

    @property
    def held(self) -> bool:
        return self.plan.week <= 0

    def made(self) -> Meeting:
        assert self.meeting is not None, "The meeting is made by its first step."
        return self.meeting


class _Loader:
    """Plans every step of every demo meeting, then runs them in order with the clock set."""

    def __init__(self, bodies: list[Body]) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.people = {user.username: user for user in User.objects.filter(is_active=True)}
        self.bodies = {body.name: body for body in bodies}
        titles = {item.challenge for plan in MEETINGS for item in plan.items if item.challenge}
        self.challenges = {
            challenge.title: challenge for challenge in Challenge.objects.filter(title__in=titles)
        }
        self.unlinked: set[tuple[str, str]] = set()
        self.last_event = {
            challenge.title: challenge.events.aggregate(last=Max("created_at"))["last"]
            for challenge in self.challenges.values()
        }

    # --- Planning ----------------------------------------------------------------------

    def person(self, username: str) -> User:
        return self.people[username]

    def organisation_of(self, username: str, body: Body) -> Organisation:
        """The organisation a person speaks for: their seat's, else their membership's."""
        seat = BodyMember.objects.filter(body=body, user=self.person(username)).first()
        if seat is not None:
            return seat.organisation
        membership = self.person(username).memberships.filter(is_active=True).first()
        assert membership is not None, username
        return membership.organisation

    def at(self, moment: datetime, step: Callable[[], None], *, if_past: bool = False) -> None:
        """Plans a step; one still to come is an error, unless it may simply not have happened."""
        if moment >= self.now:
            if if_past:
                return
            raise ValueError(f"A demo step is planned in the future: {moment}.")
        self.steps.append((moment, len(self.steps), step))

    def sittings(self) -> list[_Sitting]:
        sittings: list[_Sitting] = []
        for name, body in self.bodies.items():
            config = BODIES[name]
            latest = self.today - timedelta(days=config.latest_days_ago)
            latest -= timedelta(days=(latest.weekday() - config.weekday) % 7)
            plans = sorted((plan for plan in MEETINGS if plan.body == name), key=lambda p: p.week)
            own = [
                _Sitting(
                    plan=plan,
                    config=config,
                    body=body,
                    day=_outside_holidays(latest + timedelta(weeks=plan.week), later=plan.week > 0),
                )
                for plan in plans
            ]
            for sitting, following in zip(own, [*own[1:], None], strict=True):
                sitting.following = following
                sitting.title = f"{config.title}: {sitting.plan.theme}"
            sittings.extend(own)
        return sittings

    def plan(self) -> None:
        for sitting in self.sittings():
            if sitting.held:
                self.plan_held(sitting)
            else:
                self.plan_upcoming(sitting)

    def _chair_moment(self, sitting: _Sitting, moment: datetime) -> datetime:
        """The chair drafts the agenda once everything that already happened to the challenges
        on it has happened. An item that cannot wait for that goes on without its challenge
        (say, one just addressed by a guideline loaded before the meetings)."""
        limit = min(sitting.starts_at - timedelta(hours=12), self.now)
        for item in sitting.plan.items:
            last = self.last_event.get(item.challenge)
            if item.proposer or last is None:
                continue
            after = _at(timezone.localdate(last) + timedelta(days=1), time(9, 0))
            if after >= limit:
                after = last + timedelta(hours=1)
            if after >= limit:
                self.unlinked.add((sitting.title, item.title))
            elif after > moment:
                moment = after
        return moment

    def plan_agenda(
        self, sitting: _Sitting, *, scheduled: datetime, proposals: datetime
    ) -> datetime:
        """Plans the agenda up to its last item; returns when the last item is settled."""
        plan = sitting.plan
        self.at(scheduled, partial(self.schedule, sitting))
        self.at(scheduled + timedelta(minutes=30), partial(self.standing_items, sitting))
        chaired = self._chair_moment(sitting, scheduled + timedelta(days=7 if sitting.held else 3))
        for number, item in enumerate(plan.items):
            if not item.proposer:
                self.at(chaired + timedelta(minutes=number), partial(self.add_item, sitting, item))
        for number, guest in enumerate(plan.guests):
            self.at(
                chaired + timedelta(hours=1, minutes=number), partial(self.invite, sitting, guest)
            )
        settled = chaired + timedelta(minutes=len(plan.items))
        for number, item in enumerate(item for item in plan.items if item.proposer):
            proposed = proposals + timedelta(minutes=10 * number)
            self.at(proposed, partial(self.propose, sitting, item))
            answered = proposed + timedelta(days=2)
            if item.declined:
                self.at(answered, partial(self.decline, sitting, item))
            elif not item.pending:
                self.at(answered, partial(self.accept, sitting, item))
            settled = max(settled, answered)
        papers = proposals + timedelta(days=3)
        for number, paper in enumerate(plan.papers):
            self.at(papers + timedelta(minutes=number), partial(self.upload, sitting, paper))
        return settled

    def plan_held(self, sitting: _Sitting) -> None:
        plan = sitting.plan
        start = sitting.starts_at
        settled = self.plan_agenda(
            sitting,
            scheduled=_at(sitting.day - timedelta(days=21), time(9, 30)),
            proposals=_at(sitting.day - timedelta(days=12), time(14, 0)),
        )
        # The agenda closes with other business and goes out a week before, or once it is
        # complete if a challenge on it came in late.
        closed = max(
            _at(sitting.day - timedelta(days=7), time(8, 30)), settled + timedelta(hours=1)
        )
        self.at(closed, partial(self.closing_item, sitting))
        self.at(closed + timedelta(minutes=30), partial(self.send_agenda, sitting))
        self.at(_at(sitting.day - timedelta(days=4), time(12, 0)), partial(self.answer, sitting))
        self.at(start + timedelta(minutes=20), partial(self.review_actions, sitting))
        self.at(sitting.ends_at + timedelta(minutes=5), partial(self.hold, sitting))
        self.at(sitting.ends_at + timedelta(minutes=15), partial(self.decide, sitting))
        for item in plan.items:
            for action in item.actions:
                for note in action.notes:
                    moment = _at(sitting.day + timedelta(days=note.day), time(11, 0))
                    self.at(
                        moment, partial(self.progress, sitting, item, action, note), if_past=True
                    )
        self.plan_minutes(sitting)

    def plan_minutes(self, sitting: _Sitting) -> None:
        plan = sitting.plan
        day = sitting.day
        self.at(_at(day + timedelta(days=2), time(10, 0)), partial(self.first_draft, sitting))
        for revision in plan.revisions:
            moment = _at(day + timedelta(days=revision.day), revision.at)
            self.at(moment, partial(self.revise, sitting, revision))
        if plan.minutes == MinutesStatus.DRAFT:
            return
        self.at(_at(day + timedelta(days=3), time(9, 0)), partial(self.circulate, sitting))
        for comment in plan.comments:
            moment = _at(day + timedelta(days=comment.day), time(13, 0))
            self.at(moment, partial(self.comment, sitting, comment))
        if plan.minutes not in (MinutesStatus.APPROVED, PUBLISHED):
            return
        if sitting.config.approval == "chair":
            approved = _at(day + timedelta(days=plan.approve_day), time(10, 0))
        else:
            following = sitting.following
            assert following is not None and following.held, sitting.title
            approved = following.ends_at + timedelta(minutes=25)
        self.at(approved, partial(self.approve, sitting))
        if plan.minutes == PUBLISHED:
            published = _at(timezone.localdate(approved) + timedelta(days=1), time(10, 30))
            self.at(published, partial(self.publish, sitting))

    def plan_upcoming(self, sitting: _Sitting) -> None:
        today = self.today
        settled = self.plan_agenda(
            sitting,
            scheduled=_at(today - timedelta(days=13), time(9, 30)),
            proposals=_at(today - timedelta(days=6), time(14, 0)),
        )
        closed = max(_at(today - timedelta(days=2), time(8, 30)), settled + timedelta(hours=1))
        self.at(closed, partial(self.closing_item, sitting))
        self.at(_at(today - timedelta(days=1), time(12, 0)), partial(self.answer, sitting))

    # --- Steps -------------------------------------------------------------------------

    def schedule(self, sitting: _Sitting) -> None:
        config, plan = sitting.config, sitting.plan
        location = plan.location or config.location
        sitting.meeting = meeting_services.meeting_schedule(
            actor=self.person(config.secretary),
            body=sitting.body,
            data=meeting_services.MeetingInput(
                title=sitting.title,
                starts_at=sitting.starts_at,
                ends_at=sitting.ends_at,
                location="" if plan.where == "online" else location,
                online_url="" if plan.where == "room" else config.online_url,
                chatham_house=plan.chatham_house,
            ),
        )

    def _add(self, sitting: _Sitting, actor: str, title: str, minutes: int | None) -> None:
        result = agenda_services.agenda_item_add(
            actor=self.person(actor),
            meeting=sitting.made(),
            data=agenda_services.AgendaItemInput(title=title, duration_minutes=minutes),
        )
        sitting.items[title] = result.item

    def standing_items(self, sitting: _Sitting) -> None:
        secretary = sitting.config.secretary
        self._add(sitting, secretary, "Opening of the meeting and adoption of the agenda", 5)
        if sitting.body.meetings.filter(starts_at__lt=sitting.starts_at).exists():
            self._add(sitting, secretary, "Follow-up of actions", 10)

    def closing_item(self, sitting: _Sitting) -> None:
        self._add(sitting, sitting.config.secretary, "Other business and the next meeting", 10)

    def add_item(self, sitting: _Sitting, item: Item) -> None:
        config = sitting.config
        # Only the chair of these bodies may move a challenge onto an agenda (a triage role).
        actor = config.chair if item.challenge else config.secretary
        result = agenda_services.agenda_item_add(
            actor=self.person(actor),
            meeting=sitting.made(),
            data=self._input(sitting, item),
        )
        sitting.items[item.title] = result.item

    def _input(self, sitting: _Sitting, item: Item) -> agenda_services.AgendaItemInput:
        linked = (sitting.title, item.title) not in self.unlinked
        return agenda_services.AgendaItemInput(
            title=item.title,
            description=item.description,
            duration_minutes=item.duration,
            challenge=self.challenges.get(item.challenge) if linked else None,
        )

    def invite(self, sitting: _Sitting, username: str) -> None:
        invitation_services.meeting_invite(
            actor=self.person(sitting.config.secretary),
            meeting=sitting.made(),
            user=self.person(username),
            organisation=self.organisation_of(username, sitting.body),
        )

    def propose(self, sitting: _Sitting, item: Item) -> None:
        sitting.items[item.title] = agenda_services.agenda_item_propose(
            actor=self.person(item.proposer),
            meeting=sitting.made(),
            data=self._input(sitting, item),
        )

    def accept(self, sitting: _Sitting, item: Item) -> None:
        result = agenda_services.agenda_item_accept(
            actor=self.person(sitting.config.chair), item=sitting.items[item.title]
        )
        sitting.items[item.title] = result.item

    def decline(self, sitting: _Sitting, item: Item) -> None:
        sitting.items[item.title] = agenda_services.agenda_item_decline(
            actor=self.person(sitting.config.chair),
            item=sitting.items[item.title],
            reason=item.declined,
        )

    def upload(self, sitting: _Sitting, paper: Paper) -> None:
        document_services.document_upload(
            actor=self.person(sitting.config.secretary),
            meeting=sitting.made(),
            file=SimpleUploadedFile(paper.filename, paper.text.encode()),
            title=paper.title,
        )

    def send_agenda(self, sitting: _Sitting) -> None:
        agenda_send(actor=self.person(sitting.config.secretary), meeting=sitting.made())

    def attendance_of(self, sitting: _Sitting, invitation: Invitation) -> str:
        """Most come; some send apologies beforehand; now and then someone does not turn up."""
        config = sitting.config
        username = invitation.user.username
        if username in (config.chair, config.secretary) or username in sitting.plan.guests:
            return Attendance.PRESENT
        share = _share(sitting.title, username)
        if share < 76:
            return Attendance.PRESENT
        if share < 92:
            return Attendance.APOLOGIES
        return Attendance.ABSENT

    def answer(self, sitting: _Sitting) -> None:
        """Invitees say whether they are coming; some never answer."""
        meeting = sitting.made()
        for invitation in meeting.invitations.select_related("user").order_by("pk"):
            username = invitation.user.username
            if sitting.held:
                attendance = self.attendance_of(sitting, invitation)
                if attendance == Attendance.APOLOGIES:
                    response = InvitationResponse.DECLINED
                elif attendance == Attendance.PRESENT and _share(username, sitting.title) % 3:
                    response = InvitationResponse.ACCEPTED
                else:
                    continue
            elif _share(username, sitting.title) < 60:
                response = InvitationResponse.ACCEPTED
            else:
                continue
            invitation_services.invitation_respond(
                actor=invitation.user, meeting=meeting, response=response
            )

    def review_actions(self, sitting: _Sitting) -> None:
        """The follow-up item: the body goes through its open actions."""
        meeting = sitting.made()
        open_actions = list(
            ActionItem.objects.filter(body=sitting.body, status__in=OPEN_ACTION_STATUSES)
        )
        sitting.open_actions = len(open_actions)
        sitting.overdue_actions = sum(action.due_on < sitting.day for action in open_actions)
        if open_actions:
            action_services.actions_mark_reviewed(
                actor=self.person(sitting.config.secretary),
                body=sitting.body,
                meeting=meeting,
                actions=open_actions,
            )

    def hold(self, sitting: _Sitting) -> None:
        secretary = self.person(sitting.config.secretary)
        meeting = meeting_services.meeting_mark_held(actor=secretary, meeting=sitting.made())
        attendance = {
            invitation.pk: self.attendance_of(sitting, invitation)
            for invitation in meeting.invitations.select_related("user")
        }
        sitting.meeting = meeting_services.meeting_record_attendance(
            actor=secretary, meeting=meeting, attendance=attendance
        )

    def decide(self, sitting: _Sitting) -> None:
        """Decisions on the items, and the actions that follow from them."""
        secretary = self.person(sitting.config.secretary)
        for item in sitting.plan.items:
            agenda_item = sitting.items[item.title]
            decision = None
            if item.decision:
                decision = decision_record(actor=secretary, item=agenda_item, text=item.decision)
            for action in item.actions:
                action_services.action_create(
                    actor=secretary,
                    item=agenda_item,
                    data=action_services.ActionInput(
                        title=action.title,
                        owner=self.person(action.owner),
                        owner_organisation=self.organisation_of(action.owner, sitting.body),
                        due_on=sitting.day + timedelta(days=action.due),
                        deputy=self.person(action.deputy) if action.deputy else None,
                        decision=decision,
                    ),
                )

    def progress(self, sitting: _Sitting, item: Item, action: Action, note: Note) -> None:
        found = ActionItem.objects.get(item=sitting.items[item.title], title=action.title)
        action_services.action_add_note(
            actor=self.person(note.by or action.owner),
            action=found,
            text=note.text,
            status=note.status,
        )

    # --- Minutes -----------------------------------------------------------------------

    def _minutes(self, sitting: _Sitting) -> Minutes:
        return Minutes.objects.get(meeting=sitting.made())

    def first_draft(self, sitting: _Sitting) -> None:
        sitting.text = self.minutes_text(sitting)
        minutes_services.minutes_save(
            actor=self.person(sitting.config.secretary),
            meeting=sitting.made(),
            text=sitting.text,
            base_version=0,
            note="First draft",
        )

    def revise(self, sitting: _Sitting, revision: Revision) -> None:
        text = sitting.text
        for old, new in revision.changes:
            if old not in text:
                raise ValueError(f"“{old}” is not in the minutes of {sitting.title}.")
            text = text.replace(old, new)
        minutes = self._minutes(sitting)
        minutes_services.minutes_save(
            actor=self.person(revision.by),
            meeting=sitting.made(),
            text=text,
            base_version=minutes.version,
            note=revision.note,
        )
        sitting.text = text

    def circulate(self, sitting: _Sitting) -> None:
        plan = sitting.plan
        if plan.deadline_from_today is not None:
            deadline = self.today + timedelta(days=plan.deadline_from_today)
        else:
            deadline = sitting.day + timedelta(days=plan.deadline)
        minutes_services.minutes_circulate(
            actor=self.person(sitting.config.secretary),
            minutes=self._minutes(sitting),
            comment_deadline=deadline,
        )

    def comment(self, sitting: _Sitting, comment: Comment) -> None:
        minutes_services.minutes_comment(
            actor=self.person(comment.by), minutes=self._minutes(sitting), text=comment.text
        )

    def approve(self, sitting: _Sitting) -> None:
        config = sitting.config
        if config.approval == "chair":
            minutes_services.minutes_approve(
                actor=self.person(config.chair), minutes=self._minutes(sitting)
            )
            return
        following = sitting.following
        assert following is not None
        minutes_services.minutes_approve(
            actor=self.person(config.secretary),
            minutes=self._minutes(sitting),
            at_meeting=following.made(),
        )

    def publish(self, sitting: _Sitting) -> None:
        minutes_services.minutes_publish(
            actor=self.person(sitting.config.secretary),
            minutes=self._minutes(sitting),
            audience=sitting.plan.audience,
        )

    def minutes_text(self, sitting: _Sitting) -> str:
        """The secretary's first draft, from the agenda, the attendance and the decisions."""
        meeting = sitting.made()
        plan = sitting.plan
        chatham = meeting.chatham_house
        local_start = timezone.localtime(meeting.starts_at)
        lines = [
            f"{sitting.body.name}",
            f"Minutes of the meeting “{meeting.title}”",
            "",
            f"Time: {WEEKDAYS[local_start.weekday()]} {_finnish_date(local_start.date())}, "
            f"{_finnish_time(meeting.starts_at)}-{_finnish_time(meeting.ends_at)}",
            f"Place: {meeting.location or 'online'}"
            + (" and online" if meeting.location and meeting.online_url else ""),
        ]
        lines.extend(self._attendance_lines(sitting))
        items = list(
            meeting.items.filter(status=AgendaItemStatus.ACCEPTED).order_by("position", "pk")
        )
        planned = {item.title: item for item in plan.items}
        for number, agenda_item in enumerate(items, start=1):
            lines += ["", f"{number}. {agenda_item.title}"]
            item = planned.get(agenda_item.title)
            if item is None:
                lines.append(self._standing_text(sitting, agenda_item.title))
                continue
            if item.minutes:
                lines.append(item.minutes)
            if item.decision:
                lines.append(f"Decision: {item.decision}")
            for action in agenda_item.actions.select_related("owner", "owner_organisation"):
                due = _finnish_date(action.due_on)
                if chatham:
                    lines.append(f"Action: {action.title}, by {due}.")
                else:
                    lines.append(
                        f"Action: {action.owner} ({action.owner_organisation.name}): "
                        f"{action.title}, by {due}."
                    )
        closing = _at(sitting.day, sitting.config.starts) + timedelta(
            hours=sitting.config.hours, minutes=-5
        )
        lines += ["", f"The chair closed the meeting at {_finnish_time(closing)}."]
        return "\n".join(lines)

    def _attendance_lines(self, sitting: _Sitting) -> list[str]:
        meeting = sitting.made()
        invitations = list(
            meeting.invitations.select_related("user", "organisation").order_by("kind", "pk")
        )
        if meeting.chatham_house:
            present = [i for i in invitations if i.attendance == Attendance.PRESENT]
            guests = sum(invitation.kind == "guest" for invitation in present)
            return [
                f"Present: {len(present)} participants, {guests} of them invited guests.",
                "The meeting was held under the Chatham House rule.",
            ]
        roles = {
            sitting.config.chair: "chair",
            sitting.config.secretary: "secretary",
        }
        lines = []
        for label, value in (
            ("Present", Attendance.PRESENT),
            ("Sent apologies", Attendance.APOLOGIES),
            ("Absent", Attendance.ABSENT),
        ):
            names = []
            for invitation in invitations:
                if invitation.attendance != value:
                    continue
                role = roles.get(invitation.user.username)
                if invitation.kind == "guest":
                    role = "guest"
                suffix = f", {role}" if role else ""
                names.append(f"{invitation.user} ({invitation.organisation.name}{suffix})")
            if names:
                lines.append(f"{label}: " + "; ".join(names))
        return lines

    def _standing_text(self, sitting: _Sitting, title: str) -> str:
        meeting = sitting.made()
        if title.startswith("Opening"):
            text = f"The chair opened the meeting at {_finnish_time(meeting.starts_at)}. "
            if meeting.chatham_house:
                text += "The chair reminded participants that the Chatham House rule applies. "
            return text + "The agenda was adopted."
        if title.startswith("Follow-up"):
            return _follow_up_text(sitting.open_actions, sitting.overdue_actions)
        following = sitting.following
        if following is None:
            return "No other business. The date of the next meeting is agreed later."
        return (
            "No other business. The next meeting is held on "
            f"{WEEKDAYS[following.day.weekday()]} {_finnish_date(following.day)}."
        )

    # --- Running -----------------------------------------------------------------------

    def run(self) -> None:
        for moment, _order, step in sorted(self.steps, key=lambda step: (step[0], step[1])):
            with _clock(moment):
                step()


COUNTED: dict[str, type[Model]] = {
    "meetings": Meeting,
    "invitations": Invitation,
    "agenda_items": AgendaItem,
    "documents": MeetingDocument,
    "minutes": Minutes,
    "minutes_versions": MinutesVersion,
    "minutes_comments": MinutesComment,
    "decisions": Decision,
    "actions": ActionItem,
    "action_notes": ActionNote,
    "challenge_outcomes": Outcome,
}


def _counts() -> dict[str, int]:
    return {name: model._default_manager.count() for name, model in COUNTED.items()}


def _settle_the_past(*, since_notification: int, meetings: list[Meeting], now: datetime) -> None:
    """E-mails of the past went at the time, and what is old has been read."""
    made = Notification.objects.filter(pk__gt=since_notification)
    made.filter(emailed_at=None).update(emailed_at=F("created_at"))
    made.filter(read_at=None, created_at__lt=now - READ_AFTER).update(
        read_at=F("created_at") + timedelta(days=1)
    )
    for meeting in meetings:
        meeting.invitations.update(sent_sequence=meeting.sequence)


@transaction.atomic
def load() -> dict[str, int]:
    """Makes a year of meetings for each demo body that has none; returns what it created."""
    before = _counts()
    bodies = [
        body
        for body in Body.objects.filter(name__in=BODIES)
        if not Meeting.objects.filter(body=body).exists()
    ]
    since_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    loader = _Loader(bodies)
    loader.plan()
    loader.run()
    made = list(Meeting.objects.filter(body__in=bodies))
    _settle_the_past(since_notification=since_notification, meetings=made, now=loader.now)
    after = _counts()
    created = {name: after[name] - before[name] for name in COUNTED}
    audit_write(actor=None, action="meetings.demo.load", detail=created)
    return created
