package org.dmiplatform.core.internal.profile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/**
 * Opens an uploaded file as text, refusing what is not a CSV file before anything is read into the site: empty
 * files, spreadsheets and archives, binary data, and text in another encoding than the profile's. A byte-order mark
 * says the encoding and is not part of the first column's name.
 */
final class CsvText {
    /** How much of the file is looked at before reading: enough for the header and many rows. */
    static final int SNIFF = 64 * 1024;

    /** Replaces bytes that are not in the encoding; a row holding one is quarantined. */
    static final char UNREADABLE = '\uFFFD';

    private CsvText() {}

    static Reader open(InputStream raw, Charset declared, String name) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, SNIFF);
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        int n = head.length;
        if (n == 0 || new String(head, 0, n, StandardCharsets.ISO_8859_1).isBlank()) {
            throw refused(name, 0, "is empty");
        }
        Charset charset = declared;
        int bom = 0;
        if (n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            charset = StandardCharsets.UTF_8;
            bom = 3;
        } else if (n >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            bom = 2;
        } else if (n >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            bom = 2;
        } else {
            String binary = binary(head, n);
            if (binary != null) {
                throw refused(name, 0, binary);
            }
            checkEncoding(head, n, charset, name);
        }
        in.skipNBytes(bom);
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(UNREADABLE));
        return new InputStreamReader(in, decoder);
    }

    /** What the file is, when it is not text; null when it looks like text. */
    private static String binary(byte[] head, int n) {
        if (starts(head, n, 'P', 'K', 3, 4)) {
            return "is a ZIP archive (an Excel .xlsx workbook is one), not a CSV file: save the sheet as CSV";
        }
        if (starts(head, n, 0xD0, 0xCF, 0x11, 0xE0)) {
            return "is an Excel .xls workbook, not a CSV file: save the sheet as CSV";
        }
        if (starts(head, n, '%', 'P', 'D', 'F')) {
            return "is a PDF document, not a CSV file";
        }
        if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return "is gzip-compressed: unpack it and import the CSV file inside";
        }
        int zeros = 0;
        int evenZeros = 0;
        int controls = 0;
        for (int i = 0; i < n; i++) {
            int b = head[i] & 0xFF;
            if (b == 0) {
                zeros++;
                if (i % 2 == 0) {
                    evenZeros++;
                }
            } else if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                controls++;
            }
        }
        if (zeros > 0) {
            if (zeros > n / 4) {
                return "looks like UTF-16 text without a byte-order mark: save it as UTF-8"
                        + (evenZeros > zeros / 2 ? " (it looks like UTF-16BE)" : "");
            }
            return "is a binary file, not text (it holds NUL bytes)";
        }
        if (controls > n / 100 + 8) {
            return "is a binary file, not text (it holds " + controls + " control characters in its first " + n / 1024
                    + " KB)";
        }
        return null;
    }

    private static boolean starts(byte[] head, int n, int a, int b, int c, int d) {
        return n >= 4
                && (head[0] & 0xFF) == a
                && (head[1] & 0xFF) == b
                && (head[2] & 0xFF) == c
                && (head[3] & 0xFF) == d;
    }

    /** Refuses a file whose first bytes are not in the profile's encoding, naming the line and a likely cause. */
    private static void checkEncoding(byte[] head, int n, Charset charset, String name) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(head, 0, n);
        CharBuffer chars = CharBuffer.allocate(n + 16);
        CoderResult result = decoder.decode(bytes, chars, n < SNIFF);
        if (!result.isError()) {
            return;
        }
        int at = bytes.position();
        if (n == SNIFF && at + result.length() >= n - 4) {
            return; // a character cut by the end of the sample
        }
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (head[i] == '\n') {
                line++;
            }
        }
        String hint = charset.equals(StandardCharsets.UTF_8)
                ? "; the file looks like Windows-1252 (Excel's CSV on Windows): set \"encoding\": \"windows-1252\" in the"
                        + " profile's file section, or save the file as UTF-8"
                : "; set the profile's \"encoding\" to the file's";
        throw refused(
                name,
                line,
                String.format(Locale.ROOT, "byte 0x%02X is not %s text", head[at] & 0xFF, charset.name()) + hint);
    }

    private static InvalidInputException refused(String name, int line, String reason) {
        return new InvalidInputException(new InputError(name, line, "", reason));
    }
}
