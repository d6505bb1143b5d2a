"""The English catalogue is complete, compiled and up to date with the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(path):
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_sources():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        expected = (entry.msgstr, tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())))
        got = compiled.get((entry.msgctxt, entry.msgid))
        assert got is not None, f"{entry.msgid!r} is not compiled: run `make messages`"
        assert got[0] == expected[0], entry.msgid


def test_catalogue_has_every_string_of_the_code(tmp_path):
    require_service(shutil.which("xgettext"), "GNU gettext (xgettext) is not installed")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "media", "*.sqlite3"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "en",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "--ignore",
            "bench/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = _entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = sorted(msgid for _, msgid in fresh - _entries(PO))
    assert missing == [], f"untranslated strings, run `make messages`: {missing[:10]}"
