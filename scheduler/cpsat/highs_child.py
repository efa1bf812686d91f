"""HiGHS on a mixed-integer program read from stdin, run as a script of its own (see :mod:`.mip`).

It imports highspy and numpy only: the program arrives pickled on stdin (a dict of
:class:`.mip.Program`'s arrays and the options), the answer leaves pickled on stdout. When stdin
closes after the program (the caller asks it to stop, or has gone), the search ends, and the best plan
found so far is still sent back. The caller's signals never reach it (a session of its own).
"""

import os
import pickle
import sys
import threading

import highspy
import numpy as np

stop = threading.Event()


def _stop_at_end_of_input() -> None:
    # the descriptor itself, not sys.stdin's buffer, which a thread still reading it at exit would hold
    while os.read(0, 1 << 16):  # b"" at end of input: the caller closed it
        pass
    stop.set()


def main() -> None:
    job = pickle.load(sys.stdin.buffer)
    threading.Thread(target=_stop_at_end_of_input, daemon=True).start()
    answer_to = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # HiGHS's log (and anything else printed) goes to stderr; stdout carries the answer alone
    h = highspy.Highs()
    h.HandleUserInterrupt = True  # cancelSolve() then ends the search at HiGHS's next check
    for name, value in (("output_flag", job["log"]), ("log_to_console", job["log"]),
                        ("time_limit", job["time_limit"]), ("threads", 1), ("random_seed", 0),
                        ("mip_rel_gap", 0.0), ("mip_abs_gap", 0.0)):
        h.setOptionValue(name, value)
    n = len(job["cost"])
    h.addVars(n, job["lower"], job["upper"])
    columns = np.arange(n, dtype=np.int32)
    h.changeColsCost(n, columns, job["cost"])
    integer = np.flatnonzero(job["integer"]).astype(np.int32)
    h.changeColsIntegrality(len(integer), integer, np.full(len(integer), highspy.HighsVarType.kInteger))
    h.addRows(len(job["row_lower"]), job["row_lower"], job["row_upper"], len(job["index"]),
              job["starts"], job["index"], job["value"])
    if not stop.is_set():
        search = threading.Thread(target=h.run, daemon=True)
        search.start()
        while search.is_alive():
            search.join(0.1)
            if stop.is_set():  # again and again: a cancel just before HiGHS starts its search is forgotten
                h.cancelSolve()
    info = h.getInfo()
    has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
    stopped_first = stop.is_set() and h.getModelStatus() == highspy.HighsModelStatus.kNotset
    answer = {"status": "Interrupted by user" if stopped_first else h.modelStatusToString(h.getModelStatus()),
              "x": np.asarray(h.getSolution().col_value) if has_plan else None,
              "objective": info.objective_function_value if has_plan else None,
              "bound": info.mip_dual_bound}
    pickle.dump(answer, answer_to)
    answer_to.flush()
    os._exit(0)  # not a normal exit: that would wait on the thread still reading stdin


if __name__ == "__main__":
    main()
