"""Message catalogues for bodata's user interfaces: Swedish is the source language, translations are gettext .po files.

Conventions (docs/boenderegister.md, "Languages"):

* msgids are the **Swedish** texts; a package keeps its translations in
  ``<package>/locale/<language>/LC_MESSAGES/messages.po`` (``en`` today). The .po files are compiled in memory the
  first time a language is used, so a fresh clone or an installed wheel needs no build step.
* Templates use Jinja2's i18n extension with new-style gettext (``{% trans %}…{% endtrans %}``,
  ``_("…", name=value)``, ``%(name)s`` placeholders, whitespace trimmed). :func:`install` adds it to an
  environment; :meth:`Translator.template_context` gives one request's callables.
* Python code marks a text for later translation with :func:`N_` (``NN_`` for plural forms): a :class:`Message`
  (msgid and parameters) is stored or raised, and rendered in the reader's language by :meth:`Translator.render`.
* The language of a request: the user's own choice (a profile setting or the language cookie) wins, then the
  browser's ``Accept-Language``, then Swedish (:func:`negotiate`).

Extracting new texts (``babel.cfg`` at the top of the repository)::

    pybabel extract -F babel.cfg -o /tmp/messages.pot src/bodata/boenderegister
    pybabel update -i /tmp/messages.pot -d src/bodata/boenderegister/locale -l en --no-fuzzy-matching
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

SOURCE_LANGUAGE = "sv"
LANGUAGE_COOKIE = "bodata_lang"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}  # each in its own language, as a language switch shows it
DOMAIN = "messages"


@dataclass(frozen=True)
class Message:
    """A text to be translated when it is shown: its Swedish msgid, parameters and, for plurals, the count."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        return SOURCE.render(self)


def N_(msgid: str, /, **params: Any) -> Message:
    """Mark ``msgid`` (Swedish, ``%(name)s`` placeholders) for extraction; translated when rendered."""
    return Message(msgid, params)


def NN_(singular: str, plural: str, count: int, /, **params: Any) -> Message:
    """A plural text (``%(num)s`` is the count), marked for extraction like :func:`N_`."""
    return Message(singular, {"num": count, **params}, plural, count)


class Translator:
    """One language's translations: gettext for Python code and templates, and :class:`Message` rendering."""

    def __init__(self, language: str, translations: NullTranslations) -> None:
        self.language = language
        self._translations = translations

    def gettext(self, msgid: str, /, **params: Any) -> str:
        return self._translations.gettext(msgid) % params  # always a format string, as in templates

    def ngettext(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        return self._translations.ngettext(singular, plural, count) % {"num": count, **params}

    def render(self, message: Message | str | None) -> str:
        """A message in this language; a plain string (say, text stored before messages had codes) as it is."""
        if message is None or isinstance(message, str):
            return message or ""
        if message.plural is not None and message.count is not None:
            return self.ngettext(message.msgid, message.plural, message.count, **message.params)
        return self.gettext(message.msgid, **message.params)

    def template_context(self) -> dict[str, Any]:
        """What one rendering needs: new-style ``gettext``/``ngettext`` for ``_()`` and ``{% trans %}``,
        ``translate`` for :class:`Message` values, and ``language`` for ``<html lang>``."""
        return {
            "gettext": _newstyle_gettext(self._translations.gettext),
            "ngettext": _newstyle_ngettext(self._translations.ngettext),
            "translate": self.render,
            "language": self.language,
        }


def _newstyle_gettext(func: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = func(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (the catalogue is ours; parameters are escaped by %)
        return text % variables  # always a format string ("%%" for a percent sign), as Jinja's own does

    return gettext


def _newstyle_ngettext(func: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = func(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 (the catalogue is ours; parameters are escaped by %)
        return text % variables

    return ngettext


SOURCE = Translator(SOURCE_LANGUAGE, NullTranslations())


class Catalogue:
    """The translations of one package (``<package>/locale``), compiled in memory on first use of a language."""

    def __init__(self, locale_dir: Path, languages: Iterable[str] = ("sv", "en")) -> None:
        self.locale_dir = locale_dir
        self.languages = tuple(languages)
        self._translator = cache(self._load)

    def po_path(self, language: str) -> Path:
        return self.locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"

    def translator(self, language: str) -> Translator:
        """The translator of ``language`` (the source language's when it is not one of ``languages``)."""
        return self._translator(language if language in self.languages else SOURCE_LANGUAGE)

    def _load(self, language: str) -> Translator:
        if language == SOURCE_LANGUAGE:
            return SOURCE
        with self.po_path(language).open("rb") as po:
            catalog = read_po(po, locale=language, domain=DOMAIN)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        return Translator(language, Translations(compiled, domain=DOMAIN))

    def negotiate(self, *, chosen: Iterable[str | None] = (), accept_language: str | None = None) -> str:
        return negotiate(self.languages, chosen=chosen, accept_language=accept_language)


_LANGUAGE_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


def parse_accept_language(header: str | None) -> list[str]:
    """The primary language tags of an ``Accept-Language`` header, most preferred first (RFC 9110 §12.5.4)."""
    ranked = []
    for position, part in enumerate((header or "")[:1000].split(",")):
        match = _LANGUAGE_RANGE.match(part)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            ranked.append((-quality, position, match.group(1).split("-")[0].lower()))
    return [language for _, _, language in sorted(ranked)]


def negotiate(
    supported: Iterable[str], *, chosen: Iterable[str | None] = (), accept_language: str | None = None
) -> str:
    """The language to answer in: the first supported of the user's own choices (profile, cookie), then of the
    browser's Accept-Language, else Swedish. ``*`` in Accept-Language means the source language."""
    supported = tuple(supported)
    for language in chosen:
        if language in supported:
            return language
    for language in parse_accept_language(accept_language):
        if language == "*":
            return SOURCE_LANGUAGE
        if language in supported:
            return language
    return SOURCE_LANGUAGE


def environment_language(supported: Iterable[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of a command line: the first supported of LANGUAGE, LC_ALL, LC_MESSAGES and LANG
    (``en_GB.UTF-8`` → ``en``), else Swedish."""
    environ = os.environ if environ is None else environ
    wanted = [environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    codes = [part.split("_")[0].split(".")[0].lower() for value in wanted for part in value.split(":") if part]
    return negotiate(supported, chosen=codes)


def install(environment: Environment) -> Environment:
    """Add Jinja2's i18n extension with new-style gettext and trimmed ``{% trans %}`` blocks to ``environment``.

    The callables come with each rendering (:meth:`Translator.template_context`), so one environment serves every
    language at once.
    """
    environment.add_extension("jinja2.ext.i18n")
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.policies["ext.i18n.trimmed"] = True
    return environment
