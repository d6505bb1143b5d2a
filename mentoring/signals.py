"""Signal handlers, connected in ``MentoringConfig.ready()``."""


def roles_changed(sender, users, **kwargs):
    """Users' groups or accounts changed (``members.signals.roles_changed``)."""
    from mentoring.services import derive_pairing_rooms

    derive_pairing_rooms(users)
