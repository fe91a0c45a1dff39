"""Cards that look right on every screen: what can be checked without Anki desktop.

The stylesheet and the templates are read as text: night mode covers every picture ankify
ships, small print keeps 4.5:1 contrast on both backgrounds, a phone never scrolls sideways,
and there is one divider. (The photos themselves are taken with anki-shots: see the README.)
"""

from __future__ import annotations

import re

import pytest

from ankify.notetypes import NOTE_TYPES, template_texts

NIGHT = (".nightMode", ".night_mode")  # Anki desktop and AnkiMobile; AnkiDroid


def _rules() -> list[tuple[tuple[str, ...], dict[str, str]]]:
    """The stylesheet's rules, as (selectors, declarations); @media blocks flattened."""
    css = re.sub(r"/\*.*?\*/", "", template_texts()["ankify.css"], flags=re.DOTALL)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", r"\1", css)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        rules.append((tuple(" ".join(s.split()) for s in selectors.split(",")), declarations))
    return rules


def _value(selector: str, name: str) -> str | None:
    """The last value the stylesheet gives `name` in a rule naming exactly `selector`."""
    found = None
    for selectors, declarations in _rules():
        if selector in selectors and name in declarations:
            found = declarations[name]
    return found


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def test_the_night_background_and_text_are_set_for_both_night_classes() -> None:
    for night in NIGHT:
        assert _value(f".card{night}", "color") == "#e8e6e3"
        assert _value(f".card{night}", "background") == "#1e1f22"


@pytest.mark.parametrize(
    "picture",
    ["img.ankify-svg-math", "img.ankify-pdf-formula", "img.ankify-pdf-page", 'img[src$=".svg"]'],
)
def test_black_on_white_pictures_are_inverted_at_night(picture: str) -> None:
    for night in NIGHT:
        value = _value(f"{night} {picture}", "filter")
        assert value is not None and "invert(" in value and "hue-rotate(180deg)" in value


def test_other_pictures_are_dimmed_at_night() -> None:
    for night in NIGHT:
        value = _value(f"{night} img", "filter")
        assert value is not None
        brightness = re.fullmatch(r"brightness\(([\d.]+)\)", value)
        assert brightness and float(brightness.group(1)) <= 0.8


@pytest.mark.parametrize(
    ("selector", "background"),
    [
        (".ankify-meta", ".card"),
        (".ankify-kind", ".card"),
        (".ankify-figure figcaption", ".card"),
    ],
)
def test_small_print_has_enough_contrast_in_light_and_night(selector: str, background: str):
    light = _value(selector, "color")
    assert light is not None and _contrast(light, _value(background, "background") or "") >= 4.5
    for night in NIGHT:
        dark = _value(f"{night} {selector}", "color")
        back = _value(f"{background}{night}", "background")
        assert dark is not None and back is not None and _contrast(dark, back) >= 4.5


def test_the_context_line_is_one_line_cut_short_with_an_ellipsis() -> None:
    assert _value(".ankify-meta", "display") == "flex"
    assert _value(".ankify-context", "white-space") == "nowrap"
    assert _value(".ankify-context", "overflow") == "hidden"
    assert _value(".ankify-context", "text-overflow") == "ellipsis"
    assert _value(".ankify-context", "min-width") == "0"
    assert _value(".ankify-context", "direction") == "rtl"  # cut at its start
    assert _value(".ankify-source", "flex") == "0 0 auto"  # the page is never cut


def test_display_math_is_centred_in_a_box_that_scrolls_thinly() -> None:
    assert _value(".ankify-math", "display") == "block"
    assert _value(".ankify-math", "text-align") == "center"
    assert _value(".ankify-math", "overflow-x") == "auto"
    assert _value(".ankify-math", "scrollbar-width") == "thin"
    # MathJax's hidden copy for screen readers must not widen the page either.
    assert _value(".card mjx-container mjx-assistive-mml", "width") == "1px !important"


def test_svg_math_keeps_its_aspect_ratio() -> None:
    assert _value("img.ankify-svg-math", "height") == "auto"
    assert _value("img.ankify-svg-math", "max-width") == "100%"


def test_pictures_in_a_revealed_cloze_are_marked() -> None:
    assert "currentColor" in (_value(".cloze .ankify-cloze-image", "border-bottom") or "")


def test_figures_are_centred_with_their_caption() -> None:
    assert _value(".ankify-figure", "text-align") == "center"
    assert _value(".ankify-figure img", "margin") == "0 auto"
    assert _value(".card img", "max-width") == "100%"


def test_one_divider_and_a_question_unlike_its_answer() -> None:
    # Anki draws hr#answer with its background: a border too would be a second line.
    assert _value(".card hr#answer", "border") == "none"
    assert _value(".card hr#answer", "height") == "1px"
    assert _value(".ankify-prompt", "font-weight") == "600"
    assert _value(".ankify-answer", "font-weight") is None


def test_a_phone_gets_a_smaller_font_and_narrower_margins() -> None:
    css = template_texts()["ankify.css"]
    phone = re.search(r"@media \(max-width: 480px\) \{(.*?)\n\}", css, re.DOTALL)
    assert phone and "font-size: 18px" in phone.group(1)


def test_templates_have_one_divider_on_the_back_and_the_meta_line_on_both_sides() -> None:
    texts = template_texts()
    for note_type in NOTE_TYPES.values():
        front = texts[f"{note_type.template}.front.html"]
        back = texts[f"{note_type.template}.back.html"]
        assert "<hr" not in front
        assert back.count("<hr") == 1 and '<hr id="answer">' in back
        for side in (front, back):
            assert side.count('class="ankify-meta"') == 1
            assert '<span class="ankify-context"><bdi dir="ltr">{{Context}}</bdi></span>' in side
            assert '<span class="ankify-source">{{Source}}</span>' in side
