"""Fixtures the export tests share: a read-only connection to the demo database and one Chromium per
module for the chart pictures."""

from __future__ import annotations

import pytest

from ntm.export import images as E
from ntm.store.connection import connect


@pytest.fixture(scope="module")
def con(demo_db_path):
    c = connect(demo_db_path, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for every pack of this module."""
    with E.kaleido_session():
        yield
