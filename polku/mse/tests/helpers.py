"""Shared test helpers: the reference tables shipped with the tests."""

from pathlib import Path

from polku.mse.histories import CaptureHistories, read_capture_histories

DATA = Path(__file__).resolve().parent / "data"


def reference_table(name: str) -> CaptureHistories:
    """One of NewOrl, NewOrl_5, UKdat, UKdat_5 (see data/README.md)."""
    return read_capture_histories((DATA / f"{name}.csv").read_text())
