package org.dmiplatform.api.programme;

import java.util.Optional;
import org.dmiplatform.api.Identified;

/** Where a step or checklist item stands in an intervention. */
public enum Progress implements Identified {
    NOT_STARTED("not-started"),
    IN_PROGRESS("in-progress"),
    DONE("done"),
    BLOCKED("blocked"),
    NOT_APPLICABLE("not-applicable");

    private final String id;

    Progress(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** In progress or done: what a gate refuses while its requirements are unmet. */
    public boolean underWay() {
        return this == IN_PROGRESS || this == DONE;
    }

    public static Optional<Progress> byId(String id) {
        return Identified.byId(Progress.class, id);
    }

    @Override
    public String toString() {
        return id;
    }
}
