"""Fixtures for the architecture tests."""

from __future__ import annotations

from tests.conftest_offline import no_network

__all__ = ["no_network"]
