"""The API's JSON, written by pydantic-core (Rust) instead of ``json.dumps``.

``JSONRenderer`` writes what ninja hands it (the error answers):
``pydantic_core.to_json`` writes the same JSON as ``json.dumps``, dates in
ISO 8601 (with their microseconds), text as UTF-8 rather than ``\\u``
escapes (the answer says ``charset=utf-8``); whatever it does not know (lazy
translations) goes through ninja's encoder.

``validated_response(schema, data)`` is what the operations return: ninja,
given a dict, validates it against the operation's schema (through a
wrapper model reading attributes), dumps the result to Python objects, then
renders them: three passes. Here the dict is validated by the schema itself
and the model written as JSON by pydantic-core, two passes and no Python
copy in between, the same bytes. ninja returns an ``HttpResponse`` as it is
(its documented protocol); the schemas still document the operations.
"""

from django.http import HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic_core import to_json

CONTENT_TYPE = "application/json; charset=utf-8"
_fallback = NinjaJSONEncoder().default


class JSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return to_json(data, fallback=_fallback)


def validated_response(schema, data):
    """A 200 whose body is ``data`` checked against ``schema`` (a pydantic model), as JSON."""
    body = schema.model_validate(data).model_dump_json(fallback=_fallback)
    return HttpResponse(body, content_type=CONTENT_TYPE)
