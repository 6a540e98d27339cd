package org.dmiplatform.api.records;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One record in canonical form, whatever system it came from.
 *
 * @param kind incident, call for service or field contact
 * @param sourceId the records system's own id; the key that makes re-imports change nothing
 * @param occurredFrom when it happened (or began), read in the site's time zone
 * @param occurredTo when it ended, if the source says
 * @param reportedAt when it was reported, if the source says
 * @param code the original offence or call code, as given (IUCR, local code, NIBRS code, call type)
 * @param codeText the original description, as given
 * @param category the normalised category
 * @param partOne true for a UCR Part I offence
 * @param nibrsCode the NIBRS offence code, where known (e.g. 35A)
 * @param drugType the suspected drug type, for drug records where the source says (NIBRS)
 * @param location WGS84 longitude/latitude, if the source has a usable location
 * @param address the address or block as given (often redacted to the hundred block)
 * @param beat the beat or reporting area as given
 * @param district the district or precinct as given
 * @param line the line (or record number) of the source it was read from, kept with the record
 * @param warnings what the profile left out of the record and why (an optional field whose value could not be read),
 *     one sentence each naming the field and the value; empty for most records
 * @param otherCodes for a record merged from several rows (one per offence or charge), the codes of the other rows,
 *     as the store keeps them; adapters leave it empty
 */
public record CrimeRecord(
        RecordKind kind,
        String sourceId,
        Instant occurredFrom,
        Optional<Instant> occurredTo,
        Optional<Instant> reportedAt,
        String code,
        String codeText,
        Category category,
        boolean partOne,
        Optional<String> nibrsCode,
        Optional<String> drugType,
        Optional<Location> location,
        String address,
        String beat,
        String district,
        long line,
        List<String> warnings,
        List<String> otherCodes) {

    public CrimeRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(occurredFrom, "occurredFrom");
        Objects.requireNonNull(category, "category");
        code = Objects.requireNonNullElse(code, "");
        codeText = Objects.requireNonNullElse(codeText, "");
        address = Objects.requireNonNullElse(address, "");
        beat = Objects.requireNonNullElse(beat, "");
        district = Objects.requireNonNullElse(district, "");
        warnings = List.copyOf(Objects.requireNonNullElse(warnings, List.of()));
        otherCodes = List.copyOf(Objects.requireNonNullElse(otherCodes, List.of()));
    }

    /** A record as an adapter reads it, with the warnings of what its profile left out. */
    public CrimeRecord(
            RecordKind kind,
            String sourceId,
            Instant occurredFrom,
            Optional<Instant> occurredTo,
            Optional<Instant> reportedAt,
            String code,
            String codeText,
            Category category,
            boolean partOne,
            Optional<String> nibrsCode,
            Optional<String> drugType,
            Optional<Location> location,
            String address,
            String beat,
            String district,
            long line,
            List<String> warnings) {
        this(
                kind,
                sourceId,
                occurredFrom,
                occurredTo,
                reportedAt,
                code,
                codeText,
                category,
                partOne,
                nibrsCode,
                drugType,
                location,
                address,
                beat,
                district,
                line,
                warnings,
                List.of());
    }

    /** A record without warnings. */
    public CrimeRecord(
            RecordKind kind,
            String sourceId,
            Instant occurredFrom,
            Optional<Instant> occurredTo,
            Optional<Instant> reportedAt,
            String code,
            String codeText,
            Category category,
            boolean partOne,
            Optional<String> nibrsCode,
            Optional<String> drugType,
            Optional<Location> location,
            String address,
            String beat,
            String district,
            long line) {
        this(
                kind,
                sourceId,
                occurredFrom,
                occurredTo,
                reportedAt,
                code,
                codeText,
                category,
                partOne,
                nibrsCode,
                drugType,
                location,
                address,
                beat,
                district,
                line,
                List.of(),
                List.of());
    }

    /** A point in WGS84. */
    public record Location(double longitude, double latitude) {}
}
