"""The local web page for managers (``keyperson serve``): open a workbook, see its check, plan with
progress, see why, ask what if, pin a choice, download the plan. Needs the ``web`` extra."""

from .server import CannotListen, make_server, serve

__all__ = ["CannotListen", "make_server", "serve"]
