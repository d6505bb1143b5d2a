import gc

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
