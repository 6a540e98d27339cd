package org.dmiplatform.adapter.csv.internal;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CodeLists.CodeList;

/**
 * A code list kept as a CSV file, as Excel and records systems save them: UTF-8 (with or without a byte-order mark),
 * UTF-16 with a byte-order mark (Excel's "Unicode text"), or else Windows-1252 (Excel's CSV on Windows); values
 * separated by commas, semicolons (Excel where the decimal mark is a comma) or tabs, whichever the first lines use
 * consistently.
 */
final class CsvCodeList {
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Lines looked at to tell the separator. */
    private static final int SNIFF_LINES = 20;

    private static final char[] SEPARATORS = {',', ';', '\t'};

    private CsvCodeList() {}

    static CodeList read(String file, byte[] bytes) {
        String text = decode(file, bytes);
        if (text.isBlank()) {
            throw SpreadsheetCodeLists.refused(file, "is empty");
        }
        char separator = separator(text);
        CodeListRows rows = new CodeListRows(file);
        try (CsvReader<CsvRecord> reader = CsvReader.builder()
                .fieldSeparator(separator)
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .ofCsvRecord(text)) {
            for (CsvRecord record : reader) {
                rows.add((int) record.getStartingLineNumber(), record.getFields(), i -> Integer.toString(i + 1));
            }
        } catch (CsvParseException | UncheckedIOException | java.io.IOException e) {
            // FastCSV says where a record it cannot read starts: "... record that started in line 5"
            Matcher line = Pattern.compile("line (\\d+)").matcher(String.valueOf(e.getMessage()));
            throw new InvalidInputException(new InputError(
                    file,
                    line.find() ? Integer.parseInt(line.group(1)) : 0,
                    "",
                    "cannot be read as CSV from here: a quote is not closed, or a value is far too long"));
        }
        return rows.list("", "has no rows");
    }

    /** The text, by its byte-order mark, else UTF-8 when it is valid UTF-8, else Windows-1252. */
    static String decode(String file, byte[] bytes) {
        int n = bytes.length;
        if (n >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            return decodeLoosely(bytes, 3, StandardCharsets.UTF_8);
        }
        if (n >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            return decodeLoosely(bytes, 2, StandardCharsets.UTF_16LE);
        }
        if (n >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            return decodeLoosely(bytes, 2, StandardCharsets.UTF_16BE);
        }
        String binary = binary(bytes);
        if (binary != null) {
            throw SpreadsheetCodeLists.refused(file, binary);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return decodeLoosely(bytes, 0, WINDOWS_1252);
        }
    }

    private static String decodeLoosely(byte[] bytes, int from, Charset charset) {
        return new String(bytes, from, bytes.length - from, charset);
    }

    /** What the file is when it is not text; null when it looks like text. */
    private static String binary(byte[] bytes) {
        FileKind kind = FileKind.of(bytes);
        switch (kind) {
            case ZIP:
                return "is not a CSV file but a ZIP archive, as an Excel .xlsx workbook is: if it is one, name it"
                        + " .xlsx";
            case OLE2:
                return "is not a CSV file but an Office 97-2003 file, as an Excel .xls workbook is: if it is one,"
                        + " name it .xls";
            case PDF:
                return "is not a CSV file but a PDF document";
            case HTML:
                return "is not a CSV file but a web page (HTML)";
            case XML:
                return "is not a CSV file but an XML file";
            case OTHER:
                boolean zeros = false;
                for (int i = 0; i < Math.min(bytes.length, 4096); i++) {
                    zeros |= bytes[i] == 0;
                }
                return zeros
                        ? "is not a CSV file but binary data (or UTF-16 text without a byte-order mark: save it as"
                                + " UTF-8)"
                        : "is not a CSV file but binary data";
            default:
                return null;
        }
    }

    /**
     * The separator the first lines use: of comma, semicolon and tab, the one found the same number of times (at
     * least once) on every line looked at; else the one found most on the first line; else a comma.
     */
    static char separator(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.lines().limit(SNIFF_LINES * 4L).toList()) {
            if (!line.isBlank()) {
                lines.add(line);
            }
            if (lines.size() == SNIFF_LINES) {
                break;
            }
        }
        char best = 0;
        int bestCount = 0;
        for (char c : SEPARATORS) {
            int first = count(lines.get(0), c);
            boolean same = first > 0;
            for (String line : lines) {
                same &= count(line, c) == first;
            }
            if (same && first > bestCount) {
                best = c;
                bestCount = first;
            }
        }
        if (best != 0) {
            return best;
        }
        for (char c : SEPARATORS) {
            int first = count(lines.get(0), c);
            if (first > bestCount) {
                best = c;
                bestCount = first;
            }
        }
        return best == 0 ? ',' : best;
    }

    /** How often c stands outside quotes on a line (a quoted value spanning lines makes the count differ: fine). */
    private static int count(String line, char c) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char at = line.charAt(i);
            if (at == '"') {
                quoted = !quoted;
            } else if (at == c && !quoted) {
                count++;
            }
        }
        return count;
    }
}
