"""Parents' letters as one Word document, from the setting's own template (docxtpl: Jinja2 inside .docx).

A template is an ordinary Word document with placeholders such as ``{{ child_first_name }}`` and
``{{ key_person }}``, and paragraph blocks such as ``{%p if is_change %}`` ... ``{%p endif %}`` (the
placeholders are :data:`scheduler.letters.FIELDS`). Each family's letter is the template filled in; the
letters are joined into one document (docxcompose), a page break between each, ready to print or to edit
in Word or LibreOffice first. :func:`default_template` writes the letter keyperson ships.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import jinja2
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Emu, Pt
from docxcompose.composer import Composer
from docxtpl import DocxTemplate
from jinja2 import nodes

from .errors import DataError, Problem
from .letters import CHILD_FIELDS, FIELDS, Letter

UNKNOWN_HINT = "known placeholders: "


def placeholders(template: Path | io.BytesIO) -> tuple[set[str], set[str]]:
    """The top-level names a template uses, and the fields it reads from a child in a
    ``{% for ... in children %}`` loop."""
    doc = DocxTemplate(template)
    doc.init_docx()
    source = doc.patch_xml(doc.get_xml())
    for part in doc.get_headers_footers(doc.HEADER_URI):
        source += doc.patch_xml(doc.get_part_xml(part[1]))
    for part in doc.get_headers_footers(doc.FOOTER_URI):
        source += doc.patch_xml(doc.get_part_xml(part[1]))
    try:
        tree = jinja2.Environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise DataError(Problem(f"the letter template has a mistake in a placeholder or block: {exc.message}",
                                hint="check each {{ ... }} and {%p ... %} is closed and spelt right")) from None
    top: set[str] = set()
    child: set[str] = set()
    loops: set[str] = set()
    for loop in tree.find_all(nodes.For):
        if isinstance(loop.iter, nodes.Name) and loop.iter.name == "children" and isinstance(loop.target, nodes.Name):
            loops.add(loop.target.name)
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in loops:
            top.add(name.name)
    for attr in tree.find_all(nodes.Getattr):
        if isinstance(attr.node, nodes.Name) and attr.node.name in loops:
            child.add(attr.attr)
    return top, child


def check_template(template: Path) -> None:
    """Refuse a template that names a placeholder keyperson does not fill (exit 2 in the CLI)."""
    top, child = placeholders(template)
    unknown = sorted(top - set(FIELDS)) + sorted(f"child.{a}" for a in child - set(CHILD_FIELDS))
    if unknown:
        words = ", ".join(f"'{u}'" for u in unknown)
        raise DataError(Problem(f"the letter template {template.name} uses {words}, which keyperson does not fill",
                                hint=UNKNOWN_HINT + ", ".join(FIELDS) + "; inside a loop over children: child."
                                + ", child.".join(CHILD_FIELDS)))


def render(letters: Iterable[Letter], template: Path | None = None) -> bytes:
    """Every letter filled in from ``template`` (default: keyperson's), one after another with a page break
    between, as the bytes of one .docx."""
    source = template.read_bytes() if template else default_template()
    if template:
        check_template(template)
    master: Composer | None = None
    for letter in letters:
        doc = DocxTemplate(io.BytesIO(source))
        doc.render(letter.context(), autoescape=True)
        filled = io.BytesIO()
        doc.save(filled)
        part = Document(io.BytesIO(filled.getvalue()))
        if master is None:
            master = Composer(part)
            continue
        master.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        master.append(part)
    if master is None:
        raise ValueError("no letters to render")
    out = io.BytesIO()
    props = master.doc.core_properties
    props.author, props.title = "keyperson", "Letters to parents"
    props.created = props.modified = datetime(2000, 1, 1)
    master.save(out)
    return out.getvalue()


def default_template() -> bytes:
    """keyperson's own letter: warm, short, plain British English, for one family."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(12)
    for section in doc.sections:
        section.page_height, section.page_width = Emu(10692130), Emu(7560310)  # A4
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Emu(720090)

    def para(text: str = "", bold: bool = False, space: int = 8) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(space)
        if text:
            p.add_run(text).bold = bold

    title = doc.add_paragraph()
    title.add_run("{{ setting_name }}").font.size = Pt(16)
    para("{{ date }}", space=16)
    para("Dear parents and carers of {{ child_names }},")
    para("{%p for child in children %}", space=0)
    para("{%p if child.is_new_starter %}", space=0)
    para("We are looking forward to welcoming {{ child.child_first_name }} to the {{ child.room }} room from "
         "{{ child.from_date }}. {{ child.child_first_name }}'s key person will be {{ child.key_person }}.")
    para("{%p elif child.is_change %}", space=0)
    para("From {{ child.from_date }}, {{ child.child_first_name }}'s key person will be {{ child.key_person }}, "
         "taking over from {{ child.previous_key_person }}. {{ child.change_reason }}")
    para("{%p elif child.what == 'new key person' %}", space=0)
    para("From {{ child.from_date }}, {{ child.child_first_name }}'s key person will be {{ child.key_person }}.")
    para("{%p else %}", space=0)
    para("{{ child.child_first_name }}'s key person is {{ child.key_person }}.")
    para("{%p endif %}", space=0)
    para("{{ child.key_person_first_name }} and {{ child.child_first_name }} are both in on "
         "{{ child.shared_days }}. When {{ child.key_person_first_name }} is away, {{ child.co_worker }} "
         "is {{ child.child_first_name }}'s buddy and looks after them instead.")
    para("{%p if child.is_temporary %}", space=0)
    para("While {{ child.child_first_name }} settles in, this is a temporary arrangement until "
         "{{ child.temporary_until }}. If {{ child.child_first_name }} forms a closer bond with someone else "
         "in that time, we may change the key person, and we will always tell you first.")
    para("{%p endif %}", space=0)
    para("{%p endfor %}", space=0)
    para("What a key person does", bold=True, space=4)
    para("A key person helps your child settle in and feel safe with us. They look after much of your child's "
         "care, such as nappy changing or toileting, meals and sleep, and they keep track of how your child "
         "is learning and growing. They are the person to talk to about your child, and they will share "
         "your child's progress with you regularly.")
    para("Please come and say hello at drop-off or collection, or ask us for a time to talk.")
    para("With warm wishes,", space=4)
    para("The {{ setting_name }} team")
    out = io.BytesIO()
    props = doc.core_properties
    props.author, props.title = "keyperson", "Letter to parents (template)"
    props.created = props.modified = datetime(2000, 1, 1)
    doc.save(out)
    return out.getvalue()


def letters_path(plan: Path) -> Path:
    """Where the letters from a plan workbook go by default: ``NAME-letters.docx`` beside ``NAME-plan.xlsx``."""
    return plan.with_name(plan.stem.removesuffix("-plan") + "-letters.docx")


def save(data: bytes, out: Path, inputs: tuple[Path, ...] = (), force: bool = False) -> Path:
    """Write a .docx atomically, readable by its owner only since it holds children's names; never over
    an input (or a link to one), nor over an existing file unless ``force``."""
    from .excel.safety import check_outputs, write_atomic

    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise DataError(Problem(f"{out.name}: letters are written as a Word .docx file",
                                hint="end the name with .docx"))
    check_outputs({"letters": out}, inputs)
    if out.exists() and not force:
        raise DataError(Problem(f"{out.name} already exists", hint="choose another file with -o, or add --force"))
    write_atomic(out, data, private=True)
    return out
