"""What a browser would post from a page's form: every named field with its current value, read from
the HTML (inputs, checked boxes, selected options, textareas). Lets a test change one field of a
Django admin form, inlines and all, without restating the whole form."""

from html.parser import HTMLParser

TEXT_TYPES = {"text", "hidden", "number", "date", "email", "password", "url", "tel", "search", "time", ""}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str, action: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.action = form_id, action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (
            (self.form_id and attributes.get("id") == self.form_id)
            or (self.action and attributes.get("action") == self.action)
        ):
            self.inside = True
        if not self.inside or (attributes.get("disabled") is not None and tag != "form"):
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind in TEXT_TYPES:
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in attributes), []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a browser sends the first option of a plain select
            self.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def form_data(html: str, form_id: str = "", *, action: str = "") -> dict[str, str | list[str]]:
    """The fields of the form with this id (or, for a form without one, this action URL)."""
    reader = _FormReader(form_id, action)
    reader.feed(html)
    assert reader.fields, f"no form #{form_id or action} on the page"
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
