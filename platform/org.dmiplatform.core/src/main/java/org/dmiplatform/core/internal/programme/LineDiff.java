package org.dmiplatform.core.internal.programme;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.programme.Materials.Change;
import org.dmiplatform.api.programme.Materials.Diff;
import org.dmiplatform.api.programme.Materials.Hunk;
import org.dmiplatform.api.programme.Materials.Line;

/**
 * A line-by-line comparison of two texts, by Myers' difference algorithm ("An O(ND) Difference Algorithm and Its
 * Variations", 1986): the fewest lines removed and added that turn one text into the other, shown as hunks with three
 * lines of context, as {@code diff -u} shows them.
 *
 * <p>Written here rather than embedded from a library: the texts are materials of at most
 * {@link org.dmiplatform.api.programme.Materials#MAX_CONTENT} characters, and a library would have to be embedded in
 * the core and put on the test class path of every module that runs the core outside OSGi, for one algorithm of a
 * hundred lines. Lines common to both ends are set aside first; past {@link #MAX_EDITS} differing lines the rest is
 * shown as removed, then added: still a true account of the change, if not the shortest.
 */
final class LineDiff {
    static final int CONTEXT = 3;
    static final int MAX_EDITS = 2000;

    private LineDiff() {}

    /** One line of either text, as the comparison walks both. */
    private record Op(Change change, String text) {}

    static Diff of(String fromLabel, String from, String toLabel, String to) {
        List<Op> ops = ops(lines(from), lines(to));
        int added = 0;
        int removed = 0;
        for (Op op : ops) {
            if (op.change() == Change.ADDED) {
                added++;
            } else if (op.change() == Change.REMOVED) {
                removed++;
            }
        }
        return new Diff(fromLabel, toLabel, added, removed, hunks(ops));
    }

    /** The lines of a text; a final line break ends the last line rather than starting an empty one. */
    static String[] lines(String text) {
        if (text.isEmpty()) {
            return new String[0];
        }
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        return lines[lines.length - 1].isEmpty() ? Arrays.copyOf(lines, lines.length - 1) : lines;
    }

    private static List<Op> ops(String[] a, String[] b) {
        int prefix = 0;
        while (prefix < a.length && prefix < b.length && a[prefix].equals(b[prefix])) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.length - prefix
                && suffix < b.length - prefix
                && a[a.length - 1 - suffix].equals(b[b.length - 1 - suffix])) {
            suffix++;
        }
        List<Op> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            out.add(new Op(Change.SAME, a[i]));
        }
        // the middle as numbers: equal lines get the same number, so the walk compares ints
        Map<String, Integer> numbers = new HashMap<>();
        int[] x = number(a, prefix, a.length - suffix, numbers);
        int[] y = number(b, prefix, b.length - suffix, numbers);
        List<Change> middle = myers(x, y);
        if (middle == null) {
            for (int i = prefix; i < a.length - suffix; i++) {
                out.add(new Op(Change.REMOVED, a[i]));
            }
            for (int j = prefix; j < b.length - suffix; j++) {
                out.add(new Op(Change.ADDED, b[j]));
            }
        } else {
            int i = prefix;
            int j = prefix;
            for (Change change : middle) {
                switch (change) {
                    case SAME -> {
                        out.add(new Op(Change.SAME, a[i++]));
                        j++;
                    }
                    case REMOVED -> out.add(new Op(Change.REMOVED, a[i++]));
                    case ADDED -> out.add(new Op(Change.ADDED, b[j++]));
                }
            }
        }
        for (int i = a.length - suffix; i < a.length; i++) {
            out.add(new Op(Change.SAME, a[i]));
        }
        return out;
    }

    private static int[] number(String[] lines, int from, int to, Map<String, Integer> numbers) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = numbers.computeIfAbsent(lines[i], k -> numbers.size());
        }
        return out;
    }

    /**
     * The shortest edit of {@code a} into {@code b}, first to last; null when it takes more than {@link #MAX_EDITS}.
     * The furthest-reaching path on each diagonal k = x - y is kept for each number d of edits, then walked back.
     */
    private static List<Change> myers(int[] a, int[] b) {
        int n = a.length;
        int m = b.length;
        int max = n + m;
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        for (int d = 0; d <= max; d++) {
            if (d > MAX_EDITS) {
                return null;
            }
            // v on the diagonals -d..d as it stood before this round: what the walk back reads
            trace.add(Arrays.copyOfRange(v, offset - d, offset + d + 1));
            for (int k = -d; k <= d; k += 2) {
                int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                        ? v[offset + k + 1]
                        : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a[x] == b[y]) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    return back(trace, n, m);
                }
            }
        }
        throw new IllegalStateException("the edit was not found within n + m steps");
    }

    private static List<Change> back(List<int[]> trace, int n, int m) {
        List<Change> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = trace.size() - 1; d >= 0; d--) {
            if (d == 0) {
                while (x > 0 && y > 0) {
                    reversed.add(Change.SAME);
                    x--;
                    y--;
                }
                break;
            }
            int[] v = trace.get(d);
            int k = x - y;
            int previous = (k == -d || (k != d && v[k - 1 + d] < v[k + 1 + d])) ? k + 1 : k - 1;
            int px = v[previous + d];
            int py = px - previous;
            while (x > px && y > py) {
                reversed.add(Change.SAME);
                x--;
                y--;
            }
            if (x == px) {
                reversed.add(Change.ADDED);
                y--;
            } else {
                reversed.add(Change.REMOVED);
                x--;
            }
        }
        List<Change> out = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            out.add(reversed.get(i));
        }
        return out;
    }

    /** The changes with {@link #CONTEXT} lines around each; changes closer than twice that share a hunk. */
    private static List<Hunk> hunks(List<Op> ops) {
        int size = ops.size();
        int[] fromLine = new int[size + 1];
        int[] toLine = new int[size + 1];
        for (int i = 0; i < size; i++) {
            Change change = ops.get(i).change();
            fromLine[i + 1] = fromLine[i] + (change == Change.ADDED ? 0 : 1);
            toLine[i + 1] = toLine[i] + (change == Change.REMOVED ? 0 : 1);
        }
        List<Hunk> hunks = new ArrayList<>();
        int i = 0;
        while (i < size) {
            int first = i;
            while (first < size && ops.get(first).change() == Change.SAME) {
                first++;
            }
            if (first == size) {
                break;
            }
            int last = first;
            for (int j = first + 1; j < size && j - last <= 2 * CONTEXT + 1; j++) {
                if (ops.get(j).change() != Change.SAME) {
                    last = j;
                }
            }
            int start = Math.max(i, first - CONTEXT);
            int end = Math.min(size, last + CONTEXT + 1);
            List<Line> lines = new ArrayList<>();
            for (int j = start; j < end; j++) {
                lines.add(new Line(ops.get(j).change(), ops.get(j).text()));
            }
            hunks.add(new Hunk(
                    fromLine[start] + 1,
                    fromLine[end] - fromLine[start],
                    toLine[start] + 1,
                    toLine[end] - toLine[start],
                    lines));
            i = end;
        }
        return hunks;
    }
}
