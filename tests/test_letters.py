"""Letters to parents: one per family, siblings together, every placeholder filled, only the families whose
parents have something new to hear, and never another family's child."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from click.testing import CliRunner

from scheduler import Lock, Status, plan, replace, write_plan
from scheduler.cli import main
from scheduler.letters import CHILD_FIELDS, FIELDS, letters, letters_table, untold
from scheduler.word import default_template, placeholders, render
from tests.conftest import ON, kid, member, only, tiny

# Four children, three families. Amy keeps Staff A (a must lock); Ben's current key person A is locked out,
# so he changes to B; Cal and Dot are siblings: Cal has no key person yet, Dot starts after the plan date.
NAMES = {"amy": "Amy Jones", "ben": "Ben Patel", "cal": "Cal Smith", "dot": "Dot Smith"}
STAFF = {"A": "Sam Green", "B": "Priya Shah", "C": "Jo Hill"}


def named(person):
    return replace(person, name={**NAMES, **STAFF}[person.id])


FAMILY = tiny(
    [named(c) for c in (kid("amy", key_person="A", co_worker="B"), kid("ben", key_person="A", co_worker="B"),
                        kid("cal", sibling_group="Smith"),
                        kid("dot", "Mon AM,Tue AM", sibling_group="smith", starts=date(2027, 1, 11)))],
    [named(m) for m in (member("A"), member("B"), member("C", "Mon AM,Mon PM"))],
    only(overlap=100),
    locks=(Lock("amy", "A", "key person", "must"), Lock("ben", "A", "key person", "must not")))


@pytest.fixture(scope="module")
def planned():
    result = plan(FAMILY, ON, time_limit=20)
    assert result.status is Status.OPTIMAL
    return result, FAMILY.with_plan(result.key_person, result.co_worker, result.on)


def letter_texts(data: bytes) -> list[str]:
    """The letters of a rendered document, split at its page breaks."""
    body = docx.Document(io.BytesIO(data))
    pages, current = [], []
    for p in body.paragraphs:
        if any(br.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") == "page"
               for br in p._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br")):
            pages.append("\n".join(current))
            current = []
        current.append(p.text)
    pages.append("\n".join(current))
    return pages


def test_changed_selects_the_new_and_changed_children(planned):
    """Amy keeps her key person: no letter. Ben changes, Cal is new, Dot is a new starter: two letters
    (Cal and Dot share one), in the Children sheet's order."""
    _, setting = planned
    found = letters(setting, ON)
    assert [[n.child_id for n in letter.children] for letter in found] == [["ben"], ["cal", "dot"]]
    assert [n.what for letter in found for n in letter.children] == [
        "change of key person", "new key person", "new starter"]
    assert len(letters(setting, ON, which="all")) == 3


def test_parents_told_since_the_change_get_no_letter(planned):
    """Ben's parents told on the plan date (when his key person was chosen) are skipped; told the day
    before, they are not."""
    _, setting = planned
    told = replace(setting, children=tuple(replace(c, parents_told=ON) if c.id == "ben" else c
                                           for c in setting.children))
    assert "ben" not in {n.child_id for letter in letters(told, ON) for n in letter.children}
    earlier = replace(setting, children=tuple(replace(c, parents_told=date(2027, 1, 3)) if c.id == "ben" else c
                                              for c in setting.children))
    assert "ben" in {n.child_id for letter in letters(earlier, ON) for n in letter.children}
    assert any(line.startswith("Ben Patel (ben): key person") and "last told 03/01/2027" in line
               for line in untold(earlier, ON))


def test_the_change_is_explained_with_true_facts(planned):
    """Ben moves from A to B (both work all his sessions, no bond, no sibling): the reason says the key
    groups were reviewed, names A as the previous key person, and B takes over on the plan date."""
    result, setting = planned
    (ben,) = letters(setting, ON)[0].children
    assert result.key_person["ben"] == "B"
    assert ben.previous_key_person == "Sam Green" and ben.key_person == "Priya Shah"
    assert ben.change_reason == "We have reviewed our key groups for this term."
    assert ben.from_date == "Monday 4 January 2027"
    assert ben.shared_days == "Monday and Tuesday"


def test_a_new_starter_is_temporary_until_settled(planned):
    """Dot starts on Monday 11 January 2027; six settling-in weeks end on Monday 22 February 2027. She
    attends mornings only, so the days she shares with a full-week key person are both mornings."""
    _, setting = planned
    dot = letters(setting, ON)[1].children[1]
    assert dot.is_new_starter and dot.is_temporary
    assert dot.from_date == "Monday 11 January 2027"
    assert dot.temporary_until == "Monday 22 February 2027"
    assert dot.shared_days in ("Monday and Tuesday", "Monday 08:00-13:00")


def test_one_letter_per_family_every_placeholder_filled_no_other_child(planned):
    """The rendered document has one letter (page) per family; no '{{' is left; each letter names its own
    children and their key persons, and no child of another family."""
    _, setting = planned
    found = letters(setting, ON, which="all")
    pages = letter_texts(render(found))
    assert len(pages) == len(found) == 3
    for letter, page in zip(found, pages, strict=True):
        assert "{{" not in page and "{%" not in page and "}}" not in page
        mine = {n.child_id for n in letter.children}
        for cid, name in NAMES.items():
            first = name.split()[0]
            assert (f"{first}'s key person" in page) == (cid in mine), (cid, page)
        for n in letter.children:
            assert n.key_person in page and n.co_worker in page
    assert "Dear parents and carers of Cal and Dot," in pages[2]


def test_letters_sheet_has_one_row_per_family(planned, tmp_path):
    """The Letters table: three families, the siblings in one row with both IDs, Amy's not needing a letter."""
    _, setting = planned
    table = letters_table(letters(setting, ON, which="all"))
    assert table["Child IDs"].tolist() == ["amy", "ben", "cal, dot"]
    assert table["Needs letter"].tolist() == ["no", "yes", "yes"]


def test_command_writes_letters_from_a_plan_workbook(planned, tmp_path):
    """`keyperson letters PLAN` reads the plan workbook back and writes the two letters it needs; `--all`
    writes three; a second run refuses to overwrite without --force."""
    result, _ = planned
    plan_book = write_plan(result, tmp_path / "tiny-plan.xlsx")
    runner = CliRunner()
    out = tmp_path / "letters.docx"
    r = runner.invoke(main, ["letters", str(plan_book), "-o", str(out), "--on", "04/01/2027"])
    assert r.exit_code == 0, r.output
    assert "2 letters for 3 children" in r.output
    assert len(letter_texts(out.read_bytes())) == 2
    again = runner.invoke(main, ["letters", str(plan_book), "-o", str(out), "--on", "04/01/2027"])
    assert again.exit_code == 2 and "already exists" in again.output
    r = runner.invoke(main, ["letters", str(plan_book), "-o", str(out), "--all", "--force", "--on", "04/01/2027"])
    assert r.exit_code == 0 and len(letter_texts(out.read_bytes())) == 3


def test_check_lists_parents_not_yet_told(planned, tmp_path):
    """`keyperson check` on the plan workbook names the three children whose key person the plan chose."""
    result, _ = planned
    plan_book = write_plan(result, tmp_path / "tiny-plan.xlsx")
    r = CliRunner().invoke(main, ["check", str(plan_book), "--on", "04/01/2027"])
    assert "Parents not yet told of their child's key person (3;" in r.output
    assert "Ben Patel (ben): key person Priya Shah (B) since 04/01/2027; parents not recorded as told" in r.output


def test_unknown_placeholder_is_refused_with_its_name(tmp_path):
    """A template with {{ key_persn }} and {{ child.room_name }} exits 2 naming both and listing the
    known placeholders."""
    doc = docx.Document()
    doc.add_paragraph("Dear {{ child_names }}, your key person is {{ key_persn }}.")
    doc.add_paragraph("{%p for child in children %}")
    doc.add_paragraph("{{ child.room_name }}")
    doc.add_paragraph("{%p endfor %}")
    template = tmp_path / "mine.docx"
    doc.save(template)
    r = CliRunner().invoke(main, ["letters", str(tmp_path / "none.xlsx"), "--template", str(template)])
    assert r.exit_code == 2
    assert "'key_persn'" in r.output and "'child.room_name'" in r.output
    assert "known placeholders: setting_name" in r.output


def test_the_default_template_uses_only_known_placeholders(tmp_path):
    """keyperson's own letter names no placeholder it doesn't fill, and `--template-out` writes it to start
    from (a private file, since the letters it makes hold names)."""
    top, child = placeholders(io.BytesIO(default_template()))
    assert top <= set(FIELDS) and child <= set(CHILD_FIELDS)
    assert {"key_person", "co_worker", "shared_days", "temporary_until", "change_reason", "from_date"} <= child
    out = tmp_path / "start.docx"
    r = CliRunner().invoke(main, ["letters", "--template-out", str(out)])
    assert r.exit_code == 0 and out.stat().st_mode & 0o777 == 0o600
    assert placeholders(out) == (top, child)


def test_siblings_sharing_a_first_name_are_called_by_their_full_names(planned):
    """Cal renamed Dot Smith's namesake 'Dot Brown' (same family): each is called by their full name, so
    the letter never reads 'Dot and Dot'."""
    _, setting = planned
    twins = replace(setting, children=tuple(replace(c, name="Dot Brown") if c.id == "cal" else c
                                            for c in setting.children))
    letter = letters(twins, ON)[1]
    assert letter.child_names == "Dot Brown and Dot Smith"
    assert letter.context()["child_first_name"] == "Dot Brown"


def test_the_plan_workbook_keeps_the_setting_name(planned, tmp_path):
    """A plan workbook read back is still called by the setting's name, not the plan file's."""
    from scheduler import read_setting

    result, _ = planned
    assert read_setting(write_plan(result, tmp_path / "renamed-plan.xlsx")).name == "tiny"
