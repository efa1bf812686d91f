"""The local web page for managers (``keyperson serve``): open a workbook, see its check, plan with
progress, see why, ask what if, pin a choice, download the plan. Needs the ``web`` extra."""

from .server import make_server, serve

__all__ = ["make_server", "serve"]
