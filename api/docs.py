"""The API's documentation page, rendered on the server from the OpenAPI schema.

ninja's default page loads Swagger UI from a CDN: the site's CSP allows no
external script, and the site must work offline. This page is a plain
template listing every operation, its parameters and its answers, with a
link to the schema itself (``openapi.json``).
"""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


def _parameter_type(schema):
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_parameter_type(part) for part in schema["anyOf"] if part.get("type") != "null")
    if "const" in schema:
        return str(schema["const"])
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if schema.get("format") else kind


def operations(schema):
    """``[{method, path, summary, description, parameters, responses}]`` of an OpenAPI document."""
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "location": parameter["in"],
                    "required": parameter.get("required", False),
                    "type": _parameter_type(parameter.get("schema", {})),
                    "default": parameter.get("schema", {}).get("default"),
                    "description": parameter.get("description", "")
                    or parameter.get("schema", {}).get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ]
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return found


class PlainDocs(DocsBase):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "api": api,
            "schema_url": self.get_openapi_url(api, kwargs),
            "operations": operations(schema),
        }
        return render(request, self.template, context)
