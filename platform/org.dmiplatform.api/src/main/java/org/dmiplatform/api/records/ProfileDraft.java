package org.dmiplatform.api.records;

import java.util.List;
import java.util.Objects;

/**
 * A records profile drafted from a sample export: the profile to edit and save, what was found in each column, and
 * what the analyst must check. Nothing in it is guessed silently: every choice the draft made is named in a column's
 * {@code note} or in {@code notes}.
 *
 * @param profile the draft profile, JSON text in the format of {@code docs/records-profiles.md}
 * @param codeTable a draft code table (CSV with {@code code,category,partOne,text}) of the offence codes the sample
 *     holds, every category to be checked; empty when no code column was found
 * @param codeTableName the file name the profile gives the code table, empty when there is none
 * @param layout how the file is laid out
 * @param columns what was found in each column, in the file's order
 * @param notes what the analyst must check or decide, most important first
 */
public record ProfileDraft(
        String profile,
        String codeTable,
        String codeTableName,
        Layout layout,
        List<Column> columns,
        List<String> notes) {

    public ProfileDraft {
        Objects.requireNonNull(profile, "profile");
        codeTable = Objects.requireNonNullElse(codeTable, "");
        codeTableName = Objects.requireNonNullElse(codeTableName, "");
        Objects.requireNonNull(layout, "layout");
        columns = List.copyOf(columns);
        notes = List.copyOf(notes);
    }

    /**
     * @param encoding the character set the bytes are in (UTF-8, windows-1252, UTF-16LE ...)
     * @param byteOrderMark true when the file starts with a byte-order mark
     * @param delimiter the field separator, {@code "tab"} for a tab
     * @param header true when the first row names the columns
     * @param skipLines lines before the header (or the first row), such as a title
     * @param rows the rows of the sample read (after any header)
     */
    public record Layout(
            String encoding, boolean byteOrderMark, String delimiter, boolean header, int skipLines, long rows) {}

    /**
     * One column of the sample.
     *
     * @param position 1-based
     * @param name the header's name, or {@code "column N"} without a header
     * @param type {@code empty}, {@code integer}, {@code decimal}, {@code date}, {@code time}, {@code date-time} or
     *     {@code text}
     * @param filled rows with a value
     * @param distinct distinct values (counted up to a limit: see {@code distinctCapped})
     * @param distinctCapped true when there were more distinct values than were counted
     * @param unique true when no value repeats (an id candidate)
     * @param examples a few values as written
     * @param formats the date or time patterns its values match, most rows first (two when the column mixes them)
     * @param use the profile field the draft maps it to ({@code sourceId}, {@code occurredFrom}, {@code x} ...), or
     *     empty
     * @param note why, or what to check
     */
    public record Column(
            int position,
            String name,
            String type,
            long filled,
            long distinct,
            boolean distinctCapped,
            boolean unique,
            List<String> examples,
            List<String> formats,
            String use,
            String note) {
        public Column {
            examples = List.copyOf(examples);
            formats = List.copyOf(formats);
            use = Objects.requireNonNullElse(use, "");
            note = Objects.requireNonNullElse(note, "");
        }
    }
}
