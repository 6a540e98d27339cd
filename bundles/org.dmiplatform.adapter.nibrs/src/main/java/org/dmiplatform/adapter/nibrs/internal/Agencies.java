package org.dmiplatform.adapter.nibrs.internal;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The agencies (ORIs) a site keeps; none named keeps every agency. State programmes and the Crime Data Explorer
 * ship several agencies in one file, and a site wants its own.
 */
record Agencies(Set<String> oris) {
    static final Agencies ALL = new Agencies(Set.of());

    Agencies {
        oris = Set.copyOf(oris);
    }

    /** Reads a configuration value: ORIs separated by commas or blanks. */
    static Agencies parse(String value) {
        if (value == null || value.isBlank()) {
            return ALL;
        }
        Set<String> oris = new LinkedHashSet<>();
        Arrays.stream(value.split("[,\\s]+"))
                .map(s -> s.trim().toUpperCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .forEach(oris::add);
        return new Agencies(oris);
    }

    boolean keeps(String ori) {
        return oris.isEmpty() || oris.contains(ori.trim().toUpperCase(Locale.ROOT));
    }

    String skipReason(String ori) {
        return "agency " + ori + " is not one of this site's agencies ("
                + String.join(", ", oris.stream().sorted().toList()) + ")";
    }
}
