"""Who may use the page: the launch token, the Host header, and a CSRF token on every form.

The page holds children's special-category data, so every request must carry
the token printed at launch: in the address the first time (it is then moved
into a cookie and dropped from the address), in the cookie after that. The
Host header must name this server (a page elsewhere that points a name of its
own at 127.0.0.1, DNS rebinding, is refused), and every form carries a second
token that only pages from this server know (cross-site requests are refused).
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("keyperson.web")
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
HEADERS = [  # every response: nothing from elsewhere, no framing, nothing cached or sent on
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                 b"form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]


@dataclass
class Keys:
    """The launch token, the forms' CSRF token and the names this server answers to."""

    port: int
    host: str = "127.0.0.1"
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def cookie(self) -> str:
        return f"keyperson_{self.port}"  # one per server: cookies are shared between ports

    @property
    def hosts(self) -> set[str]:
        names = {*LOOPBACK, self.host}
        return {f"{n}:{self.port}" for n in names} | names

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}?{urlencode({'token': self.token})}"

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


REFUSED = ("This page is only for the person who started keyperson on this computer. Open the address "
           "keyperson printed when it started (it ends with ?token=...).")


class Guard:
    """ASGI middleware: 403 unless the Host header is ours and the launch token is given."""

    def __init__(self, app: ASGIApp, keys: Keys):
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        response: Response | None = None
        if request.headers.get("host", "").lower() not in self.keys.hosts:
            response = PlainTextResponse("This address is not keyperson's. " + REFUSED, status_code=403)
        elif self.keys.token_ok(request.query_params.get("token")):
            # the token moves into a cookie and out of the address (history, screenshots, shoulders)
            query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            response = RedirectResponse(str(URL(scope=scope).replace(query=urlencode(query))), status_code=303)
            response.set_cookie(self.keys.cookie, self.keys.token, httponly=True, samesite="strict")
        elif not self.keys.token_ok(request.cookies.get(self.keys.cookie)):
            response = PlainTextResponse(REFUSED, status_code=403)
        if response is not None:
            await _with_headers(response)(scope, receive, send)
            return

        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # logged by kind only (a message or traceback may hold a child's name)
            log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
            if not started:
                await _with_headers(PlainTextResponse(
                    "Something went wrong on this page. Go back and try again; if it happens again, please "
                    "report it, saying what you did just before.", status_code=500))(scope, receive, send)


def _with_headers(response: Response) -> Response:
    for k, v in HEADERS:
        response.headers[k.decode()] = v.decode()
    return response
