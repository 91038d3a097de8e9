from django.urls import path

from . import views

app_name = "voices"

urlpatterns = [
    # The public form on every area and ward page.
    path("areas/<slug:slug>/tell-us/", views.TellUsView.as_view(), name="tell_us"),
    path("areas/<slug:slug>/tell-us/sent/", views.TellUsSentView.as_view(), name="tell_us_sent"),
    # The anchor's and officers' pages.
    path("voices/", views.VoiceListView.as_view(), name="list"),
    path("voices/new/", views.VoiceCreateView.as_view(), name="create"),
    path("voices/<str:pk>/", views.VoiceDetailView.as_view(), name="detail"),
]
