"""CPU time used during a load test, by gunicorn, locust, the database and the rest.

The report of ``benchmarks/load_test.py`` says how much of a (possibly shared)
machine the run had. Measuring it means following process trees with psutil
and the PostgreSQL backends across a restart, which has nothing to do with
starting the server or driving the load, hence a module of its own.
"""

import time

from benchmarks.load_setup import POSTGRES_ADMIN, POSTGRES_NAME


class CpuMeter:
    """CPU time used during the load by gunicorn, locust, the database and everything else.

    The machine may be shared, so the report says how much of it the run had.
    """

    def __init__(self, gunicorn_pid: int, database: str):
        import psutil

        self.psutil = psutil
        self.database = database
        self.started = time.monotonic()
        self.busy = self._system_busy()
        self.gunicorn = self._tree_seconds(gunicorn_pid)
        self.gunicorn_pid = gunicorn_pid
        self.children = self._children_seconds()
        self.backends = self._backend_seconds()
        self.database_seconds = 0.0

    def checkpoint(self) -> None:
        """Count the database backends' CPU so far (a restart is about to end them)."""
        self.database_seconds += self._database_seconds()
        self.backends = {}

    def stop(self) -> dict[str, float]:
        """Average cores busy since the start, by whom (and the seconds elapsed)."""
        elapsed = time.monotonic() - self.started
        gunicorn = self._tree_seconds(self.gunicorn_pid) - self.gunicorn
        locust = self._children_seconds() - self.children
        database = self.database_seconds + self._database_seconds()
        busy = self._system_busy() - self.busy
        other = max(busy - gunicorn - locust - database, 0.0)
        used = {"gunicorn": gunicorn, "locust": locust, "database": database, "other": other}
        return {"elapsed": elapsed, **{name: seconds / elapsed for name, seconds in used.items()}}

    def _database_seconds(self) -> float:
        """CPU seconds of the load database's backends since the last baseline."""
        backends = self._backend_seconds()
        return sum(seconds - self.backends.get(pid, 0.0) for pid, seconds in backends.items())

    def _system_busy(self) -> float:
        times = self.psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def _tree_seconds(self, pid: int) -> float:
        process = self.psutil.Process(pid)
        total = 0.0
        for member in [process, *process.children(recursive=True)]:
            times = member.cpu_times()
            total += times.user + times.system
        return total

    @staticmethod
    def _children_seconds() -> float:
        # locust is a waited-for child of this script by the time stop() runs.
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def _backend_seconds(self) -> dict[int, float]:
        """CPU seconds of the PostgreSQL backends serving the load database."""
        if self.database != "postgresql":
            return {}
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN) as connection:
            pids = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [POSTGRES_NAME]
            ).fetchall()
        seconds = {}
        for (pid,) in pids:
            try:
                times = self.psutil.Process(pid).cpu_times()
            except self.psutil.Error:
                continue
            seconds[pid] = times.user + times.system
        return seconds
