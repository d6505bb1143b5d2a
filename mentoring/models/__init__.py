"""Models of the compagnonnage; ``from mentoring.models import MentoringPage, Pairing`` works."""

from mentoring.models.mentoring import CheckIn, MentoringRequest, MentorProfile, Pairing, Proposal
from mentoring.models.pages import MentoringPage

__all__ = ["CheckIn", "MentorProfile", "MentoringPage", "MentoringRequest", "Pairing", "Proposal"]
