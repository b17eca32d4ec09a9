"""Prefect runs in-process, offline, with its home inside the project (or a temp dir)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _prefect_home() -> Path:
    home = PROJECT_ROOT / ".prefect"
    try:
        home.mkdir(exist_ok=True)
        return home
    except OSError:
        return Path(tempfile.gettempdir()) / "policycat-prefect"


def configure_prefect() -> None:
    """Set before prefect is imported; a user's own settings win."""
    defaults = {
        "PREFECT_HOME": str(_prefect_home()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
