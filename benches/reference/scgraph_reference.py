"""Reference timings for benches/infrastructure.rs: the same graphs and endpoints through
scgraph 3.6 (C++ Dijkstra called from Python) and searoute-py 1.6 (networkx).

    pip install 'scgraph>=3.6,<3.7' 'searoute==1.6.0'
    python3 benches/reference/scgraph_reference.py

Prints the median of repeated timed calls (and min/max), in milliseconds. Not part of the
build: it only produces the reference column of benches/README.md.
"""

import statistics
import sys
import time
from pathlib import Path

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"

# The coordinates of network-data/terminals.csv, as in benches/infrastructure.rs.
DALIAN_PORT = {"latitude": 39.05, "longitude": 121.9}
ROTTERDAM_PORT = {"latitude": 51.904383, "longitude": 4.442447}
BUSAN_PORT = {"latitude": 35.098203, "longitude": 129.035797}
DALIAN_RAIL = {"latitude": 38.925, "longitude": 121.625}
MOSCOW_RAIL = {"latitude": 55.75, "longitude": 37.62}


def timed(label, fn, repeat):
    fn()  # warm-up (and any lazy cache)
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1e3)
    print(
        f"{label:<36} median {statistics.median(samples):9.3f} ms  "
        f"min {min(samples):9.3f}  max {max(samples):9.3f}  ({repeat} runs)  -> {result:.0f} km"
    )


def main():
    from scgraph import GeoGraph

    marnet = GeoGraph.load_from_geojson(str(DATASETS / "marnet.geojson"), silent=True)
    for name, dest in [("dalian_rotterdam", ROTTERDAM_PORT), ("dalian_busan", BUSAN_PORT)]:
        # The contraction hierarchy is built on its first call (the warm-up), not timed.
        for algorithm in ["dijkstra", "bidirectional_buckets", "contraction_hierarchy"]:
            timed(
                f"scgraph marnet {name} {algorithm}",
                lambda: marnet.get_shortest_path(
                    DALIAN_PORT, dest, algorithm_fn=algorithm, length_only=True
                )["length"],
                200,
            )
    rail = GeoGraph.load_from_geojson(str(DATASETS / "railways_eurasia.geojson"), silent=True)
    timed(
        "scgraph railways dalian_moscow dijkstra",
        lambda: rail.get_shortest_path(
            DALIAN_RAIL, MOSCOW_RAIL, algorithm_fn="dijkstra", length_only=True
        )["length"],
        30,
    )
    try:
        import searoute

        timed(
            "searoute-py dalian_rotterdam",
            lambda: searoute.searoute(
                [DALIAN_PORT["longitude"], DALIAN_PORT["latitude"]],
                [ROTTERDAM_PORT["longitude"], ROTTERDAM_PORT["latitude"]],
                units="km",
            )["properties"]["length"],
            20,
        )
    except ImportError:
        print("searoute-py not installed", file=sys.stderr)


if __name__ == "__main__":
    main()
