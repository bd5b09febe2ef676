"""How maps look: the colours of the background, outlines, the archipelagos and "no data", the palettes
the indicators name, the NTM status colours, and label colours readable on any fill."""

from __future__ import annotations

RGB = tuple[int, int, int]

NO_DATA_COLOUR: RGB = (190, 190, 190)
CONTEXT_FILL = (244, 244, 242, 255)
CONTEXT_LINE = (150, 150, 150, 255)
MOUNTAIN_LINE = (110, 60, 20, 255)
PLAIN_OUTLINE = (90, 90, 90, 255)
SELECTED_LINE = (20, 20, 20, 255)
UNIT_LINE = (255, 255, 255, 230)
ARCHIPELAGO_FILL = (120, 120, 120, 255)
ARCHIPELAGO_LINE = (60, 60, 60, 255)
LABEL_DARK = (30, 30, 30, 255)

# ColorBrewer palettes (colour-blind safe sequential / diverging schemes), by the names metrics use.
PALETTES: dict[str, tuple[RGB, ...]] = {
    "YlOrRd": ((255, 255, 178), (254, 217, 118), (254, 178, 76), (253, 141, 60), (240, 59, 32), (189, 0, 38)),
    "Greens": ((237, 248, 233), (186, 228, 179), (116, 196, 118), (49, 163, 84), (0, 109, 44)),
    "Oranges": ((254, 237, 222), (253, 190, 133), (253, 141, 60), (230, 85, 13), (166, 54, 3)),
    "Purples": ((242, 240, 247), (203, 201, 226), (158, 154, 200), (117, 107, 177), (84, 39, 143)),
    "RdYlGn": ((26, 152, 80), (145, 207, 96), (217, 239, 139), (255, 255, 191), (252, 141, 89),
               (215, 48, 39)),                                   # big fall … big rise
}
STATUS_COLOURS: dict[str, RGB] = {"none": (253, 212, 158), "standard": (161, 217, 155),
                                  "advanced": (65, 171, 93), "model": (0, 90, 50), "modern": (106, 81, 163)}


def rgba(rgb, alpha: int = 235) -> list[int]:
    """An RGB colour with its alpha as a deck.gl colour list (RGBA colours pass as they are)."""
    return [int(rgb[0]), int(rgb[1]), int(rgb[2]), alpha] if len(rgb) == 3 else [int(c) for c in rgb]
