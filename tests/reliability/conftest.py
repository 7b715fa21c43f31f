"""The reliability suite runs real runtime processes on loopback; it reuses the runtime tests' fixtures."""

from tests.runtime.conftest import local_project, receiver, stop_runtimes  # noqa: F401  (pytest fixtures)
