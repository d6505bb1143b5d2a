"""Folding a page of messages into threads, without another query."""


def fold_threads(page, *, user, last_read_id):
    """The top-level messages of ``page`` (oldest first), each with ``thread``
    (its replies in the page, oldest first) and ``thread_unread`` (those by
    others after ``last_read_id``). A reply whose parent is older than the
    page stays at the top level, marked by its ``parent_id``.

    Also returns the id of the first message by someone else after
    ``last_read_id`` (``None`` when all is read), for "jump to first unread".
    """
    shown = {message.pk: message for message in page}
    top, first_unread = [], None
    for message in page:
        message.thread, message.thread_unread = [], 0
        unread = message.pk > last_read_id and message.author_id != user.pk and message.visible
        if unread and first_unread is None:
            first_unread = message.pk
        parent = shown.get(message.parent_id)
        if parent is None:
            top.append(message)
            continue
        parent.thread.append(message)
        parent.thread_unread += unread
    return top, first_unread
