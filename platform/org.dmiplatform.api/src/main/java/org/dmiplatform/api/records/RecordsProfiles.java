package org.dmiplatform.api.records;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The sites' records profiles, as provisioned from {@code site-configs/<site>/profiles/}. A profile edited there and
 * provisioned again applies from the next import.
 */
@ProviderType
public interface RecordsProfiles {

    /**
     * A site's profile by file name ({@code chicago-clear.json}; the {@code .json} may be left out).
     *
     * @throws org.dmiplatform.api.InvalidInputException naming the file, line, field and reason of every mistake in
     *     it, or that the site has no such profile
     */
    RecordsProfile profile(String site, String name);

    /** The names of a site's profiles. */
    List<String> names(String site);
}
