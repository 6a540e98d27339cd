package org.dmiplatform.api.access;

import java.util.List;
import java.util.Optional;

/** A change to an account; an empty field leaves that part as it is. */
public record UserChange(Optional<String> displayName, Optional<List<Grant>> grants, Optional<Boolean> enabled) {
    public static UserChange none() {
        return new UserChange(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public UserChange withGrants(List<Grant> newGrants) {
        return new UserChange(displayName, Optional.of(List.copyOf(newGrants)), enabled);
    }

    public UserChange withEnabled(boolean value) {
        return new UserChange(displayName, grants, Optional.of(value));
    }

    public UserChange withDisplayName(String value) {
        return new UserChange(Optional.of(value), grants, enabled);
    }
}
