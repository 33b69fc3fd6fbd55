"""The rules of the business, in one place: order statuses and the changes allowed between
them (``status``, ``transitions``) and the constants every part shares (``rules``).

Nothing is imported here, so the models can import ``db.domain.status`` while
``db.domain.transitions`` imports the models.
"""
