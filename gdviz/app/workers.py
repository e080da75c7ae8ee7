"""Work off the event loop: a pool of worker processes, each request with a budget.

The server's event loop only moves messages. Every run, upload parse and export is a
*job* (a function of ``gdviz.app.jobs`` and its arguments) sent to a worker process;
the answer comes back as a ``concurrent.futures.Future``. Processes, not threads,
because a run is a Python loop that holds the GIL.

What the pool promises a shared server:

- **Time.** A job is told its deadline (``Budget.seconds``) and stops there itself (a
  run keeps what it computed and says why it stopped); a job that does not (a parse, a
  contour) is killed ``GRACE_SECONDS`` later and answered with ``OverBudget``.
- **Memory.** A worker's address space may grow at most ``Budget.memory_bytes`` past
  what it held when it started (``RLIMIT_AS``); past it the job fails with
  ``MemoryError``, answered with ``OverBudget``, and that worker is replaced. A worker
  that kept more than ``RECYCLE_BYTES`` after a job is replaced too, so memory returns.
- **Newest first.** A job carries its owner (one page); a newer job of the same owner
  takes the older one's place in the queue, or tells the running one to stop.
- **Nobody waits on someone else's heavy job.** A job presumed heavy (or that finds
  itself heavy once it knows its problem's size) may occupy at most all workers but
  one; light jobs always have a worker.
- **The same job once.** Pages that ask for the very same thing while it is under way
  or just answered (``submit_shared``: a class opening one link, thirty first runs
  alike) share one job and its answer.
- **Looking ahead costs nobody anything.** A page may ask ahead for what it will likely
  ask next (``submit(ahead=True)``: the slider's neighbouring rates). Such a job runs only
  on a worker that would otherwise idle, never on the last idle one, and stops at its
  next check the moment anyone's own request is submitted, unless its page took it for
  its own (``adopt``).

Without a server (tests, notebooks) ``InlineRunner`` runs the same jobs in this process
with the same budget rules, except the kill.
"""
from __future__ import annotations

import collections
import concurrent.futures
import itertools
import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass

from ..words.i18n import N_, Said, again

log = logging.getLogger("gdviz.app")

#: Seconds past its deadline before a job that did not stop itself is killed.
GRACE_SECONDS = 2.0
#: A worker holding this much more resident memory than at its start is replaced.
RECYCLE_BYTES = 64 * 2**20
#: Shared answers kept (``Pool.submit_shared``), and for how many seconds after asked.
SHARED_ANSWERS, SHARED_SECONDS = 8, 300.0


@dataclass(frozen=True)
class Budget:
    """What one request may cost: wall-clock seconds, extra memory in bytes, and work
    (the sum over its runs of iterations × parameters × data rows)."""

    seconds: float = 10.0
    memory_bytes: int = 2**30
    work: float = 2e8
    #: Work above which a job is heavy (it may not take the last free worker).
    light_work: float = 3e7


class OverBudget(Exception):
    """A job stopped by the server: over its time or memory budget, or its worker died.

    Said by the pool, which serves pages in several languages: its words (marked ``N_``)
    are said again in the language spoken where it is shown, ``str(error)``."""

    def __init__(self, words: str, **values):
        super().__init__(Said(words, **values))

    def __str__(self) -> str:
        return again(self.args[0])


class Superseded(Exception):
    """A newer request of the same page replaced this one."""


# -- inside a worker ------------------------------------------------------------------------
class _Current:
    """What the job running in this process may ask: its deadline, whether it was
    superseded, how to say it is heavy. Set by the worker loop (or ``InlineRunner``)."""

    deadline = float("inf")
    budget = Budget()
    cancelled = staticmethod(lambda: False)
    declare_heavy = staticmethod(lambda: None)
    #: Send a first part of the answer now (``future.early`` gets it), the rest follows.
    answer_early = staticmethod(lambda value: None)


current = _Current()


def _statm_bytes(field: int) -> int:
    """A size from ``/proc/self/statm`` in bytes (0: the address space, 1: resident);
    0 where there is none (not Linux: no limit, no recycling for memory)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _limit_memory(extra: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: no limit to set
        return
    used = _statm_bytes(0)
    if used and extra:
        resource.setrlimit(resource.RLIMIT_AS, (used + extra, used + extra))


def _worker(connection, slot, cancel_flags, budget: Budget) -> None:
    """One worker process: take a job, answer, until told to stop or too big to keep."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _limit_memory(budget.memory_bytes)
    start_resident = _statm_bytes(1)
    current.budget = budget
    current.declare_heavy = lambda: connection.send(("heavy", None))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job_id, function, args, seconds = message
        current.deadline = time.monotonic() + seconds
        current.cancelled = lambda job_id=job_id: cancel_flags[slot] == job_id
        current.answer_early = lambda value, job_id=job_id: connection.send(("early", job_id,
                                                                             value))
        keep = True
        try:
            answer = ("ok", function(*args))
        except MemoryError:
            answer, keep = ("memory", None), False
        except Superseded:
            answer = ("superseded", None)
        except ValueError as error:
            answer = ("error", str(error))
        except Exception as error:  # a bug: the traceback to the server's log, one line out
            log.exception("a job failed")
            answer = ("bug", f"{type(error).__name__}: {error}")
        # Leaving is said with the answer, so the pool never hands this worker another
        # job between the answer and the end of the process.
        leaving = not keep or bool(start_resident
                                   and _statm_bytes(1) - start_resident > RECYCLE_BYTES)
        try:
            connection.send((job_id, answer, leaving))
        except (OSError, ValueError):
            return
        if leaving:
            return  # the pool starts a fresh worker: the memory goes back to the system


# -- in the server ---------------------------------------------------------------------------
def _future() -> concurrent.futures.Future:
    """A future with ``.early``: a first part of the answer where the job sends one, else
    the answer itself (or its failure)."""
    future = concurrent.futures.Future()
    future.early = concurrent.futures.Future()

    def settle(done):
        if not future.early.done():
            if done.cancelled():
                future.early.cancel()
            elif done.exception() is not None:
                future.early.set_exception(done.exception())
            else:
                future.early.set_result(done.result())

    future.add_done_callback(settle)
    return future


@dataclass
class _Job:
    id: int
    owner: object
    heavy: bool
    function: object
    args: tuple
    seconds: float
    future: concurrent.futures.Future
    deadline: float = 0.0
    #: Asked ahead (see the module's text): yields to every job asked for now.
    ahead: bool = False
    #: A page's first run: yields to the jobs of pages already drawn (a class opening
    #: the link together would otherwise hold up every move of the pages open).
    opening: bool = False


class _Slot:
    def __init__(self):
        self.process = None
        self.connection = None
        self.job: _Job | None = None


class Pool:
    """``processes`` worker processes (default: one per core, at least two) that run jobs
    within ``budget``. ``submit`` is safe from any thread; futures complete on the pool's
    own thread."""

    def __init__(self, processes: int | None = None, budget: Budget = Budget(),
                 look_ahead: bool = True):
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        self.processes = max(2, processes or cores or 2)
        self.budget = budget
        #: Pages may ask ahead (``submit(ahead=True)``).
        self.look_ahead = look_ahead
        # One BLAS thread a worker: the workers are the parallelism (set before the
        # fork server starts, which the workers inherit).
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
        # pyarrow's own allocators reserve gigabytes of address space up front, past the
        # workers' limit (RLIMIT_AS): the system allocator asks only for what it uses.
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                                    else "spawn")
        if "forkserver" in methods:
            # The readers too: what their import maps counts before a worker's limit is set.
            self._context.set_forkserver_preload(["gdviz.app.jobs", "gdviz.data", "pandas"])
        self._cancel_flags = self._context.RawArray("q", self.processes)
        self._slots = [_Slot() for _ in range(self.processes)]
        self._queue: list[_Job] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = multiprocessing.Pipe(duplex=False)
        self._closed = False
        self.recycled = 0  # workers replaced (memory, a kill, a crash)
        self._shared = collections.OrderedDict()  # key: (when asked, future)
        for slot_number in range(self.processes):
            self._start(slot_number)
        self._thread = threading.Thread(target=self._dispatch, name="gdviz-pool", daemon=True)
        self._thread.start()

    # -- the public side ----------------------------------------------------------------
    def submit(self, owner, heavy: bool, function, *args, seconds: float | None = None,
               ahead: bool = False, opening: bool = False) -> concurrent.futures.Future:
        """Run ``function(*args)`` in a worker; a newer job of ``owner`` replaces this
        one. ``heavy``: presumed to cost more than ``budget.light_work``. ``seconds``:
        this job's time (default ``budget.seconds``). ``ahead``: asked ahead of need, run
        only on a worker that would idle (the module's text). ``opening``: a page's first
        run, after the queued jobs of pages already drawn."""
        future = _future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool is closed")
            job = _Job(next(self._ids), owner, heavy, function, args,
                       seconds or self.budget.seconds, future, ahead=ahead, opening=opening)
            self._drop(owner)
            if not ahead:  # a job asked for now: every job asked ahead gives way
                for number, slot in enumerate(self._slots):
                    if slot.job is not None and slot.job.ahead:
                        self._cancel_flags[number] = slot.job.id
            self._queue.append(job)
        self._wake_write.send_bytes(b"1")
        return future

    def submit_shared(self, key, heavy: bool, function, *args, ahead: bool = False,
                      opening: bool = False) -> concurrent.futures.Future:
        """``submit``, but one job for every caller with the same ``key`` (the whole
        request, hashable) while it runs and for ``SHARED_SECONDS`` after: the same
        future for each (its answer is theirs to read, not to change). No page owns the
        job, so none replaces or withdraws it for the others; one asked ahead is taken
        for now by a caller asking for it now; a failed one (an answer asked ahead
        yields to any request) is asked anew. The ``SHARED_ANSWERS`` newest are kept."""
        now = time.monotonic()
        with self._lock:
            for old in [k for k, (when, _) in self._shared.items()
                        if now - when > SHARED_SECONDS]:
                del self._shared[old]
            kept = self._shared.get(key)
        if kept is not None:
            future = kept[1]
            if future.done() and not future.cancelled() and future.exception() is None:
                return future
            if not future.done() and (ahead or self.adopt(future)):
                return future
        future = self.submit(("shared", next(self._ids)), heavy, function, *args,
                             ahead=ahead, opening=opening)
        with self._lock:
            self._shared[key] = (now, future)
            while len(self._shared) > SHARED_ANSWERS:
                self._shared.popitem(last=False)
        return future

    def withdraw(self, owner) -> None:
        """``owner``'s job is no longer wanted: out of the queue, or told to stop."""
        with self._lock:
            self._drop(owner)

    def _drop(self, owner) -> None:
        """(Under the lock.) ``owner``'s queued jobs answered ``Superseded``, its running
        one told to stop at its next check."""
        for queued in [j for j in self._queue if j.owner == owner]:
            self._queue.remove(queued)
            queued.future.set_exception(Superseded())
        for number, slot in enumerate(self._slots):
            if slot.job is not None and owner is not None and slot.job.owner == owner:
                self._cancel_flags[number] = slot.job.id

    def adopt(self, future) -> bool:
        """The job asked ahead that answers ``future`` is now wanted: it runs (or waits)
        as a job asked for now. False when it was already told to stop (ask anew)."""
        with self._lock:
            for queued in self._queue:
                if queued.future is future:
                    queued.ahead = False
                    self._wake_write.send_bytes(b"1")
                    return True
            for number, slot in enumerate(self._slots):
                if slot.job is not None and slot.job.future is future:
                    if self._cancel_flags[number] == slot.job.id:
                        return False
                    slot.job.ahead = False
                    return True
        return future.done() and future.exception() is None

    def close(self) -> None:
        """Stop the workers (a job running is abandoned)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for job in self._queue:
                job.future.set_exception(OverBudget(N_("the server is stopping")))
            self._queue.clear()
        self._wake_write.send_bytes(b"1")
        self._thread.join(timeout=5)
        for slot in self._slots:
            if slot.process is not None:
                try:
                    slot.connection.send(None)
                except (OSError, ValueError):
                    pass
                slot.process.join(timeout=1)
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join(timeout=1)

    # -- the pool's thread ------------------------------------------------------------
    def _start(self, number: int) -> None:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker, args=(theirs, number, self._cancel_flags, self.budget),
            name=f"gdviz-worker-{number}", daemon=True)
        process.start()
        theirs.close()
        slot = self._slots[number]
        slot.process, slot.connection, slot.job = process, mine, None
        self._cancel_flags[number] = 0

    def _replace(self, number: int, answer: Exception | None) -> None:
        slot = self._slots[number]
        job = slot.job
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=5)
        slot.connection.close()
        if job is not None and answer is not None and not job.future.done():
            job.future.set_exception(answer)
        self.recycled += 1
        if not self._closed:
            self._start(number)

    def _dispatch(self) -> None:
        from multiprocessing.connection import wait

        while True:
            with self._lock:
                if self._closed:
                    return
                self._assign()
                waiting = {slot.connection: number for number, slot in enumerate(self._slots)
                           if slot.process is not None}
            try:
                ready = wait(list(waiting) + [self._wake_read], timeout=0.2)
            except OSError:
                ready = []
            for connection in ready:
                if connection is self._wake_read:
                    while self._wake_read.poll():
                        self._wake_read.recv_bytes()
                    continue
                self._receive(waiting[connection])
            self._enforce_deadlines()

    def _receive(self, number: int) -> None:
        slot = self._slots[number]
        try:
            message = slot.connection.recv()
        except (EOFError, OSError):  # the worker left: memory to return, or it died
            with self._lock:
                died = slot.job is not None
                self._replace(number, OverBudget(N_(
                    "the worker making this request stopped unexpectedly (out of memory?); "
                    "try a smaller scene")) if died else None)
            return
        if message[0] == "heavy":
            if slot.job is not None:
                slot.job.heavy = True
            return
        if message[0] == "early":
            job = slot.job
            if job is not None and job.id == message[1] and not job.future.early.done():
                job.future.early.set_result(message[2])
            return
        job_id, (kind, value), leaving = message
        with self._lock:
            job = slot.job
            if job is None or job.id != job_id:
                return
            slot.job = None
            self._cancel_flags[number] = 0
            if leaving:
                self._replace(number, None)
        if job.future.done():
            return
        if kind == "ok":
            job.future.set_result(value)
        elif kind == "error":
            job.future.set_exception(ValueError(value))
        elif kind == "superseded":
            job.future.set_exception(Superseded())
        elif kind == "memory":
            job.future.set_exception(OverBudget(N_(
                "the request needed more memory than this server gives a request "
                "({megabytes:.0f} MB)"), megabytes=self.budget.memory_bytes / 2**20))
        else:
            job.future.set_exception(RuntimeError(value))

    def _assign(self) -> None:
        """Queued jobs to idle workers, oldest first (pages' first runs after the rest);
        a heavy job never takes the last worker not busy with a heavy job; a job asked
        ahead waits while a job asked for now does, and never takes the last idle
        worker."""
        idle = [n for n, slot in enumerate(self._slots) if slot.job is None
                and slot.process is not None]
        heavy_running = sum(1 for slot in self._slots if slot.job is not None and slot.job.heavy)
        wanted_now = any(not job.ahead for job in self._queue)
        for job in sorted(self._queue, key=lambda queued: queued.opening):
            if not idle:
                return
            if job.heavy and heavy_running >= self.processes - 1:
                continue
            if job.ahead and (wanted_now or len(idle) < 2):
                continue
            if not job.future.set_running_or_notify_cancel():
                self._queue.remove(job)
                continue
            number = idle.pop(0)
            self._queue.remove(job)
            job.deadline = time.monotonic() + job.seconds
            slot = self._slots[number]
            slot.job = job
            heavy_running += job.heavy
            try:
                slot.connection.send((job.id, job.function, job.args, job.seconds))
            except (OSError, ValueError) as error:
                self._replace(number, RuntimeError(f"a worker could not take the job: {error}"))

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        with self._lock:
            for number, slot in enumerate(self._slots):
                job = slot.job
                if job is not None and now > job.deadline + GRACE_SECONDS:
                    log.warning("a job ran past its deadline and was stopped")
                    self._replace(number, OverBudget(N_(
                        "the request took longer than the {seconds:g} s this server gives "
                        "one, and was stopped"), seconds=job.seconds))


class InlineRunner:
    """The pool's interface, run here and now (no server: tests, a notebook). Time and
    work budgets hold as in a worker; nothing is killed."""

    def __init__(self, budget: Budget = Budget()):
        self.budget = budget

    #: Nothing is asked ahead here: every job would run at once, in the page's own time.
    look_ahead = False

    def submit(self, owner, heavy: bool, function, *args, seconds: float | None = None,
               ahead: bool = False, opening: bool = False) -> concurrent.futures.Future:
        future = _future()
        current.deadline = time.monotonic() + (seconds or self.budget.seconds)
        current.budget = self.budget
        current.cancelled = lambda: False
        current.answer_early = future.early.set_result
        try:
            future.set_result(function(*args))
        except Exception as error:  # the caller reads it from the future, as from a worker
            future.set_exception(error)
        return future

    def submit_shared(self, key, heavy: bool, function, *args, ahead: bool = False,
                      opening: bool = False) -> concurrent.futures.Future:
        """Nothing shared here (each page is on its own): ``submit``."""
        return self.submit(("shared", key), heavy, function, *args, ahead=ahead,
                           opening=opening)

    def withdraw(self, owner) -> None:
        pass

    def adopt(self, future) -> bool:
        return future.done() and future.exception() is None

    def close(self) -> None:
        pass
