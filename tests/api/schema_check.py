"""Validate an API response against the OpenAPI document the API serves."""

import json
import re

from jsonschema import Draft202012Validator


def operation_for(openapi, method, path):
    for template, methods in openapi["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in methods:
            return methods[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def assert_matches_schema(openapi, response, method="GET"):
    """The body of ``response`` is valid against the schema of its operation and status."""
    path = response.wsgi_request.path
    operation = operation_for(openapi, method, path)
    answers = operation["responses"]
    status = str(response.status_code)
    assert status in answers, f"{path} answered {status}, not documented ({sorted(answers)})"
    schema = answers[status]["content"]["application/json"]["schema"]
    body = json.loads(response.content)
    validator = Draft202012Validator({**schema, "components": openapi["components"]})
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, f"{path}: {[error.message for error in errors[:5]]}"
    return body
