"""Reference data for a binned Gaussian kernel density estimate.

Run from this folder with Debian's Python (it has numpy and scipy):
    /usr/bin/python3 make-reference.py
Writes kde-points.csv, kde-grid.csv, kde-grid-narrow.csv and kde-params.json.

Grid convention: row = y index (0 = southernmost band y0 .. y0+cell),
col = x index (0 = westernmost band x0 .. x0+cell); lines in row-major order
(row 0 col 0, row 0 col 1, ...).
"""
import json
import math

import numpy as np
import scipy
from scipy import ndimage

print("python numpy", np.__version__, "scipy", scipy.__version__)

SEED = 20261130
N = 5000
X0, Y0 = 1000.0, 2000.0
CELL = 25.0
NX, NY = 120, 80                       # columns along x, rows along y
WIDTH, HEIGHT = CELL * NX, CELL * NY   # 3000 m x 2000 m
TRUNCATE = 4.0
MODE = "constant"
CASES = [
    # (file, bandwidth h in metres); sigma in cells = h / cell
    ("kde-grid.csv", 90.0),            # sigma 3.6 cells, radius 14
    ("kde-grid-narrow.csv", 32.5),     # sigma 1.3 cells, radius 5
]
EDGE_MARGIN = 1e-6  # metres; points closer than this to a bin edge are redrawn

rng = np.random.default_rng(SEED)

x_edges = X0 + CELL * np.arange(NX + 1)
y_edges = Y0 + CELL * np.arange(NY + 1)


def acceptable(x, y):
    """Strictly inside the box and not on (or within EDGE_MARGIN of) any bin edge."""
    inside = (x > X0) & (x < X0 + WIDTH) & (y > Y0) & (y < Y0 + HEIGHT)
    fx = (x - X0) / CELL
    fy = (y - Y0) / CELL
    dx = np.abs(fx - np.round(fx)) * CELL
    dy = np.abs(fy - np.round(fy)) * CELL
    return inside & (dx > EDGE_MARGIN) & (dy > EDGE_MARGIN)


def draw(k, sampler):
    """Draw k acceptable points, redrawing rejected ones."""
    xs = np.empty(0)
    ys = np.empty(0)
    while xs.size < k:
        x, y = sampler(k - xs.size)
        ok = acceptable(x, y)
        xs = np.concatenate([xs, x[ok]])
        ys = np.concatenate([ys, y[ok]])
    return xs, ys


# uniform background + 3 Gaussian clusters (centres as offsets from the origin)
components = [
    # (number of points, centre x, centre y, sd) ; None = uniform background
    (2000, None, None, None),
    (1500, X0 + 800.0, Y0 + 1300.0, 60.0),
    (1000, X0 + 2100.0, Y0 + 600.0, 110.0),
    (500, X0 + 2400.0, Y0 + 1550.0, 150.0),
]
assert sum(c[0] for c in components) == N
px, py = [], []
for k, cx, cy, sd in components:
    if cx is None:
        sampler = lambda m: (X0 + WIDTH * rng.random(m), Y0 + HEIGHT * rng.random(m))
    else:
        sampler = (lambda cx, cy, sd: lambda m: (rng.normal(cx, sd, m), rng.normal(cy, sd, m)))(cx, cy, sd)
    x, y = draw(k, sampler)
    px.append(x)
    py.append(y)
px = np.concatenate(px)
py = np.concatenate(py)
assert px.size == N

with open("kde-points.csv", "w") as f:
    f.write("x,y\n")
    for x, y in zip(px, py):
        f.write("%.17g,%.17g\n" % (x, y))

# re-read the file so that the binning uses exactly the values a reader sees
pts = np.loadtxt("kde-points.csv", delimiter=",", skiprows=1)
assert np.array_equal(pts[:, 0], px) and np.array_equal(pts[:, 1], py)

H, _, _ = np.histogram2d(px, py, bins=[x_edges, y_edges])   # H[ix, iy]
counts = H.T                                                  # counts[row=iy, col=ix], float64
assert counts.shape == (NY, NX) and counts.dtype == np.float64
assert counts.sum() == N

# the plain floor((v - origin) / cell) rule gives the same bins as histogram2d
ix = np.floor((px - X0) / CELL).astype(int)
iy = np.floor((py - Y0) / CELL).astype(int)
check = np.zeros((NY, NX))
np.add.at(check, (iy, ix), 1.0)
assert np.array_equal(check, counts)

params = {
    "x0": X0, "y0": Y0, "cell": CELL, "nx": NX, "ny": NY,
    "bandwidth": CASES[0][1], "sigma_cells": CASES[0][1] / CELL,
    "truncate": TRUNCATE, "mode": MODE, "n": N,
}

for fname, h in CASES:
    sigma = h / CELL
    radius = int(TRUNCATE * sigma + 0.5)
    smoothed = ndimage.gaussian_filter(counts, sigma=sigma, mode=MODE, cval=0.0, truncate=TRUNCATE)
    density = smoothed / (N * CELL * CELL)

    # independent re-computation: explicit separable kernel, zero padding
    t = np.arange(-radius, radius + 1)
    w = np.exp(-0.5 * t**2 / sigma**2)
    w /= w.sum()
    pad = np.pad(counts, radius)
    tmp = np.zeros((NY, NX + 2 * radius))
    for a, wa in zip(t, w):           # along rows (y, axis 0) first
        tmp += wa * pad[radius + a: radius + a + NY, :]
    manual = np.zeros((NY, NX))
    for b, wb in zip(t, w):           # then along columns (x, axis 1)
        manual += wb * tmp[:, radius + b: radius + b + NX]
    err = np.max(np.abs(manual - smoothed))
    assert err < 1e-12, err

    with open(fname, "w") as f:
        f.write("row,col,count,density\n")
        for r in range(NY):
            for c in range(NX):
                f.write("%d,%d,%d,%.17g\n" % (r, c, int(counts[r, c]), density[r, c]))

    mass = density.sum() * CELL * CELL
    print("%s: h=%.1f m sigma=%.4g cells radius=%d  sum(density)*cell^2=%.6f  max=%.6g  "
          "zero cells(count)=%d  max|manual-scipy|=%.3g"
          % (fname, h, sigma, radius, mass, density.max(), int((counts == 0).sum()), err))
    if fname == "kde-grid-narrow.csv":
        params["narrow"] = {"file": fname, "bandwidth": h, "sigma_cells": sigma, "radius_cells": radius}
    else:
        params["radius_cells"] = radius

with open("kde-params.json", "w") as f:
    json.dump(params, f, indent=2)
    f.write("\n")
print("counts: max per cell", int(counts.max()), " points", int(counts.sum()))
