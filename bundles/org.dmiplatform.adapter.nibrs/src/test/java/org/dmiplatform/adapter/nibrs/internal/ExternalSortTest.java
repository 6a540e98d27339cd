package org.dmiplatform.adapter.nibrs.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ExternalSortTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void sortsMoreRunsThanItMergesAtOnceKeepingTheOrderOfEqualKeys() throws IOException {
        Path dir = folder.getRoot().toPath();
        ExternalSort sort = new ExternalSort(dir, "rows", 7);
        Random random = new Random(20160127);
        List<String[]> added = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String[] row = {Integer.toString(random.nextInt(50)), Integer.toString(i)};
            added.add(row);
            sort.add(row);
        }
        assertTrue("more runs than one merge takes", 1000 / 7 > ExternalSort.FAN_IN);

        List<String[]> sorted = new ArrayList<>();
        try (ExternalSort.Rows rows = sort.sorted()) {
            while (rows.hasNext()) {
                sorted.add(rows.next());
            }
        }

        // what a stable in-memory sort gives
        List<String[]> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingLong(r -> Long.parseLong(r[0])));
        assertEquals(expected.size(), sorted.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), sorted.get(i));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue("merged runs are deleted as they go", files.count() <= ExternalSort.FAN_IN);
        }
    }

    @Test
    public void keepsFieldsWithCommasQuotesAndLineBreaks() throws IOException {
        ExternalSort sort = new ExternalSort(folder.getRoot().toPath(), "raw", 1);
        sort.add("2", "Cities from 100,000 thru 249,000");
        sort.add("1", "Yuma County Sheriff's \"Office\"\nline two", "");

        try (ExternalSort.Rows rows = sort.sorted()) {
            assertEquals(1, rows.peekKey());
            assertArrayEquals(new String[] {"1", "Yuma County Sheriff's \"Office\"\nline two", ""}, rows.next());
            assertArrayEquals(new String[] {"2", "Cities from 100,000 thru 249,000"}, rows.next());
            assertTrue(!rows.hasNext());
        }
    }
}
