package org.dmiplatform.api.access;

import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.InvalidInputException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * User accounts, stored with a salted slow password hash. Every change and every log-in attempt is written to the
 * audit log by the implementation, whoever calls it.
 */
@ProviderType
public interface Accounts {

    /**
     * @throws InvalidInputException for a taken user name, a weak password or a grant at an unknown site
     */
    User create(NewUser user, Actor actor);

    /** @throws InvalidInputException when the change is invalid; {@link java.util.NoSuchElementException} if none */
    User update(long id, UserChange change, Actor actor);

    Optional<User> find(long id);

    Optional<User> findByUsername(String username);

    List<User> list();

    /** Sets a new password (checked against the policy). Wipes {@code password}. */
    void setPassword(long id, char[] password, Actor actor);

    /**
     * A user's change of their own password: the current one is checked as a log-in would check it (a wrong one is a
     * failed log-in, counted and audited), then the new one is set; one audit entry, {@code user.password}, records
     * the change. Wipes both passwords.
     *
     * @throws LoginRefusedException when the current password is wrong or the account locked or disabled
     */
    void changeOwnPassword(long id, char[] current, char[] password, Actor actor);

    /** Releases an account locked by failed log-ins. */
    void unlock(long id, Actor actor);

    /**
     * Checks a user name and password. Counts failures; the fifth within fifteen minutes locks the account.
     * Wipes {@code password}.
     *
     * @throws LoginRefusedException when the log-in is refused
     */
    User authenticate(String username, char[] password, String from);

    /** True when at least one enabled {@link Role#TTA_ADMIN} exists. */
    boolean administratorExists();
}
