from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import brief_views, dashboard_views, drill_views, return_views, seo, views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sitemap.xml", sitemap, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("cookies/", views.CookiesView.as_view(), name="cookies"),
    path("accounts/sign-in/", views.SignInView.as_view(), name="login"),
    path("accounts/sign-out/", views.SignOutView.as_view(), name="logout"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/download.csv", dashboard_views.DashboardDownloadView.as_view(), name="dashboard_csv"),
    path(
        "dashboard/download.xlsx",
        dashboard_views.DashboardDownloadView.as_view(file_format="xlsx"),
        name="dashboard_xlsx",
    ),
    path("dashboard/print/", dashboard_views.DashboardPrintView.as_view(), name="dashboard_print"),
    path("dashboard/voices-brief/", brief_views.VoicesBriefView.as_view(), name="voices_brief"),
    path("dashboard/records/<slug:kind>/", drill_views.DashboardRecordsView.as_view(), name="dashboard_records"),
    path("dashboard/returns/", return_views.ReturnListView.as_view(), name="return_list"),
    path("dashboard/returns/submit/", return_views.ReturnSubmitView.as_view(), name="return_submit"),
    path("dashboard/returns/<int:pk>/", return_views.ReturnDetailView.as_view(), name="return_detail"),
    path("dashboard/returns/<int:pk>/return.csv", return_views.ReturnDownloadView.as_view(), name="return_csv"),
    path(
        "dashboard/returns/<int:pk>/return.xlsx",
        return_views.ReturnDownloadView.as_view(file_format="xlsx"),
        name="return_xlsx",
    ),
    path("areas/", views.AreaListView.as_view(), name="area_list"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("areas/<slug:slug>/what-residents-said/", views.AreaVoicesView.as_view(), name="area_voices"),
]
