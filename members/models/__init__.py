"""Models of the members app; ``from members.models import User, Commune, VenueIndexPage`` keeps working."""

from members.models.accounts import Commune, User, UserManager, avatar_path
from members.models.claims import VenueClaim
from members.models.imports import VenueImport
from members.models.venues import OpeningHours, VenueGalleryImage, VenueIndexPage, VenuePage, VenueTag

__all__ = [
    "Commune",
    "OpeningHours",
    "User",
    "UserManager",
    "VenueClaim",
    "VenueGalleryImage",
    "VenueImport",
    "VenueIndexPage",
    "VenuePage",
    "VenueTag",
    "avatar_path",
]
