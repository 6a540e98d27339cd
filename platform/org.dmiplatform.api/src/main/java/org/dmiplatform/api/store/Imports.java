package org.dmiplatform.api.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.access.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The import pipeline every adapter shares. An import streams the adapter's rows into staging, checks them,
 * quarantines the unusable ones with line, field and reason, and publishes the rest in one transaction: a crash or
 * a cancel leaves the records as they were. Rows are keyed by the source's id, so importing the same file again,
 * or an overlapping extract, changes nothing that did not change.
 */
@ProviderType
public interface Imports {

    /**
     * Starts importing a file through the site's records adapter (the one named, or the site's only one). Runs in
     * the background; follow it with {@link #find}.
     *
     * @param file the file to read; the pipeline takes it over and deletes it when the import ends when
     *     {@code owned}
     */
    Import start(String site, Optional<String> adapter, Path file, String name, boolean owned, Caller caller);

    /** Starts an incremental pull through the site's pulling adapter, from the last watermark. */
    Import pull(String site, Optional<String> adapter, Caller caller);

    /** Imports of a site, newest first. */
    List<Import> history(String site, int limit, Caller caller);

    Import find(String site, long id, Caller caller);

    /** The quarantined rows of an import, in line order. */
    List<Quarantined> quarantine(String site, long id, int limit, Caller caller);

    /** Asks a running import to stop; it rolls back, leaving the records as they were. */
    Import cancel(String site, long id, Caller caller);

    /**
     * Runs an import that did not publish (interrupted by a stop or a crash, failed, or cancelled) again: the same
     * file, kept until then, or a pull from the last watermark.
     *
     * @throws org.dmiplatform.api.InvalidInputException when the import published, or its file is no longer kept
     */
    Import rerun(String site, long id, Caller caller);

    /** Adapters bound to the site now, by name. */
    List<String> adapters(String site);

    enum Status {
        QUEUED,
        RUNNING,
        PUBLISHED,
        FAILED,
        CANCELLED,
        /** The platform stopped (or crashed) while it ran: nothing of it was published; it can be run again. */
        INTERRUPTED
    }

    /**
     * An import and its progress.
     *
     * @param read rows read so far
     * @param inserted new records published
     * @param updated records that changed
     * @param unchanged rows identical to what was stored
     * @param quarantined unusable rows kept with their reasons
     * @param skipped rows the profile's filters left out on purpose
     * @param merged rows that repeated a record of the same import (one per offence or unit) and were merged into it
     * @param deleted records the source withdrew and the import removed
     * @param fraction how far through the input, 0 to 1, when the size is known
     * @param rowsPerSecond read rate so far
     * @param remainingSeconds estimated time left, when the size is known
     * @param errors why the import failed, if it did
     * @param deletes delete instructions read (a NIBRS delete segment, a withdrawn row): each one, whether it removed a
     *     stored record ({@code deleted}), rows of the same import ({@code withdrawn}) or nothing
     * @param withdrawn rows of this import that a later delete instruction withdrew before they were published
     * @param skips why the skipped rows were skipped, most rows first
     */
    record Import(
            long id,
            String site,
            String adapter,
            String name,
            Status status,
            String startedBy,
            Instant startedAt,
            Optional<Instant> finishedAt,
            long read,
            long inserted,
            long updated,
            long unchanged,
            long quarantined,
            long skipped,
            long merged,
            long deleted,
            Optional<Double> fraction,
            double rowsPerSecond,
            Optional<Long> remainingSeconds,
            List<String> errors,
            long deletes,
            long withdrawn,
            List<Skipped> skips) {

        public Import {
            errors = List.copyOf(errors);
            skips = List.copyOf(java.util.Objects.requireNonNullElse(skips, List.of()));
        }

        /** An import without skip reasons listed. */
        public Import(
                long id,
                String site,
                String adapter,
                String name,
                Status status,
                String startedBy,
                Instant startedAt,
                Optional<Instant> finishedAt,
                long read,
                long inserted,
                long updated,
                long unchanged,
                long quarantined,
                long skipped,
                long merged,
                long deleted,
                Optional<Double> fraction,
                double rowsPerSecond,
                Optional<Long> remainingSeconds,
                List<String> errors,
                long deletes,
                long withdrawn) {
            this(
                    id,
                    site,
                    adapter,
                    name,
                    status,
                    startedBy,
                    startedAt,
                    finishedAt,
                    read,
                    inserted,
                    updated,
                    unchanged,
                    quarantined,
                    skipped,
                    merged,
                    deleted,
                    fraction,
                    rowsPerSecond,
                    remainingSeconds,
                    errors,
                    deletes,
                    withdrawn,
                    List.of());
        }

        /**
         * Every row read, accounted for once: new + changed + unchanged + quarantined + skipped + merged + delete
         * instructions + rows withdrawn. Equal to {@code read} for every published import.
         */
        public long accounted() {
            return inserted + updated + unchanged + quarantined + skipped + merged + deletes + withdrawn;
        }
    }

    record Quarantined(long line, String field, String reason, String raw) {}

    /**
     * Why rows were skipped (a profile's {@code skip} rule), with how many and the first one's line.
     *
     * @param why the rule's reason, as the profile gives it
     */
    record Skipped(String why, long rows, long firstLine) {}
}
