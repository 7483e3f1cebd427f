"""The message catalogue machinery: negotiation, in-memory compilation of .po files, new-style Jinja2 gettext."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from bodata.core.i18n import N_, NN_, Catalogue, environment_language, install, negotiate, parse_accept_language

pytestmark = pytest.mark.sqlite_only

PO = r"""
msgid ""
msgstr ""
"Language: en\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Adressen %(name)s finns redan"
msgstr "The address %(name)s exists already"

msgid "en lägenhet"
msgid_plural "%(num)s lägenheter"
msgstr[0] "one apartment"
msgstr[1] "%(num)s apartments"

msgid "Spara"
msgstr "Save"

#, fuzzy
msgid "Radera"
msgstr "Remove"
"""


@pytest.fixture
def catalogue(tmp_path):
    po = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    return Catalogue(tmp_path)


def test_negotiation_prefers_the_users_choice_then_the_browser_then_swedish():
    assert parse_accept_language("da, en-GB;q=0.8, sv;q=0.9, fr;q=0") == ["da", "sv", "en"]
    assert parse_accept_language("garbage;;, en;q=x") == []
    supported = ("sv", "en")
    assert negotiate(supported, chosen=[None, "en"], accept_language="sv") == "en"
    assert negotiate(supported, chosen=["de"], accept_language="de, en;q=0.5") == "en"
    assert negotiate(supported, accept_language="fr, *;q=0.1") == "sv"
    assert negotiate(supported, accept_language=None) == "sv"
    assert environment_language(supported, {"LANG": "en_GB.UTF-8"}) == "en"
    assert environment_language(supported, {"LANGUAGE": "da:en", "LANG": "sv_SE.UTF-8"}) == "en"
    assert environment_language(supported, {"LANG": "C.UTF-8"}) == "sv"


def test_messages_render_in_the_readers_language(catalogue):
    english, swedish = catalogue.translator("en"), catalogue.translator("xx")
    exists = N_("Adressen %(name)s finns redan", name="Kvistvägen 2")
    assert english.render(exists) == "The address Kvistvägen 2 exists already"
    assert swedish.render(exists) == str(exists) == "Adressen Kvistvägen 2 finns redan"
    assert english.render(NN_("en lägenhet", "%(num)s lägenheter", 1)) == "one apartment"
    assert english.render(NN_("en lägenhet", "%(num)s lägenheter", 3)) == "3 apartments"
    assert english.render("stored before codes") == "stored before codes"
    assert english.gettext("Radera") == "Radera"  # fuzzy entries are not used


def test_templates_translate_per_rendering_with_escaped_parameters(catalogue):
    environment = install(
        Environment(
            loader=DictLoader(
                {
                    "page.html": "<p>{% trans %}Spara{% endtrans %}</p>"
                    "<p>{{ _('Adressen %(name)s finns redan', name=name) }}</p>"
                    "<p>{% trans count=n %}en lägenhet{% pluralize %}{{ count }} lägenheter{% endtrans %}</p>"
                }
            ),
            autoescape=True,
        )
    )
    template = environment.get_template("page.html")
    english = template.render(catalogue.translator("en").template_context(), name="<b>", n=2)
    assert english == "<p>Save</p><p>The address &lt;b&gt; exists already</p><p>2 apartments</p>"
    swedish = template.render(catalogue.translator("sv").template_context(), name="<b>", n=1)
    assert swedish == "<p>Spara</p><p>Adressen &lt;b&gt; finns redan</p><p>en lägenhet</p>"
