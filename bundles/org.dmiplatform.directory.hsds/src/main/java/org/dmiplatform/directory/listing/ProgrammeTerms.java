package org.dmiplatform.directory.listing;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.dmiplatform.api.programme.Market.ServiceCategory;

/**
 * The programme's own taxonomy of the six kinds of service, as a local directory files its services and its export
 * names them ({@code dmi:drug-treatment}, "Drug treatment"): a service filed under it keeps exactly those kinds when
 * any directory reads it back.
 */
public final class ProgrammeTerms {
    /** The vocabulary's name, as the export gives it. */
    public static final String TAXONOMY = "DMI programme: kinds of service";

    private ProgrammeTerms() {}

    /** The term for one kind: code {@code dmi:job-training}, name "Job training". */
    public static Listing.Term term(ServiceCategory c) {
        String words = c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return new Listing.Term(
                "dmi:" + id(c), Character.toUpperCase(words.charAt(0)) + words.substring(1), "", TAXONOMY);
    }

    /** The kinds a listing is filed under in the programme's taxonomy; empty when it uses none of its terms. */
    public static Set<ServiceCategory> categories(Listing l) {
        Set<ServiceCategory> out = EnumSet.noneOf(ServiceCategory.class);
        for (Listing.Term t : l.terms()) {
            if (t.taxonomy().equals(TAXONOMY) && t.code().startsWith("dmi:")) {
                for (ServiceCategory c : ServiceCategory.values()) {
                    if (id(c).equals(t.code().substring(4))) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    private static String id(ServiceCategory c) {
        return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
