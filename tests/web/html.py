"""A small HTML reader for page tests: headings, labels, controls, ids, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    tag: str
    attrs: dict[str, str | None]
    in_label: bool


@dataclass
class Page(HTMLParser):
    headings: list[int] = field(default_factory=list)
    title: str = ""
    ids: list[str] = field(default_factory=list)
    label_fors: set[str] = field(default_factory=set)
    controls: list[Control] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    _labels_open: int = 0
    _in_title: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self._labels_open += 1
            if values.get("for"):
                self.label_fors.add(str(values["for"]))
        elif tag in ("input", "select", "textarea"):
            self.controls.append(Control(tag, values, self._labels_open > 0))
        elif tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._labels_open -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def unlabelled(self) -> list[Control]:
        """Visible controls with neither a wrapping label nor a ``label for``."""
        return [
            c
            for c in self.controls
            if c.attrs.get("type") != "hidden"
            and not c.in_label
            and c.attrs.get("id") not in self.label_fors
        ]


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page
