"""``keyperson serve``: run the page on this computer until Ctrl-C."""

from __future__ import annotations

import logging
import threading
import webbrowser
from pathlib import Path

import uvicorn

from .desk import Desk
from .guard import LOOPBACK, Keys
from .pages import create_app

log = logging.getLogger("keyperson.web")


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
    """Run the page until Ctrl-C; uploads and plans are removed when it stops."""
    server, keys, desk = make_server(workbook, port, host)
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
