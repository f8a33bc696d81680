"""Checks that a piece of HTML cannot run anything in a browser."""

from __future__ import annotations

from html.parser import HTMLParser

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "base", "meta", "svg",
                  "math", "frame", "frameset", "applet", "link", "template"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "cite"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(BAD_SCHEMES):
                    self.problems.append(f"{tag}[{name}={value[:40]}]")


def executable_parts(html: str) -> list[str]:
    """What in ``html`` a browser could execute (empty when it is inert)."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems
