"""The one error the backup commands turn into a clear message and a non-zero exit."""


class BackupError(Exception):
    """A backup that cannot be written, trusted or restored; the message says why."""
