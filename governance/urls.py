from django.urls import path

from governance import board_views, notice_views, review_views, views

app_name = "governance"
urlpatterns = [
    path("plans/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("plans/<slug:slug>/changes/", views.changes, name="changes"),
    path("boards/", board_views.board_list, name="board_list"),
    path("inspections/", board_views.inspection_list, name="inspection_list"),
    path("inspections/<slug:slug>/", board_views.inspection_detail, name="inspection_detail"),
    path("boards/<slug:slug>/", board_views.board_detail, name="board_detail"),
    path("boards/<slug:slug>/meetings/new/", board_views.meeting_form, name="meeting_create"),
    path("boards/<slug:slug>/meetings/<int:pk>/", board_views.meeting_detail, name="meeting_detail"),
    path("boards/<slug:slug>/meetings/<int:pk>/edit/", board_views.meeting_form, name="meeting_edit"),
    path(
        "boards/<slug:slug>/meetings/<int:pk>/actions/",
        board_views.meeting_action_create,
        name="meeting_action_create",
    ),
    path("boards/<slug:slug>/meetings/<int:pk>/reports/", board_views.report_create, name="report_create"),
    path("meeting-actions/<int:pk>/status/", board_views.meeting_action_status, name="meeting_action_status"),
    path("reports/<int:pk>/", board_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", board_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/issue/", board_views.report_issue, name="report_issue"),
    path("reports/<int:pk>/issue/confirm/", board_views.report_issue_confirm, name="report_issue_confirm"),
    path("reports/<int:pk>/report.pdf", board_views.report_download, {"file_format": "pdf"}, name="report_pdf"),
    path("reports/<int:pk>/report.xlsx", board_views.report_download, {"file_format": "xlsx"}, name="report_xlsx"),
    path("reports/<int:pk>/report.docx", board_views.report_download, {"file_format": "docx"}, name="report_docx"),
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/<slug:slug>/", notice_views.notice_detail, name="notice_detail"),
    path("plans/<slug:slug>/voices/", notice_views.voice_list, name="voice_list"),
    path("plans/<slug:slug>/voices/new/", notice_views.voice_create, name="voice_create"),
    path("reviews/", review_views.review_list, name="review_list"),
    path("reviews/new/", review_views.review_form, name="review_create"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", review_views.review_form, name="review_edit"),
    path("reviews/<int:pk>/actions/", review_views.review_action_create, name="review_action_create"),
    path("reviews/<int:pk>/self-assessments/", review_views.self_assessment_create, name="self_assessment_create"),
    path("self-assessments/<int:pk>/", review_views.self_assessment_detail, name="self_assessment_detail"),
    path("self-assessments/<int:pk>/edit/", review_views.self_assessment_edit, name="self_assessment_edit"),
    path("self-assessments/<int:pk>/issue/", review_views.self_assessment_issue, name="self_assessment_issue"),
]
