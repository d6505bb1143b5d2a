from django import template

from mentoring import explanations
from mentoring import figures as figures_module

register = template.Library()


@register.filter
def figure_rows(figures):
    """``(label, value)`` rows of ``mentoring.figures.Figures``."""
    return list(figures_module.rows(figures))


@register.filter
def explain_to(obj, audience):
    """``{{ proposal|explain_to:"newcomer" }}``: why this match, worded for that reader
    (``newcomer``, ``venue`` or ``staff``); ``obj`` is a proposal, a suggestion or a batch pair."""
    return explanations.explain_to(obj, audience)
