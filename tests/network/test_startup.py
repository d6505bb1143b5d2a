import gc
import os
import subprocess
import sys

import pytest

from network.startup import settle


def test_settle_keeps_the_loaded_code_out_of_full_collections():
    gc.unfreeze()
    try:
        settle()
        frozen = gc.get_freeze_count()
        assert frozen > 50_000  # Django, Wagtail and every URL module
        assert all(len(gc.get_objects(generation)) < frozen for generation in range(3))
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("entry_point", ["network.asgi", "network.wsgi"])
def test_every_server_process_freezes_what_it_loaded(entry_point):
    """The Uvicorn, Daphne and gunicorn processes load one of these modules."""
    code = f"import gc, {entry_point}; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "network.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert int(result.stdout.split()[-1]) > 50_000
