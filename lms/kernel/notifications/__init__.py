"""Notices that reach people: reminders and notices through e-mail or SMS.

Apps call `services.notify(user_ids=..., kind=..., compose=...)`: one row per
recipient is written (the outbox, `lms.kernel.models.Notification`) in the caller's
transaction and delivered in the background on its recipient's channel. `compose` is
called once per recipient with the recipient's language active, so the text it
returns (a `data.Notice`) is in their language. Nothing personal goes into a notice:
an SMS passes through a gateway and sits on a phone's lock screen; the link leads to
the page (behind sign-in) that says the rest.
"""
