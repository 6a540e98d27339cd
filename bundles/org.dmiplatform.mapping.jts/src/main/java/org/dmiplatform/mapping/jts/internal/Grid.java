package org.dmiplatform.mapping.jts.internal;

/**
 * A grid of square cells on the local plane: {@code columns} along x (west to east) from {@code x0}, {@code rows}
 * along y (south to north) from {@code y0}. Cell (row, col) covers {@code [x0 + col·cell, x0 + (col+1)·cell)} by
 * the same along y; its index is {@code row·columns + col}.
 */
final class Grid {
    static final int MAX_CELLS = 1_000_000;

    final double x0;
    final double y0;
    final double cell;
    final int columns;
    final int rows;

    Grid(double x0, double y0, double cell, int columns, int rows) {
        if (!(cell > 0) || columns < 1 || rows < 1) {
            throw new IllegalArgumentException("a grid needs a positive cell and at least one row and column");
        }
        if ((long) columns * rows > MAX_CELLS) {
            throw new IllegalArgumentException(
                    "a grid of " + columns + " x " + rows + " cells is more than " + MAX_CELLS + "; use larger cells");
        }
        this.x0 = x0;
        this.y0 = y0;
        this.cell = cell;
        this.columns = columns;
        this.rows = rows;
    }

    /** The grid of the given cell size covering a box on the plane. */
    static Grid covering(double minX, double minY, double maxX, double maxY, double cell) {
        int columns = Math.max(1, (int) Math.ceil((maxX - minX) / cell));
        int rows = Math.max(1, (int) Math.ceil((maxY - minY) / cell));
        if ((long) columns * rows > MAX_CELLS) {
            throw new IllegalArgumentException("cells of " + cell + " m over this area make " + columns + " x " + rows
                    + " cells, more than " + MAX_CELLS + "; use larger cells");
        }
        return new Grid(minX, minY, cell, columns, rows);
    }

    int size() {
        return columns * rows;
    }

    /** The cell holding the point, or -1 outside the grid. */
    int index(double x, double y) {
        double c = Math.floor((x - x0) / cell);
        double r = Math.floor((y - y0) / cell);
        if (c < 0 || r < 0 || c >= columns || r >= rows) {
            return -1;
        }
        return (int) r * columns + (int) c;
    }

    /** Counts of points per cell. */
    double[] count(double[] xs, double[] ys, int n) {
        double[] counts = new double[size()];
        for (int i = 0; i < n; i++) {
            int k = index(xs[i], ys[i]);
            if (k >= 0) {
                counts[k]++;
            }
        }
        return counts;
    }
}
