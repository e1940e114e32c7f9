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


def sexagenary_year(year: int) -> str:
    """The year's name in the sexagenary cycle, heavenly stem and earthly branch: 2022 壬寅,
    2026 丙午 (from lunar-python, which names the lunar year beginning in `year`)."""
    from lunar_python import LunarYear  # not at import: `init` stays light

    return str(LunarYear.fromYear(year).getGanZhi())


def chinese_animal(animal: str) -> str:
    """The Chinese name of a zodiac animal of :data:`ANIMALS`: Tiger 虎, Horse 马."""
    from lunar_python.util import LunarUtil

    return str(LunarUtil.SHENGXIAO[1 + ANIMALS.index(animal)])


def chinese_year_name(year: int) -> str:
    """The year as a card prints it in Chinese: 壬寅虎年 (2022), 丙午马年 (2026)."""
    return f"{sexagenary_year(year)}{chinese_animal(animal_of(year))}年"
