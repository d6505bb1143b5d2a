from django.urls import path

from network.discussion import direct_views, views, views_files, views_search

app_name = "discussion"

urlpatterns = [
    path("", views.room_list, name="room_list"),
    path("nouveau/", views.room_create, name="room_create"),
    path("tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("recherche/", views_search.search, name="search"),
    path("non-lus.json", views.unread_count, name="unread_count"),
    path("resume/", views.digest_settings, name="digest_settings"),
    path("resume/desabonnement/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
    path("ecrire/", direct_views.conversation_start, name="conversation_start"),
    path("ecrire/<int:user_id>/", direct_views.conversation_with, name="conversation_with"),
    path("membres/<int:user_id>/", direct_views.member_detail, name="member_detail"),
    path("membres/<int:user_id>/bloquer/", direct_views.member_block, name="member_block"),
    path("bloques/", direct_views.blocked_list, name="blocked_list"),
    path("<slug:slug>/", views.room_detail, name="room_detail"),
    path("<slug:slug>/messages/", views.message_post, name="message_post"),
    path("<slug:slug>/fichiers/", views_files.attachment_upload, name="attachment_upload"),
    path("<slug:slug>/fichiers/<int:attachment_id>/", views_files.attachment_file, name="attachment_file"),
    path(
        "<slug:slug>/fichiers/<int:attachment_id>/vignette/",
        views_files.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("<slug:slug>/archiver/", views.room_archive, name="room_archive"),
    path("<slug:slug>/notifications/", views.room_notifications, name="room_notifications"),
    path("<slug:slug>/messages/<int:message_id>/", views.message_link, name="message_link"),
    path("<slug:slug>/messages/<int:message_id>/modifier/", views.message_edit, name="message_edit"),
    path("<slug:slug>/messages/<int:message_id>/supprimer/", views.message_delete, name="message_delete"),
    path("<slug:slug>/messages/<int:message_id>/signaler/", views.message_report, name="message_report"),
    path("<slug:slug>/messages/<int:message_id>/masquer/", views.message_hide, name="message_hide"),
    path("<slug:slug>/messages/<int:message_id>/reagir/", views.message_react, name="message_react"),
]
