package org.dmiplatform.adapter.csv.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What a file's first bytes say it is, to refuse a file whose name says another kind, saying what it is. */
enum FileKind {
    ZIP("is a ZIP archive"),
    OLE2("is an Office 97-2003 file"),
    PDF("is a PDF document"),
    HTML("is a web page (HTML)"),
    XML("is an XML file (if it is an Excel 2003 XML spreadsheet, open it in Excel and save it as .xlsx)"),
    TEXT("is a text file (if it is a CSV file, name it .csv)"),
    OTHER("is another kind of file");

    final String what;

    FileKind(String what) {
        this.what = what;
    }

    static FileKind of(byte[] bytes) {
        if (starts(bytes, 0x50, 0x4B, 0x03, 0x04)) {
            return ZIP;
        }
        if (starts(bytes, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return OLE2;
        }
        if (starts(bytes, '%', 'P', 'D', 'F')) {
            return PDF;
        }
        int n = Math.min(bytes.length, 4096);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0 || (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f')) {
                return OTHER;
            }
        }
        String head = new String(bytes, 0, n, StandardCharsets.ISO_8859_1)
                .replace("\u00ef\u00bb\u00bf", "")
                .strip()
                .toLowerCase(Locale.ROOT);
        if (head.startsWith("<!doctype html") || head.startsWith("<html")) {
            return HTML;
        }
        if (head.startsWith("<?xml")) {
            return head.contains("<html") ? HTML : XML;
        }
        if (head.startsWith("<") && (head.contains("<html") || head.contains("<table"))) {
            return HTML;
        }
        return TEXT;
    }

    private static boolean starts(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
