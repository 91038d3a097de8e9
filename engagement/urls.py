from django.urls import path

from . import log_views, relationship_views, request_views, views

app_name = "engagement"

urlpatterns = [
    # The network's own working pages, for members.
    path("network/exchange/", views.ExchangeListView.as_view(), name="exchange"),
    path("network/exchange/matches/", views.ExchangeMatchView.as_view(), name="exchange_matches"),
    path("network/exchange/new/", views.ExchangeCreateView.as_view(), name="exchange_create"),
    path("network/exchange/<int:pk>/edit/", views.ExchangeUpdateView.as_view(), name="exchange_update"),
    path("network/exchange/needs/<int:pk>/accept/", views.ExchangeAcceptView.as_view(), name="exchange_accept"),
    # The engagement log, and its follow-ups, for the anchors that keep it.
    path("network/engagements/", log_views.EngagementListView.as_view(), name="engagements"),
    path("network/engagements/new/", log_views.EngagementCreateView.as_view(), name="engagement_create"),
    path("network/engagements/<str:pk>/edit/", log_views.EngagementUpdateView.as_view(), name="engagement_update"),
    path("network/follow-ups/", log_views.FollowUpListView.as_view(), name="follow_ups"),
    path("network/follow-ups/<str:pk>/done/", log_views.FollowUpDoneView.as_view(), name="follow_up_done"),
    path("network/outreach/", log_views.OutreachListView.as_view(), name="outreach"),
    path("network/outreach/<str:pk>/quiet/", log_views.QuietNoteView.as_view(), name="quiet_note"),
    # Which anchor supports which group, since when and until when.
    path("network/relationships/", relationship_views.RelationshipListView.as_view(), name="relationships"),
    path("network/relationships/new/", relationship_views.RelationshipCreateView.as_view(), name="relationship_create"),
    path(
        "network/relationships/<str:pk>/edit/",
        relationship_views.RelationshipUpdateView.as_view(),
        name="relationship_update",
    ),
    # The front door: a group asks for support; the anchor it reaches works through its queue.
    path("support/ask/", request_views.AskForSupportView.as_view(), name="ask"),
    path("support/ask/sent/", request_views.AskForSupportSentView.as_view(), name="ask_sent"),
    path("support/add-your-group/", request_views.AddYourGroupView.as_view(), name="add_group"),
    path("support/add-your-group/sent/", request_views.AddYourGroupSentView.as_view(), name="add_group_sent"),
    path("support/requests/", request_views.RequestQueueView.as_view(), name="request_queue"),
    path("support/requests/<str:reference>/", request_views.RequestDetailView.as_view(), name="request_detail"),
]
