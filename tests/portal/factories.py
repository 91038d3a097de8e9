"""factory_boy factories for the project level's records: submitted quarterly returns.

``SubmittedReturnFactory`` writes a return straight to the database with small made-up rows and
files; tests about what a return holds submit one through ``portal.services.return_submit``.
"""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from portal.models import SubmittedReturn
from tests.factories import NetworkFactory, UserFactory


class SubmittedReturnFactory(DjangoModelFactory[SubmittedReturn]):
    """Q1 2025/26 of a new network, submitted by a new user."""

    class Meta:
        model = SubmittedReturn

    network = factory.SubFactory(NetworkFactory)
    period_code = "2025-Q1"
    period_label = "Q1 2025/26 (Apr–Jun 2025)"
    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2025, 6, 30)
    submitted_by = factory.SubFactory(UserFactory)
    rows = factory.LazyFunction(lambda: [["AnchorNet monitoring dashboard"], ["Groups known", 3]])
    csv_file = b"AnchorNet monitoring dashboard\r\nGroups known,3\r\n"
    xlsx_file = b"PK not a real workbook"


FACTORIES = {SubmittedReturn: SubmittedReturnFactory}
