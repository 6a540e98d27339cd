package org.dmiplatform.adapter.nibrs.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.records.RecordsInput;

/** Inputs for the adapter: test resources, text, bytes, and Crime Data Explorer zips built from the excerpt. */
final class Inputs {
    static final String[] CDE_TABLES = {
        "nibrs_incident.csv",
        "nibrs_offense.csv",
        "nibrs_offense_type.csv",
        "nibrs_property.csv",
        "nibrs_suspected_drug.csv",
        "nibrs_suspected_drug_type.csv",
        "cde_agencies.csv"
    };

    private Inputs() {}

    static RecordsInput of(String name, byte[] bytes) {
        return new RecordsInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }

    static RecordsInput text(String name, String text) {
        return of(name, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static RecordsInput resource(String path) {
        return of(path.substring(path.lastIndexOf('/') + 1), bytes(path));
    }

    static String string(String path) {
        return new String(bytes(path), StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String path) {
        try (InputStream in = Inputs.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The excerpt's tables by file name, to change before zipping. */
    static Map<String, String> cdeTables() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String table : CDE_TABLES) {
            tables.put(table, string("cde_az_2016/" + table));
        }
        return tables;
    }

    /** A zip as the Crime Data Explorer ships it: the tables in a folder named after the state and year. */
    static RecordsInput zip(String name, Map<String, String> tables) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("AZ-2016/"));
            zip.closeEntry();
            for (Map.Entry<String, String> table : tables.entrySet()) {
                zip.putNextEntry(new ZipEntry("AZ-2016/" + table.getKey()));
                zip.write(table.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(name, bytes.toByteArray());
    }
}
