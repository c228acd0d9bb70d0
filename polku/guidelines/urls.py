"""Guidelines' URLs: the library, each guideline's stable address and its consultation rounds."""

from django.urls import URLPattern, URLResolver, include, path

from polku.guidelines import views, views_consultations, views_drafting

app_name = "guidelines"

rounds: list[URLPattern | URLResolver] = [
    path("", views_consultations.consultation_detail, name="consultation_detail"),
    path("invite/", views_consultations.consultation_invite, name="consultation_invite"),
    path("close/", views_consultations.consultation_close, name="consultation_close"),
    path("comment/", views_consultations.comment_add, name="comment_add"),
    path("statement/", views_consultations.statement_submit, name="statement_submit"),
    path("answers/", views_consultations.consultation_answers, name="consultation_answers"),
    path(
        "comments/<int:comment_pk>/answer/",
        views_consultations.comment_answer,
        name="comment_answer",
    ),
    path("report/", views_consultations.consultation_report, name="consultation_report"),
    path("report/publish/", views_consultations.report_publish, name="report_publish"),
]

guideline: list[URLPattern | URLResolver] = [
    path("", views.guideline_detail, name="guideline_detail"),
    path("edit/", views_drafting.guideline_edit, name="guideline_edit"),
    path("text/<str:language>/", views_drafting.guideline_text, name="guideline_text"),
    path("versions/", views.guideline_versions, name="guideline_versions"),
    path("compare/", views.guideline_diff, name="guideline_diff"),
    path("print/<str:language>/", views.guideline_print, name="guideline_print"),
    path("pdf/<str:language>/", views.guideline_pdf_view, name="guideline_pdf"),
    path("subscribe/", views.guideline_subscribe, name="guideline_subscribe"),
    path("revise/", views_drafting.guideline_revise, name="guideline_revise"),
    path("approve/", views_drafting.guideline_approve, name="guideline_approve"),
    path("publish/", views_drafting.guideline_publish, name="guideline_publish"),
    path("withdraw/", views_drafting.guideline_withdraw, name="guideline_withdraw"),
    path("supersede/", views_drafting.guideline_supersede, name="guideline_supersede"),
    path("consultations/new/", views_consultations.consultation_open, name="consultation_open"),
    path("consultations/<int:pk>/", include(rounds)),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.library, name="library"),
    path("work/", views.workspace, name="workspace"),
    path("new/", views_drafting.guideline_create, name="guideline_create"),
    path("<slug:slug>/", include(guideline)),
]
