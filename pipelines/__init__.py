"""Prefect flows and the command line: the only layer that imports prefect."""

from pipelines.settings import configure_prefect

configure_prefect()
