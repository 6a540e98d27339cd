package org.dmiplatform.mapping.jts.internal;

import org.dmiplatform.api.mapping.HotSpotRequest.Contiguity;

/**
 * Who neighbours whom, not counting oneself, as compressed rows: the neighbours of unit i are
 * {@code ids[start[i] .. start[i+1])}, in increasing order.
 */
final class Neighbours {
    final int[] start;
    final int[] ids;

    Neighbours(int[] start, int[] ids) {
        this.start = start;
        this.ids = ids;
    }

    int units() {
        return start.length - 1;
    }

    int count(int i) {
        return start[i + 1] - start[i];
    }

    /** Cells sharing an edge (rook) or an edge or a corner (queen), as spdep's {@code cell2nb}. */
    static Neighbours grid(int columns, int rows, Contiguity contiguity) {
        boolean queen = contiguity == Contiguity.QUEEN;
        int n = columns * rows;
        int[] start = new int[n + 1];
        int[] ids = new int[n * (queen ? 8 : 4)];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                start[r * columns + c] = k;
                for (int dr = -1; dr <= 1; dr++) {
                    int rr = r + dr;
                    if (rr < 0 || rr >= rows) {
                        continue;
                    }
                    for (int dc = -1; dc <= 1; dc++) {
                        int cc = c + dc;
                        if ((dr == 0 && dc == 0) || cc < 0 || cc >= columns || (!queen && dr != 0 && dc != 0)) {
                            continue;
                        }
                        ids[k++] = rr * columns + cc;
                    }
                }
            }
        }
        start[n] = k;
        return new Neighbours(start, java.util.Arrays.copyOf(ids, k));
    }
}
