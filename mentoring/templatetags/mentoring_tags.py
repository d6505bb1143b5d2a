from django import template

from mentoring import figures as figures_module

register = template.Library()


@register.filter
def figure_rows(figures):
    """``(label, value)`` rows of ``mentoring.figures.Figures``."""
    return list(figures_module.rows(figures))
