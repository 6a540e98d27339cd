package org.dmiplatform.adapter.csv.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CodeLists;
import org.osgi.service.component.annotations.Component;

/**
 * Reads a department's code list as it keeps it: an Excel workbook ({@code .xlsx}, {@code .xlsm}, {@code .xls}, with
 * Apache POI embedded in this bundle) or a CSV file ({@code .csv}, {@code .tsv}, {@code .txt}). The file's ending
 * says which; a file that is something else than its name says is refused, saying what it looks like.
 *
 * <p>Guarded against files no code list is: at most {@value #MAX_BYTES} bytes, a workbook unpacking to at most
 * {@value Workbooks#MAX_UNPACKED} bytes (besides POI's own ZIP-bomb checks, left at their defaults), at most
 * {@value CodeListRows#MAX_ROWS} rows and values in at most {@value CodeListRows#MAX_CELLS} columns.
 */
@Component(service = CodeLists.class)
public class SpreadsheetCodeLists implements CodeLists {
    /** A code list is a few thousand rows; an upload past this is an export or something else. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    /** What the file's name says it is. */
    enum Kind {
        XLSX,
        XLS,
        CSV
    }

    @Override
    public CodeList read(String fileName, InputStream in) throws IOException {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(in, "in");
        Kind kind = kind(fileName);
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw refused(
                    fileName,
                    "is larger than " + MAX_BYTES / (1024 * 1024)
                            + " MB, more than a code list (is it an export of records?)");
        }
        if (bytes.length == 0) {
            throw refused(fileName, "is empty");
        }
        return switch (kind) {
            case CSV -> CsvCodeList.read(fileName, bytes);
            case XLSX, XLS -> inBundle(() -> Workbooks.read(fileName, bytes, kind));
        };
    }

    static Kind kind(String fileName) {
        String name = fileName.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xlsx") || name.endsWith(".xlsm")) {
            return Kind.XLSX;
        }
        if (name.endsWith(".xls")) {
            return Kind.XLS;
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return Kind.CSV;
        }
        throw refused(fileName, "is not a code list this can read: save it as .xlsx, .xls or .csv");
    }

    private interface Reading {
        CodeList read() throws IOException;
    }

    /**
     * Runs POI with this bundle's class loader as the thread's context class loader: XMLBeans and POI look up some
     * of their classes through it, and in Karaf it is otherwise the caller's, which does not see the embedded jars.
     */
    private static CodeList inBundle(Reading reading) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(SpreadsheetCodeLists.class.getClassLoader());
        try {
            return reading.read();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    static InvalidInputException refused(String fileName, String reason) {
        return new InvalidInputException(InputError.of(fileName, "", reason));
    }
}
