from django import template

from network.discussion.rendering import time_label, time_title

register = template.Library()

register.filter("message_time", time_label)
register.filter("message_time_title", time_title)
