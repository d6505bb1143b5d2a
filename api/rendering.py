"""The API's JSON, written by pydantic-core (Rust) instead of ``json.dumps``.

ninja validates every answer against its schema, then hands the plain data
to the renderer; ``json.dumps`` with ninja's encoder took longer than the
validation itself (a Python call per date). ``pydantic_core.to_json``
writes the same JSON: dates in ISO 8601 (with their microseconds), text as
UTF-8 rather than ``\\u`` escapes (the answer says ``charset=utf-8``);
whatever it does not know (lazy translations) goes through ninja's encoder.
"""

from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic_core import to_json


class JSONRenderer(BaseRenderer):
    media_type = "application/json"

    def __init__(self):
        self._fallback = NinjaJSONEncoder().default

    def render(self, request, data, *, response_status):
        return to_json(data, fallback=self._fallback)
