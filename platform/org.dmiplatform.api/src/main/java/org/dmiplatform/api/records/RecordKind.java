package org.dmiplatform.api.records;

import java.util.Optional;
import org.dmiplatform.api.Identified;

/** The three kinds of record the programme maps (Step 1: calls for service, crimes, field contacts). */
public enum RecordKind implements Identified {
    INCIDENT("incident"),
    CALL_FOR_SERVICE("call-for-service"),
    FIELD_CONTACT("field-contact");

    private final String id;

    RecordKind(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    public static Optional<RecordKind> byId(String id) {
        return Identified.byId(RecordKind.class, id);
    }
}
