"""Mutation testing of the model and the checker: break each hard rule and soft term on purpose, and see
that some test fails.

    python tests/mutate.py              # every mutant
    python tests/mutate.py --only cap   # mutants whose name contains "cap" (repeatable)
    python tests/mutate.py --list

Each mutant replaces one exact piece of source text (which must occur exactly once in its file) in a copy
of the project, then runs the tests it names; the mutant is *killed* when they fail. A survivor is either
a missing test (add one) or an equivalent mutant, one no behaviour can tell apart, which must say why in
``equivalent``. A mutant whose text is no longer in the file is *stale* (the code moved on): update it.
The script exits 1 when a non-equivalent mutant survives or a mutant is stale.

To add mutants for a new rule or term, add rows to ``MUTANTS`` (see ``docs/adding-a-rule.md``): at least
one for its builder or pair exclusion, one for its diagnosis or relaxation if it has them, and one for
its check in the checker.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ("tests/test_rules.py", "tests/test_checker.py", "tests/test_registry.py")
DIAGNOSIS = ("tests/test_explain.py",)
PLANS = ("tests/test_plan.py", "tests/test_whatif.py")
ALL = RULES + DIAGNOSIS + PLANS
TERM = ("tests/test_term_plan.py", "tests/test_checker.py")
COWORKERS = RULES + ("tests/test_coworkers.py",)


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...] = RULES
    equivalent: str = ""  # why no behaviour can tell it from the original, if so


CONS, OBJ, VARS = "scheduler/cpsat/constraints.py", "scheduler/cpsat/objective.py", "scheduler/cpsat/variables.py"
MODEL, DIAG, RELAX = "scheduler/cpsat/cpmodel.py", "scheduler/cpsat/diagnose.py", "scheduler/cpsat/relax.py"
CHECK, REG, INST = "scheduler/checker.py", "scheduler/registry.py", "scheduler/instance.py"
FLOW, SETTING = "scheduler/cpsat/coworkers.py", "scheduler/setting.py"
MIP = "scheduler/cpsat/mip.py"

KEY_GROUP = ("tests/test_key_group.py", "tests/test_ratios.py", *RULES, *DIAGNOSIS)

MUTANTS: tuple[Mutant, ...] = (
    # -- hard rules in the model: builders (cpsat/constraints.py) ---------------------------------------------
    Mutant(
        "one key person: at most one",
        CONS,
        'by_child = grouped(v.key, "child", "var")\n    for c in inst.children:\n        model.add_exactly_one(',
        'by_child = grouped(v.key, "child", "var")\n    for c in inst.children:\n        model.add_at_most_one(',
    ),
    Mutant(
        "one co-worker: at most one",
        CONS,
        'by_child = grouped(v.co, "child", "var")\n    for c in inst.children:\n        model.add_exactly_one(',
        'by_child = grouped(v.co, "child", "var")\n    for c in inst.children:\n        model.add_at_most_one(',
    ),
    Mutant("co-worker differs: dropped", CONS, "model.add_bool_or([key.Not(), co[(c, s)].Not()])", "pass"),
    Mutant("caseload cap: one over", CONS, "<= inst.cap[s]) \\", "<= inst.cap[s] + 1) \\"),
    Mutant("caseload cap: SEN weight ignored", CONS, "w = [weight[c] for c, _ in pairs]", "w = [1 for c, _ in pairs]"),
    Mutant("caseload cap: skipped when just over", CONS, "if sum(w) > inst.cap[s]:", "if sum(w) > inst.cap[s] + 1:"),
    Mutant("key group limit: one unit over", CONS, "<= inst.share_unit) \\", "<= inst.share_unit + 1) \\", KEY_GROUP),
    Mutant(
        "key group limit: every child one unit",
        CONS,
        "model.add(cp_model.LinearExpr.weighted_sum(variables, shares) <= inst.share_unit)",
        "model.add(cp_model.LinearExpr.sum(variables) <= inst.share_unit)",
        KEY_GROUP,
    ),
    Mutant(
        "key group limit: the Rules switch ignored",
        CONS,
        "    if not inst.setting.rules.key_group_within_ratio:\n        return\n    room_of",
        "    room_of",
        KEY_GROUP,
    ),
    Mutant(
        "key group limit: sessions not worked count",
        VARS,
        "for t in inst.setting.ordered_sessions(works[s]):",
        "for t in inst.setting.ordered_sessions(inst.setting.session_index):",
        KEY_GROUP,
    ),
    Mutant(
        "key group limit: shares by the room, not the child",
        VARS,
        "[inst.share_weight(child[c], t) for c, _ in present]",
        "[inst.share_unit // 8 for c, _ in present]",
        KEY_GROUP,
    ),
    Mutant("shares: 1:13 always holds", INST, "            ratio = statutory_ratio(3)\n        return ratio if",
           "            pass\n        return ratio if", KEY_GROUP),
    Mutant("shares: support ratio ignored", INST,
           "return ratio if child.support_ratio is None else min(ratio, child.support_ratio)", "return ratio",
           KEY_GROUP),
    Mutant("shares: no date of birth at 1:8", INST, "tightest.get(room, TIGHTEST_RATIO))", "tightest.get(room, 8))",
           KEY_GROUP),
    Mutant("shares: no date of birth at the loosest band", INST,
           "tightest[room] = min(tightest.get(room, ratio_of_band[band]), ratio_of_band[band])",
           "tightest[room] = max(tightest.get(room, ratio_of_band[band]), ratio_of_band[band])", KEY_GROUP),
    Mutant("shares: 1:13 at any time", INST, "within = TEACHER_HOURS[0] <= t.start and t.end <= TEACHER_HOURS[1]",
           "within = True", KEY_GROUP),
    Mutant("shares: 1:13 without a teacher", INST, "return within and (room, session) in self.teacher_present",
           "return within", KEY_GROUP),
    Mutant("shares: a teacher who doesn't count", INST, "if m.early_years_teacher and m.counts_in_ratio",
           "if m.early_years_teacher", KEY_GROUP),
    Mutant("key group limit: pre-check when someone is out", "scheduler/precheck.py",
           "        if not all(t.name in m.sessions for m in members):\n            continue\n", "", KEY_GROUP),
    Mutant("key group limit: pre-check one adult over", "scheduler/precheck.py", "        if need > len(members):",
           "        if need > len(members) + 1:", KEY_GROUP),
    Mutant("room capacity: pre-check counts who works no session", "scheduler/precheck.py",
           "if r.key_exclusion is not None and not r.prechecks)",
           'if r.key_exclusion is not None and not r.prechecks and r.name != "works a session")', DIAGNOSIS),
    Mutant("room capacity: pre-check counts checks not complete", "scheduler/precheck.py",
           "if r.key_exclusion is not None and not r.prechecks)",
           'if r.key_exclusion is not None and not r.prechecks and r.name != "checks complete")', RULES),
    Mutant("room capacity: pre-check one place over", "scheduler/precheck.py",
           'if r["Demand"] > r["Capacity"]:', 'if r["Demand"] > r["Capacity"] + 1:', DIAGNOSIS),
    Mutant("SEN trained: pre-check counts the untrained", "scheduler/precheck.py",
           'trained = key_persons_for(inst, needing, "SEN trained")', "trained = key_persons_for(inst, needing)",
           DIAGNOSIS),
    Mutant("checker term: a result's successors not checked", CHECK,
           "until=result.instance.until, successor=result.successor, next_co_worker=result.next_co_worker)",
           "until=result.instance.until)", TERM),
    Mutant(
        "co-worker cap: one over",
        CONS,
        "model.add(sum(variables) <= inst.co_cap[s])",
        "model.add(sum(variables) <= inst.co_cap[s] + 1)",
    ),
    Mutant(
        "max changes: one over",
        CONS,
        "model.add(len(current) - sum(kept) <= limit)",
        "model.add(len(current) - sum(kept) <= limit + 1)",
        RULES + PLANS,
    ),
    Mutant(
        "max changes: the Rules' limit ignored",
        INST,
        "return self.max_changes if self.max_changes is not None else self.setting.rules.max_changes",
        "return self.max_changes",
        RULES + PLANS,
    ),
    Mutant(
        "SEN trained (diagnosis): dropped",
        CONS,
        'model.add(var == 0).only_enforce_if(guard(("sen", inst.room_of[c])))',
        "pass",
        DIAGNOSIS,
    ),
    Mutant(
        "locks (diagnosis): a must lock on an absent pair",
        CONS,
        "model.add_bool_or([]).only_enforce_if(held)",
        "pass",
        DIAGNOSIS,
    ),
    Mutant(
        "locks (diagnosis): dropped",
        CONS,
        'model.add(var == (lock.rule == "must")).only_enforce_if(held)',
        "pass",
        DIAGNOSIS,
    ),
    # -- hard rules in the model: pair exclusions (registry.py) --------------------------------------------------
    Mutant(
        "room: key person from any room",
        REG,
        'return None if member.room == room else f"works in',
        'return None if True else f"works in',
    ),
    Mutant(
        "room: co-workers from other rooms always",
        REG,
        "    if not rules.co_workers_from_other_rooms:\n        return _key_room(inst, child, member)",
        "    if False:\n        return _key_room(inst, child, member)",
    ),
    Mutant(
        "can be key person: ignored",
        REG,
        "return None if member.can_be_key_person else \"can't be a key person (Staff",
        "return None if True else \"can't be a key person (Staff",
    ),
    Mutant(
        "can be key person: co-workers unchecked",
        REG,
        "if inst.setting.rules.co_worker_must_be_key_person_eligible and not member.can_be_key_person:",
        "if False:",
    ),
    Mutant(
        "employed: ignored",
        REG,
        "    if member.employed_on(on):\n        return None",
        "    if True:\n        return None",
    ),
    Mutant(
        "caseload cap: a child above the cap alone",
        REG,
        'return f"has a cap of {cap}" if cap < inst.caseload_weight(child)',
        'return f"has a cap of {cap}" if cap < 1',
        RULES + DIAGNOSIS,
    ),
    Mutant("works a session: ignored", REG, "    if member.sessions:\n        return None",
           "    if True:\n        return None"),
    Mutant(
        "SEN trained: ignored",
        REG,
        "if inst.setting.needs_trained_key_person(child) and not member.sen_trained:",
        "if False:",
    ),
    Mutant(
        "co-worker cap: zero allowed",
        REG,
        'return "has a co-worker cap of 0" if inst.co_cap[member.id] < 1 else None',
        "return None",
    ),
    Mutant("checks complete: ignored", REG, "    if member.checks_complete:\n        return None",
           "    if True:\n        return None"),
    Mutant("locks: must not ignored", REG, 'if lock.rule == "must not" and lock.staff == member.id:', "if False:"),
    Mutant("locks: must ignored", REG, 'if musts and lock.rule == "must" and lock.staff != member.id:', "if False:"),
    # -- the diagnosis and the relaxation ---------------------------------------------------------------------------
    Mutant("diagnosis: core not shrunk", DIAG, "if rest and infeasible_with(rest):", "if False:", DIAGNOSIS),
    Mutant(
        "diagnosis: fixes not re-checked",
        DIAG,
        "if fix and fix not in fixes and infeasible_with([x for x in groups if x != g]) is False:",
        "if fix and fix not in fixes:",
        DIAGNOSIS,
    ),
    Mutant(
        "relax: cap rise one short",
        RELAX,
        "m.add(load <= inst.cap[sid] + raise_by)",
        "m.add(load <= inst.cap[sid] + raise_by + 1)",
        DIAGNOSIS,
    ),
    Mutant(
        "relax: training free",
        RELAX,
        'COST = {"cap": 1, "co-worker cap": 1, "train": 2, "unlock": 3}',
        'COST = {"cap": 1, "co-worker cap": 1, "train": 0, "unlock": 3}',
        DIAGNOSIS,
    ),
    Mutant(
        "relax: co-worker cap not lifted with the cap",
        RELAX,
        "m.add(sum(co_by_staff[sid]) <= inst.co_cap[sid] + raise_by)",
        "m.add(sum(co_by_staff[sid]) <= inst.co_cap[sid])",
        DIAGNOSIS,
    ),
    Mutant("relax: locks kept", RELAX, "return [self.slack[ch].Not()]", "return []", DIAGNOSIS),
    # -- soft terms in the model --------------------------------------------------------------------------------------
    Mutant(
        "overlap: rounded down",
        REG,
        "return (2 * weight * shared + attended) // (2 * attended)",
        "return (weight * shared) // attended",
    ),
    Mutant(
        "attachment: strength ignored",
        REG,
        "return inst.setting.rules.weight_attachment * inst.setting.attachment(child.id, member.id)",
        "return inst.setting.rules.weight_attachment * bool(inst.setting.attachment(child.id, member.id))",
    ),
    Mutant(
        "continuity: for anyone",
        REG,
        "return inst.setting.rules.weight_continuity * (member.id == child.key_person)",
        "return inst.setting.rules.weight_continuity",
    ),
    Mutant(
        "successor: without a leaver",
        REG,
        "return inst.setting.rules.weight_successor * (orphaned and member.id",
        "return inst.setting.rules.weight_successor * (True and member.id",
    ),
    Mutant(
        "language: for anyone",
        REG,
        "return inst.setting.rules.weight_language * member.speaks(child.home_language)",
        "return inst.setting.rules.weight_language",
    ),
    Mutant(
        "SEN support trained: any SEN",
        REG,
        'weight_sen_support_trained * (child.sen == "SEN support" and',
        'weight_sen_support_trained * (child.sen != "none" and',
    ),
    Mutant(
        "co-worker continuity: for anyone",
        REG,
        "return inst.setting.rules.weight_co_worker_continuity * (member.id == child.co_worker and sees)",
        "return inst.setting.rules.weight_co_worker_continuity",
    ),
    Mutant(
        "co-worker continuity: a co-worker the child never sees kept",
        REG,
        "weight_co_worker_continuity * (member.id == child.co_worker and sees)",
        "weight_co_worker_continuity * (member.id == child.co_worker)",
        COWORKERS,
    ),
    Mutant(
        "co-worker familiarity: every session of the child's",
        REG,
        "weight_co_worker_familiarity * len(child.sessions & member.sessions)",
        "weight_co_worker_familiarity * len(child.sessions)",
        COWORKERS,
    ),
    Mutant(
        "co-worker balance: one child of slack",
        OBJ,
        "model.add(v.co_over_fair[s] >= LinearExpr.sum(variables) - inst.co_fair_share[s])",
        "model.add(v.co_over_fair[s] >= LinearExpr.sum(variables) - inst.co_fair_share[s] - 1)",
        COWORKERS,
    ),
    Mutant(
        "co-worker balance: fair share rounded down",
        INST,
        "out[s.id] = math.ceil(n * len(s.sessions) / worked) if worked else n",
        "out[s.id] = math.floor(n * len(s.sessions) / worked) if worked else n",
        COWORKERS,
    ),
    Mutant(
        "co-worker flow: balance free above the fair share",
        FLOW,
        "costs += [0, scale * weight]",
        "costs += [0, 0]",
        COWORKERS + PLANS,
    ),
    Mutant(
        "co-worker flow: no free arc up to the fair share",
        FLOW,
        "free = cap if weight == 0 else min(cap, fair)",
        "free = 0",
        COWORKERS + PLANS,
    ),
    Mutant(
        "pro-rata caps: rounded down",
        SETTING,
        "share = -(-full * worked // len(open_))",
        "share = full * worked // len(open_)",
        COWORKERS,
    ),
    Mutant(
        "pro-rata caps: a Staff sheet cap scaled too",
        SETTING,
        'return member.max_key_children, "Staff sheet (taken as pro rata)"',
        'return max(1, member.max_key_children // 2), "Staff sheet (taken as pro rata)"',
        COWORKERS,
    ),
    Mutant("coverage: covered without anyone in", OBJ, "model.add(covered <= LinearExpr.sum(familiar[ct]))", "pass"),
    Mutant(
        "coverage: co-worker's sessions ignored",
        OBJ,
        "for frame in (v.key, v.co):\n        for c, s, var in rows(frame",
        "for frame in (v.key,):\n        for c, s, var in rows(frame",
    ),
    Mutant("siblings: shared without sharing", OBJ, "model.add(ka == kb).only_enforce_if(share)", "pass"),
    Mutant(
        "caseload balance: fair share one more",
        OBJ,
        "model.add(v.over_fair[s] >= load - inst.fair_share[s])",
        "model.add(v.over_fair[s] >= load - inst.fair_share[s] - 1)",
    ),
    Mutant(
        "caseload balance: fair share rounded down",
        INST,
        "out[s.id] = math.ceil(load * len(s.sessions) / worked) if worked else load",
        "out[s.id] = math.floor(load * len(s.sessions) / worked) if worked else load",
    ),
    Mutant(
        "session balance: busiest unbound",
        OBJ,
        "model.add(v.busiest[(room_of[s], t)] >= LinearExpr.weighted_sum(variables, weights))",
        "pass",
    ),
    Mutant(
        "pair terms: co-worker pairs read as key pairs",
        OBJ,
        'pairs = v.key if role == "key" else v.co',
        "pairs = v.key if True else v.co",
    ),
    Mutant(
        "tie-break: ignored",
        MODEL,
        "self.model.maximize(scale * self.objective - objective.tie_break(v.key) - objective.tie_break(v.succ)",
        "self.model.maximize(scale * self.objective - objective.tie_break(v.succ)",
        PLANS,
    ),
    Mutant(
        "stopped search: points not recounted with the plan fixed",
        MODEL,
        "return int(solver.value(self.objective)) if code == cp_model.OPTIMAL else None",
        "return None",
        ("tests/test_progress.py",),
    ),
    Mutant(
        "stopped search: plan left unfixed in the recount",
        MODEL,
        "for frame, plan in self._choices(result):\n"
        '            for c, s, var in rows(frame, "child", "staff", "var"):\n'
        "                model.add(var == int(plan.get(c) == s))",
        "for frame, plan in self._choices(result):\n"
        '            for c, s, var in rows(frame, "child", "staff", "var"):\n'
        "                pass",
        ("tests/test_progress.py",),
    ),
    Mutant(
        "co-worker flow: the key person's sessions ignored",
        FLOW,
        "np.bitwise_count(attended[child_codes] & (with_key[child_codes] | worked[staff_codes]))",
        "np.bitwise_count(attended[child_codes] & worked[staff_codes])",
        RULES + PLANS,
    ),
    Mutant(
        "co-worker flow: co-worker caps ignored",
        FLOW,
        "cap, fair = inst.co_cap[s], inst.co_fair_share.get(s, 0)",
        "cap, fair = len(children), inst.co_fair_share.get(s, 0)",
        RULES + PLANS,
    ),
    Mutant(
        "variables: busiest bounded by the ratio",
        VARS,
        "model.new_int_var(0, most_present.get((r, t.name), 0),",
        "model.new_int_var(0, inst.ratio[r],",
        RULES,
    ),
    # -- hard rules in the checker ----------------------------------------------------------------------------------
    Mutant("checker one key person: missing unseen", CHECK, "if p.key_person.get(c.id) not in p.staff:", "if False:"),
    Mutant(
        "checker one key person: extra children unseen",
        CHECK,
        "    if extra:\n        yield",
        "    if False:\n        yield",
    ),
    Mutant("checker one co-worker: missing unseen", CHECK, "if p.co_worker.get(c.id) not in p.staff:", "if False:"),
    Mutant("checker co-worker differs", CHECK, "if carers[0] is not None and carers[0] == carers[1]:", "if False:"),
    Mutant("checker room: key person", CHECK, "if k.room != room:", "if False:"),
    Mutant(
        "checker room: co-worker",
        CHECK,
        "if w.room != room and not p.setting.rules.co_workers_from_other_rooms:",
        "if False:",
    ),
    Mutant(
        "checker room: co-workers from other rooms not allowed",
        CHECK,
        "if w.room != room and not p.setting.rules.co_workers_from_other_rooms:",
        "if w.room != room:",
    ),
    Mutant("checker can be key person", CHECK, "if not k.can_be_key_person:", "if False:"),
    Mutant(
        "checker can be key person: co-worker",
        CHECK,
        "if p.setting.rules.co_worker_must_be_key_person_eligible and not w.can_be_key_person:",
        "if False:",
    ),
    Mutant("checker employed", CHECK,
           "if s is None or not ((s.starts is None or s.starts <= day) and (s.leaves is None or s.leaves >= day)):",
           "if s is None:"),
    Mutant(
        "checker employed: starting on the day",
        CHECK,
        "if s is None or not ((s.starts is None or s.starts <= day)",
        "if s is None or not ((s.starts is None or s.starts < day)",
        ALL,
    ),
    Mutant("checker works a session", CHECK, "if not k.sessions:", "if False:"),
    Mutant("checker SEN trained", CHECK, "if p.needs_trained(c) and not k.sen_trained:", "if False:"),
    Mutant(
        "checker SEN support rule ignored",
        CHECK,
        'c.sen == "SEN support" and rules.sen_support_needs_sen_trained)',
        "False)",
    ),
    Mutant(
        "checker caseload cap: at the cap",
        CHECK,
        "if sid in p.staff and load > p.cap_of(sid):",
        "if sid in p.staff and load >= p.cap_of(sid):",
    ),
    Mutant(
        "checker caseload cap: one over",
        CHECK,
        "if sid in p.staff and load > p.cap_of(sid):",
        "if sid in p.staff and load > p.cap_of(sid) + 1:",
    ),
    Mutant(
        "checker caseload cap: default for the ratio",
        CHECK,
        "full = 4 if r <= 3 else 6 if r <= 5 else 8",
        "full = 8",
        ALL,
    ),
    Mutant(
        "checker SEN weight", CHECK, "return self.setting.rules.sen_caseload_weight if self.heavy(c) else 1", "return 1"
    ),
    Mutant("checker key group limit: a fortieth over", CHECK, "        if total > 1:",
           "        if total > Fraction(41, 40):", KEY_GROUP),
    Mutant("checker key group limit: sessions not worked count", CHECK,
           "        for t in c.sessions & k.sessions:\n            need[",
           "        for t in c.sessions:\n            need[", KEY_GROUP),
    Mutant("checker key group limit: the Rules switch ignored", CHECK,
           "    if not p.setting.rules.key_group_within_ratio:\n        return\n    need", "    need", KEY_GROUP),
    Mutant("checker shares: statutory under 2", CHECK, "band = {0: 3, 1: 3, 2: 5}", "band = {0: 5, 1: 5, 2: 5}",
           KEY_GROUP),
    Mutant("checker shares: statutory at 2", CHECK, "band = {0: 3, 1: 3, 2: 5}", "band = {0: 3, 1: 3, 2: 8}",
           KEY_GROUP),
    Mutant("checker shares: 1:13 without a teacher", CHECK, "            if not (teacher and t.start.hour >= 8",
           "            if not (t.start.hour >= 8", KEY_GROUP),
    Mutant("checker shares: support ratio ignored", CHECK, "            r = min(r, c.support_ratio)",
           "            r = r", KEY_GROUP),
    Mutant("checker shares: no date of birth at the loosest band", CHECK,
           "                age = min(ages) if ages else 0", "                age = max(ages) if ages else 0",
           KEY_GROUP),
    Mutant("checker checks complete", CHECK, "            if not s.checks_complete:\n                yield",
           "            if False:\n                yield"),
    Mutant("checker checks complete: balance members", CHECK,
           "self.cap_of(s.id) < self.caseload_weight(c) or not s.checks_complete:",
           "self.cap_of(s.id) < self.caseload_weight(c):"),
    Mutant("checker co-worker cap: one over", CHECK, "if n > limit:", "if n > limit + 1:"),
    Mutant(
        "checker co-worker cap: the rule ignored",
        CHECK,
        "return rule if rule is not None else self.cap_of(sid)",
        "return self.cap_of(sid)",
    ),
    Mutant("checker locks", CHECK, 'if (lock.rule == "must") != (chosen == lock.staff):', "if False:"),
    Mutant(
        "checker locks: co-worker locks read as key person",
        CHECK,
        'chosen = k.id if lock.role == "key person" else w.id',
        "chosen = k.id",
    ),
    Mutant("checker max changes: one over", CHECK, "if changes > p.max_changes:", "if changes > p.max_changes + 1:"),
    Mutant(
        "checker max changes: leavers counted",
        CHECK,
        "if c.key_person in p.staff and p.employed(p.staff[c.key_person])",
        "if c.key_person in p.staff",
    ),
    # -- soft terms in the checker ------------------------------------------------------------------------------------
    Mutant(
        "checker overlap: rounded down",
        CHECK,
        "len(c.sessions & k.sessions) / n + 0.5)",
        "len(c.sessions & k.sessions) / n)",
    ),
    Mutant(
        "checker coverage: co-worker ignored", CHECK, "if t in k.sessions or t in w.sessions)", "if t in k.sessions)"
    ),
    Mutant(
        "checker attachment: strongest of two", CHECK, "max(bonds.get((a.child, a.staff), 0), a.strength)", "a.strength"
    ),
    Mutant("checker continuity", CHECK, "sum(k.id == c.key_person for", "sum(k.id != c.key_person for"),
    Mutant("checker co-worker continuity", CHECK, "sum(w.id == c.co_worker and", "sum(w.id != c.co_worker and"),
    Mutant(
        "checker co-worker continuity: a co-worker the child never sees kept",
        CHECK,
        "w.id == c.co_worker and bool(c.sessions & w.sessions)",
        "w.id == c.co_worker",
        COWORKERS,
    ),
    Mutant(
        "checker co-worker familiarity: the key person's sessions",
        CHECK,
        "sum(len(c.sessions & w.sessions) for c, _, w in p.assigned)",
        "sum(len(c.sessions & k.sessions) for c, k, _ in p.assigned)",
        COWORKERS,
    ),
    Mutant(
        "checker co-worker balance: below the share counts",
        CHECK,
        "over += max(0, counts.get(s.id, 0) - fair)",
        "over += counts.get(s.id, 0) - fair",
        COWORKERS,
    ),
    Mutant(
        "checker pro-rata caps: rounded down",
        CHECK,
        "return max(1, math.ceil(full * len(open_sessions & s.sessions) / len(open_sessions)))",
        "return max(1, math.floor(full * len(open_sessions & s.sessions) / len(open_sessions)))",
        COWORKERS,
    ),
    Mutant(
        "checker pro-rata caps: ignored",
        CHECK,
        "if not self.setting.rules.pro_rata_caps or not open_sessions:",
        "if True:",
        COWORKERS,
    ),
    Mutant(
        "checker successor: without a leaver",
        CHECK,
        "total += left and k.id == c.co_worker",
        "total += k.id == c.co_worker",
    ),
    Mutant(
        "checker language",
        CHECK,
        "if c.home_language and any(x.casefold() == c.home_language.casefold()",
        "if c.home_language and any(x == c.home_language",
    ),
    Mutant("checker SEN support trained", CHECK, 'if c.sen == "SEN support" and k.sen_trained)', "if k.sen_trained)"),
    Mutant(
        "checker siblings: spelling",
        CHECK,
        'groups.setdefault(" ".join(c.sibling_group.casefold().split()), [])',
        "groups.setdefault(c.sibling_group, [])",
    ),
    Mutant(
        "checker siblings: any pair",
        CHECK,
        "sharing += p.key_person.get(a) is not None and p.key_person.get(a) == p.key_person.get(b)",
        "sharing += 1",
    ),
    Mutant(
        "checker caseload balance: fair share rounded down",
        CHECK,
        "fair = math.ceil(room_load * len(s.sessions) / worked)",
        "fair = math.floor(room_load * len(s.sessions) / worked)",
    ),
    Mutant(
        "checker caseload balance: below the share counts",
        CHECK,
        "over += max(0, p.loads.get(s.id, 0) - fair)",
        "over += p.loads.get(s.id, 0) - fair",
    ),
    Mutant(
        "checker session balance: total, not busiest",
        CHECK,
        "busiest += max((p.present.get((s.id, t.name), 0) for s in members), default=0)",
        "busiest += sum(p.present.get((s.id, t.name), 0) for s in members)",
    ),
    Mutant(
        "checker balance: members who can't take anyone",
        CHECK,
        "and any(self.could_be_key_person(c, s) for c in self.children)]",
        "]",
        ALL,
    ),
    # -- the term (#18): leavers hand over, joiners, whole-term counting ------------------------------------------
    Mutant("term: no successor needed", CONS,
           "model.add(sum(var for _, var in succ.get(c, [])) == stays)",
           "model.add(sum(var for _, var in succ.get(c, [])) <= stays)", TERM),
    Mutant("term: co-worker not kept through a handover", CONS,
           "model.add(after.get(s, 0) >= var + stays - by_staff.get(s, 0) - 1)", "model.add(after.get(s, 0) >= 0)",
           TERM),
    Mutant("term: successor outside the caseload cap", CONS,
           'grouped(pd.concat([v.key, v.succ]), "staff", "child", "var")', 'grouped(v.key, "staff", "child", "var")',
           TERM),
    Mutant("term: co-worker from a handover counted twice", CONS,
           "            var = new\n        by_staff.setdefault(s, []).append(var)",
           "        by_staff.setdefault(s, []).append(var)", TERM),
    Mutant("term: leaver takes new key children", REG,
           "if inst.leaves_before_end(member, child) and member.id != child.key_person:", "if False:", TERM),
    Mutant("term: employed on the plan date only", REG,
           "return _not_employed(member, inst.first_day(child))", "return _not_employed(member, inst.on)", TERM),
    Mutant("term: successor points dropped", OBJ, 'v.succ["points"].tolist()', '[0] * len(v.succ)', TERM),
    Mutant("checker term: leaver's new child unseen", CHECK,
           "if p.leaves_early(k, c) and k.id != c.key_person:", "if False:", TERM),
    Mutant("checker term: co-worker kept through a handover unseen", CHECK,
           "if sid != w.id and nid != w.id:", "if False:", TERM),
    Mutant("checker term: employment on the first day only", CHECK,
           "        for day in p.days_of(c):\n            carers = p.carers_on(c, k, w, day)\n            for who",
           "        for day in p.days_of(c)[:1]:\n            carers = p.carers_on(c, k, w, day)\n            for who",
           TERM, equivalent="after the first day only a handover changes who cares, and the successor rule's check "
           "already holds the successor and the co-worker from it employed from the From date to the child's last day"),
    Mutant("checker term: successor outside the caseload", CHECK,
           "out[self.successor[c.id]] = out.get(self.successor[c.id], 0) + self.caseload_weight(c)", "pass", TERM),
    Mutant("term: next co-worker points dropped", OBJ, 'v.next_co["points"].tolist()', '[0] * len(v.next_co)',
           TERM),
    Mutant("term: next co-worker points a constant", REG, "    return _co_worker_familiarity(inst, child, member)\n",
           "    return inst.setting.rules.weight_co_worker_familiarity\n", TERM),
    Mutant("checker term: next co-worker points a constant", CHECK,
           "points += weight * sum(1 for t in c.sessions if t in n.sessions)", "points += weight", TERM),
    Mutant("term: a mover held to the term's end", INST,
           "if child.moves_to and child.move_date and self.on < child.move_date <= last:", "if False:", TERM),
    Mutant("checker term: a mover held to the term's end", CHECK,
           "if c.moves_to is not None and c.move_date is not None and self.on < c.move_date <= end:", "if False:",
           TERM),
    Mutant("term: the daily record ignores room moves", "scheduler/report.py",
           "periods = [p for p in periods if p[0] < move[0]] + [move]", "pass", TERM),
    Mutant("diagnosis term: untrained successors allowed", CONS, "for frame in (v.key, v.succ):",
           "for frame in (v.key,):", TERM),
    Mutant("diagnosis term: a successor's must-not lock ignored", CONS,
           'if after is not None and lock.rule == "must not":', "if False:", TERM),
    Mutant("relax term: a successor outside the cap rise", RELAX,
           "for sid, pairs in constraints.term_key_children(v).items():",
           'for sid, pairs in constraints.grouped(v.key, "staff", "child", "var").items():', TERM),
    Mutant("relax term: a co-worker from a handover outside the co-worker cap", RELAX,
           "self.co_loads = constraints.term_co_worker_children(v, m)",
           'self.co_loads = constraints.grouped(v.co, "staff", "var")', TERM),
    Mutant("warnings term: uncovered on the plan's carers only", "scheduler/report.py",
           "for start, key, co in carer_periods(result, c.id):",
           "for start, key, co in carer_periods(result, c.id)[:1]:", TERM),
    Mutant("warnings term: a later co-worker never in unwarned", "scheduler/report.py",
           "    return rows + unseen_later_co_workers(result)\n", "    return rows\n", TERM),
    Mutant("relax term: a lock priced once per constraint", CONS, "model.add(after == 0).only_enforce_if(held)",
           'model.add(after == 0).only_enforce_if(guard(("lock", i)))', TERM),
    # sites (#19): the registry's room rule and the checker's, and the room-by-room bound
    Mutant("sites: co-workers from any site", REG,
           "if rules.co_workers_from_other_sites or inst.setting.site_of(member.room) == inst.setting.site_of(room):",
           "if True:", ("tests/test_rooms.py",)),
    Mutant("sites: checker ignores sites", CHECK,
           "elif p.site(w.room) != p.site(room) and not p.setting.rules.co_workers_from_other_sites:",
           "elif False:", ("tests/test_rooms.py",)),
    Mutant("by room: proven below the bound", "scheduler/cpsat/by_room.py",
           "if proven and out.objective >= out.bound:", "if proven:", ("tests/test_rooms.py",),
           equivalent="solve_by_room compares the plan with the bound itself and hands a plan below it to one "
           "model, whose status (or the fallback's own comparison) replaces this one"),
    Mutant("by room: a pool's cap its first member's", "scheduler/rooms.py",
           "pooled = {pid: min(len(self.children), sum(self.outer.co_cap[s.id] for s in members))",
           "pooled = {pid: min(len(self.children), self.outer.co_cap[members[0].id])", ("tests/test_rooms.py",)),
    # large rooms by HiGHS (#19): the CP-SAT model read as a MIP (cpsat/mip.py)
    Mutant("mip: a negated literal read as the literal", MIP,
           "                constant += c\n                index.append(-r - 1)\n                value.append(-c)",
           "                index.append(-r - 1)\n                value.append(c)", ("tests/test_mip.py",)),
    Mutant("mip: exactly one read as at most one", MIP, '"exactly_one": (1, 1)', '"exactly_one": (-math.inf, 1)',
           ("tests/test_mip.py",)),
    Mutant("mip: a clause dropped", MIP, '"bool_or": (1, math.inf)', '"bool_or": (-math.inf, math.inf)',
           ("tests/test_mip.py",)),
    Mutant("mip: an enforced row always enforced", MIP, "row([*refs, e], [*coeffs, most - hi], -math.inf, most)",
           "row(refs, coeffs, -math.inf, hi)", ("tests/test_mip.py",)),
    Mutant("mip: an enforced lower row dropped", MIP, "row([*refs, e], [*coeffs, least - lo], least, math.inf)",
           "pass", ("tests/test_mip.py",)),
    Mutant("mip: the bound not rounded down", MIP, "math.floor(prog.points(answer[\"bound\"]) + 1e-6)",
           "math.ceil(prog.points(answer[\"bound\"]) + 0.5)",
           ("tests/test_mip.py",)),
    Mutant("mip: proven without HiGHS's word", MIP,
           'proven = answer["status"] == "Optimal" and result.bound is not None and points >= result.bound',
           "proven = True", ("tests/test_mip.py",)),
    Mutant("by room: the rooms' bound a point low", "scheduler/cpsat/by_room.py",
           "out.bound = float(sum(bounds)) if len(bounds) == len(results) else None",
           "out.bound = float(sum(bounds)) - 1 if len(bounds) == len(results) else None", ("tests/test_rooms.py",)),
    Mutant("by room: a group's setting keeps its rooms to itself", "scheduler/cpsat/by_room.py",
           "    on_dask = _dask_worker_client()", "    on_dask = None", ("tests/test_group.py",)),
    Mutant("mip: a stop not passed on", MIP, "                stopped.set()\n                if sent.is_set():",
           "                if False:", ("tests/test_mip.py",)),
)


def run(mutant: Mutant, work: Path, timeout: float) -> str:
    """'killed', 'survived' or 'stale' (the mutant's text is not in its file exactly once)."""
    path = work / mutant.path
    source = path.read_text()
    if source.count(mutant.old) != 1:
        return "stale"
    path.write_text(source.replace(mutant.old, mutant.new))
    try:
        env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutant.tests],
            cwd=work,
            env=env,
            capture_output=True,
            timeout=timeout,
        )
        return "survived" if done.returncode == 0 else "killed"
    except subprocess.TimeoutExpired:
        return "killed"  # a mutant that makes the tests hang is caught too
    finally:
        path.write_text(source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[],
                        help="run the mutants whose name contains this (repeatable)")
    parser.add_argument("--shard", default="1/1", help="run the i-th of n equal shares of the mutants, as i/n")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per mutant's test run")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.only or any(x.casefold() in m.name.casefold() for x in args.only)]
    shard, shards = (int(x) for x in args.shard.split("/"))
    chosen = chosen[shard - 1::shards]
    if args.list:
        for m in chosen:
            print(f"{m.name:60} {m.path}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="keyperson-mutants-"))
    try:
        for item in (
            "scheduler",
            "tests",
            "data",
            "docs",
            "notebooks",
            "benchmarks",
            "README.md",
            "setup.cfg",
            "pyproject.toml",
        ):
            source = ROOT / item
            if source.is_dir():
                shutil.copytree(source, work / item, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif source.exists():
                shutil.copy2(source, work / item)
        counts: dict[str, int] = {}
        bad = []
        for m in chosen:
            start = time.perf_counter()
            outcome = run(m, work, args.timeout)
            if outcome == "survived" and m.equivalent:
                outcome = "equivalent"
            counts[outcome] = counts.get(outcome, 0) + 1
            print(f"{outcome:10} {time.perf_counter() - start:5.1f} s  {m.name}", flush=True)
            if outcome in ("survived", "stale"):
                bad.append(m)
        print(f"\n{len(chosen)} mutants: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        for m in bad:
            print(f"  not killed: {m.name} ({m.path})")
        for m in chosen:
            if m.equivalent:
                print(f"  judged equivalent: {m.name}: {m.equivalent}")
        return 1 if bad else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
