"""What services announce for background work to pick up (see ``jobs.py``).

Services send these inside their transaction; ``virtual_classes.jobs`` (connected in
``apps.py``) enqueues the matching task once it commits. So tasks import services
and services never import tasks: the only way from a use case to a queue is here.
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: live_class_id (int), starts_at (aware datetime)
class_scheduled = Signal()

# kwargs: event_id (int): a verified RECORDING_UPLOADED notification to download
recording_announced = Signal()
