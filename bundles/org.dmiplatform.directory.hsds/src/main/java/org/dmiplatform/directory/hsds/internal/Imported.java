package org.dmiplatform.directory.hsds.internal;

import java.util.List;
import org.dmiplatform.directory.listing.Listing;

/**
 * What a package gave: the HSDS version it is written in ({@code HSDS 3.0}, {@code HSDS 1.1}) and the services
 * taken from it.
 */
record Imported(String format, List<Listing> services) {
    Imported {
        services = List.copyOf(services);
    }
}
