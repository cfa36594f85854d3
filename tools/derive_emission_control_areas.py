#!/usr/bin/env python3
"""Writes network-data/emission_control_areas.geojson: the MARPOL Annex VI emission control
areas on the bundled routes (North Sea, Baltic) and an approximation of China's coastal
domestic emission control area. Usage: python3 tools/derive_emission_control_areas.py
(from the repository root). Sources and estimates: network-data/SOURCES.md."""
import json,math
# MARPOL Annex VI emission control areas on the bundled routes, as polygons at sea. Where the
# coast bounds an area, the ring is drawn through land (sea paths never go there).
north_sea_and_channel = [  # Reg. 1.14.6 of Annex I (by reference in Annex VI Reg. 13.6 / 14.3):
    # the North Sea south of 62 N and east of 4 W, the Skagerrak (southern limit east of the
    # Skaw at 57 44.8 N), the English Channel east of 5 W and north of 48 30 N
    (-5.0, 48.5), (-5.0, 50.2), (-4.0, 50.2), (-4.0, 62.0), (5.0, 62.0), (8.0, 58.8),
    (10.6, 57.7467), (12.5, 56.0), (12.0, 54.0), (9.5, 53.2), (7.0, 51.0), (2.0, 48.5),
]
baltic = [  # Reg. 1.11.2 of Annex I: the Baltic Sea proper with the Gulfs of Bothnia and
    # Finland and the entrance to the Baltic bounded by the parallel of the Skaw (57 44.8 N)
    (10.6, 57.7467), (12.0, 57.7467), (16.0, 60.0), (17.5, 62.0), (20.5, 66.0), (26.0, 66.0),
    (25.0, 62.5), (30.5, 60.5), (31.0, 59.8), (28.0, 59.3), (24.0, 58.0), (22.0, 55.0),
    (19.0, 54.2), (14.0, 53.6), (12.0, 54.0), (12.5, 56.0),
]
def close(r): return [[x, y] for x, y in r] + [[r[0][0], r[0][1]]]
def circle(lat, lon, km, n=24):
    pts=[]
    for i in range(n):
        a=2*math.pi*i/n
        dlat=km/111.2*math.cos(a); dlon=km/(111.2*math.cos(math.radians(lat)))*math.sin(a)
        pts.append((round(lon+dlon,4), round(lat+dlat,4)))
    return close(pts)
# China's domestic emission control area: the coastal waters within 12 nm of the baseline.
# Approximated by the Bohai Sea (inside the Laotieshan-Penglai line, internal waters) and a
# 12 nm (22.2 km) radius round each Chinese container port of the network.
bohai = [(117.5, 38.3), (118.0, 37.5), (119.5, 37.0), (120.7, 37.8), (121.15, 38.75),
         (121.6, 39.3), (122.3, 40.5), (121.0, 41.0), (119.5, 40.0), (118.0, 39.2)]
ports = {"Dalian DCT": (39.0089, 121.8736), "Yingkou Bayuquan": (40.2808, 122.1244),
         "Tianjin Xingang": (38.9786, 117.77), "Qingdao Qianwan": (36.0092, 120.2064),
         "Shanghai Yangshan": (30.6325, 122.0478)}
features = [
    {"type": "Feature", "properties": {"name": "North Sea ECA (MARPOL Annex VI)", "source": "S-marpol-north-sea-area; E-eca-polygons", "sulphur_limit_pct": 0.1},
     "geometry": {"type": "Polygon", "coordinates": [close(north_sea_and_channel)]}},
    {"type": "Feature", "properties": {"name": "Baltic Sea ECA (MARPOL Annex VI)", "source": "S-marpol-baltic-area; E-eca-polygons", "sulphur_limit_pct": 0.1},
     "geometry": {"type": "Polygon", "coordinates": [close(baltic)]}},
    {"type": "Feature", "properties": {"name": "China domestic emission control area (coastal, approximated)", "source": "S-cn-deca-2018; E-deca-approx", "sulphur_limit_pct": 0.5},
     "geometry": {"type": "MultiPolygon", "coordinates": [[close(bohai)]] + [[circle(lat, lon, 22.2)] for lat, lon in ports.values()]}},
]
json.dump({"type": "FeatureCollection", "name": "emission_control_areas", "features": features}, open("network-data/emission_control_areas.geojson", "w"), indent=1)
