from newsroom.wordpress.content import autop, plain_text, to_body


def test_blank_lines_make_paragraphs_and_single_line_breaks_make_br():
    assert autop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"


def test_windows_line_endings_are_read_like_unix_ones():
    assert autop("One\r\n\r\nTwo") == "<p>One</p>\n<p>Two</p>\n"


def test_preformatted_text_is_left_exactly_as_written():
    html = autop("Code:\n<pre>a = 1\n\nb = 2\n  c</pre>\nAfter")
    assert "<pre>a = 1\n\nb = 2\n  c</pre>" in html
    assert html.startswith("<p>Code:</p>") and html.endswith("<p>After</p>\n")


def test_block_elements_are_not_wrapped_in_paragraphs_nor_given_line_breaks():
    html = autop("<ul>\n<li>one</li>\n<li>two\nlines</li>\n</ul>\nText\n<h2>Head</h2>")
    assert html == (
        "<ul>\n<li>one</li>\n<li>two<br />\nlines</li>\n</ul>\n<p>Text</p>\n<h2>Head</h2>\n"
    )


def test_quotation_text_becomes_paragraphs_inside_the_blockquote():
    assert autop("<blockquote>first\n\nsecond</blockquote>") == (
        "<blockquote><p>first</p>\n<p>second</p></blockquote>\n"
    )


def test_line_breaks_inside_a_tag_are_not_turned_into_br():
    assert autop('See <a\nhref="/x">this</a>') == '<p>See <a href="/x">this</a></p>\n'


def test_block_editor_content_loses_its_delimiters_and_keeps_its_html():
    content = (
        "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:image {"id":5,"sizeSlug":"large"} -->\n<figure><img src="/a.jpg"/></figure>\n'
        "<!-- /wp:image -->\n<!-- wp:latest-posts /-->"
    )
    html = to_body(content).html
    assert "wp:" not in html
    assert "<p>One</p>" in html and '<figure><img src="/a.jpg"/></figure>' in html
    assert "<br" not in html  # no auto-paragraph on block content


def test_caption_shortcode_becomes_a_figure_with_its_caption():
    html = to_body('[caption id="a" width="300"]<img src="/a.jpg" /> Flood[/caption]').html
    assert html.startswith('<figure><img src="/a.jpg" /><figcaption>Flood</figcaption></figure>')


def test_media_shortcodes_are_removed_and_unknown_ones_reported_but_kept():
    converted = to_body('Look [gallery ids="1,2"] here [poll id="3"] and [sic]')
    assert "[gallery" not in converted.html and '[poll id="3"]' in converted.html
    assert "[sic]" in converted.html
    assert converted.removed_shortcodes == {"gallery": 1}
    assert converted.unknown_shortcodes == {"poll": 1}


def test_top_and_low_level_headings_fit_our_h2_to_h4_range():
    assert to_body("<h1>A</h1><h5>B</h5>").html == "<h2>A</h2>\n<h4>B</h4>\n"


def test_plain_text_drops_tags_and_decodes_entities_once():
    assert plain_text("<p>Fish &amp; <b>chips</b></p><p>&amp;lt;</p>") == "Fish & chips &lt;"
