"""Bad input answers 400, naming each parameter at fault, in the client's language.

django-ninja answers 422 with pydantic's English messages; the handlers
below (installed by ``api.endpoints``) answer 400 with one entry per
parameter, and the domain's forms report theirs the same way.
"""

from django.utils.translation import gettext as _


class BadParameters(Exception):
    """Raised by an endpoint: ``errors`` is a list of ``(parameter, message)``."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(errors)


def _message(error):
    """A translated message for a pydantic error of a query or path parameter."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind in ("int_parsing", "int_from_float"):
        return _("Un nombre entier est attendu.")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if "ge" in context:
            return _("La valeur doit être au moins %(limit)s.") % {"limit": context["ge"]}
        if "le" in context:
            return _("La valeur doit être au plus %(limit)s.") % {"limit": context["le"]}
        return _("Valeur hors limites.")
    if kind.startswith("date"):
        return _("Une date AAAA-MM-JJ est attendue.")
    if kind == "literal_error":
        return _("Valeurs possibles : %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "string_too_long":
        return _("Au plus %(limit)s caractères.") % {"limit": context.get("max_length")}
    if kind.startswith("bool"):
        return _("Une valeur 1 ou 0 (true ou false) est attendue.")
    if kind == "missing":
        return _("Ce paramètre est obligatoire.")
    return _("Valeur invalide.")


def parameter_errors(validation_error):
    """``[(parameter, message)]`` of a ``ninja.errors.ValidationError``."""
    found = []
    for error in validation_error.errors:
        location = [str(part) for part in error.get("loc", ())[1:]]
        found.append((".".join(location) or "?", _message(error)))
    return found


def form_errors(form):
    """``[(parameter, message)]`` of a bound, validated Django form."""
    return [
        (name if name != "__all__" else "?", " ".join(str(message) for message in messages))
        for name, messages in form.errors.items()
    ]


def error_body(errors):
    names = ", ".join(dict.fromkeys(name for name, _message in errors))
    return {
        "detail": _("Paramètres invalides : %(names)s.") % {"names": names},
        "errors": [{"parameter": name, "message": message} for name, message in errors],
    }
