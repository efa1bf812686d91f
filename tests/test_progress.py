"""Watching a solve: each better plan is heard of, and a stop keeps the best plan so far."""

from __future__ import annotations

import threading

from scheduler import Progress, evaluate_result, generate, plan


def test_progress_hears_of_the_plans_found():
    """Every plan the search finds is reported; the last before the co-worker step is no better than the plan."""
    progress = Progress()
    result = plan(generate(60, seed=1), workers=1, progress=progress)
    assert result.status.value == "optimal"
    assert progress.plans_found >= 1
    assert progress.best is not None and progress.best <= result.objective  # co-workers only add points


def test_a_stop_asked_before_the_search_keeps_its_first_plan():
    """Stopped before it starts, the search ends at its first plan (60 children, one worker, which
    otherwise finds two: see the test above), marked interrupted, every rule kept (the checker runs)."""
    progress = Progress()
    progress.stop()
    result = plan(generate(60, seed=1), workers=1, progress=progress)
    assert result.status.value == "feasible" and result.interrupted
    assert progress.plans_found == 1


def test_stop_from_another_thread_reaches_a_running_search():
    """stop() calls what the solve registered, at once, from any thread; a stop asked earlier is passed on
    to a stopper registered later, and the undo forgets a stopper."""
    progress = Progress()
    heard = []
    forget = progress.on_stop(lambda: heard.append("first"))
    threading.Thread(target=progress.stop).start()
    progress._stopped.wait(5)
    forget()
    progress.on_stop(lambda: heard.append("late"))
    assert heard[-1] == "late" and "first" in heard


def test_a_plan_stopped_early_reports_its_own_points():
    """Stopped at its first plan with two workers, a 150-child search has been seen to report 40 points too
    few (caseload-balance helpers looser than the plan needs); the points are recounted with the plan
    fixed, so they equal the checker's (the suite's fixture compares them on every solve)."""
    progress = Progress()
    progress.stop()
    result = plan(generate(150, seed=3), workers=2, progress=progress)
    assert result.status.value == "feasible"
    assert result.objective == evaluate_result(result).objective


def test_points_of_a_plan_are_the_checkers():
    """CPModel.points_of gives a plan's points whatever the objective it is handed (0 here): the model's own
    count of the plan with every choice fixed, equal to the plain-Python checker's."""
    from scheduler import Instance
    from scheduler.cpsat import CPModel

    setting = generate(60, seed=1)
    result = plan(setting, workers=1)
    model = CPModel(Instance.build(setting, result.on))
    result.objective = 0
    assert model.points_of(result) == evaluate_result(result).objective > 0
