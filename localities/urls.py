from django.urls import path

from . import views

app_name = "localities"

urlpatterns = [
    path("", views.LocalityListView.as_view(), name="list"),
    path("<slug:slug>/", views.LocalityDetailView.as_view(), name="detail"),
]
