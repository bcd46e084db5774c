"""One error shape for the whole API: {"error": {"code", "message", "fields"}}.

DRF's exceptions, Django's Http404/PermissionDenied/ValidationError and the plain
404/500 pages under /api/ all end up here, so a client parses one shape.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

_CODE_BY_STATUS = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [f"{key}: {msg}" for key, value in detail.items() for msg in _flatten(value)]
    if isinstance(detail, list):
        return [msg for item in detail for msg in _flatten(item)]
    return [str(detail)]


def _field_errors(detail: Any) -> tuple[dict[str, list[str]], list[str]]:
    """Split a ValidationError's detail into per-field messages and general ones."""
    if not isinstance(detail, dict):
        return {}, _flatten(detail)
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for key, value in detail.items():
        if key in ("non_field_errors", "__all__"):
            general.extend(_flatten(value))
        else:
            fields[str(key)] = _flatten(value)
    return fields, general


def _validation_response(detail: Any) -> dict[str, Any]:
    fields, general = _field_errors(detail)
    if general:
        message = " ".join(general)
    elif fields:
        first = next(iter(fields))
        message = f"{first}: {fields[first][0]}" if len(fields) == 1 else "Some fields are invalid."
    else:
        message = "Invalid input."
    return error_body("invalid", message, fields)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)

    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500 (json via server_error below)

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]

    if isinstance(exc, exceptions.ValidationError):
        body = _validation_response(exc.detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else _CODE_BY_STATUS.get(exc.status_code, "error")
        body = error_body(code, " ".join(_flatten(exc.detail)))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def json_error(request: HttpRequest, status_code: int, message: str) -> JsonResponse:
    return JsonResponse(error_body(_CODE_BY_STATUS.get(status_code, "error"), message), status=status_code)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/ingest/")) or request.path == "/healthz"
