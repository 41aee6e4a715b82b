from __future__ import annotations

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError
from markupsafe import Markup

from generator.template_output import OutputCodeGenerator, output_text

SOURCE = """{% macro cell(v) %}<td>{{ v }}</td>{% endmacro -%}
{{ text }}|{{ safe }}|{{ number }}|{{ nothing }}|{{ html_object }}
{{ text ~ safe }}|{{ text | upper }}|{{ cell(text) }}|{{ [text] }}
{% set block %}<b>{{ text }}</b>{% endset %}{{ block }}
{% autoescape false %}{{ text }}{% endautoescape %}
"""


class HasHtml:
    def __html__(self) -> str:
        return "<i>own</i>"


def environment(fast: bool) -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined)
    if fast:
        env.code_generator_class = OutputCodeGenerator
    return env


VALUES = {
    "text": "a < b & \"c\" 'd'",
    "safe": Markup("<em>x</em>"),
    "number": 3.5,
    "nothing": None,
    "html_object": HasHtml(),
}


def test_output_same_as_jinja() -> None:
    fast = environment(True).from_string(SOURCE).render(VALUES)
    plain = environment(False).from_string(SOURCE).render(VALUES)
    assert fast == plain
    assert "a &lt; b &amp; &#34;c&#34; &#39;d&#39;|<em>x</em>|3.5|None" in fast


def test_output_undefined_still_raises() -> None:
    template = environment(True).from_string("{{ missing }}")
    with pytest.raises(UndefinedError, match="'missing' is undefined"):
        template.render()


def test_output_text_types() -> None:
    assert output_text("<") == "&lt;"
    assert type(output_text("<")) is str
    assert output_text(Markup("<b>")) == "<b>"
    assert output_text(7) == "7"
