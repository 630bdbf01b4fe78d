"""Run ``playbook`` and ``mkdocs`` commands for the tests in forks of one Python that has imported the playbook,
mkdocs and the theme.

Started as ``python -m playbook``, a small build spends half its CPU importing (1.1 s of CPU, 0.55 s without).
Here each command runs in a fork of a server that did the imports once per test worker and nothing else, so it
starts as a fresh process would after its imports: no build has run, no cache is filled. It runs as the command
line runs it, in its own folder and session, with the environment, stdout and stderr it is given, and reports its
exit code, its CPU time and its peak memory. A command still running after ``timeout`` seconds is killed with the
processes it started, and the test fails as a hang.

:func:`start` starts a command that runs until it is stopped (``playbook serve``): the test talks to it, signals it
(its process group, as a terminal's Ctrl-C does) and waits for it. The server runs one command at a time.

The commands' start-up (finding the entry point, importing) is what this leaves out, and with it what an import
prints: Material's end-of-life notice, say, which ``python -m mkdocs`` shows unless NO_MKDOCS_2_WARNING is set.
``tests/test_install.py`` and the tests that start ``python -m playbook`` themselves (``--help``, a ``serve``, a
strict build) keep the start-up covered.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

PRELOAD = (
    "playbook.cli.main",
    "playbook.site.build",
    "playbook.site.plugin",
    "playbook.site.tree",
    "playbook.macros",
    "playbook.authoring.init",
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "mkdocs_macros.plugin",
    "material.plugins.search.plugin",
    "material.plugins.tags.plugin",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.md_in_html",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "snowballstemmer",
    "pygments.formatters.html",
    "babel.dates",
    "colorama",
)
"""What a build imports that takes time: the modules themselves (and their classes completed), no work done with
them."""
PROGRAMS = ("playbook", "mkdocs")
"""The command lines the server runs: ``python -m playbook`` and ``python -m mkdocs``."""


@dataclass(frozen=True)
class Ran:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    """Wall time."""
    cpu_seconds: float
    """User and system time of the command and of the processes it started and waited for."""
    peak_mib: float
    """Peak resident memory of the command, or of the largest process it started and waited for."""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def completed(self) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(self.args, self.returncode, self.stdout, self.stderr)


class Hang(AssertionError):
    """A command ran past its time and was killed."""


class _Server:
    def __init__(self) -> None:
        # Unbuffered: a buffered reader could take both of a quick command's lines at once, and select() would then
        # wait on the pipe for the second, which is already read.
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        cwd=Path(__file__).parent, bufsize=0)
        self.running: str | None = None
        """The command started and not yet waited for."""
        self.running_pid = 0
        atexit.register(self.close)

    def begin(self, request: dict[str, object]) -> int:
        """Have the server start a command; its process id (and process group id)."""
        assert self.process.stdin is not None
        if self.running is not None:
            raise RuntimeError(f"warm: {self.running} still runs; stop it and wait for it first")
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        self.running = " ".join([str(request["program"]), *request["args"]])  # type: ignore[arg-type]
        self.running_pid = int(json.loads(self._line(None))["pid"])
        return self.running_pid

    def end(self, timeout: float | None) -> dict[str, float]:
        """The started command's exit code, CPU time and peak memory once it ends; TimeoutError if it runs on."""
        reply = dict(json.loads(self._line(timeout)))
        self.running = None
        return reply

    def run(self, request: dict[str, object], timeout: float) -> dict[str, float]:
        """Have the server run a command; its exit code, CPU time and peak memory, or :class:`Hang`."""
        pid = self.begin(request)
        try:
            return self.end(timeout)
        except TimeoutError:
            command = self.running
            with contextlib.suppress(ProcessLookupError):  # it may end as it is killed
                os.killpg(pid, signal.SIGKILL)
            self.end(None)
            raise Hang(f"{command} still ran after {timeout:g} s") from None

    def _line(self, timeout: float | None) -> bytes:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the warm Python stopped (exit code {self.process.wait()})")
        return line

    def close(self) -> None:
        if self.running is not None:  # a command a failed test left running: the server waits for it
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.running_pid, signal.SIGKILL)
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait()


_server: _Server | None = None


def playbook(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> Ran:
    """``python -m playbook ARGS`` in ``cwd``, with ``env`` added to this process's environment."""
    return _run("playbook", args, cwd, env, timeout)


def mkdocs(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> Ran:
    """``python -m mkdocs ARGS`` in ``cwd``, with ``env`` added to this process's environment."""
    return _run("mkdocs", args, cwd, env, timeout)


def _warm_server() -> _Server:
    global _server
    if _server is None or _server.process.poll() is not None:
        _server = _Server()
    return _server


def _request(program: str, args: list[str], cwd: Path, env: dict[str, str] | None, out: Path,
             err: Path | None) -> dict[str, object]:
    return {"program": program, "args": args, "cwd": str(cwd), "env": {**os.environ, **(env or {})},
            "stdout": str(out), "stderr": None if err is None else str(err)}


def _ran(program: str, args: list[str], reply: dict[str, float], out: str, err: str, seconds: float) -> Ran:
    return Ran(["python", "-m", program, *args], int(reply["returncode"]), out, err, seconds, reply["cpu_seconds"],
               reply["peak_kib"] / 1024)


def _run(program: str, args: tuple[str | Path, ...], cwd: Path, env: dict[str, str] | None, timeout: float) -> Ran:
    arguments = [str(a) for a in args]
    with tempfile.TemporaryDirectory() as scratch:
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        started = time.perf_counter()
        reply = _warm_server().run(_request(program, arguments, cwd, env, out, err), timeout)
        seconds = time.perf_counter() - started
        return _ran(program, arguments, reply, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"),
                    seconds)


class Started:
    """A ``python -m playbook`` command started by :func:`start`; its stdout and stderr go to one stream, as a
    terminal shows them."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None) -> None:
        self.args = args
        self._scratch = tempfile.TemporaryDirectory()
        self._output = Path(self._scratch.name) / "output"
        self._server = _warm_server()
        self._started = time.perf_counter()
        self.pid = self._server.begin(_request("playbook", args, cwd, env, self._output, None))
        """Its process id, which is also its process group's: it runs in a session of its own."""
        self.ran: Ran | None = None

    def wait(self, timeout: float) -> Ran:
        """Wait for it to end; :class:`subprocess.TimeoutExpired` if it still runs after ``timeout`` seconds."""
        if self.ran is None:
            try:
                reply = self._server.end(timeout)
            except TimeoutError:
                raise subprocess.TimeoutExpired(["python", "-m", "playbook", *self.args], timeout) from None
            output = self._output.read_text("utf-8", "replace")
            self._scratch.cleanup()
            self.ran = _ran("playbook", self.args, reply, output, "", time.perf_counter() - self._started)
        return self.ran


def start(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> Started:
    """Start ``python -m playbook ARGS`` in ``cwd`` and return at once; the caller must :meth:`Started.wait` for it
    (and stop it first if it runs until stopped) before the next command."""
    return Started([str(a) for a in args], cwd, env)


def _run_command(request: dict[str, object]) -> int:
    """In the fork: become the command, run it, and give its exit code."""
    from mkdocs.__main__ import cli

    from playbook.cli.main import main

    program = str(request["program"])
    command = {"playbook": main, "mkdocs": cli}[program]
    name = f"python -m {program}"  # the program name click shows in usage lines, as `python -m` shows it
    os.setsid()
    # Ctrl-C raises KeyboardInterrupt, as in a Python started from a terminal: this server may have been started by a
    # test worker that ignores SIGINT, and a fork would keep that.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, key in ((1, "stdout"), (2, "stderr")):
        if request[key] is None:  # stderr to where stdout goes
            os.dup2(1, fd)
            continue
        target = os.open(str(request[key]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    os.chdir(str(request["cwd"]))
    sys.path[0] = os.getcwd()  # as `python -m` puts it, where this server had tests/
    os.environ.clear()
    os.environ.update(request["env"])  # type: ignore[arg-type]
    sys.argv = [name, *request["args"]]  # type: ignore[misc]
    try:
        command(list(request["args"]), prog_name=name)  # type: ignore[call-overload]
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if done.code is not None and not isinstance(done.code, int):
            print(done.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return code


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def _serve() -> None:
    """The server: import, then fork a child per request line and answer with its pid, then with its result."""
    import importlib

    from pydantic import BaseModel

    environment = dict(os.environ)
    for name in PRELOAD:
        importlib.import_module(name)
    # The rest of the models' class building: pydantic builds their validators on first use (defer_build), the
    # same in every process, a twentieth of a second.
    for model in _subclasses(BaseModel):
        if model.__module__.startswith("playbook.") and not model.__pydantic_complete__:
            model.model_rebuild()
    # An import that sets a variable for its own process (Material's end-of-life notice) must not pass it on.
    os.environ.clear()
    os.environ.update(environment)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _run_command(request)
            except BaseException:
                # Before the command ran (a folder that is not there): said where the command's stderr goes.
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)
        replies.write(json.dumps({"pid": pid}).encode() + b"\n")
        replies.flush()
        _pid, status, usage = os.wait4(pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        replies.write(json.dumps({"returncode": returncode, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                                  "peak_kib": usage.ru_maxrss}).encode() + b"\n")
        replies.flush()


if __name__ == "__main__":
    _serve()
