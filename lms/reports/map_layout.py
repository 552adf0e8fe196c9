"""Egypt's 27 governorates as a tile map: one square each, placed roughly where the
governorate lies (north at the top, east on the right, in every language).

Drawn for this project; a cartogram, not to scale: each governorate gets one equal
tile, so the small Delta governorates are as visible as New Valley. Columns run west
→ east, rows north → south.
"""

from __future__ import annotations

# code (lms/accounts/data/governorates.csv) → (column, row)
MAP_TILES: dict[str, tuple[int, int]] = {
    "02": (2, 0),  # Alexandria
    "15": (3, 0),  # Kafr El Sheikh
    "11": (4, 0),  # Damietta
    "03": (5, 0),  # Port Said
    "33": (1, 1),  # Matrouh
    "18": (2, 1),  # Beheira
    "16": (3, 1),  # Gharbia
    "12": (4, 1),  # Dakahlia
    "19": (5, 1),  # Ismailia
    "34": (6, 1),  # North Sinai
    "17": (2, 2),  # Monufia
    "14": (3, 2),  # Qalyubia
    "13": (4, 2),  # Sharqia
    "04": (5, 2),  # Suez
    "35": (6, 2),  # South Sinai
    "21": (2, 3),  # Giza
    "01": (3, 3),  # Cairo
    "23": (1, 4),  # Fayoum
    "22": (2, 4),  # Beni Suef
    "24": (2, 5),  # Minya
    "31": (4, 5),  # Red Sea
    "32": (1, 6),  # New Valley
    "25": (2, 6),  # Asyut
    "26": (2, 7),  # Sohag
    "27": (3, 7),  # Qena
    "29": (3, 8),  # Luxor
    "28": (3, 9),  # Aswan
}

MAP_GOVERNORATES = tuple(MAP_TILES)
