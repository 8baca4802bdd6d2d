"""Where the runs of an experiment execute: in this process, in local worker processes, or on Dask.

Every executor is a :class:`concurrent.futures.Executor`, so :func:`sim.experiments.execute`
drives them alike. This module imports nothing heavy, so the command line can name its errors
without loading the model.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


class _Deferred(Future):
    """A future whose call runs in this process when its result is first asked for."""

    def __init__(self, fn, args, kwargs):
        super().__init__()
        self._call = (fn, args, kwargs)

    def result(self, timeout=None):  # noqa: D102
        if self._call is not None:
            fn, args, kwargs = self._call
            self._call = None
            self.set_result(fn(*args, **kwargs))
        return super().result(timeout)


class SerialExecutor(Executor):
    """Runs submitted calls one by one in this process, as their results are asked for.

    Deferring the call (rather than running it inside ``submit``) lets the progress bar and
    Ctrl-C behave as with worker processes.
    """

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: D102
        return _Deferred(fn, args, kwargs)


#: How long to wait for a Dask scheduler before giving up.
DASK_CONNECT_TIMEOUT = "10s"


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot be started or reached; the message is one line for the user."""


def compile_kernels() -> None:
    """Compile the per-impression kernels in this process, or load them from numba's cache.

    A one-day run of the built-in scenario at toy size, with LIVE on, calls every kernel. Done once
    before worker processes start, so that each worker loads the kernels from numba's cache as it
    starts (:func:`prepare_worker`) instead of all compiling them at the same time: an experiment's
    first replicates take as long as its last.
    """
    from sim.loading import load_scenario
    from sim.model import LikeEconomy

    toy = ["viewers.count=300", "creators.count=10", "clock.days=1", "creators.groups.0.live_gifts={}"]
    scenario = load_scenario(None, toy)
    model = LikeEconomy(scenario)
    for _ in range(scenario.clock.ticks_per_day):
        model.step()


def worker_start() -> multiprocessing.context.BaseContext:
    """How worker processes start: from a clean server process (forkserver; spawn where there is none).

    Not as forks of this process: a fork of a process whose threads have run kernels is unsafe with
    some threading layers (GNU OpenMP aborts the child), and Python warns of it. The server imports
    the model once, so every worker starts with it loaded.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sim.experiments"])
    return context


def prepare_worker() -> None:
    """Ready a worker process before its first run: one thread, the kernels loaded.

    Numerical libraries and the kernels get one thread each, as the workers already fill the cores;
    the kernels come from numba's cache (:func:`compile_kernels` filled it).
    """
    import numba

    threadpool_limits(1)
    numba.set_num_threads(1)
    compile_kernels()


@contextmanager
def executor_for(workers: int = 1, dask: str | None = None):
    """The executor that runs an experiment: serial, local processes, or a Dask cluster.

    Args:
        workers: local worker processes (also the size of a ``dask="local"`` cluster).
        dask: ``"local"`` to start a LocalCluster, or a scheduler address such as
            ``tcp://host:8786`` (its workers must see the experiment folder, e.g. a shared disk).
    """
    if dask:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorUnavailable(
                "--dask: needs the optional extra likesim[dask] (pip install -e '.[dask]')"
            ) from None

        compile_kernels()
        cluster = (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, env={"NUMBA_NUM_THREADS": "1"}
            )
            if dask == "local"
            else None
        )
        try:
            client = Client(cluster if cluster is not None else dask, timeout=DASK_CONNECT_TIMEOUT)
        except OSError as error:
            raise ExecutorUnavailable(f"--dask {dask}: cannot reach the scheduler ({error})") from None
        client.run(prepare_worker)
        try:
            yield client.get_executor()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    elif workers > 1:
        compile_kernels()
        with ProcessPoolExecutor(workers, worker_start(), initializer=prepare_worker) as executor:
            yield executor
    else:
        with threadpool_limits(1):
            yield SerialExecutor()
