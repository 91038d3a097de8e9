from django.urls import path, re_path

from . import editor_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("past/", views.PastMeetingListView.as_view(), name="past"),
    path("actions/", views.ActionListView.as_view(), name="actions"),
    path("subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("mine/", editor_views.MyMeetingsView.as_view(), name="mine"),
    path("new/", editor_views.MeetingCreateView.as_view(), name="create"),
    path("feed.ics", views.PublicFeedView.as_view(), name="feed"),
    # token_urlsafe(32): 43 characters of A-Z, a-z, 0-9, "-" and "_".
    re_path(
        r"^feed/private/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$",
        views.PrivateFeedView.as_view(),
        name="private_feed",
    ),
    path("feed/<slug:slug>.ics", views.LocalityFeedView.as_view(), name="locality_feed"),
    path("<uuid:uuid>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<uuid:uuid>.ics", views.MeetingIcsView.as_view(), name="ics"),
    path("<uuid:uuid>/edit/", editor_views.MeetingUpdateView.as_view(), name="update"),
    path("<uuid:uuid>/records/", editor_views.MeetingRecordsView.as_view(), name="records"),
]
