"""A plan's words shown with its own key of abbreviations: each abbreviation the key explains is an <abbr>."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(needs_autoescape=True)
def abbreviate(text, plan, autoescape=True):
    """`text` escaped, with every whole-word abbreviation of `plan`'s key wrapped in <abbr title="meaning">."""
    escape = conditional_escape if autoescape else str
    key = dict(getattr(plan, "abbreviations", None) or [])
    if not text or not key:
        return escape(text or "")
    alternatives = "|".join(re.escape(short) for short in sorted(key, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")
    parts, last = [], 0
    for match in pattern.finditer(str(text)):
        parts.append(escape(text[last:match.start()]))
        parts.append(format_html('<abbr title="{}">{}</abbr>', key[match.group(1)], match.group(1)))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))
