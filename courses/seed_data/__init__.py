"""The demo curricula: three trades, written in Arabic for this platform, each a
package (one module per course module) in the shapes of `shapes.py`, with its
illustrations under courses/seed_assets/svg/<trade slug>/."""

from __future__ import annotations

from courses.seed_data.mobile import MOBILE
from courses.seed_data.refrigeration import REFRIGERATION
from courses.seed_data.shapes import Curriculum
from courses.seed_data.tailoring import TAILORING

CURRICULA: tuple[Curriculum, ...] = (TAILORING, MOBILE, REFRIGERATION)
