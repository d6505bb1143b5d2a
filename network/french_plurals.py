"""Write locale/fr/LC_MESSAGES/django.po: the plural entries of the interface.

The msgids are French, so French needs no catalogue, except for plurals:
without one, gettext falls back to the English rule (n != 1) and writes
"0 lieux". This catalogue holds every plural entry of the English one with
the msgids as their own translation under the French rule (0 and 1
singular). Run by ``make messages``: ``python -m network.french_plurals``.
"""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def french_plurals(english):
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    for entry in english:
        if entry.msgid_plural and not entry.obsolete:
            catalogue.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                )
            )
    return catalogue


def main():
    english = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    target = LOCALE / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    catalogue = french_plurals(english)
    catalogue.save(str(target / "django.po"))
    catalogue.save_as_mofile(str(target / "django.mo"))


if __name__ == "__main__":
    main()
