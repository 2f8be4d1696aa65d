from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def municipality_name() -> str:
    return str(settings.BALIE_MUNICIPALITY_NAME)
