from django.urls import path

from . import comment_views, editor_views, proposal_views, views
from .feeds import PublishedPlansFeed

app_name = "plans"

# A plan's address takes its slug or its UUID: /plans/batley-and-spen-2025-2028/. The fixed
# addresses come first; a plan's slug always ends in its years, so never clashes with them.
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("feed/", PublishedPlansFeed(), name="feed"),
    path("themes/", views.PlanThemesView.as_view(), name="themes"),
    path("mine/", editor_views.MyPlansView.as_view(), name="mine"),
    path("new/", editor_views.PlanCreateView.as_view(), name="create"),
    path("shared-with-you/", views.SharedWithYouView.as_view(), name="shared_with_you"),
    path("questions/", comment_views.UnansweredQuestionsView.as_view(), name="questions_unanswered"),
    path("<str:key>/", views.PlanDetailView.as_view(), name="detail"),
    path("<str:key>/as-shared/", views.PlanAsSharedView.as_view(), name="as_shared"),
    path("<str:key>/comments/", comment_views.PlanCommentsView.as_view(), name="comments"),
    path("<str:key>/comments/<int:pk>/", comment_views.PlanCommentThreadView.as_view(), name="comment_thread"),
    path("<str:key>/edit/", editor_views.PlanUpdateView.as_view(), name="update"),
    path("<str:key>/share/", editor_views.PlanShareView.as_view(), name="share"),
    path("<str:key>/publish/", editor_views.PlanPublishView.as_view(), name="publish"),
    path("<str:key>/propose/", proposal_views.ProposeItemsView.as_view(), name="propose"),
    path("<str:key>/proposals/", proposal_views.ProposalListView.as_view(), name="proposals"),
    path("<str:key>/proposals/<int:pk>/", proposal_views.ProposalDecideView.as_view(), name="proposal_decide"),
    path("<str:key>/new-version/", editor_views.PlanNewVersionView.as_view(), name="new_version"),
]
