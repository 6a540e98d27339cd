package org.dmiplatform.api.records;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A dry run of a records profile on a sample: what an import of it would do, with nothing stored. The counts add up
 * as an import's do: {@code read = imported + quarantined + skipped + merged + deletes}.
 *
 * @param profile the profile tried
 * @param sample the sample's file name
 * @param zone the site's time zone, in which every time shown is written
 * @param read rows read
 * @param imported rows that would be published (before comparing with the records already stored)
 * @param quarantined rows that would be quarantined, by the profile or the platform's checks
 * @param skipped rows the profile's {@code skip} rules leave out
 * @param merged rows merged into another of the same id ({@code "repeats": "merge"})
 * @param deletes delete instructions
 * @param quarantineReasons why rows would be quarantined, most rows first
 * @param skipReasons why rows would be skipped, most rows first
 * @param categories the records that would be published, by category
 * @param first the first records mapped, each beside its source row
 * @param warnings what looks wrong though nothing failed (a time pattern that never reads the noon hour, most
 *     points outside the site, one category swallowing most rows ...)
 */
public record ProfileTrial(
        String profile,
        String sample,
        String zone,
        long read,
        long imported,
        long quarantined,
        long skipped,
        long merged,
        long deletes,
        List<Reason> quarantineReasons,
        List<Reason> skipReasons,
        Map<Category, Long> categories,
        List<Mapped> first,
        List<String> warnings) {

    public ProfileTrial {
        quarantineReasons = List.copyOf(quarantineReasons);
        skipReasons = List.copyOf(skipReasons);
        categories = Map.copyOf(categories);
        first = List.copyOf(first);
        warnings = List.copyOf(warnings);
    }

    /**
     * One reason rows were quarantined or skipped.
     *
     * @param field the field at fault, empty when the whole row is (always empty for a skip)
     * @param reason in the words of the import's quarantine; for the reasons that name the row's own value, the
     *     first such row's
     * @param rows how many rows
     * @param lines the first rows' lines
     * @param example the first row as read
     */
    public record Reason(String field, String reason, long rows, List<Long> lines, String example) {
        public Reason {
            field = Objects.requireNonNullElse(field, "");
            lines = List.copyOf(lines);
            example = Objects.requireNonNullElse(example, "");
        }
    }

    /**
     * A record as the profile mapped it, with its times written in the site's zone.
     *
     * @param source the row as read
     * @param occurredFrom local date and time, e.g. {@code 2018-01-09 14:03 (CST)}
     */
    public record Mapped(
            long line, String source, CrimeRecord record, String occurredFrom, String occurredTo, String reportedAt) {
        public Mapped {
            Objects.requireNonNull(record, "record");
            source = Objects.requireNonNullElse(source, "");
            occurredTo = Objects.requireNonNullElse(occurredTo, "");
            reportedAt = Objects.requireNonNullElse(reportedAt, "");
        }
    }
}
