"""Template tag of linked data: a JSON-LD block that is safe to embed in a page."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from entities.linked_data import json_for_html

register = template.Library()


@register.simple_tag
def json_ld(document):
    """``document`` in a ``<script type="application/ld+json">`` element, or nothing if empty.

    The JSON is escaped as Django's ``json_script`` escapes it, so no name or
    alias (``</script>`` included) can end the element. The block is data, not
    code: browsers neither run it nor check it against the Content-Security-
    Policy's ``script-src``, so the policy needs no exception for it.
    """
    if not document:
        return ""
    # json_for_html leaves no "<", ">" or "&" in the text.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(json_for_html(document))
    )
