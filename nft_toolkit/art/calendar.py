"""The Chinese zodiac calendar: which animal and element a year belongs to.

Years are Gregorian years mapped to the lunar year that begins in them (the year 2026 is the
year of the Fire Horse, whatever the exact date of the lunar new year).
"""

from __future__ import annotations

ANIMALS: tuple[str, ...] = (
    "Rat", "Ox", "Tiger", "Rabbit", "Dragon", "Snake",
    "Horse", "Goat", "Monkey", "Rooster", "Dog", "Pig",
)
ELEMENTS: tuple[str, ...] = ("Wood", "Fire", "Earth", "Metal", "Water")


def animal_of(year: int) -> str:
    """The zodiac animal of `year` (1984, 1996, 2008, 2020 were years of the Rat)."""
    return ANIMALS[(year - 4) % 12]


def element_of(year: int) -> str:
    """The element of `year` (its heavenly stem): 2024-25 Wood, 2026-27 Fire, ..."""
    return ELEMENTS[((year - 4) % 10) // 2]
