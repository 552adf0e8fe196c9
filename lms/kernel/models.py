"""The kernel's only table: cache generations (lms/kernel/generations.py)."""

from django.db import models


class CacheGeneration(models.Model):
    """A counter in the database that names a cache's current key space: bumping it
    abandons every entry cached before, wherever the cache lives."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
