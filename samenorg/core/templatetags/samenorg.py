from django import template
from django.utils.safestring import SafeString

from samenorg.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown as sanitised HTML: ``{{ initiative.description|markdown }}``."""
    return render_markdown(text)
