package org.dmiplatform.api.records;

import java.nio.charset.Charset;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A records profile: how the columns of one records system's export (or query) become canonical records, written
 * as data by the site, never as code. The CSV and JDBC adapters read rows; the profile maps, filters and
 * categorises them. The format is documented in {@code docs/records-profiles.md}.
 */
@ProviderType
public interface RecordsProfile {

    /** The profile's file name, e.g. {@code chicago-clear.json}. */
    String name();

    String description();

    /** How a file in this profile's format is laid out (ignored by adapters that read no files). */
    FileLayout layout();

    /** True when the source repeats one record over several rows sharing its id: see {@link RecordsAdapter#mergesRepeats}. */
    boolean mergesRepeats();

    /**
     * Starts mapping one input.
     *
     * @param source names the input in messages (the file name)
     * @param header the column names as read, or an empty list when the source has none (columns by position)
     * @param sink where the mapped rows go
     * @throws org.dmiplatform.api.InvalidInputException naming each column the profile needs that the header lacks
     */
    RowMapper start(String source, List<String> header, RecordSink sink);

    /**
     * Reads a file laid out as {@link #layout()} says (delimited text in its encoding, a byte-order mark honoured) and
     * maps every row into the sink: what a file adapter does with its profile, and what a dry run does with a sample.
     *
     * @throws org.dmiplatform.api.InvalidInputException when the file cannot be read at all (empty, binary, another
     *     encoding, a header without a column the profile names), naming the file, line and reason
     */
    void read(RecordsInput input, RecordSink sink) throws java.io.IOException;

    /**
     * @param header true when the first row (after {@code skipLines}) names the columns
     * @param delimiter the field separator
     * @param quote the quote character
     * @param encoding the file's character set, unless a byte-order mark says otherwise
     * @param skipLines lines before the header (or the first row) to pass over, such as a title
     */
    record FileLayout(boolean header, char delimiter, char quote, Charset encoding, int skipLines) {}

    /** One input's mapping. Not thread-safe: one per import. */
    @ProviderType
    interface RowMapper {

        /** The number of columns the header named, or -1 when there was none. */
        int columns();

        /**
         * Maps one row into exactly one {@link RecordSink#accept}, {@link RecordSink#reject} or
         * {@link RecordSink#skipped} call.
         *
         * @param line the 1-based line (or row number) of the source
         */
        void map(long line, SourceRow row);
    }
}
