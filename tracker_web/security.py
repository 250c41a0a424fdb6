"""Security headers and error pages that never echo what the client sent.

The CSP allows nothing inline and nothing from elsewhere: every script, style, font and
image is served from here, so a scraped label that slipped through escaping still could
not run. Error pages say what kind of error happened and nothing about the request.
"""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You are not allowed to do that."),
        404: _("There is no such page."),
        405: _("That method is not allowed here."),
        413: _("What you sent is too large."),
        429: _("Too many requests from your address. Please try again later."),
        503: _("The service is busy. Please try again later."),
    }


def _is_api() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int) -> tuple[Response | str, int]:
    """A plain error page (or JSON under /api/) for ``code``, with nothing from the request."""
    if code < 400 or code > 599:
        code = 500
    message = _messages().get(code, _("Something went wrong on our side."))
    if _is_api():
        return jsonify({"error": {"status": code, "message": message}}), code
    return render_template("errors/error.html", code=code, message=message), code


def busy(retry_after: int) -> Response:
    """``503`` with ``Retry-After``: come back in ``retry_after`` seconds."""
    body, code = error_response(503)
    response = make_response(body, code)
    response.headers["Retry-After"] = str(retry_after)
    return response


def init_app(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith("/admin"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> tuple[Response | str, int]:
        if _is_api():
            return error_response(400)
        return render_template(
            "errors/error.html", code=400,
            message=_("This form has expired or was not sent from this site. "
                      "Go back, reload the page and try again.")), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response | str, int]:
        return error_response(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response | str, int]:
        if isinstance(exc, HTTPException):
            return http_error(exc)
        app.logger.exception("unhandled error", exc_info=exc)
        return error_response(InternalServerError.code)
