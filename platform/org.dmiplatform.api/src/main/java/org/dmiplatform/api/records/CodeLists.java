package org.dmiplatform.api.records;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * Reads a department's code list as it keeps it (a spreadsheet, {@code .xlsx} or {@code .xls}, or a CSV file) into
 * rows, for a code table. Registered once by a bundle that carries a spreadsheet library.
 */
@org.osgi.annotation.versioning.ProviderType
public interface CodeLists {

    /**
     * Reads the first sheet that has any value (a CSV file: its rows), every cell as text as the sheet shows it
     * (a number formatted as it displays, so a code {@code 0810} stays {@code 0810}); blank rows are left out.
     *
     * @param fileName the file's name: its ending says the format
     * @throws org.dmiplatform.api.InvalidInputException when the file is not a spreadsheet or CSV file of the kind
     *     its name says, is protected by a password, or has no rows, naming the file and reason
     */
    CodeList read(String fileName, InputStream in) throws IOException;

    /**
     * @param sheet the sheet read, empty for a CSV file
     * @param header the first row
     * @param rows the rows after it, each as long as the longest row
     * @param lines each row's line (CSV) or row number (sheet), 1-based as the sheet shows it
     */
    record CodeList(String file, String sheet, List<String> header, List<List<String>> rows, List<Integer> lines) {
        public CodeList {
            Objects.requireNonNull(file, "file");
            sheet = Objects.requireNonNullElse(sheet, "");
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            lines = List.copyOf(lines);
        }
    }
}
