from events.models.follows import Follow, FollowSettings
from events.models.occurrences import CalendarToken, Occurrence, Registration
from events.models.pages import EventExtraDate, EventIndexPage, EventPage, EventTag
from events.models.proposals import EventProposal, ProposalModerationTask, ProposalStatus
from events.models.questions import QuestionKind, RegistrationAnswer, RegistrationQuestion
from events.models.subscriptions import CalendarSubscription, PublishMode, SyncedEvent

__all__ = [
    "CalendarSubscription",
    "CalendarToken",
    "EventExtraDate",
    "EventIndexPage",
    "EventPage",
    "EventProposal",
    "EventTag",
    "Follow",
    "FollowSettings",
    "Occurrence",
    "ProposalModerationTask",
    "ProposalStatus",
    "PublishMode",
    "QuestionKind",
    "Registration",
    "RegistrationAnswer",
    "RegistrationQuestion",
    "SyncedEvent",
]
