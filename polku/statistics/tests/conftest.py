"""Statistics tests run the bootstrap in the test process: no worker processes to spawn."""

import pytest


@pytest.fixture(autouse=True)
def _one_bootstrap_worker(settings: pytest.FixtureRequest) -> None:
    settings.POLKU_MSE_WORKERS = 1  # type: ignore[attr-defined]
