"""Plans the pacing tests share."""

from __future__ import annotations

from datetime import date

import pytest

from ankify.model import PageRange
from ankify.pacing.plan import Plan

TUE = date(2026, 12, 1)  # a Tuesday
SAT, SUN = 5, 6


@pytest.fixture
def weekdays_plan() -> Plan:
    # Tue 1-5, Wed 6-13, Thu 14-23, Fri 24-36, Mon 37-40
    return Plan(PageRange(1, 40), TUE, ramp_days=5, rest_days=(SAT, SUN))
