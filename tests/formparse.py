"""Read the forms of an HTML page and submit them the way a browser would (test helper).

``forms(html)`` lists every ``<form>`` of a page; ``form_with(html, "first_name")`` picks the
one holding a field. A ``ParsedForm`` keeps, in document order, the name/value pairs a browser
would send if the form were submitted untouched (its "entry list"): text-like inputs with
their ``value``, checked checkboxes and radios (``"on"`` without a value), the selected
options of each select (the first enabled option when none is marked in a single select),
textareas with the one leading newline the HTML parser drops. Disabled controls, buttons,
file inputs and unnamed controls send nothing.

    form = form_with(client.get(url).get_data(as_text=True), "first_name")
    form.set("phones", "0661 00 00 00")
    client.post(url, data=form.submission())
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

__all__ = ["Control", "ParsedForm", "form_with", "forms"]

_NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}


@dataclass
class Control:
    """One named control of a form, whether or not it would be submitted."""

    tag: str  # input, select, textarea
    name: str
    type: str  # the input type; "select", "select-multiple" or "textarea" otherwise
    values: list[str]  # what a submission sends for it (empty: nothing)
    options: list[str] = field(default_factory=list)  # checkbox/radio value, select options


@dataclass
class ParsedForm:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    def names(self) -> list[str]:
        """Every control's name, once, in document order (submitted or not)."""
        return list(dict.fromkeys(c.name for c in self.controls))

    def getlist(self, name: str) -> list[str]:
        """All values the browser would send under ``name``."""
        self._require(name)
        return [v for c in self.controls if c.name == name for v in c.values]

    def get(self, name: str) -> str | None:
        """The first value sent under ``name``, or None if nothing is sent."""
        values = self.getlist(name)
        return values[0] if values else None

    def options(self, name: str) -> list[str]:
        """The values a select, a group of checkboxes or radios offers under ``name``."""
        self._require(name)
        return [o for c in self.controls if c.name == name for o in c.options]

    def set(self, name: str, value: str | list[str]) -> None:
        """What the user types or picks: one value, or the values of a group or multi-select.

        For checkboxes, radios and selects each value must be one the page offers.
        """
        self._require(name)
        wanted = [value] if isinstance(value, str) else list(value)
        group = [c for c in self.controls if c.name == name]
        if group[0].type in ("checkbox", "radio", "select", "select-multiple"):
            offered = self.options(name)
            unknown = [v for v in wanted if v not in offered]
            assert not unknown, f"{name}: {unknown} not among the options {offered}"
            if group[0].type in ("checkbox", "radio"):
                for control in group:
                    control.values = [o for o in control.options if o in wanted]
                return
        group[0].values = wanted
        for control in group[1:]:
            control.values = []

    def submission(self) -> MultiDict:
        """The entry list as a MultiDict, ready for a test client's ``data=``."""
        return MultiDict([(c.name, v) for c in self.controls for v in c.values])

    def _require(self, name: str) -> None:
        assert any(c.name == name for c in self.controls), f"no field {name!r} in the form"


def forms(html: str) -> list[ParsedForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, field_name: str) -> ParsedForm:
    """The (single) form of the page that has a control named ``field_name``."""
    found = [f for f in forms(html) if field_name in f.names()]
    assert len(found) == 1, f"{len(found)} forms with a field {field_name!r}"
    return found[0]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = ParsedForm(
                action=attributes.get("action", ""),
                method=attributes.get("method", "get").lower(),
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(attributes)
        elif tag == "select":
            self._select = {**attributes, "options": []}
        elif tag == "option" and self._select is not None:
            self._finish_option()
            self._option = {**attributes, "text": ""}
        elif tag == "optgroup" and self._select is not None:
            self._finish_option()
        elif tag == "textarea":
            self._textarea = {**attributes, "text": ""}

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._finish_option()
        elif tag == "select" and self._select is not None:
            self._finish_option()
            self._add_select(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add_textarea(self._textarea)
            self._textarea = None

    def _input(self, attributes: dict[str, str]) -> None:
        kind = attributes.get("type", "text").lower()
        name = attributes.get("name")
        if not name or kind in _NOT_SUBMITTED:
            return
        value = attributes.get("value", "")
        if kind in ("checkbox", "radio"):
            value = attributes.get("value", "on")
            sent = [value] if "checked" in attributes else []
            self._add(Control("input", name, kind, sent, [value]), attributes)
        else:
            self._add(Control("input", name, kind, [value]), attributes)

    def _finish_option(self) -> None:
        if self._option is not None and self._select is not None:
            text = " ".join(self._option["text"].split())  # an option without value sends its text
            value = self._option.get("value", text)
            self._select["options"].append({**self._option, "value": value})
        self._option = None

    def _add_select(self, select: dict) -> None:
        name = select.get("name")
        if not name:
            return
        multiple = "multiple" in select
        options = select["options"]
        chosen = [o["value"] for o in options if "selected" in o and "disabled" not in o]
        if not multiple:
            enabled = [o["value"] for o in options if "disabled" not in o]
            chosen = chosen[-1:] or enabled[:1]  # the last marked one wins, as in browsers
        kind = "select-multiple" if multiple else "select"
        self._add(Control("select", name, kind, chosen, [o["value"] for o in options]), select)

    def _add_textarea(self, textarea: dict) -> None:
        name = textarea.get("name")
        if not name:
            return
        text = textarea["text"]
        # HTML drops one newline right after <textarea>; html.parser keeps it.
        text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
        self._add(Control("textarea", name, "textarea", [text]), textarea)

    def _add(self, control: Control, attributes: dict) -> None:
        if "disabled" in attributes:
            control.values = []
        assert self._form is not None
        self._form.controls.append(control)
