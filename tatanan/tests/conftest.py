import pytest

from tatanan.importer import instrument_import
from tatanan.models import Cycle

from .workbooks import REAL_WORKBOOK


@pytest.fixture
def cycle_2025(db):
    return Cycle.objects.get(award_year=2025)


@pytest.fixture
def cycle_2023(db):
    return Cycle.objects.get(award_year=2023)


@pytest.fixture
def real_workbook():
    assert REAL_WORKBOOK.is_file(), f"{REAL_WORKBOOK} is missing"
    return REAL_WORKBOOK


@pytest.fixture
def catalogue_2025(cycle_2025, real_workbook):
    """The 2025 cycle with the official instrument imported."""
    report = instrument_import(cycle=cycle_2025, file=real_workbook)
    assert report.imported, report.problems
    return cycle_2025
