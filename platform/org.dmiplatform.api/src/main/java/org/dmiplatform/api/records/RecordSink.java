package org.dmiplatform.api.records;

import java.time.ZoneId;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where an adapter puts what it reads. Every row ends as exactly one {@link #accept}, {@link #reject},
 * {@link #delete} or {@link #skipped}: a row that cannot be used is reported with where and why, never dropped
 * silently, and never stops the rest.
 */
@ProviderType
public interface RecordSink {

    /** The site's time zone: local times in the source are read in it. */
    ZoneId zone();

    void accept(CrimeRecord record);

    /**
     * A row that cannot be used.
     *
     * @param line the 1-based line (or record number) in the source
     * @param field the field at fault, empty when the whole row is
     * @param reason why, in words the site's analyst can act on
     * @param raw the row as read (kept with the quarantine, cut to a sane length)
     */
    void reject(long line, String field, String reason, String raw);

    /**
     * The source withdrew a record (a NIBRS delete): when the import publishes, the record is removed, unless a
     * later row of the same import brings it back.
     */
    void delete(long line, RecordKind kind, String sourceId);

    /** Rows the adapter skipped on purpose by the profile's filters (e.g. traffic accidents), counted, not kept. */
    void skipped(long line, String why);

    /** For pulls: the watermark reached, kept for the next incremental pull. */
    void watermark(String value);

    /** True once the import was cancelled: stop reading. */
    boolean cancelled();
}
