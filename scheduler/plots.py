"""Plots for managers and analysts: one ``plot_*`` function per figure, each taking ``ax=None``
and returning the axes it drew on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .report import caseloads
from .result import Result


def _axes(ax, size):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def plot_caseloads(result: Result, ax=None):
    """Weighted caseload per practitioner (bars, coloured by room) against their cap (black ticks)."""
    c = caseloads(result)
    c = c[c["Cap"] > 0]
    c = c[[result.setting.member(s).can_be_key_person for s in c["Staff ID"]]]
    ax = _axes(ax, (max(6, 0.5 * len(c)), 4))
    rooms = list(dict.fromkeys(c["Room"]))
    colours = {r: f"C{i}" for i, r in enumerate(rooms)}
    x = np.arange(len(c))
    ax.bar(x, c["Weighted load"], color=[colours[r] for r in c["Room"]])
    ax.scatter(x, c["Cap"], marker="_", s=400, color="black", zorder=3, label="cap")
    ax.set_xticks(x, [f"{n}\n({i})" for n, i in zip(c["Name"], c["Staff ID"], strict=True)], rotation=60, ha="right",
                  fontsize=8)
    ax.set_ylabel("weighted key children")
    ax.set_title(f"Caseloads against caps: {result.setting.name}")
    from matplotlib.patches import Patch
    ax.legend(handles=[*(Patch(color=colours[r], label=r) for r in rooms),
                       ax.collections[0]], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    return ax


def coverage_matrix(result: Result) -> pd.DataFrame:
    """Child x session: 2 key person in, 1 only the co-worker in, 0 nobody familiar, NaN not attending."""
    s = result.setting
    names = [t.name for t in s.sessions]
    rows = {}
    for c in result.instance.children:
        if c.id not in result.key_person:
            continue
        kp, cw = s.member(result.key_person[c.id]), s.member(result.co_worker[c.id])
        rows[c.id] = [np.nan if t not in c.sessions else 2 if t in kp.sessions else 1 if t in cw.sessions else 0
                      for t in names]
    return pd.DataFrame.from_dict(rows, orient="index", columns=names)


def plot_coverage(result: Result, ax=None):
    """A child x session heatmap: key person in, co-worker in, or nobody familiar."""
    from matplotlib.colors import ListedColormap
    m = coverage_matrix(result)
    ax = _axes(ax, (8, max(4, 0.18 * len(m))))
    cmap = ListedColormap(["#d7301f", "#fdae61", "#1a9850"])
    ax.imshow(np.ma.masked_invalid(m.to_numpy(dtype=float)), aspect="auto", cmap=cmap, vmin=0, vmax=2,
              interpolation="nearest")
    ax.set_xticks(range(m.shape[1]), m.columns, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(m.shape[0]), m.index, fontsize=6 if len(m) > 40 else 8)
    ax.set_xlabel("session")
    ax.set_ylabel("child")
    ax.set_title("Who is in for each child (green key person, amber co-worker, red nobody familiar; blank not in)",
                 fontsize=9)
    return ax


def plot_sweep(frame: pd.DataFrame, x: str = "cap", ax=None):
    """A sweep's trade-off: coverage (left axis) and key-person changes (right axis) against ``x``;
    infeasible values shaded."""
    ax = _axes(ax, (7, 4))
    ok = frame[frame["feasible"]]
    ax.plot(ok[x], ok["coverage_pct"], "o-", color="C0", label="sessions covered (%)")
    ax.set_xlabel({"cap": "caseload cap (max key children)"}.get(x, x))
    ax.set_ylabel("sessions with key person or co-worker in (%)", color="C0")
    if len(ok):
        ax.set_ylim(max(0.0, float(ok["coverage_pct"].min()) - 10), 101)
    right = ax.twinx()
    right.plot(ok[x], ok["key_person_changes"], "s--", color="C1", label="key-person changes")
    right.set_ylabel("key-person changes", color="C1")
    for value in frame.loc[~frame["feasible"], x]:
        ax.axvspan(value - 0.5, value + 0.5, color="grey", alpha=0.3, lw=0)
    ax.set_title("Trade-off of the caseload cap (grey: no plan possible)")
    return ax


def save_charts(result: Result, folder: Path) -> list[Path]:
    """Write the caseload and coverage charts into ``folder`` as PNG files (atomically, readable by their
    owner only: they show practitioners' names); return their paths."""
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .excel.safety import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path, draw in zip(chart_paths(folder), (plot_caseloads, plot_coverage), strict=True):
        ax = draw(result)
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=110)
        plt.close(ax.figure)
        write_atomic(path, buffer.getvalue())
        out.append(path)
    return out


def chart_paths(folder: Path) -> list[Path]:
    """The files :func:`save_charts` writes into ``folder``."""
    return [folder / "caseloads.png", folder / "coverage.png"]
