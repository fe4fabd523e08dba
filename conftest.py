"""Shared pytest configuration."""

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep the inline backend


def pytest_collectstart(collector):
    """nbval: widget views carry a random model id on every run; don't compare them."""
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("application/vnd.jupyter.widget-view+json",)
