#!/usr/bin/env python3
"""Derive network-data/rail_corridors.geojson from the OpenStreetMap railway graph.

The bundled rail layer is not drawn by hand: each corridor is a list of stations, and between
two consecutive stations the script keeps the shortest path along the OSM tracks of
`railways_eurasia.geojson` (© OpenStreetMap contributors, ODbL 1.0). The OSM file is clipped at
longitude 25 E, so the line west of the Belarusian border (Brest - Malaszewicze - Warsaw -
Poznan - Frankfurt (Oder) - Berlin - Hamburg) is a polyline through cited station coordinates,
joined to the OSM track at the exact vertex where the derived corridor ends.

Usage: python3 tools/derive_rail_corridors.py ../shared/datasets/railways_eurasia.geojson \
           > network-data/rail_corridors.geojson

Standard library only, so it runs anywhere Python 3 does.
"""

import heapq
import json
import math
import sys

# Corridors as (name, [(station, lat, lon), ...]). Station positions are the city or yard
# coordinates used in terminals.csv, or town centres along the line; the path between two
# stations follows OSM tracks, so a station only needs to lie near the line.
CORRIDORS = [
    ("Dalian - Shenyang - Changchun - Harbin", [
        ("Dalian", 38.925, 121.625), ("Jinzhou (Dalian)", 39.09, 121.72),
        ("Dashiqiao", 40.64, 122.51), ("Shenyang", 41.8, 123.4),
        ("Changchun", 43.9, 125.32), ("Harbin", 45.75, 126.62)]),
    ("Binzhou railway: Harbin - Daqing - Qiqihar - Hailar - Manzhouli", [
        ("Harbin", 45.75, 126.62), ("Daqing", 46.58, 125.0), ("Angangxi", 47.16, 123.8),
        ("Hailar", 49.21, 119.74), ("Manzhouli", 49.59, 117.43)]),
    ("Manzhouli - Zabaykalsk - Karymskaya (Trans-Manchurian link)", [
        ("Manzhouli", 49.59, 117.43), ("Zabaykalsk", 49.65, 117.33),
        ("Borzya", 50.39, 116.52), ("Karymskaya", 51.62, 114.35)]),
    ("Trans-Siberian west: Karymskaya - Chita - Irkutsk - Novosibirsk - Yekaterinburg - Perm - Moscow", [
        ("Karymskaya", 51.62, 114.35), ("Chita", 52.03, 113.5), ("Ulan-Ude", 51.83, 107.6),
        ("Irkutsk", 52.28, 104.3), ("Krasnoyarsk", 56.0, 92.87), ("Novosibirsk", 55.03, 82.9),
        ("Omsk", 54.98, 73.37), ("Tyumen", 57.15, 65.53), ("Yekaterinburg", 56.84, 60.6),
        ("Perm", 58.0, 56.23), ("Kirov", 58.6, 49.66), ("Yaroslavl", 57.63, 39.87),
        ("Moscow", 55.75, 37.62)]),
    ("Trans-Siberian east: Karymskaya - Skovorodino - Belogorsk - Khabarovsk - Ussuriysk", [
        ("Karymskaya", 51.62, 114.35), ("Mogocha", 53.73, 119.77), ("Skovorodino", 53.99, 123.94),
        ("Belogorsk", 50.92, 128.47), ("Birobidzhan", 48.79, 132.92),
        ("Khabarovsk", 48.48, 135.07), ("Ussuriysk", 43.8, 131.95)]),
    ("Harbin - Mudanjiang - Suifenhe - Grodekovo - Ussuriysk - Vladivostok", [
        ("Harbin", 45.75, 126.62), ("Shangzhi", 45.21, 127.96), ("Hailin", 44.57, 129.38),
        ("Mudanjiang", 44.58, 129.6), ("Suifenhe", 44.4, 131.15),
        ("Grodekovo", 44.42, 131.38), ("Ussuriysk", 43.8, 131.95), ("Ugolnaya", 43.3, 132.07),
        ("Vladivostok", 43.11, 131.89)]),
    ("Moscow - Smolensk - Minsk - Baranovichi - Ivatsevichy", [
        ("Moscow", 55.75, 37.62), ("Smolensk", 54.78, 32.05), ("Minsk", 53.9, 27.56),
        ("Baranovichi", 53.13, 26.01), ("Ivatsevichy", 52.71, 25.34)]),
    ("Shenyang - Dandong (Shendan railway) - Sinuiju", [
        ("Shenyang", 41.8, 123.4), ("Benxi", 41.3, 123.77), ("Dandong", 40.12, 124.39),
        ("Sinuiju", 40.1, 124.4)]),
    ("Jinzhou (Dalian) - Zhuanghe - Dandong", [
        ("Jinzhou (Dalian)", 39.09, 121.72), ("Zhuanghe", 39.68, 122.96),
        ("Dandong", 40.12, 124.39)]),
    ("Yingkou port (Bayuquan) - Dashiqiao", [
        ("Bayuquan", 40.2808, 122.1244), ("Dashiqiao", 40.64, 122.51)]),
    ("Changchun - Jilin - Tumen - Hunchun (Changtu / Tumen - Hunchun railways)", [
        ("Changchun", 43.9, 125.32), ("Jilin", 43.85, 126.55), ("Tumen", 42.97, 129.84),
        ("Hunchun", 42.87, 130.36)]),
    ("Baranovsky - Khasan line and Khasan - Rajin (RasonKonTrans)", [
        ("Baranovsky", 43.73, 131.96), ("Khasan", 42.43, 130.64), ("Rajin", 42.24, 130.29)]),
    ("Ussuriysk - Baranovsky", [("Ussuriysk", 43.8, 131.95), ("Baranovsky", 43.73, 131.96)]),
    ("Vostochny - Nakhodka - Partizansk", [
        ("Vostochny", 42.75, 133.05), ("Nakhodka", 42.81, 132.89), ("Partizansk", 43.13, 133.12)]),
    ("Shenyang - Jinzhou - Shanhaiguan - Tianjin - Beijing", [
        ("Shenyang", 41.8, 123.4), ("Jinzhou", 41.1, 121.13), ("Shanhaiguan", 40.0, 119.75),
        ("Tianjin", 39.13, 117.2), ("Beijing", 39.9, 116.4)]),
    ("Tianjin Xingang port - Tianjin", [("Xingang", 38.99, 117.74), ("Tianjin", 39.13, 117.2)]),
    ("Beijing - Jining - Erenhot - Zamyn-Uud - Ulaanbaatar (Jier / Trans-Mongolian)", [
        ("Beijing", 39.9, 116.4), ("Zhangjiakou", 40.77, 114.88), ("Jining", 41.03, 113.1),
        ("Erenhot", 43.65, 111.98), ("Zamyn-Uud", 43.72, 111.9), ("Ulaanbaatar", 47.9, 106.9)]),
    ("Jining - Baotou - Lanzhou - Urumqi - Alashankou - Dostyk - Aktogay", [
        ("Jining", 41.03, 113.1), ("Baotou", 40.65, 109.84), ("Lanzhou", 36.06, 103.83),
        ("Urumqi", 43.83, 87.6), ("Alashankou", 45.17, 82.57), ("Dostyk", 45.25, 82.48),
        ("Aktogay", 46.95, 79.66)]),
]

# The segments that cross a border carry a `passage` property, the name of the crossing: a
# rail service may use a crossing only if it names it in `rail_via` (network-data/README.md),
# so a Russian domestic train is not derived through China, nor a Chinese one through Russia.
# Erenhot - Zamyn-Uud is not tagged: in the OSM extract Zamyn-Uud is a spur off the line to
# Ulaanbaatar, so the crossing has no track of its own (and Mongolia offers no shortcut).
BORDER_CROSSINGS = {
    ("Manzhouli", "Zabaykalsk"): "manzhouli",
    ("Suifenhe", "Grodekovo"): "suifenhe",
    ("Dandong", "Sinuiju"): "sinuiju",
    ("Khasan", "Rajin"): "khasan",
    ("Alashankou", "Dostyk"): "alashankou",
    ("Hunchun", "Makhalino"): "makhalino",
    ("Brest", "Malaszewicze"): "brest",
}

# Published km-posts that place a station on a derived corridor where its own coordinate is not
# known well enough to snap: (station, corridor start, corridor end, km from the start, source).
# Makhalino is at km 197 of the 238 km Baranovsky - Khasan line, so 41 km from Khasan
# (SOURCES.md: S-baranovsky-khasan).
KM_POSTS = [("Makhalino", "Khasan", "Baranovsky", 41.0)]

# Stretches the OSM extract does not connect (gaps in the mapped track): polylines through
# station coordinates (town centres; SOURCES.md: E-rail-gap-waypoints). The first station,
# and the last where it is on a derived corridor, are joined at the vertices the corridors
# snapped them to.
GAP_LINES = [
    # The branch from the Shenyang - Dalian line to the Dayaowan container terminal's rail yard
    # (the sea-rail trains load there); the OSM extract has no track within 10 km of it.
    ("Jinzhou (Dalian) - Dayaowan container terminal (port branch)", [
        ("Jinzhou (Dalian)", 39.09, 121.72), ("Dayaowan port", 39.0089, 121.8736)]),
    ("Partizansk - Smolyaninovo - Ugolnaya (Nakhodka branch)", [
        ("Partizansk", 43.13, 133.12), ("Smolyaninovo", 43.36, 132.43), ("Ugolnaya", 43.3, 132.07)]),
    ("Hunchun - Makhalino (cross-border link via Kamyshovaya)", [
        ("Hunchun", 42.87, 130.36), ("Makhalino", 0.0, 0.0)]),
    ("Aktogay - Ushtobe - Sary-Ozek - Almaty (Turksib)", [
        ("Aktogay", 46.95, 79.66), ("Matai", 45.89, 78.72), ("Ushtobe", 45.25, 77.98),
        ("Sary-Ozek", 44.36, 77.97), ("Almaty", 43.34, 76.95)]),
]

# West of 25 E (outside the OSM extract): station coordinates along the E20 / C-E20 line,
# estimates from town centres (SOURCES.md: E-rail-west-waypoints). The first point is replaced
# by the OSM vertex where the Minsk corridor ends, so the two join.
# Branch from Berlin to the Ruhr (Duisburg), the China-Europe trains' main German terminal.
DUISBURG_WAYPOINTS = [
    ("Berlin", 52.52, 13.4), ("Magdeburg", 52.13, 11.63), ("Hannover", 52.38, 9.74),
    ("Bielefeld", 52.03, 8.53), ("Hamm", 51.68, 7.81), ("Dortmund", 51.51, 7.46),
    ("Duisburg", 51.43, 6.77),
]

WEST_WAYPOINTS = [
    ("Ivatsevichy", 52.71, 25.34), ("Kobryn", 52.21, 24.36), ("Brest", 52.09, 23.69),
    ("Malaszewicze", 52.04, 23.53), ("Biala Podlaska", 52.03, 23.12), ("Siedlce", 52.17, 22.27),
    ("Warsaw", 52.23, 21.0), ("Kutno", 52.23, 19.36), ("Konin", 52.22, 18.25),
    ("Poznan", 52.41, 16.93), ("Rzepin", 52.35, 14.83), ("Frankfurt (Oder)", 52.34, 14.55),
    ("Berlin", 52.52, 13.4), ("Wittenberge", 53.0, 11.75), ("Ludwigslust", 53.33, 11.5),
    ("Buechen", 53.48, 10.62), ("Hamburg", 53.54, 9.99),
]


def haversine_km(a, b):
    """Great-circle distance between two (lon, lat) points on the mean Earth sphere."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def load_graph(path):
    """Adjacency of the OSM tracks; vertices are (lon, lat) tuples, as in the file."""
    with open(path, encoding="utf-8") as f:
        collection = json.load(f)
    adjacency = {}
    for feature in collection["features"]:
        points = [tuple(p[:2]) for p in feature["geometry"]["coordinates"]]
        for a, b in zip(points, points[1:]):
            w = haversine_km(a, b)
            adjacency.setdefault(a, []).append((b, w))
            adjacency.setdefault(b, []).append((a, w))
    return adjacency


def nearest_vertex(adjacency, lat, lon):
    target = (lon, lat)
    return min(adjacency, key=lambda v: haversine_km(v, target))


def shortest_path(adjacency, source, target):
    """Dijkstra from source to target; the path as a list of vertices."""
    dist = {source: 0.0}
    previous = {}
    heap = [(0.0, source)]
    while heap:
        d, v = heapq.heappop(heap)
        if v == target:
            break
        if d > dist[v]:
            continue
        for w, length in adjacency[v]:
            nd = d + length
            if nd < dist.get(w, math.inf):
                dist[w] = nd
                previous[w] = v
                heapq.heappush(heap, (nd, w))
    if target not in dist:
        raise SystemExit(f"no track between {source} and {target}")
    path = [target]
    while path[-1] != source:
        path.append(previous[path[-1]])
    return path[::-1], dist[target]


def without_crossing_edges(features):
    """Keeps in a border crossing's feature only the track no other corridor uses: where the
    shortest path to the frontier station first runs back along a domestic corridor, that
    stretch stays domestic (untagged), so the station stays reachable without crossing."""
    domestic = set()
    for f in features:
        if not f["properties"].get("passage"):
            c = [tuple(p) for p in f["geometry"]["coordinates"]]
            domestic.update(frozenset(e) for e in zip(c, c[1:]))
    out = []
    for f in features:
        if not f["properties"].get("passage"):
            out.append(f)
            continue
        c = [tuple(p) for p in f["geometry"]["coordinates"]]
        runs, run = [], [c[0]]
        for a, b in zip(c, c[1:]):
            if frozenset((a, b)) in domestic:
                if len(run) > 1:
                    runs.append(run)
                run = [b]
            else:
                run.append(b)
        if len(run) > 1:
            runs.append(run)
        if len(c) - 1 != sum(len(r) - 1 for r in runs):
            print(f"{f['properties']['name']}: domestic stretches left untagged", file=sys.stderr)
        for part in runs:
            out.append(feature(f["properties"]["name"], part, f["properties"]["source"],
                               f["properties"]["passage"]))
    return out


def point_at_km(path, km):
    """The vertex of a path nearest to `km` along it from its start."""
    run = 0.0
    for a, b in zip(path, path[1:]):
        run += haversine_km(a, b)
        if run >= km:
            return b
    return path[-1]


def feature(name, coordinates, source, passage=None):
    properties = {"name": name, "source": source}
    if passage:
        properties["passage"] = passage
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coordinates]},
    }


def main():
    adjacency = load_graph(sys.argv[1])
    snapped = {}
    features = []
    for corridor, stations in CORRIDORS:
        for (a, alat, alon), (b, blat, blon) in zip(stations, stations[1:]):
            for name, lat, lon in ((a, alat, alon), (b, blat, blon)):
                if name not in snapped:
                    snapped[name] = nearest_vertex(adjacency, lat, lon)
                    off = haversine_km(snapped[name], (lon, lat))
                    print(f"{name}: snapped {off:.1f} km", file=sys.stderr)
            path, km = shortest_path(adjacency, snapped[a], snapped[b])
            print(f"{corridor}: {a} - {b} {km:.0f} km", file=sys.stderr)
            features.append(feature(f"{a} - {b} ({corridor})", path, "S-osm-railways",
                                    BORDER_CROSSINGS.get((a, b))))
    for station, start, end, km in KM_POSTS:
        path, _ = shortest_path(adjacency, snapped[start], snapped[end])
        snapped[station] = point_at_km(path, km)
        print(f"{station}: km {km:.0f} from {start} at {snapped[station]}", file=sys.stderr)
    for name, stations in GAP_LINES:
        points = [snapped.get(s, (lon, lat)) for s, lat, lon in stations]
        if stations[0][0] not in snapped:
            raise SystemExit(f"gap line '{name}': {stations[0][0]} is on no derived corridor")
        km = sum(haversine_km(a, b) for a, b in zip(points, points[1:]))
        print(f"{name}: {km:.0f} km of estimated waypoints", file=sys.stderr)
        crossing = BORDER_CROSSINGS.get((stations[0][0], stations[-1][0]))
        features.append(feature(name, points, "E-rail-gap-waypoints", crossing))
    west = [(WEST_WAYPOINTS[0][0], snapped[WEST_WAYPOINTS[0][0]])] + [
        (s, (lon, lat)) for s, lat, lon in WEST_WAYPOINTS[1:]]
    # Split at the border so that the Brest - Malaszewicze crossing is its own feature.
    stops = [s for s, _ in west]
    cuts = [0, stops.index("Brest"), stops.index("Malaszewicze"), len(west) - 1]
    for a, b in zip(cuts, cuts[1:]):
        part = west[a:b + 1]
        features.append(feature(f"{part[0][0]} - {part[-1][0]} (Brest - Warsaw - Berlin - Hamburg)",
                                [p for _, p in part], "E-rail-west-waypoints",
                                BORDER_CROSSINGS.get((part[0][0], part[-1][0]))))
    berlin = next((lon, lat) for s, lat, lon in WEST_WAYPOINTS if s == "Berlin")
    ruhr = [berlin] + [(lon, lat) for _, lat, lon in DUISBURG_WAYPOINTS[1:]]
    features.append(feature("Berlin - Hannover - Dortmund - Duisburg", ruhr,
                            "E-rail-west-waypoints"))
    features = without_crossing_edges(features)
    json.dump({
        "type": "FeatureCollection",
        "name": "rail_corridors",
        "attribution": "Derived from OpenStreetMap railway data (c) OpenStreetMap contributors, "
                       "ODbL 1.0, via scgraph-data world_railways; west of 25 E: estimated waypoints",
        "features": features,
    }, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
