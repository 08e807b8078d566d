"""Staff free text shown as HTML: nothing typed becomes markup; addresses become links."""

from portal.text import text_to_html


def test_markup_is_escaped_and_lines_kept():
    html = str(text_to_html('<script>alert("x")</script>\n<b>rivi</b>'))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "<br>" in html


def test_addresses_become_safe_links():
    html = str(text_to_html("Katso https://www.kela.fi/ tai kirjoita tuki@example.invalid"))
    assert '<a href="https://www.kela.fi/" rel="nofollow noopener noreferrer"' in html
    assert 'href="mailto:tuki@example.invalid"' in html


def test_a_link_cannot_smuggle_script():
    html = str(text_to_html('javascript:alert(1) https://x.fi/"onmouseover="alert(1)'))
    assert 'href="javascript' not in html
    assert 'onmouseover="' not in html


def test_empty_text_is_empty():
    assert str(text_to_html(None)) == ""
