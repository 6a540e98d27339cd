package org.dmiplatform.api.records;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What an import reads: an uploaded or named file, or (for a pull adapter) nothing but the last watermark. */
@ProviderType
public interface RecordsInput {

    /** The file's name, or the pull's description, for messages and the import history. */
    String name();

    /** The file's bytes; a pull adapter does not call it. */
    InputStream open() throws IOException;

    /** The watermark the previous successful pull of this adapter reached, if any. */
    Optional<String> watermark();

    /** A file to read once, without a watermark: a sample for a draft or a dry run, an upload. */
    static RecordsInput of(String name, java.nio.file.Path file) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(file, "file");
        return new RecordsInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() throws IOException {
                return java.nio.file.Files.newInputStream(file);
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }
}
