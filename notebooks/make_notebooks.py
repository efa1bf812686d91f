"""Write the notebooks (without outputs) from the cells below: python notebooks/make_notebooks.py"""

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent

NOTEBOOKS = {
    "01-quickstart.ipynb": [
        ("md", "# Quick start\nRead the sample nursery, plan every child's key person and co-worker, and look at "
               "the result as tables and charts."),
        ("code", "import matplotlib.pyplot as plt\nimport scheduler as kp\nfrom scheduler.plots import "
                 "plot_caseloads, plot_coverage\n\nsetting = kp.read_setting('../data/sample-nursery.xlsx')\n"
                 "len(setting.children), len(setting.staff), [r.name for r in setting.rooms]"),
        ("md", "The result is a plain record of the solve: its status, each child's key person and co-worker, "
               "the points and the bound. The plan's tables are built from it by a `Report`, each once."),
        ("code", "result = kp.plan(setting, time_limit=30)\nresult.status, result.objective, result.bound"),
        ("code", "report = kp.Report(result)\nprint(report)"),
        ("md", "One row per child: key person, co-worker, shared sessions and the reason."),
        ("code", "report.assignments[['Child ID', 'Room', 'Key person', 'Co-worker', 'Shared with key person', "
                 "'Sessions', 'Why']].head(10)"),
        ("code", "report.caseloads[['Staff ID', 'Name', 'Room', 'Key children', 'Weighted load', 'Cap', "
                 "'Busiest session', 'Busiest key group']]"),
        ("md", "The ratio check of the rota: each room and session's children by age band, the adults they "
               "need and the staff present who count."),
        ("code", "report.ratios.head(10)"),
        ("md", "The independent checker recomputes every rule and the objective from the plan."),
        ("code", "check = kp.evaluate(setting, result.on, result.key_person, result.co_worker)\n"
                 "assert check.ok and check.objective == result.objective\ncheck.terms"),
        ("code", "fig, axes = plt.subplots(1, 2, figsize=(16, 6), layout='constrained')\n"
                 "plot_caseloads(result, ax=axes[0])\nplot_coverage(result, ax=axes[1]);"),
    ],
    "02-tuning-caseload-limits.ipynb": [
        ("md", "# Tuning caseload limits\nWhat does a cap of 6 instead of 8 cost in coverage, overlap and "
               "changes? Sweep the cap for all rooms, then room by room, and pick a policy."),
        ("code", "import pandas as pd\nimport scheduler as kp\nfrom scheduler.sweep import sweep\n"
                 "from scheduler.plots import plot_sweep\n\nsetting = kp.read_setting('../data/sample-nursery.xlsx')\n"
                 "table = sweep(setting, caps=range(3, 11), workers=2, progress=False)\n"
                 "table[['cap', 'feasible', 'coverage_pct', 'overlap_pct', 'key_person_changes', 'reason']]"),
        ("code", "plot_sweep(table);"),
        ("md", "Room by room: vary one room's cap and keep the others as the workbook has them."),
        ("code", "rows = []\nfor room in setting.rooms:\n    for cap in range(2, 11):\n"
                 "        rooms = tuple(kp.replace(r, max_key_children=cap) if r.name == room.name else r "
                 "for r in setting.rooms)\n"
                 "        r = kp.plan(kp.replace(setting, rooms=rooms), time_limit=20, workers=1)\n"
                 "        rows.append({'room': room.name, 'cap': cap, 'status': r.status.value,\n"
                 "                     'overlap_pct': kp.Report(r).metrics['overlap_pct'] if r.status.has_plan "
                 "else None})\n"
                 "per_room = pd.DataFrame(rows)\nper_room.pivot(index='cap', columns='room', values='overlap_pct')"),
        ("md", "The smallest cap each room can have, and the overlap bought by one more place:"),
        ("code", "feasible = per_room[per_room['status'] == 'optimal']\n"
                 "feasible.groupby('room')['cap'].min()"),
    ],
    "03-staff-leaving.ipynb": [
        ("md", "# A practitioner leaves\nRe-plan with as few changes as possible, plan the handover, and compare "
               "scenarios side by side."),
        ("code", "from datetime import date\nimport scheduler as kp\nfrom scheduler.whatif import Scenario, "
                 "whatif, compare\n\nsetting = kp.read_setting('../data/sample-nursery.xlsx')\n"
                 "current = kp.plan(setting)\n"
                 "planned = kp.replace(setting, children=tuple(kp.replace(c, key_person=current.key_person[c.id], "
                 "co_worker=current.co_worker[c.id]) for c in setting.children))\n"
                 "leaver = 'S11'\n[s.name for s in setting.staff if s.id == leaver]"),
        ("code", "run = whatif(planned, Scenario((leaver,)), date(2027, 2, 1))\nprint(kp.Report(run.result))\n"
                 "run.handover"),
        ("md", "Nobody else's key person changed:"),
        ("code", "moved = {c for c, k in run.result.key_person.items() if planned.child(c).key_person != k}\n"
                 "assert all(planned.child(c).key_person == leaver for c in moved)\nsorted(moved)"),
        ("code", "runs = [run, whatif(planned, Scenario(('S11', 'S12')), date(2027, 2, 1)),\n"
                 "        whatif(planned, Scenario((leaver,)), date(2027, 2, 1), reshuffle=True)]\n"
                 "runs[2].scenario.name = 'S11 leaves, reshuffle'\ncompare(runs)"),
    ],
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nb = nbf.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
                    for kind, src in cells]
        nbf.write(nb, HERE / name)


if __name__ == "__main__":
    main()
