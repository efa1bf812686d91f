"""Analysts: plots draw the right number of marks, sweeps tabulate, and the notebooks run top to bottom."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import nbformat  # noqa: E402
import pytest  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from scheduler import plan  # noqa: E402
from scheduler.plots import coverage_matrix, plot_caseloads, plot_coverage, plot_sweep  # noqa: E402
from scheduler.sweep import sweep  # noqa: E402
from tests.conftest import ON, ROOT, kid, member, tiny  # noqa: E402


@pytest.fixture
def small():
    """Two children, three practitioners (one a student): a plan small enough to count by hand."""
    s = tiny([kid("a", "Mon AM,Tue AM"), kid("b", "Mon PM")],
             [member("A", "Mon AM"), member("B", "Tue AM"), member("S", can_be_key_person=False)])
    return plan(s, ON)


def test_caseload_plot_draws_a_bar_per_key_person(small):
    """Two practitioners may be key persons (the student may not): two bars, two cap ticks."""
    ax = plot_caseloads(small)
    assert len(ax.patches) == 2 and len(ax.collections[0].get_offsets()) == 2
    assert "Caseloads" in ax.get_title()


def test_coverage_heatmap_has_a_cell_per_child_and_session(small):
    """2 children x 4 sessions; Tue PM and Mon PM/Tue AM gaps are blank where the child isn't in."""
    m = coverage_matrix(small)
    assert m.shape == (2, 4)
    assert m.loc["a"].isna().sum() == 2 and m.loc["b"].isna().sum() == 3
    ax = plot_coverage(small)
    assert ax.images[0].get_array().shape == (2, 4)


def test_sweep_marks_infeasible_caps_and_plots():
    """Three children, two practitioners: cap 1 can't hold them (infeasible), caps 2 and 3 can."""
    s = tiny([kid("a"), kid("b"), kid("c")], [member("A"), member("B")])
    frame = sweep(s, caps=[1, 2, 3], on=ON, workers=1, progress=False)
    assert list(frame["feasible"]) == [False, True, True]
    assert "add up to 2" in frame.loc[0, "reason"]
    ax = plot_sweep(frame)
    assert len(ax.lines[0].get_xdata()) == 2


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01-quickstart.ipynb", "02-tuning-caseload-limits.ipynb",
                                  "03-staff-leaving.ipynb"])
def test_notebook_runs_clean(name):
    """Each notebook runs top to bottom in a fresh kernel from notebooks/."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "stored with outputs"
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
