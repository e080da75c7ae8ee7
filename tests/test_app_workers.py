"""The app's workers: runs leave the event loop, every request has a budget, a newer
request replaces an older one, and a light request never waits behind heavy ones."""
import time

import numpy as np
import pytest

from gdviz.app import charts, costs, jobs, messages
from gdviz.app.workers import Budget, InlineRunner, OverBudget, Pool, Superseded
from gdviz.scene import Scene

LIGHT = messages.Request(Scene(problem="quadratic", optimizer="gd", lr=0.05, max_iter=200))
#: Seconds of work past the 3 s budget, were nothing to stop it (6 s on a 2-core machine of
#: 2026: 20,000 steps of a 257-parameter network on the spirals' points), within the
#: memory budget (24,480 such steps).
SLOW = messages.Request(Scene(problem="mlp", hidden=64, data="spirals", optimizer="adam",
                          max_iter=20_000, settle=False))


@pytest.fixture(scope="module")
def pool():
    # Room for the slow scene's trace (a 193-parameter run kept step by step), not for 2 GiB.
    made = Pool(2, Budget(seconds=3.0, memory_bytes=768 * 2**20, work=1e12))
    yield made
    made.close()


def test_a_run_in_a_worker_gives_the_numbers_of_the_same_run_here(pool):
    future = pool.submit("page", False, jobs.draw, LIGHT)
    drawn = future.early.result(timeout=60)
    trace = LIGHT.scene.run()
    np.testing.assert_array_equal(drawn.paths[0]["x"], trace.params[:, 0])
    np.testing.assert_array_equal(drawn.paths[0]["loss"], trace.loss)
    assert drawn.traces == []  # the Trace stays in the worker
    later = future.result(timeout=60)  # the words follow the paths
    assert len(later.boards) == len(drawn.frames) and "step = −η × g" in later.boards[0]
    assert drawn.captions == [] and later.captions == charts.captions(trace, drawn.frames)


def test_a_run_past_the_deadline_stops_itself_and_says_so():
    # A pool of its own with a 1 s budget: the slow scene needs several seconds on any
    # machine, however fast (the shared pool's 3 s is near its length on a fast one).
    own = Pool(1, Budget(seconds=1.0, memory_bytes=768 * 2**20, work=1e12))
    try:
        started = time.monotonic()
        drawn = own.submit("slow page", True, jobs.draw, SLOW).early.result(timeout=60)
        took = time.monotonic() - started
    finally:
        own.close()
    # Within the budget; the rest draws the pictures of the steps it made (and starts
    # the worker), longer while the rest of the suite loads both cores.
    assert took < 1.0 + 4.0, took
    assert "gives a request at most 1 s" in drawn.budget_note, drawn.budget_note
    assert "stopped by the server's budget" in drawn.words[0]
    assert 0 < len(drawn.paths[0]["x"]) - 1 < 20_000


def test_the_largest_network_the_builder_allows_is_drawn_within_the_budget(pool):
    """4 hidden layers of 64 (the builder's bounds) on the spirals, 20,000 steps asked:
    the run stops where its steps' records would fill half the memory budget, and says
    so, instead of being refused; the picture is drawn in time, within the page's bounds
    on the numbers it sends."""
    from gdviz.app.charts import MAPS, NETWORK_NUMBERS, UNIT_POINTS

    scene = Scene(problem="mlp", hidden=(64, 64, 64, 64), activation="relu", data="spirals",
                  optimizer="adam", lr=0.003, max_iter=20_000, settle=False)
    started = time.monotonic()
    future = pool.submit("builder", True, jobs.draw, messages.Request(scene))
    drawn = future.early.result(timeout=60)
    assert time.monotonic() - started < 3.0 + 1.5
    parameters = 2 * 64 + 64 + 3 * (64 * 64 + 64) + 64 + 1
    kept = int(costs.MEMORY_SHARE * 768 * 2**20 // (costs.STEP_BYTES * parameters))
    assert drawn.budget_note == (f"stopped at iteration {kept}: this server gives a request at "
                                 f"most 768 MB of memory, and each step of {parameters:,} "
                                 "parameters is kept (gdviz app --max-memory)")
    assert len(drawn.paths[0]["x"]) == kept + 1
    # The network's picture follows the paths, with the words (the job is not killed for
    # them: its answer comes whole).
    assert drawn.network is None and drawn.follows
    later = future.result(timeout=60)
    picture = later.network
    weights = 2 * 64 + 3 * 64 * 64 + 64
    assert len(picture["edges"]["x0"]) == weights
    assert len(picture["weights"]) <= NETWORK_NUMBERS and len(picture["weights"]) % weights == 0
    assert picture["units"]["output"] == [True]  # layers of 64: plain nodes, the output mapped
    assert len(picture["values"]) <= MAPS * UNIT_POINTS**2
    assert len(drawn.data["images"]) <= MAPS
    assert len(later.chains) == len(drawn.frames)


def test_a_job_that_does_not_stop_is_killed_and_the_pool_goes_on(pool):
    started = time.monotonic()
    with pytest.raises(OverBudget, match="longer than the 3 s"):
        pool.submit("stuck", False, time.sleep, 60).result(timeout=60)
    assert time.monotonic() - started < 3.0 + 2.0 + 1.0
    assert pool.submit("after", False, jobs.draw, LIGHT).early.result(timeout=60).paths


def test_a_job_past_the_memory_budget_is_refused_and_its_worker_replaced(pool):
    before = pool.recycled
    with pytest.raises(OverBudget, match="more memory than this server gives a request") as said:
        pool.submit("greedy", False, bytearray, 2**31).result(timeout=60)
    # The pool serves pages in several languages: each shows the words in its own.
    from gdviz.words.i18n import speaking

    with speaking("zh"):
        assert str(said.value).startswith("请求需要的内存超过了") and "MB" in str(said.value)
    deadline = time.monotonic() + 10
    while pool.recycled == before and time.monotonic() < deadline:
        time.sleep(0.05)  # the worker leaves after answering; a fresh one takes its place
    assert pool.recycled == before + 1
    assert pool.submit("after", False, jobs.draw, LIGHT).early.result(timeout=60).paths


def test_a_newer_request_of_the_same_page_replaces_the_older(pool):
    older = pool.submit("page", True, jobs.draw, SLOW)
    time.sleep(0.5)  # running now
    newer = pool.submit("page", False, jobs.draw, LIGHT)
    started = time.monotonic()
    with pytest.raises(Superseded):
        older.result(timeout=60)
    assert time.monotonic() - started < 1.0  # it stopped at its next check
    assert newer.early.result(timeout=60).paths


def test_a_light_request_does_not_wait_behind_heavy_ones(pool):
    heavy = [pool.submit(f"heavy {k}", True, jobs.draw, SLOW) for k in range(3)]
    time.sleep(0.3)
    started = time.monotonic()
    pool.submit("student", False, jobs.draw, LIGHT).early.result(timeout=60)
    assert time.monotonic() - started < 1.0  # one worker is always kept for light work
    for future in heavy:
        future.early.result(timeout=60)


_kept = []


def _grow_and_keep(megabytes: int) -> int:
    _kept.append(np.ones(megabytes * 2**20 // 8))
    return len(_kept)


def test_a_worker_leaving_after_its_answer_is_never_handed_another_job(pool):
    before = pool.recycled
    grown = pool.submit("grower", False, _grow_and_keep, 100)  # past RECYCLE_BYTES: it leaves
    queued = [pool.submit(f"student {k}", False, jobs.draw, LIGHT) for k in range(6)]
    assert grown.result(timeout=60) == 1
    for future in queued:
        assert future.early.result(timeout=60).paths
    # The grower left (others may have too: workers grown by earlier tests' heavy runs).
    assert pool.recycled >= before + 1


def test_without_a_server_the_same_budget_holds():
    runner = InlineRunner(Budget(seconds=60, work=2e5))
    drawn = runner.submit("page", False, jobs.draw, SLOW).early.result()
    problem = SLOW.scene.make_problem()
    steps = int(2e5 // (len(problem.x0) * len(problem.X)))  # parameters x data rows
    assert len(drawn.paths[0]["x"]) - 1 == steps
    assert f"stopped at iteration {steps}: this server gives a request at most 2×10⁵" in \
        drawn.budget_note


def test_a_job_asked_ahead_runs_only_where_a_worker_would_idle_and_yields_to_any_request(pool):
    """The page's look-ahead costs nobody anything: a job asked ahead never takes the last
    idle worker, stops the moment anyone asks for a run, and once its page takes it for its
    own request it is a request like any other."""
    first = pool.submit("page ahead 1", False, jobs.draw, SLOW, ahead=True)
    second = pool.submit("page ahead 2", False, jobs.draw, SLOW, ahead=True)
    time.sleep(0.5)
    assert first.running() and not second.running()  # the last idle worker stays free
    started = time.monotonic()
    assert pool.submit("another page", False, jobs.draw, LIGHT).early.result(timeout=60).paths
    assert time.monotonic() - started < 1.0
    with pytest.raises(Superseded):  # it stopped at its next check
        first.result(timeout=10)
    pool.withdraw("page ahead 2")
    with pytest.raises(Superseded):
        second.result(timeout=10)
    third = pool.submit("page ahead 3", False, jobs.draw, SLOW, ahead=True)
    time.sleep(0.3)
    assert third.running() and pool.adopt(third)
    assert pool.submit("another page", False, jobs.draw, LIGHT).early.result(timeout=60).paths
    drawn = third.early.result(timeout=60)  # not stopped: its page is waiting for it
    # Answered whole, or as far as the budget let it (a fast machine runs all 20,000 steps
    # in the 3 s): either way never superseded once adopted.
    assert drawn.paths and (drawn.budget_note == ""
                            or drawn.budget_note.startswith("stopped at iteration"))
    third.result(timeout=60)


def test_a_long_formula_is_priced_by_its_size():
    """A 960-character formula used to be priced as 3 parameters × 200 rows, "light",
    and take the last free worker for the whole time budget: it is heavy now, and its
    step is priced by the nodes of the formula and its derivatives (each NumPy operation
    of a step), so the work budget stops it where the time it takes would."""
    from gdviz import problems
    from gdviz.app import costs
    from gdviz.app.workers import Budget
    from gdviz.expression import size
    from gdviz.scene import Scene

    terms = " + ".join(f"sin(x*y+{k})*cos(x-y*{k})" for k in range(1, 40))[:960]
    formula = terms.rsplit(" + ", 1)[0]
    long = Scene(problem="expression", formula=formula, max_iter=7000, settle=0, lr=1e-4)
    short = Scene(problem="expression", formula="x**2 + y**2", max_iter=150)
    light = Budget().light_work
    assert costs.presumed_work(long, 7, None) > light > costs.presumed_work(short, 1, None)
    problem = problems.Expression(formula, x0=(0.3, 0.2))
    nodes = size(problem.tree) + size(problem._dx) + size(problem._dy)
    assert costs.step_cost(problem) == 25 * nodes > 1000 * problem.n_params
    assert costs.step_cost(problems.Expression("x**2 + y**2")) < 1000


def test_a_pages_first_run_waits_for_the_jobs_of_pages_already_drawn():
    """A class opening the link together queues thirty first runs: a move of a page
    already drawn goes before them, as the queue's oldest first otherwise would not."""
    from gdviz.app.workers import Budget, Pool

    pool = Pool(2, Budget(seconds=10))
    try:
        # Every worker busy, one of them longer: what follows queues, then runs on the
        # one worker freed first, one job after another in the order given out.
        blockers = [pool.submit(("block", k), False, time.sleep, 0.6 + 2 * k)
                    for k in range(pool.processes)]
        time.sleep(0.2)
        opening = [pool.submit(("open", k), False, time.monotonic, opening=True)
                   for k in range(3)]
        move = pool.submit("move", False, time.monotonic)
        blockers[0].result(timeout=30)
        order = sorted([(f.result(timeout=30), name) for name, f in
                        [("move", move)] + [(f"open{k}", f) for k, f in enumerate(opening)]])
        assert order[0][1] == "move", order
        assert [name for _t, name in order[1:]] == ["open0", "open1", "open2"]
    finally:
        pool.close()


def test_pages_asking_for_the_same_job_share_it_and_a_failed_one_is_asked_anew(pool):
    """A class opening one link asks for the same first run thirty times: one job, one
    future for all; another request runs on its own; a failure is not kept."""
    first = pool.submit_shared(("bowl",), False, jobs.draw, LIGHT)
    again = pool.submit_shared(("bowl",), False, jobs.draw, LIGHT)
    other = pool.submit_shared(("other",), False, jobs.draw,
                               messages.Request(LIGHT.scene.replace(lr=0.01)))
    assert again is first and other is not first
    assert first.result(timeout=60) is again.result(timeout=60)
    assert pool.submit_shared(("bowl",), False, jobs.draw, LIGHT) is first  # once answered too
    trace = LIGHT.scene.run()
    np.testing.assert_array_equal(first.early.result().paths[0]["x"], trace.params[:, 0])
    assert other.early.result(timeout=60).paths[0]["x"][1] != trace.params[1, 0]
    failed = pool.submit_shared(("bad",), False, jobs.draw, "not a request")
    with pytest.raises(RuntimeError):
        failed.result(timeout=60)
    assert pool.submit_shared(("bad",), False, jobs.draw, "not a request") is not failed


def test_a_shared_answer_is_let_go_after_its_time_and_only_the_newest_are_kept(pool, monkeypatch):
    from gdviz.app import workers

    monkeypatch.setattr(workers, "SHARED_ANSWERS", 2)
    futures = [pool.submit_shared(("kept", k), False, abs, -k) for k in range(3)]
    assert [f.result(timeout=60) for f in futures] == [0, 1, 2]
    assert pool.submit_shared(("kept", 2), False, abs, -2) is futures[2]
    assert pool.submit_shared(("kept", 0), False, abs, 0) is not futures[0]  # the oldest went
    monkeypatch.setattr(workers, "SHARED_SECONDS", 0.0)
    time.sleep(0.01)
    assert pool.submit_shared(("kept", 2), False, abs, -2) is not futures[2]


def test_a_class_opening_one_link_runs_its_first_run_once_and_each_page_draws_its_own(
        pool, monkeypatch):
    from gdviz.app.playground import Playground

    asked = []
    submit = pool.submit

    def counted(owner, heavy, function, *args, ahead=False, **options):
        if not ahead:  # the rates a drawn page asks ahead are not its requests
            asked.append(owner)
        return submit(owner, heavy, function, *args, ahead=ahead, **options)

    monkeypatch.setattr(pool, "submit", counted)
    link = {"problem": "rosenbrock", "optimizer": "adam", "lr": "0.02", "max_iter": "300"}
    pages = [Playground(dict(link), runner=pool) for _ in range(3)]
    other = Playground({**link, "lr": "0.01"}, runner=pool)
    deadline = time.monotonic() + 60
    while any(not page.figure.board.text for page in pages + [other]):
        assert time.monotonic() < deadline, "the first runs were not drawn"
        time.sleep(0.05)
    assert len(asked) == 2  # one job for the three pages, one for the other link
    trace = Scene(problem="rosenbrock", optimizer="adam", lr=0.02, max_iter=300).run()
    for page in pages:
        np.testing.assert_array_equal(page.figure.fulls[0].data["x"], trace.params[:, 0])
        assert page.figure.caption.text == page.drawn.captions[-1]
    # Each page draws its own copy of the answer: one page's next run leaves the others'.
    assert len({id(page.drawn) for page in pages}) == 3
    pages[0].controls.lr_exact.value = 0.005
    while pages[0].drawn.scene.lr != 0.005:
        assert time.monotonic() < deadline, "the next run was not drawn"
        time.sleep(0.05)
    assert [page.drawn.scene.lr for page in pages] == [0.005, 0.02, 0.02]
    np.testing.assert_array_equal(pages[1].figure.fulls[0].data["x"], trace.params[:, 0])


def test_a_shared_job_asked_ahead_is_taken_for_now_by_a_page_that_asks_for_it(pool):
    """A rate one page asked ahead, which another page now asks for: the same job, no
    longer yielding to everyone's requests."""
    ahead = pool.submit_shared(("ahead", "slow"), True, jobs.draw, SLOW, ahead=True)
    time.sleep(0.3)  # running on a worker that would idle
    now = pool.submit_shared(("ahead", "slow"), True, jobs.draw, SLOW)
    assert now is ahead
    pool.submit("someone", False, jobs.draw, LIGHT).result(timeout=60)  # stops jobs asked ahead
    assert now.result(timeout=60).boards
    stopped = pool.submit_shared(("ahead", "stopped"), True, jobs.draw, SLOW, ahead=True)
    time.sleep(0.3)
    pool.submit("someone", False, jobs.draw, LIGHT).result(timeout=60)
    with pytest.raises(Superseded):
        stopped.result(timeout=60)
    assert pool.submit_shared(("ahead", "stopped"), False, jobs.draw, LIGHT) is not stopped


def test_a_class_opening_a_lesson_question_shares_its_run_and_each_reveal_is_its_own(
        pool, monkeypatch):
    """Predict mode too: one job for the class's first runs, and one student's reveal
    (drawing the rest of the run changes what it draws) leaves the others' hidden."""
    from gdviz.app.playground import Playground
    from gdviz.lessons import load

    asked = []
    submit = pool.submit
    monkeypatch.setattr(pool, "submit", lambda owner, *args, **options: (
        asked.append(owner), submit(owner, *args, **options))[1])
    link = {"lesson": "learning-rate", "question": "1"}
    pages = [Playground({**link, "name": name}, runner=pool) for name in ("Ana", "Li")]
    deadline = time.monotonic() + 60
    while any(page.lesson.revealed is None for page in pages):
        assert time.monotonic() < deadline, "the question was not asked"
        time.sleep(0.05)
    assert len(asked) == 1
    ana, li = pages
    assert ana.lesson.revealed is not li.lesson.revealed
    step = load("learning-rate").traces()[1].params[1]
    ana.lesson.answer.value = ", ".join(f"{v:.6f}" for v in step)
    ana.lesson.check_answer()
    assert ana.lesson.verdict.text.startswith("right")
    assert len(ana.figure.fulls[0].data["x"]) > 1  # revealed: the run past the step
    assert len(li.figure.fulls[0].data["x"]) == 1 and li.lesson.revealed is not None
    li.lesson.answer.value = "0, 0"
    li.lesson.check_answer()
    assert li.lesson.verdict.text.startswith("not this time")
    np.testing.assert_array_equal(li.figure.fulls[0].data["x"], ana.figure.fulls[0].data["x"])
