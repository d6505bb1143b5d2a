from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "network.discussion"
    label = "discussion"
    verbose_name = _("Discussions")

    def ready(self):
        from django.db.models.signals import post_delete

        from network.discussion.attachments import delete_stored_files
        from network.discussion.models import Attachment

        post_delete.connect(
            delete_stored_files, sender=Attachment, dispatch_uid="discussion_attachment_files"
        )
