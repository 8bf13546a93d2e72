"""The cities map, drawn on the server as SVG: vendored world outlines in the Robinson
projection, and one point per city sized by its number of documents.

The outlines are Natural Earth's 1:110m countries (public domain), kept as one ESRI
Shapefile in ``webapp/static/map/`` and read here with ``struct``: no GIS package and no
tile server. See that folder's README for where the file comes from.

>>> x, y = project(0, 0)
>>> (round(x), round(y)) == (WIDTH // 2, round(EQUATOR_Y))
True
>>> project(48.86, 2.35)[1] < EQUATOR_Y < project(-33.9, 18.4)[1]     # north is up
True
"""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

SHAPEFILE = Path(__file__).resolve().parent.parent / "static" / "map" / "ne_110m_admin_0_countries.shp"

# Robinson's table: at every 5° of latitude, the length of the parallel (X) and its
# distance from the equator (Y), both relative; linear interpolation between rows.
_ROBINSON_X = (1.0000, 0.9986, 0.9954, 0.9900, 0.9822, 0.9730, 0.9600, 0.9427, 0.9216, 0.8962,
               0.8679, 0.8350, 0.7986, 0.7597, 0.7186, 0.6732, 0.6213, 0.5722, 0.5322)
_ROBINSON_Y = (0.0000, 0.0620, 0.1240, 0.1860, 0.2480, 0.3100, 0.3720, 0.4340, 0.4958, 0.5571,
               0.6176, 0.6769, 0.7346, 0.7903, 0.8435, 0.8936, 0.9394, 0.9761, 1.0000)
NORTH, SOUTH = 84.0, -58.0          # the map shows these latitudes (no Antarctica)
WIDTH = 1000
_SCALE = WIDTH / (2 * 0.8487 * math.pi)
MIN_STEP = 0.7                      # drop outline points closer than this (pixels)


def _robinson(lat: float, lon: float) -> tuple[float, float]:
    """Robinson's projection on a unit sphere: (x, y), y positive to the north."""
    lat = max(-90.0, min(90.0, lat))
    row = min(abs(lat) / 5.0, 17.999999)
    i = int(row)
    t = row - i
    x_factor = _ROBINSON_X[i] + (_ROBINSON_X[i + 1] - _ROBINSON_X[i]) * t
    y_factor = _ROBINSON_Y[i] + (_ROBINSON_Y[i + 1] - _ROBINSON_Y[i]) * t
    return 0.8487 * x_factor * math.radians(lon), math.copysign(1.3523 * y_factor, lat)


_NORTH_Y = _robinson(NORTH, 0)[1] * _SCALE
HEIGHT = round(_NORTH_Y - _robinson(SOUTH, 0)[1] * _SCALE)
EQUATOR_Y = _NORTH_Y


def project(lat: float, lon: float) -> tuple[float, float]:
    """Pixel position of a point in the map's ``0 0 WIDTH HEIGHT`` box (y down)."""
    x, y = _robinson(lat, lon)
    return WIDTH / 2 + x * _SCALE, _NORTH_Y - y * _SCALE


def read_polygons(path: Path = SHAPEFILE) -> Iterator[list[list[tuple[float, float]]]]:
    """The rings (lists of (lon, lat)) of every polygon record of an ESRI Shapefile."""
    data = path.read_bytes()
    if len(data) < 100 or struct.unpack(">i", data[:4])[0] != 9994:
        raise ValueError(f"{path} is not an ESRI Shapefile")
    offset = 100
    while offset + 8 <= len(data):
        _number, words = struct.unpack(">2i", data[offset:offset + 8])
        content = data[offset + 8:offset + 8 + words * 2]
        offset += 8 + words * 2
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type not in (5, 15, 25):        # Polygon, PolygonZ, PolygonM
            continue
        parts_count, points_count = struct.unpack("<2i", content[36:44])
        parts = list(struct.unpack(f"<{parts_count}i", content[44:44 + 4 * parts_count]))
        start = 44 + 4 * parts_count
        coords = struct.unpack(f"<{2 * points_count}d", content[start:start + 16 * points_count])
        points = list(zip(coords[0::2], coords[1::2]))
        bounds = parts + [points_count]
        yield [points[bounds[i]:bounds[i + 1]] for i in range(parts_count)]


def _ring_path(ring: Sequence[tuple[float, float]]) -> str:
    out: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = project(lat, lon)
        if not out or math.hypot(x - out[-1][0], y - out[-1][1]) >= MIN_STEP:
            out.append((x, y))
    if len(out) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in out) + "Z"


def _frame_path(steps: int = 36) -> str:
    """The outline of the projected world between SOUTH and NORTH: the ocean."""
    lats = [SOUTH + (NORTH - SOUTH) * i / steps for i in range(steps + 1)]
    east = [project(lat, 180) for lat in lats]
    west = [project(lat, -180) for lat in reversed(lats)]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in east + west) + "Z"


@lru_cache(maxsize=1)
def land_path() -> str:
    """The SVG path data of every country outline (Antarctica left out)."""
    pieces = []
    for rings in read_polygons():
        for ring in rings:
            if max(lat for _lon, lat in ring) < SOUTH:
                continue
            pieces.append(_ring_path(ring))
    return "".join(pieces)


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The base map as a standalone SVG document (served once, cached by browsers)."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}">'
            f'<path d="{_frame_path()}" fill="#dbe8f3"/>'
            f'<path d="{land_path()}" fill="#f4f1ea" stroke="#9aa3ad" stroke-width="0.5" '
            f'stroke-linejoin="round"/></svg>')


@dataclass(frozen=True)
class Point:
    name: str
    country: str
    count: int
    x: float
    y: float
    r: float
    url: str
    label: bool              # whether the name is written beside the point
    label_x: float = 0.0
    label_anchor: str = "start"


LABEL_CHAR_WIDTH, LABEL_HEIGHT = 7.6, 15.0     # 13px bold text, roughly


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def points(cities: Iterable[dict[str, Any]], url_for_city: Callable[[dict], str],
           labelled: int = 12, max_radius: float = 12.0, min_radius: float = 3.0,
           name_of: Callable[[dict], str] = lambda city: city["name"]) -> list[Point]:
    """One point per city with coordinates, its area proportional to its document count,
    largest first (so that smaller points are drawn on top). The ``labelled`` largest
    carry their name (``name_of``: in the reader's language), right of the point or else
    left of it, unless it would overlap a name already placed."""
    placed = [c for c in cities if c.get("lat") is not None and c.get("lon") is not None]
    if not placed:
        return []
    largest = max(c.get("document_count", 1) for c in placed) or 1
    placed.sort(key=lambda c: (-c.get("document_count", 1), c["name"]))
    boxes: list[tuple[float, float, float, float]] = []
    out = []
    for rank, city in enumerate(placed):
        count = city.get("document_count", 1)
        x, y = project(float(city["lat"]), float(city["lon"]))
        radius = max(min_radius, max_radius * math.sqrt(count / largest))
        label, label_x, anchor = False, 0.0, "start"
        if rank < labelled:
            width = LABEL_CHAR_WIDTH * len(name_of(city))
            top, bottom = y - LABEL_HEIGHT / 2, y + LABEL_HEIGHT / 2
            for start, side in ((x + radius + 3, "start"), (x - radius - 3, "end")):
                left = start if side == "start" else start - width
                box = (left, top, left + width, bottom)
                if 0 <= left and left + width <= WIDTH and not any(_overlaps(box, b) for b in boxes):
                    boxes.append(box)
                    label, label_x, anchor = True, round(start, 1), side
                    break
        out.append(Point(name_of(city), city.get("country", ""), count, round(x, 1), round(y, 1),
                         round(radius, 1), url_for_city(city), label, label_x, anchor))
    return out


def viewbox_around(lat: float, lon: float, span: float = 260.0) -> str:
    """A ``viewBox`` of ``span`` pixels wide centred on a place, kept inside the map."""
    x, y = project(lat, lon)
    height = span * 0.6
    left = min(max(x - span / 2, 0), WIDTH - span)
    top = min(max(y - height / 2, 0), HEIGHT - height)
    return f"{left:.1f} {top:.1f} {span:.1f} {height:.1f}"

