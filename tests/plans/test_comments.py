"""Questions and comments on shared plans (issue 16): who reads and writes them (the councillors
of the plan's wards in office, the plan's writers, officers; never the public), questions and
their answers, the emails, the lists of unanswered questions, and the forms."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from localities.models import WardRepresentation
from plans.models import COMMENT_MAX_LENGTH, CommentRole, LocalityPlan, PlanComment
from plans.services import plan_comment_add
from tests.plans.factories import LocalityPlanFactory, PlanCommentFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)  # noqa: DTZ011 - terms use the local date
SECRET = "The hall roof leaks PRIVATE-COMMENT-41"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no comments counted against anyone (``core.ratelimit``)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def plan(world):
    """Batley and Spen's plan, shared with the councillors of its wards (the world's
    councillor represents Batley East), with one priority."""
    shared = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, shared=True, title="Batley plan")
    PlanItemFactory(plan=shared, kind="priority", order=1, title="Warm spaces")
    return shared


def comments_url(plan: LocalityPlan) -> str:
    return reverse("plans:comments", args=[plan.slug])


def thread_url(comment: PlanComment) -> str:
    return reverse("plans:comment_thread", args=[comment.plan.slug, comment.pk])


def ask(plan, user, body=SECRET, **kwargs) -> PlanComment:
    return plan_comment_add(plan=plan, user=user, body=body, **kwargs).comment


# --- Who reads and writes -----------------------------------------------------------------
@pytest.mark.parametrize("who", ["councillor", "alice", "officer"])
def test_the_wards_councillors_the_plans_writers_and_officers_read_and_post(client, world, plan, who):
    client.force_login(getattr(world, who))
    response = client.post(comments_url(plan), {"body": f"A comment from {who}"})

    comment = PlanComment.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == comment.get_absolute_url()
    assert comment.author_role == {"councillor": "councillor", "alice": "editor", "officer": "officer"}[who]
    assertContains(client.get(comments_url(plan)), f"A comment from {who}")


@pytest.mark.parametrize("who", ["bob", "local_editor", "viewer", "resident"])
def test_anyone_else_signed_in_neither_sees_nor_posts(client, world, plan, who):
    thread = ask(plan, world.councillor)
    client.force_login(getattr(world, who))

    assert client.get(comments_url(plan)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(thread_url(thread)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(comments_url(plan), {"body": "Let me in"}).status_code == HTTPStatus.NOT_FOUND
    assert client.post(thread_url(thread), {"body": "Let me in"}).status_code == HTTPStatus.NOT_FOUND
    assert PlanComment.objects.count() == 1
    with pytest.raises(PermissionDenied):
        ask(plan, getattr(world, who), body="Through the service")


def test_a_councillor_of_another_ward_sees_nothing_and_cannot_post(client, world, plan):
    from tests.plans.test_councillors import councillor_for

    other = councillor_for(world.dewsbury_west, "dewsbury-cllr")
    thread = ask(plan, world.councillor)
    client.force_login(other)

    assert client.get(comments_url(plan)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(thread_url(thread), {"body": "Me too"}).status_code == HTTPStatus.NOT_FOUND
    assert not PlanComment.objects.visible_to(other).exists()


def test_a_councillor_whose_term_has_ended_sees_nothing_and_cannot_post(client, world, plan):
    thread = ask(plan, world.councillor)
    WardRepresentation.objects.filter(user=world.councillor).update(ends_on=YESTERDAY)
    client.force_login(world.councillor)

    assert client.get(comments_url(plan)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(thread_url(thread), {"body": "One more thing"}).status_code == HTTPStatus.NOT_FOUND
    assert PlanComment.objects.count() == 1
    with pytest.raises(PermissionDenied):
        ask(plan, world.councillor, body="Through the service")


def test_signed_out_people_are_sent_to_sign_in(client, plan, world):
    thread = ask(plan, world.councillor)
    for url in (comments_url(plan), thread_url(thread)):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("portal:login"))
    client.post(comments_url(plan), {"body": "Anonymous"})
    assert PlanComment.objects.count() == 1


def test_a_draft_never_shared_has_no_comments_page(client, world):
    draft = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead)
    client.force_login(world.alice)
    assert client.get(comments_url(draft)).status_code == HTTPStatus.NOT_FOUND


def test_a_superseded_plans_threads_are_kept_but_closed(client, world, plan):
    ask(plan, world.councillor)
    LocalityPlan.objects.filter(pk=plan.pk).update(status="superseded", published_on=YESTERDAY)
    client.force_login(world.alice)

    response = client.get(comments_url(plan))
    assertContains(response, SECRET)
    assertContains(response, "cannot be added to")
    assert client.post(comments_url(plan), {"body": "Too late"}).status_code == HTTPStatus.FORBIDDEN
    assert PlanComment.objects.count() == 1


# --- Never public ---------------------------------------------------------------------------
def test_comments_never_reach_the_public_plan_page_the_feed_the_sitemap_or_the_api(client, world, plan):
    question = ask(plan, world.councillor, is_question=True)
    ask(plan, world.alice, body="PRIVATE-REPLY-52", parent=question)
    LocalityPlan.objects.filter(pk=plan.pk).update(status="published", published_on=timezone.localdate())

    public_pages = [
        plan.get_absolute_url(),
        reverse("plans:list"),
        reverse("plans:feed"),
        reverse("plans:themes"),
        reverse("portal:sitemap"),
        reverse("api:services"),
        reverse("api:root"),
    ]
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        body = response.content.decode()
        assert "PRIVATE-COMMENT-41" not in body, url
        assert "PRIVATE-REPLY-52" not in body, url
        assert "/comments/" not in body, url
    # Nor does a signed-in resident learn there is a discussion.
    client.force_login(world.resident)
    assertNotContains(client.get(plan.get_absolute_url()), "Questions and comments")


def test_the_plan_page_links_its_readers_to_the_threads_with_counts(client, world, plan):
    ask(plan, world.councillor, is_question=True)
    ask(plan, world.councillor, body="Just a comment")
    client.force_login(world.councillor)

    response = client.get(plan.get_absolute_url())

    assertContains(response, "2 threads, 1 question waiting for an answer.")
    assertContains(response, f'href="{comments_url(plan)}"')
    assertNotContains(response, SECRET)  # the bodies stay on the comments pages


# --- Questions and answers -------------------------------------------------------------------
def test_only_a_councillor_can_mark_a_comment_as_a_question(client, world, plan):
    client.force_login(world.alice)
    assertNotContains(client.get(comments_url(plan)), "This is a question for the plan")
    client.post(comments_url(plan), {"body": "Editor note", "is_question": "on"})
    assert not PlanComment.objects.get().is_question
    with pytest.raises(PermissionDenied):
        ask(plan, world.alice, body="A question?", is_question=True)

    client.force_login(world.councillor)
    assertContains(client.get(comments_url(plan)), "This is a question for the plan")
    client.post(comments_url(plan), {"body": "Who pays?", "is_question": "on"})
    assert PlanComment.objects.get(body="Who pays?").is_question


def test_a_question_is_answered_once_one_of_the_plans_writers_replies(client, world, plan):
    question = ask(plan, world.councillor, is_question=True)
    ask(plan, world.councillor, body="Any news?", parent=question)
    ask(plan, world.officer, body="Officers are looking too.", parent=question)
    assert list(PlanComment.objects.unanswered()) == [question]

    client.force_login(world.alice)
    client.post(thread_url(question), {"body": "The council pays for the heating."})

    assert not PlanComment.objects.unanswered().exists()
    client.force_login(world.councillor)
    response = client.get(thread_url(question))
    assertContains(response, "Answered question")
    assertContains(response, "The council pays for the heating.")
    assertContains(response, "Batley lead anchor")  # the writers answer as their organisation


def test_a_comment_can_be_about_one_item_of_the_plan(client, world, plan):
    item = plan.items.get()
    other_plans_item = PlanItemFactory(plan=LocalityPlanFactory(shared=True))
    client.force_login(world.councillor)

    chooser = client.get(f"{comments_url(plan)}?item={item.pk}")
    assertContains(chooser, f'<option value="{item.pk}" selected>')
    assertContains(chooser, "Priority 1: Warm spaces</option>")  # each item named by its place
    # In the plan's section order (priorities first), not the alphabetical order of the kinds.
    PlanItemFactory(plan=plan, kind="concern", order=1, title="Bus cuts")
    PlanItemFactory(plan=plan, kind="connection", order=1, title="Library")
    options = [str(choice[1]) for choice in client.get(comments_url(plan)).context["form"].fields["item"].choices]
    assert options == ["The whole plan", "Priority 1: Warm spaces", "Concern 1: Bus cuts", "Connection 1: Library"]
    client.post(comments_url(plan), {"body": "About the item", "item": other_plans_item.pk})
    assert not PlanComment.objects.exists()  # another plan's item is refused
    client.post(comments_url(plan), {"body": "About the item", "item": item.pk})

    comment = PlanComment.objects.get()
    assert (comment.item, comment.item_title) == (item, "Warm spaces")
    assertContains(client.get(thread_url(comment)), "About: priority “Warm spaces”")


# --- Emails ------------------------------------------------------------------------------------
def test_a_new_question_emails_the_plans_writers_once(world, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(plan, world.councillor, is_question=True)

    assert [message.to for message in mail.outbox] == [[world.alice.email]]
    message = mail.outbox[0]
    assert message.subject == "A councillor asked a question about your locality plan: Batley and Spen 2025–2028"
    assert f"/accounts/sign-in/?next=/plans/{plan.slug}/comments/{question.pk}/" in message.body
    assert SECRET not in message.body  # the email says where, not what

    from plans.tasks import plan_comment_notify

    assert plan_comment_notify.call(question.pk) is False  # a retry sends nothing more
    assert len(mail.outbox) == 1


def test_a_plain_comment_emails_nobody(world, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(plan, world.councillor)
    assert mail.outbox == []


def test_a_reply_emails_the_threads_author_once_but_not_their_own(world, plan, django_capture_on_commit_callbacks):
    question = ask(plan, world.councillor, is_question=True)
    with django_capture_on_commit_callbacks(execute=True):
        ask(plan, world.councillor, body="To add to my question", parent=question)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        reply = ask(plan, world.alice, body="Here is our answer", parent=question)

    assert [message.to for message in mail.outbox] == [[world.councillor.email]]
    assert mail.outbox[0].subject == "A reply to your question on a locality plan: Batley and Spen 2025–2028"
    assert f"comments/{question.pk}/%23comment-{reply.pk}" in mail.outbox[0].body
    from plans.tasks import plan_comment_notify

    assert plan_comment_notify.call(reply.pk) is False
    assert len(mail.outbox) == 1


# --- The forms -----------------------------------------------------------------------------------
def test_an_empty_comment_is_refused_with_the_error_summary(client, world, plan):
    client.force_login(world.councillor)
    response = client.post(comments_url(plan), {"body": "   ", "is_question": "on"})

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "govuk-error-summary")
    assertContains(response, '<a href="#id_body">Enter your comment</a>', html=True)
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assertContains(response, "<title>Error: ")
    assertContains(response, 'name="is_question" type="checkbox" value="on" checked', count=0)
    assert not PlanComment.objects.exists()


def test_a_too_long_comment_is_refused_and_what_was_typed_is_kept(client, world, plan):
    client.force_login(world.councillor)
    typed = "Warm spaces " * (COMMENT_MAX_LENGTH // 10)
    response = client.post(comments_url(plan), {"body": typed, "item": plan.items.get().pk})

    assertContains(response, "Keep your comment to 2,000 characters or fewer")
    assertContains(response, typed.strip())
    assertContains(response, f'<option value="{plan.items.get().pk}" selected>')
    assert not PlanComment.objects.exists()


def test_an_empty_reply_is_refused_with_the_error_summary(client, world, plan):
    question = ask(plan, world.councillor, is_question=True)
    client.force_login(world.alice)
    response = client.post(thread_url(question), {"body": ""})
    assertContains(response, '<a href="#id_body">Enter your reply</a>', html=True)
    assert PlanComment.objects.count() == 1


def test_html_in_a_comment_is_shown_as_text_with_its_line_breaks(client, world, plan):
    ask(plan, world.councillor, body='<script>alert("x")</script>\nSecond line <b>bold</b>')
    client.force_login(world.alice)
    response = client.get(comments_url(plan))
    assertNotContains(response, '<script>alert("x")</script>')
    assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Second line &lt;b&gt;bold&lt;/b&gt;")


def test_the_same_comment_sent_twice_within_a_minute_is_added_once(client, world, plan):
    client.force_login(world.councillor)
    first = client.post(comments_url(plan), {"body": "Double click"})
    second = client.post(comments_url(plan), {"body": "Double click"})

    assert PlanComment.objects.count() == 1
    assert second.url == first.url
    PlanComment.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    client.post(comments_url(plan), {"body": "Double click"})
    assert PlanComment.objects.count() == 2  # said again later, on purpose


def test_a_flood_of_comments_is_refused_and_kept_on_the_form(client, world, plan, monkeypatch):
    from plans import comment_views

    monkeypatch.setattr(comment_views, "COMMENTS_PER_HOUR", 2)
    client.force_login(world.councillor)
    client.post(comments_url(plan), {"body": "One"})
    client.post(comments_url(plan), {"body": "Two"})
    response = client.post(comments_url(plan), {"body": "Three"})

    assertContains(response, "Wait a while and send it again")
    assertContains(response, "Three</textarea>")
    assert PlanComment.objects.count() == 2


def test_a_reply_to_a_thread_of_another_plan_is_not_found(client, world, plan):
    other = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, shared=True)
    foreign = ask(other, world.councillor)
    client.force_login(world.alice)
    url = reverse("plans:comment_thread", args=[plan.slug, foreign.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert client.post(url, {"body": "Cross-posted"}).status_code == HTTPStatus.NOT_FOUND


# --- Lists and query counts ---------------------------------------------------------------------
def test_the_writers_list_shows_unanswered_questions_oldest_first(client, world, plan):
    newer = ask(plan, world.councillor, body="Newer question", is_question=True)
    older = ask(plan, world.councillor, body="Older question", is_question=True)
    PlanComment.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    answered = ask(plan, world.councillor, body="Answered question", is_question=True)
    ask(plan, world.alice, body="Answer", parent=answered)
    ask(plan, world.councillor, body="Not a question")
    dewsbury = LocalityPlanFactory(locality=world.dewsbury, owner=world.dewsbury_lead, shared=True)
    PlanCommentFactory(plan=dewsbury, is_question=True, body="Dewsbury question")

    client.force_login(world.alice)
    response = client.get(reverse("plans:questions_unanswered"))
    assert [question.pk for question in response.context["questions"]] == [older.pk, newer.pk]
    assertContains(client.get(reverse("plans:mine")), "Councillors have asked 2 questions about your plans")

    client.force_login(world.officer)
    officers = client.get(reverse("plans:questions_unanswered"))
    assert [question.body for question in officers.context["questions"]] == [
        "Older question",
        "Newer question",
        "Dewsbury question",
    ]


def test_the_unanswered_list_explains_itself_to_those_who_write_no_plan(client, world):
    client.force_login(world.councillor)
    assertContains(client.get(reverse("plans:questions_unanswered")), "Your account writes no plan")
    client.force_login(world.alice)
    assertContains(client.get(reverse("plans:questions_unanswered")), "No question is waiting for an answer")


def _comments(plan, world, count: int) -> None:
    for number in range(count):
        thread = PlanCommentFactory(plan=plan, author=world.councillor, is_question=number % 2 == 0)
        PlanCommentFactory(plan=plan, parent=thread, author=world.alice, author_role=CommentRole.EDITOR)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("councillor", lambda plan, thread: comments_url(plan)),
        ("alice", lambda plan, thread: thread_url(thread)),
        ("alice", lambda plan, thread: reverse("plans:questions_unanswered")),
        ("officer", lambda plan, thread: reverse("plans:questions_unanswered")),
        ("alice", lambda plan, thread: plan.get_absolute_url()),
    ],
)
def test_the_pages_cost_the_same_queries_for_3_and_30_comments(
    client, world, plan, who, url, django_assert_max_num_queries
):
    # Unanswered questions for the lists, on top of the answered ones.
    def more(count):
        _comments(plan, world, count)
        for _ in range(count):
            PlanCommentFactory(plan=plan, author=world.councillor, is_question=True)

    more(3)
    thread = PlanComment.objects.threads().order_by("pk").first()
    client.force_login(getattr(world, who))
    with django_assert_max_num_queries(40) as few:
        assert client.get(url(plan, thread)).status_code == HTTPStatus.OK
    more(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        # An error page costs fewer queries: the count means something only for the page itself.
        assert client.get(url(plan, thread)).status_code == HTTPStatus.OK


# --- The admin -----------------------------------------------------------------------------------
def test_officers_filter_the_admin_to_unanswered_questions(admin_client, world, plan):
    waiting = ask(plan, world.councillor, body="Waiting", is_question=True)
    answered = ask(plan, world.councillor, body="Answered", is_question=True)
    ask(plan, world.alice, body="Our answer", parent=answered)

    response = admin_client.get(reverse("admin:plans_plancomment_changelist") + "?answered=no")

    assert list(response.context["cl"].result_list) == [waiting]
    assert admin_client.get(reverse("admin:plans_plancomment_add")).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("who", ["councillor", "alice", "officer", "viewer", "bob", "local_editor", "resident"])
def test_the_plan_page_offers_the_threads_to_exactly_those_who_may_read_them(client, world, plan, who):
    """The plan page works out who may read the threads from what it already asked (its
    managers, the councillors it was shared with): it must agree with ``can_read_comments``."""
    from plans.permissions import can_read_comments

    user = getattr(world, who)
    client.force_login(user)
    response = client.get(plan.get_absolute_url())
    if response.status_code == HTTPStatus.NOT_FOUND:  # a shared plan is not theirs to read at all
        assert not can_read_comments(user, plan), who
        return
    assert response.status_code == HTTPStatus.OK
    assert (response.context["discussion"] is not None) == can_read_comments(user, plan), who
    assert can_read_comments(user, plan) == (who in {"councillor", "alice", "officer"}), who
