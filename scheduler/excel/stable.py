"""Saving a workbook so the same content gives the same bytes: the same input and options give a
byte-for-byte identical plan workbook, whoever writes it (``keyperson plan`` or the web page) and
whenever.

openpyxl stamps the document's Modified property and every part of the zip with the time of saving;
here both are fixed instead (the document's Created and Modified to ``stamp``, the zip parts to
1 January 1980, the earliest time a zip can hold, as reproducible-build tools do).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import openpyxl
from openpyxl.writer.excel import ExcelWriter

DEFAULT_STAMP = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _StableZip(ZipFile):
    """A zip whose parts all carry :data:`ZIP_TIME` (``ZipFile`` stamps them with the clock or the file's time)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            info = ZipInfo(zinfo_or_arcname, date_time=ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16  # what ZipFile gives a named part
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """A file's part, stamped :data:`ZIP_TIME` rather than the file's time (openpyxl's sheets)."""
        with open(filename, "rb") as f:
            self.writestr(str(arcname or filename), f.read(), compress_type, compresslevel)


def save_stable(wb: openpyxl.Workbook, path: str | Path | IO[bytes], stamp: datetime | None = None) -> None:
    """Save ``wb`` at ``path`` with its document dates set to ``stamp`` and fixed zip times."""
    wb.properties.created = wb.properties.modified = stamp or DEFAULT_STAMP
    ExcelWriter(wb, _StableZip(path, "w", ZIP_DEFLATED, allowZip64=True)).save()  # save() closes the zip
