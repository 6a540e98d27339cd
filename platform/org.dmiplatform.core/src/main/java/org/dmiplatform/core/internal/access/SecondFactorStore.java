package org.dmiplatform.core.internal.access;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.storage.Sql;

/** The {@code user_second_factors} rows (V23): every statement on them, in one place. */
final class SecondFactorStore {
    private SecondFactorStore() {}

    /**
     * One account's second factor as stored.
     *
     * @param enrolledAt empty while the enrolment is pending
     * @param lastStep the time-step of the last code accepted, if any
     */
    record Stored(String secret, Optional<Instant> enrolledAt, Optional<Long> lastStep) {
        boolean active() {
            return enrolledAt.isPresent();
        }

        @Override
        public String toString() {
            return "Stored[active=" + active() + "]";
        }
    }

    /** The row, locked until the transaction ends where the store locks rows. */
    static Optional<Stored> find(Connection c, Dialect dialect, long userId) throws SQLException {
        return Sql.one(
                c,
                "SELECT secret, enrolled_at, last_step FROM user_second_factors WHERE user_id = ?"
                        + dialect.forUpdate(),
                rs -> {
                    Optional<Instant> enrolledAt = Optional.ofNullable(Sql.instant(rs, 2));
                    long last = rs.getLong(3);
                    return new Stored(rs.getString(1), enrolledAt, rs.wasNull() ? Optional.empty() : Optional.of(last));
                },
                userId);
    }

    /** A new pending secret in place of whatever the account had. */
    static void startEnrolment(Connection c, long userId, String secret, Instant now) throws SQLException {
        remove(c, userId);
        Sql.update(
                c,
                "INSERT INTO user_second_factors (user_id, secret, created_at, enrolled_at, last_step)"
                        + " VALUES (?, ?, ?, NULL, NULL)",
                userId,
                secret,
                now);
    }

    /**
     * Takes a code's step as the last one used, and confirms a pending enrolment at {@code now}; false when a code of
     * that step or a later one was accepted meanwhile.
     */
    static boolean accept(Connection c, long userId, long step, Instant now) throws SQLException {
        return Sql.update(
                        c,
                        "UPDATE user_second_factors SET last_step = ?, enrolled_at = COALESCE(enrolled_at, ?)"
                                + " WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)",
                        step,
                        now,
                        userId,
                        step)
                == 1;
    }

    static boolean remove(Connection c, long userId) throws SQLException {
        return Sql.update(c, "DELETE FROM user_second_factors WHERE user_id = ?", userId) > 0;
    }
}
