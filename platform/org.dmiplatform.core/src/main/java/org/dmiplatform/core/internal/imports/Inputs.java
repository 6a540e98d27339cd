package org.dmiplatform.core.internal.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.dmiplatform.api.records.RecordsInput;

/** What an import reads: a file, or a pull (no file, only the last watermark). */
final class Inputs {
    private Inputs() {}

    record FileInput(String name, Path file, Optional<String> watermark) implements RecordsInput {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }

    record PullInput(String name, Optional<String> watermark) implements RecordsInput {
        @Override
        public InputStream open() {
            throw new UnsupportedOperationException("a pull has no file");
        }
    }

    /** Counts the bytes an adapter reads, for the progress. */
    record Counting(RecordsInput delegate, AtomicLong bytes) implements RecordsInput {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Optional<String> watermark() {
            return delegate.watermark();
        }

        @Override
        public InputStream open() throws IOException {
            return new FilterInputStream(delegate.open()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        bytes.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        bytes.addAndGet(n);
                    }
                    return n;
                }
            };
        }
    }
}
