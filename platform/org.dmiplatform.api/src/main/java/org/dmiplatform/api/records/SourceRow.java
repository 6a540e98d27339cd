package org.dmiplatform.api.records;

import org.osgi.annotation.versioning.ConsumerType;

/** One row of a source, as an adapter read it, for a {@link RecordsProfile} to map. */
@ConsumerType
public interface SourceRow {

    int size();

    /**
     * The value in a column (0-based). Text for files; a database adapter may give a {@link Number}, a
     * {@code java.time} value or a {@link java.sql.Timestamp}; null or blank when empty.
     */
    Object get(int column);

    /** The row as read, for the quarantine. */
    String raw();
}
