package org.dmiplatform.adapter.nibrs.internal;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts rows by a numeric key (column 0) on disk, in bounded memory: rows are buffered up to a run's size, each run
 * is sorted and written to its own file, and the runs are merged, at most {@link #FAN_IN} at a time. Equal keys keep
 * the order they were added in.
 */
final class ExternalSort {
    static final int FAN_IN = 64;

    private static final Comparator<String[]> BY_KEY = Comparator.comparingLong(row -> Long.parseLong(row[0]));

    private final Path dir;
    private final String name;
    private final int runSize;
    private final List<String[]> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private int files;

    ExternalSort(Path dir, String name, int runSize) {
        if (runSize < 1) {
            throw new IllegalArgumentException("a run holds at least one row");
        }
        this.dir = dir;
        this.name = name;
        this.runSize = runSize;
    }

    /** Adds a row; its column 0 must be a number. */
    void add(String... row) throws IOException {
        Long.parseLong(row[0]);
        buffer.add(row.clone());
        if (buffer.size() >= runSize) {
            spill();
        }
    }

    /** Writes what is buffered to disk, so that only one sort at a time holds rows in memory. */
    void flush() throws IOException {
        if (!buffer.isEmpty()) {
            spill();
        }
    }

    /** The rows in key order; the caller closes it. */
    Rows sorted() throws IOException {
        flush();
        // merge neighbouring runs level by level, so that earlier rows stay before later ones with the same key
        while (runs.size() > FAN_IN) {
            List<Path> level = new ArrayList<>();
            for (int from = 0; from < runs.size(); from += FAN_IN) {
                List<Path> merging = runs.subList(from, Math.min(from + FAN_IN, runs.size()));
                Path merged = nextFile();
                try (Rows rows = new Rows(merging);
                        CsvWriter out = CsvWriter.builder().build(merged, StandardCharsets.UTF_8)) {
                    while (rows.hasNext()) {
                        out.writeRecord(rows.next());
                    }
                }
                for (Path p : merging) {
                    Files.deleteIfExists(p);
                }
                level.add(merged);
            }
            runs.clear();
            runs.addAll(level);
        }
        return new Rows(List.copyOf(runs));
    }

    private void spill() throws IOException {
        buffer.sort(BY_KEY);
        Path run = nextFile();
        try (CsvWriter out = CsvWriter.builder().build(run, StandardCharsets.UTF_8)) {
            for (String[] row : buffer) {
                out.writeRecord(row);
            }
        }
        buffer.clear();
        runs.add(run);
    }

    private Path nextFile() {
        return dir.resolve(name + "-" + (files++) + ".csv");
    }

    /** A k-way merge of sorted runs. */
    static final class Rows implements Iterator<String[]>, Closeable {
        private record Head(String[] row, long key, int run, CloseableIterator<CsvRecord> rest) {}

        private final List<CsvReader<CsvRecord>> readers = new ArrayList<>();
        private final PriorityQueue<Head> heads =
                new PriorityQueue<>(Comparator.comparingLong(Head::key).thenComparingInt(Head::run));

        Rows(List<Path> runs) throws IOException {
            try {
                for (int i = 0; i < runs.size(); i++) {
                    CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(runs.get(i), StandardCharsets.UTF_8);
                    readers.add(reader);
                    advance(i, reader.iterator());
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void advance(int run, CloseableIterator<CsvRecord> rest) {
            if (rest.hasNext()) {
                String[] row = rest.next().getFields().toArray(String[]::new);
                heads.add(new Head(row, Long.parseLong(row[0]), run, rest));
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        /** The key of the next row, without taking it. */
        long peekKey() {
            if (heads.isEmpty()) {
                throw new NoSuchElementException();
            }
            return heads.peek().key();
        }

        @Override
        public String[] next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException();
            }
            advance(head.run(), head.rest());
            return head.row();
        }

        @Override
        public void close() {
            IOException failed = null;
            for (CsvReader<CsvRecord> reader : readers) {
                try {
                    reader.close();
                } catch (IOException e) {
                    failed = e;
                }
            }
            readers.clear();
            heads.clear();
            if (failed != null) {
                throw new UncheckedIOException(failed);
            }
        }
    }
}
