package org.dmiplatform.adapter.nibrs.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/** The three forms NIBRS data arrive in, told apart by their first bytes, never by the file's name. */
enum SubmissionFormat {
    /** FBI fixed-width segments: a 4-digit segment length, the segment level, the segment action type. */
    FLAT_FILE,
    /** NIBRS XML (IEPD 2019.1 or 4.2). */
    XML,
    /** FBI Crime Data Explorer extract: the relational CSV tables in one zip. */
    CDE_EXTRACT;

    /** How many bytes {@link #detect} wants to see. */
    static final int HEAD = 4096;

    private static final Pattern SEGMENT_HEADER = Pattern.compile("[0-9]{4}[0-9][A-Za-z].*", Pattern.DOTALL);

    /**
     * Tells the format from the input's first bytes.
     *
     * @throws InvalidInputException when the input is empty, binary or none of the three
     */
    static SubmissionFormat detect(byte[] head, int length, String source) {
        if (length >= 4
                && head[0] == 'P'
                && head[1] == 'K'
                && (head[2] == 3 || head[2] == 5)
                && (head[3] == 4 || head[3] == 6)) {
            return CDE_EXTRACT;
        }
        int start = 0;
        if (length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            start = 3;
        }
        while (start < length && Character.isWhitespace(head[start])) {
            start++;
        }
        if (start >= length) {
            throw refused(source, 0, "the file is empty");
        }
        if (looksBinary(head, start, length)) {
            throw refused(
                    source,
                    0,
                    "the file is binary, not a NIBRS flat file, NIBRS XML or a Crime Data Explorer extract (.zip)");
        }
        String text = new String(head, start, length - start, StandardCharsets.ISO_8859_1);
        if (text.startsWith("<")) {
            return XML;
        }
        if (SEGMENT_HEADER.matcher(text).matches()) {
            return FLAT_FILE;
        }
        String firstLine = text.lines().findFirst().orElse("");
        if (firstLine.toLowerCase(Locale.ROOT).replace("\"", "").startsWith("agency_id,incident_id")
                || firstLine.toLowerCase(Locale.ROOT).contains("incident_id,")) {
            throw refused(
                    source,
                    1,
                    "this is one table of a Crime Data Explorer extract; upload the whole extract as one .zip"
                            + " (nibrs_incident.csv, nibrs_offense.csv, nibrs_offense_type.csv, cde_agencies.csv, ...)");
        }
        throw refused(
                source,
                1,
                "not NIBRS data: a flat file's lines start with a 4-digit segment length, the segment level and the"
                        + " action type, NIBRS XML starts with '<', a Crime Data Explorer extract is a .zip; this file"
                        + " starts with '" + cut(firstLine, 40) + "'");
    }

    private static boolean looksBinary(byte[] head, int start, int length) {
        int control = 0;
        for (int i = start; i < length; i++) {
            int b = head[i] & 0xff;
            if (b == 0) {
                return true;
            }
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                control++;
            }
        }
        return control * 20 > length - start;
    }

    static InvalidInputException refused(String source, int line, String reason) {
        return new InvalidInputException(new InputError(source, line, "", reason));
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
