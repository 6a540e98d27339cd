package org.dmiplatform.api.access;

import java.util.List;
import java.util.Objects;

/** What it takes to create an account. The password is wiped by the platform once hashed. */
public record NewUser(String username, String displayName, char[] password, List<Grant> grants) {
    public NewUser {
        Objects.requireNonNull(username, "username");
        displayName = Objects.requireNonNullElse(displayName, username);
        Objects.requireNonNull(password, "password");
        grants = List.copyOf(Objects.requireNonNullElse(grants, List.of()));
    }

    @Override
    public String toString() {
        return "NewUser[username=" + username + ", grants=" + grants + "]";
    }
}
