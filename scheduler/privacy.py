"""Pseudonymise a setting for sharing with analysts: names become stable codes.

A code is derived from the person's ID alone (``Child 3F7K2Q``), so the same
child gets the same code in every term's workbook and nothing of the name
survives. Free-text notes and reasons are cleared and dates of birth moved to
the first of their month. The optional key (code -> name) is for the setting
to keep, never to share.
"""

from __future__ import annotations

import base64
import hashlib

from .setting import Setting, replace


def code(kind: str, person_id: str) -> str:
    digest = hashlib.sha256(f"keyperson|{kind}|{person_id}".encode()).digest()
    return f"{kind} {base64.b32encode(digest).decode()[:6]}"


def pseudonymise(setting: Setting) -> tuple[Setting, dict[str, str]]:
    """Return the setting with names replaced, and the key from each code back to the real name."""
    key: dict[str, str] = {}
    children = []
    for c in setting.children:
        key[code("Child", c.id)] = c.name
        children.append(replace(c, name=code("Child", c.id),
                                date_of_birth=c.date_of_birth.replace(day=1) if c.date_of_birth else None,
                                sibling_group=code("Family", c.sibling_group) if c.sibling_group else None))
    staff = []
    for s in setting.staff:
        key[code("Staff", s.id)] = s.name
        staff.append(replace(s, name=code("Staff", s.id)))
    return replace(setting, children=tuple(children), staff=tuple(staff),
                   attachments=tuple(replace(a, notes="") for a in setting.attachments),
                   locks=tuple(replace(k, reason="") for k in setting.locks)), key
