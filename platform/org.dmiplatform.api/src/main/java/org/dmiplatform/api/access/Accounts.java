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

    /** @throws java.util.NoSuchElementException if there is no such account */
    SecondFactor secondFactor(long id);

    /**
     * Starts enrolment in the second factor: a new secret, pending until {@link #confirmSecondFactor} (or, during a
     * log-in, {@link #verifySecondFactor}) is given a code from it. Replaces a pending secret. Audited, without the
     * secret.
     *
     * @throws InvalidInputException when the account already has an active second factor
     */
    SecondFactorEnrolment enrolSecondFactor(long id, Actor actor);

    /**
     * Starts enrolment from the account page: as {@link #enrolSecondFactor(long, Actor)}, after the holder's current
     * password, checked as a log-in checks it (a wrong one counts toward the lock) but recorded as no log-in. Wipes
     * {@code password}.
     *
     * @throws InvalidInputException when the account already has an active second factor
     * @throws LoginRefusedException when the password is wrong or the account locked; nothing is replaced
     */
    SecondFactorEnrolment enrolSecondFactor(long id, char[] password, Actor actor);

    /**
     * Confirms a pending enrolment with a first code from the app: the second factor is active from now on.
     *
     * @throws InvalidInputException when nothing is pending or the code is not right
     */
    void confirmSecondFactor(long id, String code, Actor actor);

    /**
     * The second step of a log-in: checks a code against the active secret or, for an account that is enrolling,
     * the pending one, which a right code confirms. A code is accepted once (its 30-second step is kept) and from
     * the steps just before and after the current one. A wrong code counts as a failed log-in toward the lock; a
     * locked account answers as a wrong code does.
     *
     * @throws LoginRefusedException when the code is refused
     */
    User verifySecondFactor(long id, String code, String from);

    /**
     * Turns one's own second factor off, with the password and a current code. Wipes {@code password}.
     *
     * @throws InvalidInputException for an account that must keep it, or nothing to turn off
     * @throws LoginRefusedException when the password or code is wrong (counted as a failed log-in)
     */
    void disableSecondFactor(long id, char[] password, String code, Actor actor);

    /**
     * Removes another account's second factor, for a holder who lost their app; they enrol again (an administrator
     * at their next log-in). Audited.
     *
     * @throws InvalidInputException when the actor is the account itself
     */
    void resetSecondFactor(long id, Actor actor);
}
