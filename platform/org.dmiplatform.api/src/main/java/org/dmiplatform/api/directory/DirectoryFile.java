package org.dmiplatform.api.directory;

import java.io.InputStream;
import java.util.Objects;

/**
 * A directory package as uploaded: an HSDS CSV data package zipped with its {@code datapackage.json}, or HSDS JSON.
 *
 * @param fileName its name; the ending says the form ({@code .zip}, {@code .json})
 * @param content its bytes, read once and not closed
 */
public record DirectoryFile(String fileName, InputStream content) {
    public DirectoryFile {
        fileName = Objects.requireNonNullElse(fileName, "");
        Objects.requireNonNull(content, "content");
    }
}
