"""Large admin imports in the background (issue 17, core.import_jobs): a file of more rows than
``IMPORT_BACKGROUND_ROWS`` is previewed and applied by the task worker, followed on a progress
page that needs no script, confirmed once however often "Confirm import" is pressed, refused
when the same file is already waiting, running or applied, and all or nothing."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks import default_task_backend

from core.import_jobs import ProgressWriter, import_job_apply, import_job_preview
from core.models import ImportJob, ImportJobState
from localities.models import Locality
from organisations.models import Organisation
from tests.factories import DistrictFactory, ImportJobFactory, LocalityFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:organisations_organisation_import")
ROWS = [
    ("Armley Food Bank", "LS12 1AA", "Armley"),
    ("Bramley Youth Club", "LS13 2BB", "Armley"),
    ("Leeds Lads and Dads", "LS1 1UR", "Armley"),
]


def organisations_csv(rows=ROWS) -> bytes:
    lines = ["name,postcode,council,areas_served"]
    lines += [f"{name},{postcode},Leeds,{area}" for name, postcode, area in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 2


@pytest.fixture
def leeds():
    district = DistrictFactory(name="Leeds", slug="leeds")
    LocalityFactory(name="Armley", slug="armley", parent=district)
    return district


@pytest.fixture
def officer(client):
    user = UserFactory(username="officer", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def progress_url(job: ImportJob) -> str:
    return reverse("admin:core_importjob_progress", args=[job.pk])


def submit(client, capture, content: bytes | None = None, name: str = "big.csv"):
    """Upload ``content`` on the organisations import page, running what it queues."""
    with capture(execute=True):
        return client.post(
            IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile(name, content or organisations_csv())}
        )


def confirm(client, capture, job: ImportJob):
    with capture(execute=True):
        return client.post(progress_url(job))


def test_a_large_file_is_previewed_in_the_background_and_changes_nothing(
    officer, leeds, django_capture_on_commit_callbacks
):
    response = submit(officer, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == progress_url(job)
    assert job.state == ImportJobState.READY
    assert (job.rows_total, job.rows_done, job.new_count) == (3, 3, 3)
    assert job.created_by == officer.user
    assert job.kind == "organisations.organisation"
    assert not Organisation.objects.exists()
    page = officer.get(progress_url(job)).content.decode()
    assert "3 to add, 0 to update, 0 unchanged. Nothing has changed yet." in page
    assert "Confirm import" in page


def test_a_file_at_the_threshold_is_still_imported_in_the_request(officer, leeds, django_capture_on_commit_callbacks):
    response = submit(officer, django_capture_on_commit_callbacks, organisations_csv(ROWS[:2]))

    assert response.status_code == HTTPStatus.OK
    assert "confirm_form" in response.context
    assert not ImportJob.objects.exists()


def test_confirming_applies_the_whole_file_names_the_officer_and_deletes_the_upload(
    officer, leeds, django_capture_on_commit_callbacks
):
    submit(officer, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()

    response = confirm(officer, django_capture_on_commit_callbacks, job)

    assert response.status_code == HTTPStatus.FOUND
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE
    assert job.data is None
    assert job.confirmed_by == officer.user
    assert sorted(Organisation.objects.values_list("name", flat=True)) == sorted(name for name, _p, _a in ROWS)
    history = Organisation.objects.get(name="Armley Food Bank").history.all()
    assert {(row.history_user, row.history_change_reason) for row in history} == {
        (officer.user, "Imported from big.csv")
    }
    page = officer.get(progress_url(job)).content.decode()
    assert "3 added, 0 updated, 0 unchanged." in page
    assert "Confirm import" not in page


def test_a_second_confirm_never_applies_the_file_twice(officer, leeds, django_capture_on_commit_callbacks):
    submit(officer, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()

    confirm(officer, django_capture_on_commit_callbacks, job)
    again = confirm(officer, django_capture_on_commit_callbacks, job)

    assert Organisation.objects.count() == len(ROWS)
    assert "This import is Done: it cannot be confirmed now." in [str(m) for m in get_messages(again.wsgi_request)]


def test_a_double_click_while_the_apply_waits_for_the_worker_queues_one_apply(
    officer, leeds, settings, django_capture_on_commit_callbacks
):
    submit(officer, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    confirm(officer, django_capture_on_commit_callbacks, job)
    confirm(officer, django_capture_on_commit_callbacks, job)

    job.refresh_from_db()
    assert job.state == ImportJobState.APPLYING
    assert [result.args for result in default_task_backend.results] == [[job.pk]]
    page = officer.get(progress_url(job)).content.decode()
    assert "Check again" in page
    assert "Confirm import" not in page
    # The worker runs the apply it was given once; run again (a retry), it changes nothing.
    import_job_apply.call(job.pk)
    import_job_apply.call(job.pk)
    assert Organisation.objects.count() == len(ROWS)


def test_a_failure_at_the_last_row_when_applying_changes_nothing(officer, leeds, django_capture_on_commit_callbacks):
    rows = [*ROWS[:2], ("Seacroft Tenants", "LS14 6AA", "Seacroft")]
    LocalityFactory(name="Seacroft", slug="seacroft", parent=leeds)
    submit(officer, django_capture_on_commit_callbacks, organisations_csv(rows))
    job = ImportJob.objects.get()
    assert job.state == ImportJobState.READY
    # Someone removes the last row's ward between the preview and the confirmation.
    Locality.objects.filter(name="Seacroft").delete()

    confirm(officer, django_capture_on_commit_callbacks, job)

    job.refresh_from_db()
    assert job.state == ImportJobState.FAILED
    assert not Organisation.objects.exists()
    assert job.data is None
    assert job.messages[0] == "Nothing was imported: the data changed since the preview."
    assert any(line.startswith("Row 3: areas_served:") and "Seacroft" in line for line in job.messages)
    page = officer.get(progress_url(job)).content.decode()
    assert "Nothing was imported" in page


def test_a_preview_with_bad_rows_fails_with_each_row_and_the_file_can_be_sent_again(
    officer, leeds, django_capture_on_commit_callbacks
):
    rows = [*ROWS[:2], ("Nowhere Group", "LS1 1UR", "Atlantis")]
    submit(officer, django_capture_on_commit_callbacks, organisations_csv(rows))
    job = ImportJob.objects.get()

    assert job.state == ImportJobState.FAILED
    assert job.data is None
    assert any(line.startswith("Row 3:") and "Atlantis" in line for line in job.messages)
    assert not Organisation.objects.exists()
    # A failed import holds nothing: the same file may be sent again (once the ward exists).
    LocalityFactory(name="Atlantis", slug="atlantis", parent=leeds)
    submit(officer, django_capture_on_commit_callbacks, organisations_csv(rows))
    assert ImportJob.objects.latest("pk").state == ImportJobState.READY


@pytest.mark.parametrize("applied", [False, True], ids=["while-waiting", "after-applying"])
def test_the_same_file_again_is_refused_with_a_link_to_that_import(
    officer, leeds, django_capture_on_commit_callbacks, applied
):
    submit(officer, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    if applied:
        confirm(officer, django_capture_on_commit_callbacks, job)

    again = submit(officer, django_capture_on_commit_callbacks, name="renamed-copy.csv")

    assert again.status_code == HTTPStatus.FOUND
    assert again["Location"] == IMPORT_URL
    message = [str(m) for m in get_messages(again.wsgi_request)][-1]
    assert ("imported already" if applied else "being imported already") in message
    assert f'href="{progress_url(job)}"' in message
    assert ImportJob.objects.count() == 1
    assert Organisation.objects.count() == (len(ROWS) if applied else 0)
    # Another file is another import.
    submit(officer, django_capture_on_commit_callbacks, organisations_csv([*ROWS, ("Otley Sings", "LS21 1AA", "")]))
    assert ImportJob.objects.count() == 2


def test_the_progress_page_of_a_running_import_offers_check_again_and_no_confirm(officer):
    job = ImportJobFactory(state=ImportJobState.PREVIEWING, rows_total=20_000, rows_done=5_000)

    page = officer.get(progress_url(job)).content.decode()

    assert "Previewing" in page
    assert "5000 of 20000 (25%)" in page
    assert f'<a href="{progress_url(job)}">Check again</a>' in page
    assert "Confirm import" not in page
    assert "<script" not in page.split('id="content-main"')[1]


def test_confirming_an_import_that_is_not_ready_is_refused(officer):
    job = ImportJobFactory(state=ImportJobState.PREVIEWING)

    response = officer.post(progress_url(job))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This import is Previewing: it cannot be confirmed now."
    ]
    job.refresh_from_db()
    assert job.state == ImportJobState.PREVIEWING


def test_the_progress_page_costs_a_fixed_number_of_queries(officer, django_assert_max_num_queries):
    job = ImportJobFactory(state=ImportJobState.FAILED, messages=[f"Row {n}: bad" for n in range(500)])
    with django_assert_max_num_queries(6):
        page = officer.get(progress_url(job))
    assert page.status_code == HTTPStatus.OK
    assert "Row 499: bad" in page.content.decode()


def test_only_officers_reach_the_progress_page(client):
    job = ImportJobFactory()
    assert client.get(progress_url(job)).status_code == HTTPStatus.FOUND
    client.force_login(UserFactory(is_staff=False))
    assert client.get(progress_url(job)).status_code == HTTPStatus.FOUND
    assert client.post(progress_url(job)).status_code == HTTPStatus.FOUND
    job.refresh_from_db()
    assert job.state == ImportJobState.READY


def test_an_unknown_or_impossible_job_is_not_found(officer):
    assert officer.get(reverse("admin:core_importjob_progress", args=["999"])).status_code == HTTPStatus.NOT_FOUND
    assert officer.get(reverse("admin:core_importjob_progress", args=["abc"])).status_code == HTTPStatus.NOT_FOUND


def test_a_task_for_a_job_in_another_state_does_nothing(leeds):
    job = ImportJobFactory(state=ImportJobState.DONE, data=None)
    assert import_job_preview.call(job.pk) == "skipped"
    assert import_job_apply.call(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one connection write at a time")
@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_others_while_the_import_transaction_is_open():
    from django.db import connections, transaction

    job = ImportJobFactory(state=ImportJobState.PREVIEWING, rows_total=100, rows_done=0)
    writer = ProgressWriter(job.pk, interval=0)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            Organisation.objects.create(name="Inside the import", slug="inside")
            writer(40, 100)
            with other.cursor() as cursor:
                cursor.execute(f"SELECT rows_done FROM {ImportJob._meta.db_table} WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (40,)
    finally:
        writer.close()
        other.close()
