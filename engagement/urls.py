from django.urls import path

from . import views

app_name = "engagement"

urlpatterns = [
    path("ask/", views.AskForSupportView.as_view(), name="ask"),
    path("ask/sent/", views.AskForSupportSentView.as_view(), name="ask_sent"),
    path("requests/", views.RequestQueueView.as_view(), name="request_queue"),
    path("requests/<str:reference>/", views.RequestDetailView.as_view(), name="request_detail"),
]
