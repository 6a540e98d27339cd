package org.dmiplatform.api.records;

import java.io.IOException;
import org.dmiplatform.api.InvalidInputException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A site's records system, read into canonical records. Sites implement it, one instance per site: register it under
 * this interface with {@code dmi.site=<site>}, {@code dmi.plugin.kind=records-adapter} ({@link #KIND}) and a
 * {@code dmi.plugin.name}; an adapter that pulls may add {@link #PULL_MINUTES}. The platform's import pipeline does
 * the rest: staging, validation, quarantine, publishing, progress and history. {@code bundles/README.md} is the
 * recipe.
 */
@ConsumerType
public interface RecordsAdapter {

    /** The value of {@code dmi.plugin.kind} for a records adapter. */
    String KIND = "records-adapter";

    /** Service property of an adapter that pulls: the platform pulls by itself every so many minutes. */
    String PULL_MINUTES = "dmi.pull.minutes";

    /** A short description for the console and the import history, e.g. "CSV, profile chicago-clear". */
    String describe();

    /**
     * What keeps this adapter from reading now, each in a sentence naming the setting to fix (a required setting
     * missing, a secret whose environment variable is not set); empty when it is ready. The platform's health shows
     * them beside the site.
     */
    default java.util.List<String> problems() {
        return java.util.List.of();
    }

    /** True for an adapter that pulls from a system itself (a database) rather than reading a file. */
    default boolean pulls() {
        return false;
    }

    /**
     * True when the source writes one record over several rows sharing its id (one per offence, charge or responding
     * unit): the pipeline keeps one row per id, the one with the most serious {@link Category} (then the first
     * read), and counts the others as merged. When false, a repeated id is quarantined as a duplicate.
     */
    default boolean mergesRepeats() {
        return false;
    }

    /**
     * Reads the input, giving every row to the sink. Returns when the input is exhausted or the sink is cancelled.
     *
     * @throws InvalidInputException when the input cannot be read at all (an empty or binary file, a profile naming a
     *     column the file lacks): the import fails with these errors and nothing is changed
     * @throws IOException when the input fails while being read
     */
    void read(RecordsInput input, RecordSink sink) throws IOException;
}
