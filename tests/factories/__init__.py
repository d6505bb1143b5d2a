from tests.factories.members import UserFactory, VerifiedUserFactory

__all__ = ["UserFactory", "VerifiedUserFactory"]
