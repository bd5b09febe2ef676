"""Where a unit's name goes: inside its own polygon, on the canvas, clear of the other names.

For each unit, `label_spots()` finds anchors inside the polygon as drawn at the initial view: the pole of
inaccessibility (the centre of the widest circle inside the unit) first, then other points of the unit
ranked by how much of the name's box stays over the unit itself, all far enough from the canvas edges
for the whole name to show. A unit at the edge of the canvas whose name cannot be centred on it (an
island at the end of a province) keeps its anchor on the unit and writes the name towards the inside
("end" or "start" anchored text). `place_labels()` then names the units in priority order, each at its
first spot that covers no name already placed; `label_box()` is the one estimate of a name's box that
both use, from the widths of the glyphs of the map's font (Noto Sans).

Coordinates here are canvas pixels from the view's centre (x to the east, y down, Web Mercator), so a
box is the box the reader sees."""

from __future__ import annotations

import itertools
import math
import unicodedata

import numpy as np
import shapely

from ntm.present.maps.projection import from_px, in_pixels, to_px

LABEL_SIZE = 12          # pixels: a unit's name
EDGE_PX = 6              # a name keeps this far from the canvas edges
GAP_PX = 3               # two names keep this far apart
SPOTS = 10               # anchors kept per unit (the first that covers no other name is used)
MIN_ROOM_PX = 1.0        # a unit narrower than this (its widest inner circle's radius) is not seen: not named
INSIDE_PX = 1.5          # an anchor keeps this far inside its unit's edge
HALO_PX = 2              # the white halo around the letters
SIDE_COST = 0.3          # a name written from a point to one side ranks as if this much less of it were free

# Advance widths of Noto Sans (em), by the letter under the diacritics: most lower-case letters are about
# 0.6 em; these are the exceptions that matter for place names.
_GLYPH_EM = {**dict.fromkeys("ijlIJ'.,:;!|() ", 0.27), **dict.fromkeys("ftr-", 0.38),
             **dict.fromkeys("csz", 0.48), **dict.fromkeys("mwMW", 0.93),
             **dict.fromkeys("CDGHNOQUĐƠƯ", 0.76), **dict.fromkeys("0123456789", 0.57)}
LOWER_EM, UPPER_EM = 0.6, 0.62


def glyph_em(ch: str) -> float:
    """A character's advance width in em (its base letter's: 'ạ' as 'a', 'Ờ' as 'Ơ')."""
    if ch in _GLYPH_EM:
        return _GLYPH_EM[ch]
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    if ch in ("Đ", "đ", "Ơ", "ơ", "Ư", "ư"):
        base = ch
    return _GLYPH_EM.get(base, UPPER_EM if base.isupper() else LOWER_EM)


def text_size_px(text: str, size: float = LABEL_SIZE) -> tuple[float, float]:
    """Width and height in pixels of a (possibly multi-line) label at `size`, halo included."""
    lines = str(text).split("\n")
    width = max(sum(glyph_em(ch) for ch in line) for line in lines) * size
    return width + 2 * HALO_PX, len(lines) * 1.2 * size + 2 * HALO_PX


def _extent(anchor: str, width: float) -> tuple[float, float]:
    """Left and right of a name's box from its anchor point, for text anchored at its middle, start or end."""
    return {"middle": (-width / 2, width / 2), "start": (0.0, width), "end": (-width, 0.0)}[anchor]


def label_box(label: dict, view: dict, gap: float = 0.0) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1, canvas pixels from the centre) a label's text covers, `gap` added around."""
    x, y = to_px(*label["position"], view)
    w, h = text_size_px(label["text"], label["size"])
    left, right = _extent(label.get("anchor", "middle"), w)
    return x + left - gap, y - h / 2 - gap, x + right + gap, y + h / 2 + gap


def overlaps(a: tuple, b: tuple) -> bool:
    """Whether two boxes overlap."""
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def on_canvas(box: tuple, view: dict, edge: float = 0.0) -> bool:
    """Whether a box lies inside the canvas of `view`, `edge` pixels in from its sides."""
    half_w, half_h = view["width"] / 2 - edge, view["height"] / 2 - edge
    return box[0] >= -half_w and box[2] <= half_w and box[1] >= -half_h and box[3] <= half_h


def inside_canvas(label: dict, view: dict) -> dict:
    """A label with no unit of its own (an archipelago's note) moved just enough that its whole text lies
    inside the canvas of `view`."""
    if "width" not in view:
        return label
    x, y = to_px(*label["position"], view)
    w, h = text_size_px(label["text"], label["size"])
    left, right = _extent(label.get("anchor", "middle"), w)
    half_w, half_h = view["width"] / 2 - EDGE_PX, view["height"] / 2 - EDGE_PX
    x = min(max(x, -half_w - left), half_w - right)
    y = min(max(y, -half_h + h / 2), half_h - h / 2)
    lon, lat = from_px(x, y, view)
    return {**label, "position": [round(lon, 4), round(lat, 4)]}


def place_labels(groups: list[list[dict]], view: dict, gap: float = GAP_PX) -> list[dict]:
    """One label per group (a unit's alternatives, best first), in the groups' priority order: of the
    alternatives that cover no label already placed, the one that leaves the fewest groups after it with
    no alternative left (then the best); then a group left out takes a place held by a single label that
    can move to another of its alternatives. A group with no place is left out."""
    labels = [(g, label) for g, alternatives in enumerate(groups) for label in alternatives]
    if not labels:
        return []
    owner = np.array([g for g, _ in labels])
    boxes = np.array([label_box(label, view, gap / 2) for _, label in labels])
    clash = (boxes[:, None, 0] < boxes[None, :, 2]) & (boxes[:, None, 2] > boxes[None, :, 0]) \
        & (boxes[:, None, 1] < boxes[None, :, 3]) & (boxes[:, None, 3] > boxes[None, :, 1])
    chosen = _moved_aside(owner, clash, _greedy(owner, clash, len(groups)))
    return [labels[chosen[g]][1] for g in sorted(chosen)]


def _greedy(owner: np.ndarray, clash: np.ndarray, n: int) -> dict[int, int]:
    """Group -> its label (`place_labels`' first pass), groups taken in order."""
    alive = np.ones(len(owner), dtype=bool)
    done = np.zeros(n, dtype=bool)
    chosen: dict[int, int] = {}
    for g in range(n):
        done[g] = True
        mine = np.flatnonzero(alive & (owner == g))
        if not len(mine):
            continue
        waiting = alive & ~done[owner]
        left = np.bincount(owner[waiting], minlength=n)

        def lost(i: int) -> int:
            hit = np.bincount(owner[waiting & clash[i]], minlength=n)
            return int(((left > 0) & (hit == left)).sum())

        chosen[g] = min(mine, key=lambda i: (lost(i), i))
        alive &= ~clash[chosen[g]]
    return chosen


def _moved_aside(owner: np.ndarray, clash: np.ndarray, chosen: dict[int, int], most: int = 3) -> dict[int, int]:
    """`chosen` with each group left out placed, in order, where the (at most `most`) labels in its way can
    move to other alternatives of their own that clash with nothing placed."""
    for g in sorted(set(owner.tolist()) - set(chosen)):
        for i in np.flatnonzero(owner == g):
            blockers = [h for h, j in chosen.items() if clash[i, j]]
            if len(blockers) > most:
                continue
            fixed = [j for k, j in chosen.items() if k not in blockers] + [i]
            options = [[k for k in np.flatnonzero(owner == h) if not clash[k, fixed].any()] for h in blockers]
            move = next((m for m in itertools.product(*options)
                         if not any(clash[a, b] for a, b in itertools.combinations(m, 2))), None)
            if move is not None:
                chosen.update(zip(blockers, move))
                chosen[g] = i
                break
    return chosen


def _polygonal(geom):
    """The polygons of a geometry (an intersection may add lines and points where edges touch)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom if geom.area > 0 else None
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon") and p.area > 0]
    return shapely.union_all(parts) if parts else None


def _candidates(region, pole: np.ndarray) -> np.ndarray:
    """The unit's pole when it lies in `region`, and the points of a grid over `region` (about 80 of
    them, at least 3 pixels apart) that lie inside it (x, y rows)."""
    step = max(3.0, math.sqrt(region.area / 80))
    x0, y0, x1, y1 = region.bounds
    xs, ys = np.meshgrid(np.arange(x0 + step / 2, x1, step), np.arange(y0 + step / 2, y1, step))
    points = np.vstack([pole[None, :], np.column_stack([xs.ravel(), ys.ravel()])])
    return points[shapely.contains_xy(region, points[:, 0], points[:, 1])]


def _ranked(unit, owners: tuple, points: np.ndarray, text: str, anchor: str) -> list[tuple]:
    """Anchors (x, y, anchor, text, share, depth) inside the unit: `share` of the name's box over the unit
    itself or over no unit at all (the sea, the provinces around), `depth` its distance inside the unit's
    edge (points closer than INSIDE_PX are dropped). A region too thin to hold a candidate point has none."""
    if not len(points):
        return []
    width, height = text_size_px(text)
    left, right = _extent(anchor, width)
    # the box's share, from 8 x 3 points spread over it
    dx, dy = np.meshgrid(left + (np.arange(8) + 0.5) * width / 8, (np.arange(3) - 1) * height / 3)
    xs, ys = (points[:, :1] + dx.ravel()).ravel(), (points[:, 1:] + dy.ravel()).ravel()
    canvas, own = owners
    under = canvas[np.clip((ys + canvas.shape[0] / 2).astype(int), 0, canvas.shape[0] - 1),
                   np.clip((xs + canvas.shape[1] / 2).astype(int), 0, canvas.shape[1] - 1)]
    share = ((under == own) | (under < 0)).reshape(len(points), -1).mean(axis=1)
    depth = shapely.distance(shapely.points(points), unit.boundary)
    keep = shapely.contains_xy(unit, points[:, 0], points[:, 1]) & (depth >= INSIDE_PX)
    return [(float(points[i, 0]), float(points[i, 1]), anchor, text, float(share[i]), float(depth[i]))
            for i in np.flatnonzero(keep)]


def _spread(ranked: list[tuple], apart: float) -> list[tuple]:
    """Up to SPOTS anchors of `ranked`, each at least `apart` pixels from those kept before it."""
    kept: list[tuple] = []
    for spot in ranked:
        if all(math.hypot(spot[0] - k[0], spot[1] - k[1]) >= apart for k in kept):
            kept.append(spot)
            if len(kept) == SPOTS:
                break
    return kept


def two_lines(text: str) -> str | None:
    """A name of several words on two lines as even as they can be ('Sơn\\nTịnh'), or None for one word."""
    words = text.split(" ")
    if len(words) < 2:
        return None
    cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return "\n".join(min(cuts, key=lambda c: max(text_size_px(c[0])[0], text_size_px(c[1])[0])))


def _text_spots(unit, pole: np.ndarray, owners: tuple, text: str, view: dict) -> list[tuple]:
    """Anchors for one form of a name, where the whole name lies on the canvas: centred on a point of the
    unit, or written from it to the right or to the left (a unit at the canvas edge or on the coast),
    best first — the most of the name over its own unit or over no unit (a name to one side counted
    SIDE_COST less), centred names before the others, then the deepest inside the unit."""
    width, height = text_size_px(text)
    half_w, half_h = view["width"] / 2 - EDGE_PX, view["height"] / 2 - EDGE_PX
    found: list[tuple] = []
    for anchor in ("middle", "end", "start"):
        left, right = _extent(anchor, width)
        if -half_w - left > half_w - right or height > 2 * half_h:
            continue
        safe = (-half_w - left, -half_h + height / 2, half_w - right, half_h - height / 2)
        x0, y0, x1, y1 = unit.bounds
        region = unit if x0 >= safe[0] and y0 >= safe[1] and x1 <= safe[2] and y1 <= safe[3] \
            else _polygonal(shapely.intersection(unit, shapely.box(*safe)))
        if region is not None:
            found += _ranked(unit, owners, _candidates(region, pole), text, anchor)
    found.sort(key=lambda f: (-round(f[4] - (SIDE_COST if f[2] != "middle" else 0), 1), f[2] != "middle", -f[5]))
    return _spread([f[:4] for f in found], height)


def unit_spots(unit, owners: tuple, text: str, view: dict) -> tuple[list[tuple], float]:
    """Anchors (x, y, anchor, text; canvas pixels) for a unit's name (a polygon in canvas pixels; `owners`:
    the canvas's pixels by the unit that covers them (`_owners`), and this unit's index), best first — the name on one line, then on two — and the unit's room: the
    radius of the widest circle inside it."""
    circle = shapely.maximum_inscribed_circle(unit, 0.5)       # its centre: the pole of inaccessibility
    pole, room = shapely.get_coordinates(circle)[0], float(circle.length)
    wrapped = two_lines(text)
    return _text_spots(unit, pole, owners, text, view) + \
        (_text_spots(unit, pole, owners, wrapped, view) if wrapped else []), room


def label_spots(geoms, texts: list[str], view: dict) -> tuple[list[list[list]], list[float]]:
    """For each unit (lon/lat polygons as drawn) its name's anchors ([lon, lat, anchor, text], best first;
    none when its name cannot stand on it inside the canvas) and its room in pixels (`unit_spots`)."""
    units = [_pixel_unit(geom, view) for geom in geoms]
    owners = _owners(units, view)
    spots, rooms = [], []
    for k, (unit, text) in enumerate(zip(units, texts)):
        if unit is None:
            spots.append([])
            rooms.append(0.0)
            continue
        found, room = unit_spots(unit, (owners, k), text, view)
        spots.append([[*(round(float(c), 4) for c in from_px(x, y, view)), anchor, label] for x, y, anchor, label in found])
        rooms.append(round(room, 1))
    return spots, rooms


def _owners(units: list, view: dict) -> np.ndarray:
    """The canvas as an array of its pixels (rows from the top), each holding the index of the unit that
    covers its centre, -1 where none does."""
    height, width = int(view["height"]), int(view["width"])
    owners = np.full((height, width), -1, dtype=np.int32)
    for k, unit in enumerate(units):
        if unit is None:
            continue
        x0, y0, x1, y1 = unit.bounds
        cols = np.arange(max(int(x0 + width / 2), 0), min(int(x1 + width / 2) + 1, width))
        rows = np.arange(max(int(y0 + height / 2), 0), min(int(y1 + height / 2) + 1, height))
        if not len(cols) or not len(rows):
            continue
        cc, rr = np.meshgrid(cols, rows)
        inside = shapely.contains_xy(unit, cc.ravel() + 0.5 - width / 2, rr.ravel() + 0.5 - height / 2)
        owners[rr.ravel()[inside], cc.ravel()[inside]] = k
    return owners


def _pixel_unit(geom, view: dict):
    """A unit's lon/lat polygons in canvas pixels, made valid (None when empty)."""
    if geom is None or geom.is_empty:
        return None
    unit = in_pixels(geom, view)
    return unit if unit.is_valid else _polygonal(shapely.make_valid(unit))
