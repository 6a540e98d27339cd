package org.dmiplatform.adapter.nibrs.internal;

import java.util.Objects;
import java.util.regex.Pattern;
import org.dmiplatform.api.records.Category;

/**
 * One offense of an incident, in the programme's terms.
 *
 * @param code the offense code as the source gives it (a NIBRS code such as 35A, or the extract's pseudo-code 23*)
 * @param name the FBI's name of the offense
 * @param category the programme's category of the offense
 * @param partOne true for a UCR Part I offense
 * @param rank its place in the adapter's offense table, most serious first within a category (murder before
 *     robbery before aggravated assault); offenses the table lacks come last
 */
record Offense(String code, String name, Category category, boolean partOne, int rank) {
    static final int UNRANKED = Integer.MAX_VALUE;

    private static final Pattern NIBRS_CODE = Pattern.compile("[0-9]{2}[0-9A-Z]");

    Offense {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
    }

    /** True for a real NIBRS code; the extract's 23* (larceny, kind not specified) is none. */
    boolean isNibrsCode() {
        return NIBRS_CODE.matcher(code).matches();
    }

    boolean isDrugOffense() {
        return category == Category.DRUG;
    }
}
