package org.dmiplatform.directory.listing;

import java.util.List;

/**
 * A site's imported directory as it is kept in {@code services.json}: the HSDS version and file it came from, when,
 * and its services.
 *
 * @param importedAt an ISO-8601 instant
 */
public record Directory(String format, String source, String importedAt, List<Listing> services) {
    public Directory {
        services = List.copyOf(services);
    }
}
