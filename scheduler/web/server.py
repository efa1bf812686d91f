"""``keyperson serve``: run the page on this computer until Ctrl-C."""

from __future__ import annotations

import logging
import socket
import tempfile
import threading
import webbrowser
from pathlib import Path

import uvicorn

from .desk import Desk
from .guard import LOOPBACK, Keys
from .pages import create_app

log = logging.getLogger("keyperson.web")
WILDCARDS = ("0.0.0.0", "::", "[::]", "")


class CannotListen(ValueError):
    """The host or port given can't be used."""


def make_server(workbook: Path | None = None, port: int = 8765, host: str = "127.0.0.1",
                desk: Desk | None = None) -> tuple[uvicorn.Server, Keys, Desk]:
    """The server, its keys and its desk (with ``workbook`` open), ready to ``run()``."""
    desk = desk or Desk()
    keys = Keys(port=port, host=host)
    if workbook is not None:
        desk.open(Path(workbook))
    config = uvicorn.Config(create_app(desk, keys), host=host, port=port, access_log=False,  # addresses hold IDs
                            log_level="warning", lifespan="off")
    return uvicorn.Server(config), keys, desk


def serve(workbook: Path | None = None, port: int = 8765, host: str = "127.0.0.1", open_browser: bool = True,
          echo=print) -> None:
    """Run the page until Ctrl-C; uploads and plans are removed when it stops. A CannotListen, before anything
    is printed, when ``host`` or ``port`` can't be used."""
    if host in WILDCARDS:
        raise CannotListen(f"--host {host} would answer on every address, which the page can't check requests "
                         "against: give the address other computers use for this one, e.g. --host 192.168.1.20")
    _check_free(host, port)
    server, keys, desk = make_server(workbook, port, host)
    tempfile.tempdir = str(desk.folder)  # this process's uploads, spooled by the form parser, go there too
    url = keys.url()
    if host not in LOOPBACK:
        echo(f"warning: the page can be reached from other computers at {host} (plain HTTP); only someone "
             "with the address below, token included, can use it")
    echo(f"keyperson is running at {url}")
    echo("Press Ctrl-C to stop it (nothing you opened or planned is kept).")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn shuts down cleanly on Ctrl-C, then raises it again
        pass
    finally:
        desk.close()
    echo("keyperson stopped; its uploads and plans are deleted.")


def _check_free(host: str, port: int) -> None:
    """A CannotListen when the port can't be listened on, before the address is printed."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host.strip("[]"), port))
    except OSError as exc:
        in_use = exc.errno == 98 or "in use" in str(exc)
        why = "it is in use (is keyperson already running?)" if in_use else exc.strerror or str(exc)
        raise CannotListen(f"can't listen on {host} port {port}: {why}; choose another with --port, "
                         "e.g. --port 8766") from None
