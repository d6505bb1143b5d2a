"""Admin widgets of the venue editor."""

from django import forms


class CoordinateInput(forms.NumberInput):
    """A latitude or longitude input that ``js/venues.js`` pairs with a Leaflet map.

    Without JavaScript it stays a plain number field (with its help text).
    """

    def __init__(self, axis, attrs=None):
        attrs = {"step": "any", "data-coordinate": axis, **(attrs or {})}
        super().__init__(attrs=attrs)
        self.axis = axis

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css", "css/venues.css"]}
        js = ["vendor/leaflet/leaflet.js", "js/venues.js"]
