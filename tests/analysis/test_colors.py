"""Colours: a palette of >= 12 distinct colours (also under colour-vision deficiency), grey beyond it."""

import itertools

import numpy as np
import pandas as pd

from dashboard.analysis.colors import NO_GROUP, PALETTE, community_color, legend_entries, node_colors, org_colors

# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0, on linear RGB
CVD = {
    "normal": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def _lab(hex_color: str, matrix: np.ndarray) -> np.ndarray:
    c = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    rgb = np.clip(matrix @ np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4), 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_palette_has_twelve_distinct_colours_also_for_colour_blind_readers():
    colours = [*PALETTE, NO_GROUP]
    assert len(PALETTE) >= 12 and len(set(c.upper() for c in colours)) == len(colours)
    for name, matrix in CVD.items():
        lab = [_lab(c, matrix) for c in colours]
        worst = min(np.linalg.norm(a - b) for a, b in itertools.combinations(lab, 2))
        assert worst >= (20 if name == "normal" else 8), name  # CIE76 ΔE


def test_groups_beyond_the_palette_are_grey_never_a_repeat():
    assert [community_color(i) for i in range(len(PALETTE))] == list(PALETTE)
    assert community_color(len(PALETTE)) == community_color(len(PALETTE) + 5) == NO_GROUP
    assert community_color(-1) == community_color(None) == NO_GROUP
    n = len(PALETTE) + 4
    ents = pd.DataFrame({"entity_id": [f"o{i:02d}" for i in range(n)], "type": "organization",
                         "affiliations": [[] for _ in range(n)]})
    orgs = org_colors(ents)
    assert sorted(c for c in orgs.values() if c != NO_GROUP) == sorted(PALETTE)
    assert sum(c == NO_GROUP for c in orgs.values()) == 4


def test_legend_folds_grey_groups_into_one_row_that_says_so():
    comm = [0] * 5 + list(range(1, 16)) + [-1, -1]
    ents = pd.DataFrame({"entity_id": [f"e{i:02d}" for i in range(len(comm))], "name": [f"E{i}" for i in range(len(comm))],
                         "type": "person", "affiliations": [[] for _ in comm], "community": comm,
                         "weighted_degree": 1.0})
    rows = legend_entries(ents, "community", {}, {}, limit=20)
    colours = node_colors(ents, "community", {})
    assert {r["color"] for r in rows} == set(colours.values())
    assert sum(r["count"] for r in rows) == len(ents)
    grey = [r for r in rows if r["color"] == NO_GROUP]
    assert len(grey) == 1 and "grey" in grey[0]["label"] and "no community" in grey[0]["label"]
    assert grey[0]["count"] == 2 + (15 - len(PALETTE) + 1)  # communities 12..15 and the two without
    assert len({r["color"] for r in rows}) == len(rows)  # one row per colour
    only_none = legend_entries(ents[ents["community"].isin([0, -1])], "community", {}, {})
    assert [r["label"] for r in only_none] == ["community 0: E0", "no community"]
