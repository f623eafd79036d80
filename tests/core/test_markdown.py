from html.parser import HTMLParser

import pytest

from samenorg.core.markdown import render_markdown


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (text is not markup)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_markdown_renders_headings_lists_links_and_emphasis():
    html = render_markdown("## Aanpak\n\n- **snel**\n- [meer](https://example.org)")

    assert "<h2>Aanpak</h2>" in html
    assert "<strong>snel</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">meer</a>' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        '<a href="https://x.example" onclick="alert(1)">x</a>',
        "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        "![x](https://evil.example/track.png)",
        "<style>body{display:none}</style>",
    ],
)
def test_no_script_event_handler_unsafe_link_or_embedded_content_survives(attack):
    html = render_markdown(f"Tekst {attack} meer tekst")

    for tag, attributes in Elements(html).found:
        assert tag in {"p", "a"}, html
        assert not [name for name in attributes if name.startswith("on")], html
        assert not attributes.get("href", "https:").lower().startswith(("javascript:", "data:")), html
    assert "Tekst" in html
