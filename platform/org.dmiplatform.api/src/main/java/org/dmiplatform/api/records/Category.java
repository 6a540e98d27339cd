package org.dmiplatform.api.records;

import java.util.Optional;
import org.dmiplatform.api.Identified;

/**
 * The normalised category of a record, beside its original code: the crimes Step 1 asks to map (drugs, weapons,
 * sex, prostitution), the UCR Part I groups, disorder, and the rest.
 *
 * <p>The order of the constants is the programme's precedence: where one incident carries several offences, it is
 * counted under the first of their categories in this order (a drug sale with a gun is a drug record).
 */
public enum Category implements Identified {
    DRUG("drug"),
    WEAPONS("weapons"),
    SEX_OFFENSE("sex-offense"),
    PROSTITUTION("prostitution"),
    VIOLENT_PART_I("violent-part-i"),
    PROPERTY_PART_I("property-part-i"),
    DISORDER("disorder"),
    OTHER("other");

    private final String id;

    Category(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    public static Optional<Category> byId(String id) {
        return Identified.byId(Category.class, id);
    }
}
