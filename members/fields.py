"""A multiple-choice model field stored as space-separated codes.

Works the same on SQLite and PostgreSQL (no ArrayField, no JSON lookups) and
serializes into Wagtail revisions as a plain string.
"""

from django import forms
from django.core import exceptions
from django.db import models
from django.utils.text import capfirst


class ChoiceListField(models.CharField):
    """A list of codes drawn from ``choices``; the database holds ``"a b c"``."""

    def __init__(self, *args, list_choices=(), **kwargs):
        self.list_choices = list(list_choices)
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["list_choices"] = self.list_choices
        return name, path, args, kwargs

    @staticmethod
    def _split(value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [code for code in value.replace(",", " ").split() if code]
        return [str(code) for code in value if code]

    def from_db_value(self, value, expression, connection):
        return self._split(value)

    def to_python(self, value):
        return self._split(value)

    def get_prep_value(self, value):
        codes = self._split(value)
        return " ".join(dict.fromkeys(codes))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = {code for code, _label in self.list_choices}
        for code in self._split(value):
            if code not in allowed:
                raise exceptions.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": code}
                )
        if not self.blank and not value:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.list_choices,
            "required": not self.blank,
            "label": capfirst(self.verbose_name),
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("max_length", "empty_value", "choices_form_class"):
            defaults.pop(key, None)
        return form_class(**defaults)
