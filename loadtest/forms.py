"""The forms of a page as a browser would submit them, read with the standard library's HTML parser.

The locust scenario posts the site's real forms (CSRF token, hidden fields, formsets) instead of
hand-written field lists, so a form that changes shape keeps working, or fails loudly."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    # (name, value) pairs in document order, as a browser sends them without pressing a named button
    fields: list[tuple[str, str]] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def data(self, **changes: str) -> list[tuple[str, str]]:
        """The fields with ``changes`` replacing (or adding) single values; ``__`` in a keyword stands for ``-``."""
        changes = {name.replace("__", "-"): value for name, value in changes.items()}
        pairs = [(name, changes.pop(name) if name in changes else value) for name, value in self.fields]
        return pairs + list(changes.items())


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: tuple[str, list[str]] | None = None
        self.select: tuple[str, list[tuple[str, bool]], bool] | None = None
        self.option: list[str] | None = None
        self.option_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.form = Form(attributes.get("action") or "", (attributes.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None or "disabled" in attributes:
            return
        elif tag == "input":
            self._input(attributes)
        elif tag == "textarea" and attributes.get("name"):
            self.textarea = (attributes["name"] or "", [])
        elif tag == "select" and attributes.get("name"):
            self.select = (attributes["name"] or "", [], "multiple" in attributes)
        elif tag == "option" and self.select is not None:
            self._end_option()
            self.option, self.option_attrs = [], attributes

    def _input(self, attributes: dict[str, str | None]) -> None:
        if self.form is None:
            return
        name, kind = attributes.get("name"), (attributes.get("type") or "text").lower()
        if not name or kind in {"submit", "button", "image", "reset", "file"}:
            return
        if kind in {"checkbox", "radio"} and "checked" not in attributes:
            return
        default = "on" if kind in {"checkbox", "radio"} else ""
        value = attributes.get("value")
        self.form.fields.append((name, default if value is None else value))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option.append(data)

    def _end_option(self) -> None:
        if self.select is not None and self.option is not None:
            value = self.option_attrs.get("value")
            text = "".join(self.option).strip() if value is None else value
            self.select[1].append((text, "selected" in self.option_attrs))
        self.option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            name, text = self.textarea
            self.form.fields.append((name, "".join(text).removeprefix("\n")))
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None and self.form is not None:
            self._end_option()
            name, options, multiple = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:  # a single select sends its first option
                chosen = [options[0][0]]
            self.form.fields.extend((name, value) for value in (chosen if multiple else chosen[-1:]))
            self.select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with_action(html: str, ending: str) -> Form | None:
    """The first form whose action ends with ``ending`` (a path such as ``/volgen``), or None."""
    return next((form for form in forms_of(html) if form.action.split("?")[0].endswith(ending)), None)


def form_with_field(html: str, name: str) -> Form | None:
    """The first form that sends a field ``name``, or None."""
    return next((form for form in forms_of(html) if form.value(name) is not None), None)
