from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("networks/", views.NetworkListView.as_view(), name="network_list"),
    path("networks/<slug:slug>/", views.NetworkDetailView.as_view(), name="network_detail"),
]
