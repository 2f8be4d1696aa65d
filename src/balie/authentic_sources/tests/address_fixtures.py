"""The demo address register, served over real HTTP on loopback for the tests that ask it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from balie.authentic_sources.addresses.demo import DemoAddressRegister


@pytest.fixture(scope="session")
def _demo_register_server() -> Iterator[DemoAddressRegister]:
    with DemoAddressRegister(port=0) as server:
        yield server


@pytest.fixture
def demo_register(_demo_register_server: DemoAddressRegister, settings) -> Iterator[DemoAddressRegister]:
    """The demo register, answering at once and without faults, and Balie pointed at it."""
    settings.BALIE_ADDRESS_REGISTER_URL = _demo_register_server.url
    settings.BALIE_ADDRESS_REGISTER_TIMEOUT = 2.0
    _demo_register_server.delay = 0.0
    _demo_register_server.fail_status = None
    yield _demo_register_server
    _demo_register_server.delay = 0.0
    _demo_register_server.fail_status = None
