"""How ``policycat run`` stops: on SIGINT and SIGTERM, and with the Prefect server it started.

Prefect's ephemeral server is a child process in the run's process group: a Ctrl-C at
the terminal killed it first, and the run then spent minutes retrying it. Here the run
starts that server itself, in a session of its own (the terminal's Ctrl-C reaches the
run alone) and, on Linux, set to receive SIGTERM when the run dies, ``kill -9`` too.
A signal becomes ``RunInterrupted``; the run unwinds (temporary files removed, the lock
released), stops the server and exits 128 + the signal's number.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from typing import Any, Iterator

HANDLED = (signal.SIGINT, signal.SIGTERM)
PR_SET_PDEATHSIG = 1


class RunInterrupted(BaseException):
    """A stop signal; a BaseException so that no ``except Exception`` of a stage swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_stopping = False


class QuietWhenStopping(logging.Filter):
    """A stop is said in one line: Prefect's crash records of it (its SIGTERM bridge logs
    before our handler runs, hence the message test) are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_stopping or "termination signal" in record.getMessage())


def quiet_prefect_on_stop() -> None:
    quiet = QuietWhenStopping()
    for name in ["", "prefect", *[n for n in list(logging.root.manager.loggerDict) if n.startswith("prefect")]]:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, QuietWhenStopping) for f in handler.filters):
                handler.addFilter(quiet)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``RunInterrupted`` in the main thread; once one has, later
    ones are ignored so the clean-up (a few seconds at most) is not cut short."""

    def interrupt(signum: int, _frame: Any) -> None:
        global _stopping
        _stopping = True
        quiet_prefect_on_stop()  # handlers Prefect added since the run began
        for handled in HANDLED:
            signal.signal(handled, signal.SIG_IGN)
        raise RunInterrupted(signum)

    previous = {s: signal.signal(s, interrupt) for s in HANDLED}
    try:
        yield
    finally:
        for handled, handler in previous.items():
            signal.signal(handled, handler)


def _die_with_parent(parent: int) -> None:
    """In the server process before it runs: SIGTERM when the run that started it dies."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the run died before the line above
        os._exit(1)


def _server_class():
    from prefect.server.api.server import SubprocessASGIServer

    class RunServer(SubprocessASGIServer):
        """Prefect's ephemeral server, started the same way, in its own session."""

        def _run_uvicorn_command(self) -> subprocess.Popen:
            import prefect
            from prefect.settings import get_current_settings

            parent = os.getpid()
            return subprocess.Popen(
                args=[
                    sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                    "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                    "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
                ],
                env={
                    **os.environ,
                    "PREFECT_UI_ENABLED": "0",
                    "PREFECT__SERVER_EPHEMERAL": "1",
                    "PREFECT__SERVER_FINAL": "1",
                    **get_current_settings().to_environment_variables(exclude_unset=True),
                },
                start_new_session=True,
                preexec_fn=(lambda: _die_with_parent(parent)) if sys.platform.startswith("linux") else None,
            )

    return RunServer, SubprocessASGIServer


@contextmanager
def prefect_server() -> Iterator[str | None]:
    """The Prefect API for this run: the configured one, else a server this run starts and stops."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield PREFECT_API_URL.value()
        return
    quiet_prefect_on_stop()
    RunServer, SubprocessASGIServer = _server_class()
    # registered under Prefect's key for the ephemeral server: its own code finds this one
    SubprocessASGIServer._instances.pop(None, None)
    server = RunServer()
    try:
        server.start()
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            try:
                yield server.api_url
            finally:
                _drain()
    finally:
        server.stop()
        SubprocessASGIServer._instances.pop(None, None)


def _drain() -> None:
    """Send what Prefect still holds while its server is there: no retries against a dead one at exit."""
    try:
        from prefect.events.worker import EventsWorker
        from prefect.utilities.asyncutils import run_coro_as_sync
        import inspect

        async def drain() -> None:
            result = EventsWorker.drain_all(timeout=5)
            if inspect.isawaitable(result):
                await result

        run_coro_as_sync(drain())
    except Exception:  # noqa: BLE001 - best effort: the run's outcome does not depend on it
        pass
