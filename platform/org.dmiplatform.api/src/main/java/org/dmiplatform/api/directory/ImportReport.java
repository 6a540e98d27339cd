package org.dmiplatform.api.directory;

import java.time.Instant;
import java.util.List;
import org.dmiplatform.api.InputError;

/**
 * What an import took and what it left.
 *
 * @param format {@code HSDS 3.0} or {@code HSDS 1.1}, as detected
 * @param services services taken
 * @param organizations organisations taken
 * @param locations locations taken
 * @param rejected every row not taken or field not used: file, row, field and reason
 * @param notes what was noticed but did not stop a row (declared resources missing, headers renamed, spaces trimmed)
 * @param importedAt when
 */
public record ImportReport(
        String format,
        int services,
        int organizations,
        int locations,
        List<InputError> rejected,
        List<String> notes,
        Instant importedAt) {
    public ImportReport {
        rejected = List.copyOf(rejected);
        notes = List.copyOf(notes);
    }
}
