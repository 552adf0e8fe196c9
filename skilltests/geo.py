"""Geography computed here, never asked of another host: distances (haversine), the
governorates' reference points, and Egypt's outline drawn for the project.

The outline is a simplified ring of (longitude, latitude) points traced for this
project from the coast's and borders' well-known places (Sallum, Alexandria, the
Nile mouths, Port Said, Rafah, Taba, Ras Muhammad, Suez, the Red Sea coast to the
22nd parallel, the 25th meridian): accurate to a few kilometres, enough to place a
centre, not a survey.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088
REFERENCE_DIR = Path(__file__).with_name("reference")

# Clockwise from Sallum: the Mediterranean coast, the eastern border, the Gulf of
# Aqaba, round Sinai into the Gulf of Suez, the Red Sea coast, the 22nd parallel and
# the western border.
EGYPT_OUTLINE: tuple[tuple[float, float], ...] = (
    (25.15, 31.57), (25.55, 31.60), (25.92, 31.62), (26.50, 31.50), (27.24, 31.37),
    (27.90, 31.10), (28.45, 31.02), (28.95, 30.85), (29.40, 30.95), (29.75, 31.10),
    (29.95, 31.25), (30.07, 31.32), (30.40, 31.46), (30.80, 31.55), (31.10, 31.60),
    (31.55, 31.50), (31.82, 31.53), (32.05, 31.40), (32.30, 31.28), (32.60, 31.10),
    (33.10, 31.15), (33.60, 31.12), (33.80, 31.14), (34.22, 31.32), (34.90, 29.49),
    (34.75, 29.25), (34.66, 29.03), (34.52, 28.50), (34.42, 28.05), (34.25, 27.73),
    (33.90, 27.95), (33.60, 28.20), (33.20, 28.80), (33.10, 29.05), (32.72, 29.60),
    (32.58, 29.95), (32.40, 29.75), (32.35, 29.55), (32.65, 29.10), (33.10, 28.35),
    (33.50, 27.80), (33.84, 27.25), (33.95, 26.75), (34.28, 26.10), (34.90, 25.07),
    (35.30, 24.40), (35.48, 23.95), (35.65, 23.90), (35.60, 23.40), (36.20, 22.80),
    (36.89, 22.00), (31.40, 22.00), (25.00, 22.00), (25.00, 29.20), (24.70, 30.20),
    (24.85, 31.00),
)  # fmt: skip

# The Nile from Lake Nasser at the border to the Delta's fork, then its two branches.
NILE: tuple[tuple[float, float], ...] = (
    (31.30, 22.00), (31.60, 22.40), (32.30, 22.80), (32.80, 23.60), (32.88, 23.97),
    (32.90, 24.09), (32.94, 24.47), (32.87, 24.98), (32.55, 25.29), (32.65, 25.70),
    (32.73, 26.16), (32.45, 26.10), (32.25, 26.05), (31.90, 26.30), (31.70, 26.56),
    (31.40, 26.90), (31.18, 27.18), (30.85, 27.70), (30.76, 28.10), (30.90, 28.60),
    (31.10, 29.07), (31.25, 29.60), (31.23, 30.05), (31.20, 30.20),
)  # fmt: skip
NILE_ROSETTA = ((31.20, 30.20), (30.95, 30.55), (30.72, 30.95), (30.45, 31.30),
                (30.40, 31.46))  # fmt: skip
NILE_DAMIETTA = ((31.20, 30.20), (31.25, 30.55), (31.35, 30.85), (31.55, 31.10),
                 (31.80, 31.40), (31.82, 31.53))  # fmt: skip
SUEZ_CANAL = ((32.30, 31.28), (32.33, 30.60), (32.40, 30.20), (32.58, 29.95))


@dataclass(frozen=True)
class GovernoratePoint:
    """Where a governorate is, for "near me": its capital."""

    code: str
    capital_ar: str
    capital_en: str
    latitude: float
    longitude: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@cache
def governorate_points() -> dict[str, GovernoratePoint]:
    """Each governorate's capital (reference/governorate_points.csv)."""
    path = REFERENCE_DIR / "governorate_points.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: GovernoratePoint(
                code=row["code"],
                capital_ar=row["capital_ar"],
                capital_en=row["capital_en"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        }


def inside_outline(lat: float, lon: float) -> bool:
    """Whether a point falls inside the outline (ray casting)."""
    inside = False
    ring = EGYPT_OUTLINE
    j = len(ring) - 1
    for i, (xi, yi) in enumerate(ring):
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@dataclass(frozen=True)
class Frame:
    """An equirectangular projection of a longitude/latitude box onto a drawing
    `width` units wide (north up, east right; longitudes shrunk by the cosine of the
    box's middle latitude so shapes keep their proportions)."""

    west: float
    east: float
    south: float
    north: float
    width: float

    @property
    def x_factor(self) -> float:
        return math.cos(math.radians((self.north + self.south) / 2))

    @property
    def scale(self) -> float:
        """Drawing units per degree of latitude."""
        return self.width / ((self.east - self.west) * self.x_factor)

    @property
    def height(self) -> float:
        return (self.north - self.south) * self.scale

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.west) * self.x_factor * self.scale
        y = (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


# The whole country, and the Delta with Cairo and the Canal, where most centres are.
EGYPT = Frame(west=24.5, east=37.1, south=21.7, north=31.9, width=560)
DELTA = Frame(west=29.6, east=32.8, south=29.7, north=31.7, width=560)
