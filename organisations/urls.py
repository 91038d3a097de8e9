from django.urls import path

from . import editor_views, views

app_name = "organisations"

urlpatterns = [
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("organisations/<slug:slug>/edit/", editor_views.OrganisationEditView.as_view(), name="edit"),
    path(
        "organisations/<slug:slug>/opening-times/",
        editor_views.OrganisationOpeningTimesView.as_view(),
        name="opening_times",
    ),
    path("new-groups/", editor_views.GroupSubmissionListView.as_view(), name="new_groups"),
    path("new-groups/<int:pk>/", editor_views.GroupSubmissionDetailView.as_view(), name="new_group_detail"),
    path("networks/", views.NetworkListView.as_view(), name="network_list"),
    path("networks/<slug:slug>/", views.NetworkDetailView.as_view(), name="network_detail"),
]
