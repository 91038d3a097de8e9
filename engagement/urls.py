from django.urls import path

from . import views

app_name = "engagement"

# Under /network/exchange/ (anchornet/urls.py): the network's own working pages, for members.
urlpatterns = [
    path("", views.ExchangeListView.as_view(), name="exchange"),
    path("matches/", views.ExchangeMatchView.as_view(), name="exchange_matches"),
    path("new/", views.ExchangeCreateView.as_view(), name="exchange_create"),
    path("<int:pk>/edit/", views.ExchangeUpdateView.as_view(), name="exchange_update"),
    path("needs/<int:pk>/accept/", views.ExchangeAcceptView.as_view(), name="exchange_accept"),
]
