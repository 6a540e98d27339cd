package org.dmiplatform.core.internal.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.LoginRefusedException.Reason;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.SecondFactor;
import org.dmiplatform.api.access.SecondFactorEnrolment;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;
import org.dmiplatform.core.internal.StartSettings;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in the platform database. CJIS AC-7: five failures within fifteen minutes lock the account, wrong
 * second-factor codes counted with wrong passwords. CJIS IA-2(1): administrators must have a second factor, except the
 * demo accounts in demo mode.
 */
@Component(service = Accounts.class, configurationPid = "org.dmiplatform.accounts")
@Designate(ocd = AccountsImpl.Config.class)
public class AccountsImpl implements Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsImpl.class);
    /** Whose holders must have a second factor: whoever manages accounts. */
    static final Set<Role> SECOND_FACTOR_ROLES = EnumSet.of(Role.TTA_ADMIN, Role.SITE_ADMIN);

    /**
     * The user names of the accounts the demo creates ({@code Demo}); only the platform itself creates such accounts, and
     * in demo mode only they may log in as administrators without a second factor.
     */
    public static final String DEMO_ACCOUNT_PREFIX = "demo-";

    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{2,63}");
    private static final String SOURCE = "user";

    @ObjectClassDefinition(name = "DMI accounts")
    public @interface Config {
        @AttributeDefinition(description = "PBKDF2-HMAC-SHA256 iterations for new password hashes")
        int passwordIterations() default PasswordHasher.RECOMMENDED_ITERATIONS;
    }

    private final Database database;
    private final AuditLog audit;
    private final Sites sites;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final boolean administratorsNeedSecondFactor;
    private final AuthenticatorCodes codes = new AuthenticatorCodes();

    @Activate
    public AccountsImpl(
            @Reference Database database,
            @Reference AuditLog audit,
            @Reference Sites sites,
            Config config,
            BundleContext context) {
        this(
                database,
                audit,
                sites,
                Clock.systemUTC(),
                new PasswordHasher(config.passwordIterations()),
                PasswordPolicy.standard(),
                !StartSettings.demo(context));
        if (StartSettings.demo(context)) {
            LOG.warn(
                    "Demo mode: the demo accounts ({}...) may log in as administrators without a second factor; every"
                            + " other administrator still needs one (as a production start requires of all)",
                    DEMO_ACCOUNT_PREFIX);
        }
    }

    /** Accounts whose administrators must have a second factor, as in production. */
    public AccountsImpl(
            Database database, AuditLog audit, Sites sites, Clock clock, PasswordHasher hasher, PasswordPolicy policy) {
        this(database, audit, sites, clock, hasher, policy, true);
    }

    /**
     * @param administratorsNeedSecondFactor false only in demo mode, and then only of the demo accounts (user names
     *     starting {@link #DEMO_ACCOUNT_PREFIX}): other administrators need one all the same
     */
    public AccountsImpl(
            Database database,
            AuditLog audit,
            Sites sites,
            Clock clock,
            PasswordHasher hasher,
            PasswordPolicy policy,
            boolean administratorsNeedSecondFactor) {
        this.database = database;
        this.audit = audit;
        this.sites = sites;
        this.clock = clock;
        this.hasher = hasher;
        this.policy = policy;
        this.administratorsNeedSecondFactor = administratorsNeedSecondFactor;
    }

    @Override
    public User create(NewUser user, Actor actor) {
        try {
            List<InputError> errors = new ArrayList<>();
            if (!USERNAME.matcher(user.username()).matches()) {
                errors.add(InputError.of(
                        SOURCE,
                        "username",
                        "must be 3-64 characters: letters, digits and . _ @ - (starting with a letter or digit)"));
            } else if (isDemoAccount(user.username()) && !Actor.SYSTEM.equals(actor)) {
                errors.add(InputError.of(
                        SOURCE,
                        "username",
                        "may not start with '" + DEMO_ACCOUNT_PREFIX + "': that is kept for the demo's own accounts"));
            }
            errors.addAll(checkDisplayName(user.displayName()));
            policy.check(user.username(), user.password())
                    .ifPresent(reason -> errors.add(InputError.of(SOURCE, "password", reason)));
            errors.addAll(checkGrants(user.grants()));
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            String hash = hasher.hash(user.password());
            Instant now = clock.instant();
            User created = database.transaction(connection -> {
                if (findByUsername(connection, user.username()).isPresent()) {
                    throw new InvalidInputException(
                            InputError.of(SOURCE, "username", "'" + user.username() + "' is already taken"));
                }
                long id;
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO users (username, username_key, display_name, password_hash, enabled, locked,"
                                + " failed_logins, created_at, password_changed_at)"
                                + " VALUES (?, ?, ?, ?, TRUE, FALSE, 0, ?, ?)",
                        new String[] {"id"})) {
                    ps.setString(1, user.username());
                    ps.setString(2, key(user.username()));
                    ps.setString(3, user.displayName().strip());
                    ps.setString(4, hash);
                    Sql.set(ps, 5, now);
                    Sql.set(ps, 6, now);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                writeGrants(connection, id, user.grants());
                return find(connection, id).orElseThrow();
            });
            record(actor, created, "user.create", AuditOutcome.SUCCESS, "roles " + created.grants());
            return created;
        } finally {
            Arrays.fill(user.password(), '\0');
        }
    }

    @Override
    public User update(long id, UserChange change, Actor actor) {
        List<InputError> errors = new ArrayList<>();
        change.displayName().ifPresent(name -> errors.addAll(checkDisplayName(name)));
        change.grants().ifPresent(grants -> errors.addAll(checkGrants(grants)));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        User updated = database.transaction(connection -> {
            find(connection, id).orElseThrow(() -> new NoSuchElementException("no user " + id));
            if (change.displayName().isPresent()) {
                update(
                        connection,
                        "UPDATE users SET display_name = ? WHERE id = ?",
                        change.displayName().get().strip(),
                        id);
            }
            if (change.enabled().isPresent()) {
                update(
                        connection,
                        "UPDATE users SET enabled = ? WHERE id = ?",
                        change.enabled().get(),
                        id);
            }
            if (change.grants().isPresent()) {
                try (PreparedStatement ps = connection.prepareStatement("DELETE FROM user_grants WHERE user_id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                writeGrants(connection, id, change.grants().get());
            }
            return find(connection, id).orElseThrow();
        });
        record(actor, updated, "user.update", AuditOutcome.SUCCESS, describe(change));
        return updated;
    }

    @Override
    public Optional<User> find(long id) {
        return database.read(connection -> find(connection, id));
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return database.read(connection -> findByUsername(connection, username));
    }

    @Override
    public List<User> list() {
        return database.read(connection -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM users ORDER BY username_key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            Map<Long, List<Grant>> grants = grants(connection, null);
            List<User> users = new ArrayList<>();
            for (long id : ids) {
                users.add(
                        find(connection, id, grants.getOrDefault(id, List.of())).orElseThrow());
            }
            return users;
        });
    }

    @Override
    public void setPassword(long id, char[] password, Actor actor) {
        try {
            User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
            policy.check(user.username(), password).ifPresent(reason -> {
                throw new InvalidInputException(InputError.of(SOURCE, "password", reason));
            });
            String hash = hasher.hash(password);
            database.transaction(connection -> {
                try (PreparedStatement ps = connection.prepareStatement(
                        "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?")) {
                    ps.setString(1, hash);
                    Sql.set(ps, 2, clock.instant());
                    ps.setLong(3, id);
                    return ps.executeUpdate();
                }
            });
            record(actor, user, "user.password", AuditOutcome.SUCCESS, "");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public void unlock(long id, Actor actor) {
        User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
        database.transaction(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE users SET locked = FALSE, failed_logins = 0, first_failed_at = NULL WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate();
            }
        });
        record(actor, user, "user.unlock", AuditOutcome.SUCCESS, "");
    }

    /** What a log-in needs of the stored account. */
    private record Credentials(
            long id,
            String username,
            String hash,
            boolean enabled,
            boolean locked,
            int failures,
            Instant firstFailure) {}

    @Override
    public void changeOwnPassword(long id, char[] current, char[] password, Actor actor) {
        try {
            User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
            // checked as a log-in is, but no log-in happened: the change below is the one entry of a success
            check(user.username(), current, actor.from(), false);
            setPassword(id, password, actor);
        } finally {
            Arrays.fill(current, '\0');
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public User authenticate(String username, char[] password, String from) {
        return check(username, password, from, true);
    }

    /** Checks the password as a log-in; audits refusals, and a success only when it is a log-in. */
    private User check(String username, char[] password, String from, boolean logIn) {
        try {
            Actor actor = new Actor(username == null ? "-" : cut(username), from);
            Optional<Credentials> found = username == null
                    ? Optional.empty()
                    : database.read(connection -> credentials(connection, username));
            if (found.isEmpty()) {
                hasher.burn(password);
                throw refuse(actor, Reason.BAD_CREDENTIALS, "unknown user name", "");
            }
            Credentials account = found.get();
            boolean matches = hasher.matches(password, account.hash());
            String target = "user:" + account.id();
            if (account.locked()) {
                throw matches
                        ? refuse(actor, Reason.LOCKED, "account locked", target)
                        : refuse(actor, Reason.BAD_CREDENTIALS, "wrong password on a locked account", target);
            }
            if (!matches) {
                failedLogIn(account, actor);
                throw refuse(actor, Reason.BAD_CREDENTIALS, "wrong password", target);
            }
            if (!account.enabled()) {
                throw refuse(actor, Reason.DISABLED, "account disabled", target);
            }
            String rehash = hasher.isOutdated(account.hash()) ? hasher.hash(password) : null;
            // with a second factor to come the log-in is not done: the failures counted so far stand (or a right
            // password would buy four more guesses at the code each time), and "login" is written after the code
            boolean codeToCome = secondFactor(account.id()).needed();
            int unlocked = database.transaction(connection -> {
                try (PreparedStatement ps = connection.prepareStatement("UPDATE users SET"
                        + (codeToCome ? "" : " failed_logins = 0, first_failed_at = NULL,")
                        + " password_hash = COALESCE(?, password_hash) WHERE id = ? AND locked = FALSE")) {
                    ps.setString(1, rehash);
                    ps.setLong(2, account.id());
                    return ps.executeUpdate();
                }
            });
            if (unlocked == 0) {
                // locked by failures counted since the read above
                throw refuse(actor, Reason.LOCKED, "account locked", target);
            }
            User user = find(account.id()).orElseThrow();
            if (logIn) {
                audit.record(new AuditEvent(
                        user.username(),
                        "",
                        codeToCome ? "login.password" : "login",
                        target,
                        from,
                        AuditOutcome.SUCCESS,
                        codeToCome ? "password right; second factor to come" : ""));
            }
            return user;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** What a wrong password and a locked account both answer. */
    static final String REFUSED = "The user name or password is wrong, or the account is locked (after " + MAX_FAILURES
            + " failed log-ins an administrator must unlock it).";

    /**
     * What a wrong, stale or used second-factor code and a locked account answer at the code step: that step is reached
     * only with the right password, and there a lock reads as a wrong code.
     */
    static final String CODE_REFUSED = "The code is wrong or was used already, or the account is locked (after "
            + MAX_FAILURES + " failed log-ins an administrator must unlock it). Give the code the app shows now.";

    private LoginRefusedException refuse(Actor actor, Reason reason, String detail, String target) {
        return refuse(actor, reason, detail, target, REFUSED);
    }

    private LoginRefusedException refuse(Actor actor, Reason reason, String detail, String target, String refused) {
        audit.record(new AuditEvent(actor.name(), "", "login", target, actor.from(), AuditOutcome.FAILURE, detail));
        String message =
                switch (reason) {
                        // a locked account answers as a wrong password does, whichever password is given: no oracle
                    case LOCKED, BAD_CREDENTIALS -> refused;
                    case DISABLED -> "This account is disabled. Ask your site administrator.";
                    default -> refused;
                };
        return new LoginRefusedException(reason, message);
    }

    /** Counts a wrong password, and audits the lock when it was the one too many. */
    private void failedLogIn(Credentials account, Actor actor) {
        if (database.transaction(connection -> countFailure(connection, account.id()))) {
            auditLock(account.id(), actor);
        }
    }

    private void auditLock(long id, Actor actor) {
        audit.record(new AuditEvent(
                actor.name(),
                "",
                "user.lock",
                "user:" + id,
                actor.from(),
                AuditOutcome.SUCCESS,
                MAX_FAILURES + " failed log-ins within " + FAILURE_WINDOW.toMinutes() + " minutes"));
    }

    /**
     * Records a failed log-in in the caller's transaction; true when this failure locked the account. The count is
     * computed in the UPDATE, not written back from an earlier read, so failures sent at once are each counted: on
     * PostgreSQL the UPDATE's row lock holds the others until this transaction ends, on SQLite there is one writer.
     * A locked account counts no more failures.
     */
    private boolean countFailure(Connection connection, long id) throws SQLException {
        Instant now = clock.instant();
        Instant windowStart = now.minus(FAILURE_WINDOW);
        int counted = Sql.update(
                connection,
                "UPDATE users SET"
                        + " failed_logins = CASE WHEN first_failed_at > ? THEN failed_logins + 1 ELSE 1 END,"
                        + " first_failed_at = CASE WHEN first_failed_at > ? THEN first_failed_at ELSE ? END"
                        + " WHERE id = ? AND locked = FALSE",
                windowStart,
                windowStart,
                now,
                id);
        if (counted == 0) {
            return false;
        }
        int failures = Sql.one(connection, "SELECT failed_logins FROM users WHERE id = ?", rs -> rs.getInt(1), id)
                .orElseThrow();
        return failures >= MAX_FAILURES
                && Sql.update(connection, "UPDATE users SET locked = TRUE WHERE id = ? AND locked = FALSE", id) == 1;
    }

    @Override
    public SecondFactor secondFactor(long id) {
        return database.read(connection -> {
            User user = find(connection, id).orElseThrow(() -> new NoSuchElementException("no user " + id));
            Optional<SecondFactorStore.Stored> stored = SecondFactorStore.find(connection, database.dialect(), id);
            boolean active = stored.map(SecondFactorStore.Stored::active).orElse(false);
            return new SecondFactor(
                    active,
                    stored.isPresent() && !active,
                    stored.flatMap(SecondFactorStore.Stored::enrolledAt),
                    mustHaveSecondFactor(user));
        });
    }

    private boolean mustHaveSecondFactor(User user) {
        return SECOND_FACTOR_ROLES.stream().anyMatch(user::holds)
                && (administratorsNeedSecondFactor || !isDemoAccount(user.username()));
    }

    /** Whether the name is one the demo gives its accounts. */
    static boolean isDemoAccount(String username) {
        return key(username).startsWith(DEMO_ACCOUNT_PREFIX);
    }

    /** A second factor that is on is moved to another phone by turning it off, or by an administrator's reset. */
    private static InvalidInputException alreadyOn() {
        return new InvalidInputException(InputError.of(
                SOURCE,
                "secondFactor",
                "is already on; to move it to another phone, turn it off first (or ask an administrator to reset it)"));
    }

    @Override
    public SecondFactorEnrolment enrolSecondFactor(long id, Actor actor) {
        User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
        String secret = codes.newSecret();
        database.transaction(connection -> {
            if (SecondFactorStore.find(connection, database.dialect(), id)
                    .filter(SecondFactorStore.Stored::active)
                    .isPresent()) {
                throw alreadyOn();
            }
            SecondFactorStore.startEnrolment(connection, id, secret, clock.instant());
            return null;
        });
        record(actor, user, "user.second-factor.enrol", AuditOutcome.SUCCESS, "enrolment started");
        return codes.enrolment(secret, user.username());
    }

    @Override
    public SecondFactorEnrolment enrolSecondFactor(long id, char[] password, Actor actor) {
        try {
            User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
            if (secondFactor(id).active()) {
                throw alreadyOn();
            }
            // a hijacked session must not put another phone in place of the holder's: the password first, checked as a
            // log-in checks it, but no log-in happened: the enrolment is the one entry of a success
            check(user.username(), password, actor.from(), false);
            return enrolSecondFactor(id, actor);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public void confirmSecondFactor(long id, String code, Actor actor) {
        User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
        CodeCheck check = database.transaction(connection -> {
            Optional<SecondFactorStore.Stored> stored = SecondFactorStore.find(connection, database.dialect(), id);
            if (stored.isEmpty() || stored.get().active()) {
                throw new InvalidInputException(
                        InputError.of(SOURCE, "code", "no enrolment is waiting for a code; start the enrolment again"));
            }
            return check(connection, id, stored.get(), code);
        });
        if (check != CodeCheck.ACCEPTED) {
            record(actor, user, "user.second-factor.confirm", AuditOutcome.FAILURE, check.detail);
            throw new InvalidInputException(InputError.of(SOURCE, "code", WRONG_FIRST_CODE));
        }
        record(actor, user, "user.second-factor.confirm", AuditOutcome.SUCCESS, "");
    }

    static final String WRONG_FIRST_CODE = "is not the code the app shows for this enrolment; check that the phone's"
            + " clock is right, and that the app was set up from the code shown last";

    /** What became of a code. */
    private enum CodeCheck {
        ACCEPTED(""),
        WRONG("wrong second-factor code"),
        REPLAYED("second-factor code already used"),
        NONE("no second factor to check");

        final String detail;

        CodeCheck(String detail) {
            this.detail = detail;
        }
    }

    /**
     * Checks a code against a stored secret and, when right and not used before, takes its step (confirming a pending
     * enrolment). Runs in the caller's transaction, which has the row locked.
     */
    private CodeCheck check(Connection connection, long id, SecondFactorStore.Stored stored, String code)
            throws SQLException {
        Instant now = clock.instant();
        List<Long> steps = codes.steps(stored.secret(), code, now);
        Optional<Long> unused = steps.stream()
                .filter(step ->
                        stored.lastStep().isEmpty() || step > stored.lastStep().get())
                .findFirst();
        if (unused.isEmpty()) {
            return steps.isEmpty() ? CodeCheck.WRONG : CodeCheck.REPLAYED;
        }
        // the UPDATE re-checks the step, so of two requests racing with one code only one wins
        return SecondFactorStore.accept(connection, id, unused.get(), now) ? CodeCheck.ACCEPTED : CodeCheck.REPLAYED;
    }

    @Override
    public User verifySecondFactor(long id, String code, String from) {
        User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
        boolean enrolled = verifyCode(user, code, from);
        // one entry for the call: a first code that also confirmed the enrolment says so in the log-in's entry
        audit.record(new AuditEvent(
                user.username(),
                "",
                "login",
                "user:" + id,
                from,
                AuditOutcome.SUCCESS,
                enrolled ? "second factor; " + ENROLLED_AT_LOG_IN : "second factor"));
        return find(id).orElseThrow();
    }

    /** The detail of the log-in whose first code confirmed the second factor enrolled during it. */
    public static final String ENROLLED_AT_LOG_IN = "enrolment confirmed with this first code";

    /**
     * Checks a code as a log-in does: a wrong one counts toward the lock, a locked account is refused alike. Answers
     * whether the code confirmed a pending enrolment (the caller's entry says so).
     */
    private boolean verifyCode(User user, String code, String from) {
        long id = user.id();
        Actor actor = new Actor(user.username(), from);
        String target = "user:" + id;
        // one transaction: the second factor's row is locked (PostgreSQL) or the store has one writer (SQLite), so
        // codes sent at once are checked, and counted, one after the other against the lock as it stands
        CodeOutcome outcome = database.transaction(connection -> {
            Optional<SecondFactorStore.Stored> stored = SecondFactorStore.find(connection, database.dialect(), id);
            Optional<boolean[]> state = Sql.one(
                    connection,
                    "SELECT locked, enabled FROM users WHERE id = ?",
                    rs -> new boolean[] {rs.getBoolean(1), rs.getBoolean(2)},
                    id);
            if (state.isEmpty()) {
                throw new NoSuchElementException("no user " + id);
            }
            if (state.get()[0]) {
                return new CodeOutcome(null, true, false, false, false);
            }
            if (stored.isEmpty()) {
                return new CodeOutcome(CodeCheck.NONE, false, false, false, false);
            }
            boolean pending = !stored.get().active();
            CodeCheck check = check(connection, id, stored.get(), code);
            boolean enabled = state.get()[1];
            if (check != CodeCheck.ACCEPTED) {
                return new CodeOutcome(check, false, countFailure(connection, id), pending, enabled);
            }
            if (enabled) {
                Sql.update(connection, "UPDATE users SET failed_logins = 0, first_failed_at = NULL WHERE id = ?", id);
            }
            return new CodeOutcome(check, false, false, pending, enabled);
        });
        if (outcome.locked()) {
            throw refuse(actor, Reason.LOCKED, "second-factor code on a locked account", target, CODE_REFUSED);
        }
        if (outcome.check() == CodeCheck.NONE) {
            // reset between the password and the code: the log-in starts again
            throw refuse(actor, Reason.BAD_CREDENTIALS, outcome.check().detail, target, CODE_REFUSED);
        }
        if (outcome.check() != CodeCheck.ACCEPTED) {
            if (outcome.lockedNow()) {
                auditLock(id, actor);
            }
            throw refuse(actor, Reason.BAD_CREDENTIALS, outcome.check().detail, target, CODE_REFUSED);
        }
        if (!outcome.enabled()) {
            throw refuse(actor, Reason.DISABLED, "account disabled", target);
        }
        return outcome.wasPending();
    }

    /**
     * What became of a code at log-in.
     *
     * @param check null when the account was locked
     * @param lockedNow this wrong code locked the account
     */
    private record CodeOutcome(
            CodeCheck check, boolean locked, boolean lockedNow, boolean wasPending, boolean enabled) {}

    @Override
    public void disableSecondFactor(long id, char[] password, String code, Actor actor) {
        try {
            User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
            SecondFactor factor = secondFactor(id);
            if (factor.required()) {
                throw new InvalidInputException(InputError.of(
                        SOURCE,
                        "secondFactor",
                        "an administrator's account must keep its second factor; to move it to another phone, ask"
                                + " another administrator to reset it"));
            }
            if (!factor.active() && !factor.pending()) {
                throw new InvalidInputException(InputError.of(SOURCE, "secondFactor", "is not on"));
            }
            // the password is checked as a log-in checks it, but this is no log-in: the one entry is the disabling
            check(user.username(), password, actor.from(), false);
            if (factor.active()) {
                verifyCode(user, code, actor.from());
            }
            database.transaction(connection -> SecondFactorStore.remove(connection, id));
            record(actor, user, "user.second-factor.disable", AuditOutcome.SUCCESS, "");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public void resetSecondFactor(long id, Actor actor) {
        User user = find(id).orElseThrow(() -> new NoSuchElementException("no user " + id));
        if (user.username().equalsIgnoreCase(actor.name())) {
            throw new InvalidInputException(InputError.of(
                    SOURCE,
                    "secondFactor",
                    "you cannot reset your own second factor; another administrator (or the platform shell) can"));
        }
        boolean removed = database.transaction(connection -> SecondFactorStore.remove(connection, id));
        record(
                actor,
                user,
                "user.second-factor.reset",
                AuditOutcome.SUCCESS,
                removed ? "second factor removed; the holder enrols again" : "had none");
    }

    @Override
    public boolean administratorExists() {
        return database.read(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM user_grants g JOIN users u"
                    + " ON u.id = g.user_id WHERE g.role_id = ? AND u.enabled = TRUE AND u.locked = FALSE")) {
                ps.setMaxRows(1);
                ps.setString(1, Role.TTA_ADMIN.id());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private List<InputError> checkGrants(List<Grant> grants) {
        List<InputError> errors = new ArrayList<>();
        for (Grant grant : grants) {
            if (!grant.role().isNational() && sites.find(grant.site()).isEmpty()) {
                errors.add(InputError.of(
                        SOURCE,
                        "grants",
                        "no site '" + grant.site() + "' is provisioned (for role " + grant.role()
                                + "); provision it first"));
            }
        }
        return errors;
    }

    private static List<InputError> checkDisplayName(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            return List.of(InputError.of(SOURCE, "displayName", "must be 1-200 characters"));
        }
        return List.of();
    }

    private void record(Actor actor, User user, String action, AuditOutcome outcome, String detail) {
        audit.record(
                new AuditEvent(actor.name(), siteOf(user), action, "user:" + user.id(), actor.from(), outcome, detail));
    }

    /** The site an account belongs to, for filtering the audit log by site; empty for national accounts. */
    private static String siteOf(User user) {
        return user.memberOf().size() == 1 ? user.memberOf().iterator().next() : "";
    }

    private static String describe(UserChange change) {
        List<String> parts = new ArrayList<>();
        change.displayName().ifPresent(n -> parts.add("display name"));
        change.enabled().ifPresent(e -> parts.add(e ? "enabled" : "disabled"));
        change.grants().ifPresent(g -> parts.add("roles " + g));
        return String.join(", ", parts);
    }

    private static void writeGrants(Connection connection, long userId, List<Grant> grants) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("INSERT INTO user_grants (user_id, site_id, role_id) VALUES (?, ?, ?)")) {
            for (Grant grant : new java.util.LinkedHashSet<>(grants)) {
                ps.setLong(1, userId);
                ps.setString(2, grant.site());
                ps.setString(3, grant.role().id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void update(Connection connection, String sql, Object value, long id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setObject(1, value);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private static Optional<Credentials> credentials(Connection connection, String username) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, username, password_hash, enabled, locked,"
                + " failed_logins, first_failed_at FROM users WHERE username_key = ?")) {
            ps.setString(1, key(username));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant first = Sql.instant(rs, 7);
                return Optional.of(new Credentials(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        rs.getInt(6),
                        first));
            }
        }
    }

    private static Optional<User> findByUsername(Connection connection, String username) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM users WHERE username_key = ?")) {
            ps.setString(1, key(username));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? find(connection, rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static Optional<User> find(Connection connection, long id) throws SQLException {
        return find(connection, id, grants(connection, id).getOrDefault(id, List.of()));
    }

    private static Optional<User> find(Connection connection, long id, List<Grant> grants) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, username, display_name, enabled, locked, created_at FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new User(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        grants,
                        rs.getBoolean(4),
                        rs.getBoolean(5),
                        Sql.instant(rs, 6)));
            }
        }
    }

    /** Grants of one user, or of every user when {@code onlyUser} is null. */
    private static Map<Long, List<Grant>> grants(Connection connection, Long onlyUser) throws SQLException {
        Map<Long, List<Grant>> out = new LinkedHashMap<>();
        String sql =
                "SELECT user_id, site_id, role_id FROM user_grants" + (onlyUser == null ? "" : " WHERE user_id = ?");
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (onlyUser != null) {
                ps.setLong(1, onlyUser);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long userId = rs.getLong(1);
                    String site = rs.getString(2);
                    Optional<Role> role = Role.byId(rs.getString(3));
                    if (role.isPresent()) {
                        out.computeIfAbsent(userId, k -> new ArrayList<>()).add(new Grant(role.get(), site));
                    }
                }
            }
        }
        return out;
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static String cut(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64);
    }
}
