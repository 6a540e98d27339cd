# The anchor of the kernel-density benchmark: numpy histogram2d + scipy gaussian_filter, as an analyst runs them.
# Arguments: points file (little-endian doubles x,y), x0, y0, cell, columns, rows, sigma (cells), runs, output file.
# Prints the median seconds of binning + smoothing.
import sys
import time

import numpy as np
from scipy.ndimage import gaussian_filter

points = np.fromfile(sys.argv[1], dtype="<f8").reshape(-1, 2)
x0, y0, cell = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
nx, ny, sigma, runs = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
xe = x0 + cell * np.arange(nx + 1)
ye = y0 + cell * np.arange(ny + 1)
times = []
for _ in range(runs):
    t = time.perf_counter()
    counts, _, _ = np.histogram2d(points[:, 0], points[:, 1], bins=[xe, ye])
    smoothed = gaussian_filter(counts.T, sigma, mode="constant", cval=0.0, truncate=4.0)
    times.append(time.perf_counter() - t)
smoothed.astype("<f8").tofile(sys.argv[9])
print("%.6f" % sorted(times)[len(times) // 2])
