package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dmiplatform.api.programme.Materials.Change;
import org.dmiplatform.api.programme.Materials.Diff;
import org.dmiplatform.api.programme.Materials.Hunk;
import org.dmiplatform.api.programme.Materials.Line;
import org.junit.Test;

/** The line comparison: hunks as {@code diff -u} gives them, and on random texts always a shortest true edit. */
public class LineDiffTest {

    private static String text(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i <= to; i++) {
            out.append("line ").append(i).append('\n');
        }
        return out.toString();
    }

    @Test
    public void oneChangedLineIsAHunkWithThreeLinesOfContext() {
        String from = text(1, 20);
        String to = from.replace("line 10\n", "line ten\n");
        Diff diff = LineDiff.of("national v1", from, "national v2", to);
        assertEquals(1, diff.added());
        assertEquals(1, diff.removed());
        assertEquals(1, diff.hunks().size());
        Hunk hunk = diff.hunks().get(0);
        assertEquals(List.of(7, 7, 7, 7), List.of(hunk.fromLine(), hunk.fromLines(), hunk.toLine(), hunk.toLines()));
        assertEquals(
                List.of(
                        new Line(Change.SAME, "line 7"),
                        new Line(Change.SAME, "line 8"),
                        new Line(Change.SAME, "line 9"),
                        new Line(Change.REMOVED, "line 10"),
                        new Line(Change.ADDED, "line ten"),
                        new Line(Change.SAME, "line 11"),
                        new Line(Change.SAME, "line 12"),
                        new Line(Change.SAME, "line 13")),
                hunk.lines());
    }

    @Test
    public void changesSixLinesApartShareAHunkAndEightApartDoNot() {
        String from = text(1, 40);
        String near = from.replace("line 5\n", "").replace("line 12\n", "line twelve\n");
        Diff one = LineDiff.of("a", from, "b", near);
        assertEquals(1, one.hunks().size());
        assertEquals(2, one.hunks().get(0).fromLine());
        String far = from.replace("line 5\n", "").replace("line 14\n", "line fourteen\n");
        Diff two = LineDiff.of("a", from, "b", far);
        assertEquals(2, two.hunks().size());
        assertEquals(
                List.of(2, 7, 2, 6),
                List.of(
                        two.hunks().get(0).fromLine(),
                        two.hunks().get(0).fromLines(),
                        two.hunks().get(0).toLine(),
                        two.hunks().get(0).toLines()));
        assertEquals(11, two.hunks().get(1).fromLine());
        assertEquals(10, two.hunks().get(1).toLine());
    }

    @Test
    public void emptyIdenticalAndLineEndingsOnly() {
        assertTrue(LineDiff.of("a", "", "b", "").same());
        assertTrue(LineDiff.of("a", "x\ny", "b", "x\r\ny\n").same());
        Diff all = LineDiff.of("a", "", "b", "one\ntwo");
        assertEquals(2, all.added());
        assertEquals(1, all.hunks().get(0).toLine());
        assertEquals(0, all.hunks().get(0).fromLines());
        assertEquals(2, LineDiff.of("a", "one\ntwo", "b", "").removed());
    }

    /** Random texts of few distinct lines (many equal ones, the hard case): the diff rebuilds both and is shortest. */
    @Test
    public void onRandomTextsTheEditRebuildsBothTextsAndIsAShortestOne() {
        Random random = new Random(20261130L);
        for (int round = 0; round < 500; round++) {
            String[] a = random(random);
            String[] b = random.nextInt(4) == 0 ? mutate(random, a) : random(random);
            Diff diff = LineDiff.of("a", String.join("\n", a), "b", String.join("\n", b));
            List<String> from = new ArrayList<>();
            List<String> to = new ArrayList<>();
            List<Line> all = every(diff, a, b);
            for (Line line : all) {
                if (line.change() != Change.ADDED) {
                    from.add(line.text());
                }
                if (line.change() != Change.REMOVED) {
                    to.add(line.text());
                }
            }
            assertEquals(List.of(a), from);
            assertEquals(List.of(b), to);
            int lcs = lcs(a, b);
            assertEquals("shortest in round " + round, a.length - lcs, diff.removed());
            assertEquals(b.length - lcs, diff.added());
        }
    }

    @Test
    public void manyChangesAreStillATrueAccountPastTheLimit() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < LineDiff.MAX_EDITS + 500; i++) {
            a.append("a").append(i).append('\n');
            b.append("b").append(i).append('\n');
        }
        Diff diff = LineDiff.of("a", "same\n" + a + "end", "b", "same\n" + b + "end");
        assertEquals(LineDiff.MAX_EDITS + 500, diff.removed());
        assertEquals(LineDiff.MAX_EDITS + 500, diff.added());
        assertEquals(new Line(Change.SAME, "same"), diff.hunks().get(0).lines().get(0));
    }

    /** The whole walk, rebuilt from the hunks and the unchanged lines between them. */
    private static List<Line> every(Diff diff, String[] a, String[] b) {
        List<Line> out = new ArrayList<>();
        int i = 0;
        for (Hunk hunk : diff.hunks()) {
            while (i < hunk.fromLine() - 1) {
                out.add(new Line(Change.SAME, a[i++]));
            }
            out.addAll(hunk.lines());
            i = hunk.fromLine() - 1 + hunk.fromLines();
        }
        while (i < a.length) {
            out.add(new Line(Change.SAME, a[i++]));
        }
        return out;
    }

    private static String[] random(Random random) {
        String[] out = new String[random.nextInt(14)];
        for (int i = 0; i < out.length; i++) {
            out[i] = "l" + random.nextInt(4);
        }
        return out;
    }

    private static String[] mutate(Random random, String[] a) {
        List<String> out = new ArrayList<>(List.of(a));
        for (int n = random.nextInt(4); n > 0; n--) {
            if (!out.isEmpty() && random.nextBoolean()) {
                out.remove(random.nextInt(out.size()));
            } else {
                out.add(random.nextInt(out.size() + 1), "new" + random.nextInt(3));
            }
        }
        return out.toArray(String[]::new);
    }

    private static int lcs(String[] a, String[] b) {
        int[][] table = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                table[i][j] = a[i].equals(b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
            }
        }
        return table[0][0];
    }
}
