package org.dmiplatform.core.internal.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Dialect;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log in the platform database. Each entry's hash covers the previous entry's hash and every field of
 * its own, so editing, inserting or deleting a row breaks the chain from there on. The code only ever inserts.
 */
@Component(service = AuditLog.class)
public class AuditLogImpl implements AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.dmiplatform.audit");
    private static final int MAX_LIMIT = 1000;

    private final Database database;
    private final Clock clock;

    @Activate
    public AuditLogImpl(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    public AuditLogImpl(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** An entry waiting to be written, and the caller's answer. */
    private record Waiting(AuditEvent event, CompletableFuture<AuditEntry> written) {}

    /** Entries waiting for the next writer; guarded by itself. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** One writer at a time: it writes every entry waiting then, in one transaction. */
    private final ReentrantLock writer = new ReentrantLock();

    /**
     * Appends the entry and returns once it is stored (committed). Entries recorded at the same moment are written
     * together, in one transaction that commits them all (a group commit): the caller that takes the writer's turn
     * writes every entry waiting, in the order they came, so the others find theirs stored when their turn comes.
     * One commit (and, on the embedded store, one flush to disk) serves many requests.
     */
    @Override
    public AuditEntry record(AuditEvent raw) {
        AuditEvent event = fit(raw);
        Waiting mine = new Waiting(event, new CompletableFuture<>());
        synchronized (waiting) {
            waiting.add(mine);
        }
        writer.lock();
        try {
            if (!mine.written().isDone()) {
                List<Waiting> batch;
                synchronized (waiting) {
                    batch = new ArrayList<>(waiting);
                    waiting.clear();
                }
                write(batch);
            }
        } finally {
            writer.unlock();
        }
        AuditEntry entry;
        try {
            entry = mine.written().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        LOG.info(
                "{} {} {} site={} target={} from={} {}",
                event.outcome(),
                event.action(),
                event.actor(),
                event.site(),
                event.target(),
                event.from(),
                event.detail());
        return entry;
    }

    /** Writes the entries in one transaction, each after the one before in the chain; all or none. */
    private void write(List<Waiting> batch) {
        try {
            // micro-second precision is what both stores keep, so the hash survives the round trip
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<AuditEntry> entries = database.transaction(connection -> {
                List<AuditEntry> out = new ArrayList<>(batch.size());
                for (Waiting w : batch) {
                    out.add(append(connection, at, w.event()));
                }
                return out;
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).written().complete(entries.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(w -> w.written().completeExceptionally(e));
        }
    }

    private static AuditEntry append(Connection connection, Instant at, AuditEvent event) throws SQLException {
        long lastId;
        String lastHash;
        try (PreparedStatement ps =
                        connection.prepareStatement("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"
                                + Dialect.of(connection).forUpdate());
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head row is missing");
            }
            lastId = rs.getLong(1);
            lastHash = rs.getString(2).trim();
        }
        long id = lastId + 1;
        String hash = AuditChain.hash(lastHash, id, at, event);
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO audit_log (id, occurred_at, actor,"
                + " site_id, action_name, target, from_address, outcome, detail, prev_hash, entry_hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            Sql.set(ps, 2, at);
            ps.setString(3, event.actor());
            ps.setString(4, event.site());
            ps.setString(5, event.action());
            ps.setString(6, event.target());
            ps.setString(7, event.from());
            ps.setString(8, event.outcome().name());
            ps.setString(9, event.detail());
            ps.setString(10, lastHash);
            ps.setString(11, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                connection.prepareStatement("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE singleton = 1")) {
            ps.setLong(1, id);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
        return new AuditEntry(id, at, event, hash);
    }

    @Override
    public List<AuditEntry> recent(Optional<String> site, Optional<String> action, int limit) {
        return search(new Query(
                site,
                action,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                limit));
    }

    @Override
    public List<AuditEntry> search(Query query) {
        int capped = Math.max(1, Math.min(query.limit(), MAX_LIMIT));
        StringBuilder sql = new StringBuilder(AuditChain.SELECT + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        query.site().ifPresent(s -> {
            sql.append(" AND site_id = ?");
            args.add(s);
        });
        query.action().ifPresent(a -> {
            sql.append(" AND action_name = ?");
            args.add(a);
        });
        query.actor().ifPresent(a -> {
            sql.append(" AND actor = ?");
            args.add(a);
        });
        query.outcome().ifPresent(o -> {
            sql.append(" AND outcome = ?");
            args.add(o.name());
        });
        query.from().ifPresent(f -> {
            sql.append(" AND occurred_at >= ?");
            args.add(f);
        });
        query.to().ifPresent(t -> {
            sql.append(" AND occurred_at < ?");
            args.add(t);
        });
        query.before().ifPresent(b -> {
            sql.append(" AND id < ?");
            args.add(b);
        });
        sql.append(" ORDER BY id DESC");
        return database.read(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                ps.setMaxRows(capped);
                for (int i = 0; i < args.size(); i++) {
                    Object arg = args.get(i);
                    if (arg instanceof java.time.Instant at) {
                        Sql.set(ps, i + 1, at);
                    } else if (arg instanceof Long id) {
                        ps.setLong(i + 1, id);
                    } else {
                        ps.setString(i + 1, (String) arg);
                    }
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && out.size() < capped) {
                        out.add(AuditChain.entry(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Verification verify() {
        return database.read(AuditChain::verify);
    }

    /** Cuts fields to the column sizes rather than losing the entry. */
    private static AuditEvent fit(AuditEvent e) {
        return new AuditEvent(
                cut(e.actor(), 64),
                cut(e.site(), 32),
                cut(e.action(), 64),
                cut(e.target(), 200),
                cut(e.from(), 64),
                e.outcome(),
                cut(e.detail(), 500));
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
