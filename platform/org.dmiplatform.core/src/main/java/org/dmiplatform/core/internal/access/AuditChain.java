package org.dmiplatform.core.internal.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog.Verification;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.core.internal.storage.Sql;

/**
 * The audit log's hash chain: each entry's hash covers the previous entry's hash and every field of its own, so
 * editing, inserting or deleting a row breaks the chain from there on. Plain JDBC and no logging, so that the backup
 * tool can verify a restored store without the platform running.
 */
public final class AuditChain {
    static final String GENESIS = "0".repeat(64);

    static final String SELECT = "SELECT id, occurred_at, actor, site_id, action_name, target,"
            + " from_address, outcome, detail, prev_hash, entry_hash FROM audit_log";

    private AuditChain() {}

    /** Walks the whole log in id order, checking each link and that the head names the newest entry. */
    public static Verification verify(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SELECT + " ORDER BY id")) {
            ps.setFetchSize(1000);
            String previous = GENESIS;
            long expectedId = 1;
            long checked = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditEntry entry = entry(rs);
                    String storedPrevious = rs.getString("prev_hash").trim();
                    boolean intact = entry.id() == expectedId
                            && storedPrevious.equals(previous)
                            && entry.hash().equals(hash(previous, entry.id(), entry.at(), entry.event()));
                    if (!intact) {
                        return new Verification(false, checked, Optional.of(entry.id()));
                    }
                    previous = entry.hash();
                    expectedId++;
                    checked++;
                }
            }
            if (!head(connection).equals(previous)) {
                // the newest entries were deleted
                return new Verification(false, checked, Optional.of(expectedId));
            }
            return new Verification(true, checked, Optional.empty());
        }
    }

    private static String head(Connection connection) throws SQLException {
        try (PreparedStatement ps =
                        connection.prepareStatement("SELECT last_hash FROM audit_head WHERE singleton = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1).trim() : "";
        }
    }

    static AuditEntry entry(ResultSet rs) throws SQLException {
        AuditEvent event = new AuditEvent(
                rs.getString("actor"),
                rs.getString("site_id"),
                rs.getString("action_name"),
                rs.getString("target"),
                rs.getString("from_address"),
                AuditOutcome.valueOf(rs.getString("outcome")),
                rs.getString("detail"));
        Instant at = Sql.instant(rs, "occurred_at");
        return new AuditEntry(
                rs.getLong("id"), at, event, rs.getString("entry_hash").trim());
    }

    public static String hash(String previous, long id, Instant at, AuditEvent e) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {
                previous,
                Long.toString(id),
                at.toString(),
                e.actor(),
                e.site(),
                e.action(),
                e.target(),
                e.from(),
                e.outcome().name(),
                e.detail()
            }) {
                // length-prefixed, so no choice of field values can make two different entries hash alike
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
