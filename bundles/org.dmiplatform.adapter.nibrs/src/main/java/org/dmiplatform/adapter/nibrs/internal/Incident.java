package org.dmiplatform.adapter.nibrs.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;

/**
 * One Group A incident as the three formats give it, before it becomes a canonical record.
 *
 * @param ori the reporting agency (Data Element 1)
 * @param number the agency's incident number (Data Element 2)
 * @param date the incident date, or the report date when {@code reportDate} (Data Element 3)
 * @param time the incident hour (or time), when known
 * @param offset the UTC offset the source wrote the time in, if it did (XML only); else the site's zone applies
 * @param reportDate true when the date is the report date because the incident date is unknown
 * @param offenses the offenses, in source order (Data Element 6)
 * @param drugTypes the FBI's names of the suspected drug types, in source order (Data Element 20)
 * @param line where the incident starts in the source
 */
record Incident(
        String ori,
        String number,
        LocalDate date,
        Optional<LocalTime> time,
        Optional<ZoneOffset> offset,
        boolean reportDate,
        List<Offense> offenses,
        List<String> drugTypes,
        long line) {

    Incident {
        Objects.requireNonNull(ori, "ori");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(date, "date");
        offenses = List.copyOf(offenses);
        drugTypes = List.copyOf(drugTypes);
        if (offenses.isEmpty()) {
            throw new IllegalArgumentException("an incident has at least one offense");
        }
    }

    /** ORI and incident number: incident numbers are only unique within one agency. */
    static String sourceId(String ori, String number) {
        return ori + "-" + number;
    }

    String sourceId() {
        return sourceId(ori, number);
    }

    /**
     * The offense that decides the incident's category and code: the first category in the programme's precedence;
     * within it a Part I offense, then the more serious by the offense table (35A before 35B, 11A before 11D), then
     * the first in the source.
     */
    Offense deciding() {
        Comparator<Offense> order = Comparator.comparing(Offense::category)
                .thenComparing(Offense::partOne, Comparator.reverseOrder())
                .thenComparingInt(Offense::rank);
        Offense best = offenses.get(0);
        for (Offense o : offenses) {
            if (order.compare(o, best) < 0) {
                best = o;
            }
        }
        return best;
    }

    CrimeRecord toRecord(ZoneId zone) {
        LocalTime at = time.orElse(LocalTime.MIDNIGHT);
        // a local time that falls in a daylight-saving gap moves forward, as ZonedDateTime.of does
        Instant occurred = offset.isPresent()
                ? date.atTime(at).toInstant(offset.get())
                : ZonedDateTime.of(date, at, zone).toInstant();
        Offense deciding = deciding();
        boolean partOne = offenses.stream().anyMatch(Offense::partOne);
        boolean drugs = offenses.stream().anyMatch(Offense::isDrugOffense);
        Optional<String> drugType = drugs && !drugTypes.isEmpty()
                ? Optional.of(String.join("; ", new LinkedHashSet<>(drugTypes)))
                : Optional.empty();
        return new CrimeRecord(
                RecordKind.INCIDENT,
                sourceId(),
                occurred,
                Optional.empty(),
                reportDate ? Optional.of(occurred) : Optional.empty(),
                deciding.code(),
                deciding.name(),
                deciding.category(),
                partOne,
                deciding.isNibrsCode() ? Optional.of(deciding.code()) : Optional.empty(),
                drugType,
                Optional.empty(),
                "",
                "",
                ori,
                line);
    }
}
