package org.dmiplatform.core.internal.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.core.internal.access.AuditChain;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A data folder of an earlier version, whose embedded store was H2 at schema version 5: at the first start on the
 * SQLite store its data is copied over, the later migrations transform it as they would have in H2, and the H2 file
 * is set aside.
 */
public class LegacyH2CopyTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** The H2 store as version 0.1.0 left it: migrations V1 to V5 and some of everything. */
    private DataSource legacyStore(Path folder) throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + folder.resolve("dmi"));
        Migrations all = Migrations.load(getClass().getClassLoader());
        try (Connection c = h2.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_history (version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL,"
                    + " checksum CHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            for (int v = 1; v <= 5; v++) {
                Migrations.Script script = scriptOf(all, v);
                for (String statement : Migrations.statements(script.sql())) {
                    st.execute(statement);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_history VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, script.description());
                    ps.setString(3, script.checksum());
                    ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }
            st.execute(
                    "INSERT INTO interventions (site_id, name, started_on, rationale, definition_version, created_by,"
                            + " created_at) VALUES ('chicago', 'West End', DATE '2026-03-01', 'drug calls', 1, 'poc',"
                            + " TIMESTAMP WITH TIME ZONE '2026-03-01 15:00:00+00')");
            st.execute("INSERT INTO persons (intervention_id, name, alias, dealer_level, active, violence_history,"
                    + " violence_note, pending_charges, decision, decision_criteria, decided_by, decided_at, justification,"
                    + " source, sensitivity, review_due, entered_by, entered_at) VALUES (1, 'Test Person', '', 'STREET',"
                    + " TRUE, FALSE, '', '', 'CALL_IN', 'street level', 'prosecutor',"
                    + " TIMESTAMP WITH TIME ZONE '2026-03-05 16:00:00+00', 'seen selling', 'survey', '',"
                    + " DATE '2031-03-05', 'police', TIMESTAMP WITH TIME ZONE '2026-03-04 16:00:00+00')");
            st.execute("INSERT INTO timeline (intervention_id, occurred_at, kind, step_id, what, done_by) VALUES"
                    + " (1, TIMESTAMP WITH TIME ZONE '2026-03-05 16:00:00+00', 'decision', '3b',"
                    + " 'Decision for person #1: call in', 'prosecutor'),"
                    + " (1, TIMESTAMP WITH TIME ZONE '2026-03-06 16:00:00+00', 'step', '1', 'Step 1: done', 'police')");
            st.execute(
                    "INSERT INTO records (site_id, kind, source_id, occurred_from, code, code_text, category, part_one,"
                            + " longitude, latitude, address, beat, district, import_id) VALUES ('chicago', 'INCIDENT', 'HZ1',"
                            + " TIMESTAMP WITH TIME ZONE '2016-01-03 23:57:00.123456+00', '0486', 'BATTERY', 'VIOLENT_PART_I',"
                            + " TRUE, -87.66, 41.75, '016XX W 77TH ST', '0611', '006', 1)");
        }
        // the audit chain, as the platform wrote it
        try (Connection c = h2.getConnection()) {
            String previous = "0".repeat(64);
            for (int id = 1; id <= 3; id++) {
                Instant at = Instant.parse("2026-03-01T00:00:0" + id + ".123456Z");
                AuditEvent event = new AuditEvent(
                        "tta-lead", "chicago", "site.read", "site:chicago", "", AuditOutcome.SUCCESS, "" + id);
                String hash = AuditChain.hash(previous, id, at, event);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (id, occurred_at, actor, site_id,"
                        + " action_name, target, from_address, outcome, detail, prev_hash, entry_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    ps.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                    ps.setString(3, event.actor());
                    ps.setString(4, event.site());
                    ps.setString(5, event.action());
                    ps.setString(6, event.target());
                    ps.setString(7, event.from());
                    ps.setString(8, event.outcome().name());
                    ps.setString(9, event.detail());
                    ps.setString(10, previous);
                    ps.setString(11, hash);
                    ps.executeUpdate();
                }
                previous = hash;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET last_id = 3, last_hash = ?")) {
                ps.setString(1, previous);
                ps.executeUpdate();
            }
        }
        return h2;
    }

    private static Migrations.Script scriptOf(Migrations all, int version) {
        return all.scripts().stream()
                .filter(s -> s.version() == version)
                .findFirst()
                .orElseThrow();
    }

    @Test
    public void theFirstStartOnTheEmbeddedStoreTakesOverTheH2StoreOfAnEarlierVersion() throws Exception {
        Path folder = temp.newFolder("db").toPath();
        DataSource h2 = legacyStore(folder);
        assertTrue(Files.exists(folder.resolve("dmi.mv.db")));
        DataSource sqlite = TestDatabases.sqlite(folder.resolve("dmi.sqlite"));

        Database database = Database.on(sqlite, file -> Optional.of(h2));
        assertNull(database.problem());
        assertEquals(Migrations.load(getClass().getClassLoader()).latest(), database.schemaVersion());
        assertFalse("the H2 file is set aside", Files.exists(folder.resolve("dmi.mv.db")));
        assertTrue(Files.exists(folder.resolve("dmi.mv.db.copied-to-sqlite")));

        database.read(c -> {
            assertEquals(
                    List.of("INTELLIGENCE", "EVERYONE"),
                    Sql.list(c, "SELECT audience FROM timeline ORDER BY id", rs -> rs.getString(1)));
            assertEquals(
                    "V6 turned the decision into an event",
                    List.of("CALL_IN"),
                    Sql.list(c, "SELECT decision FROM person_decisions", rs -> rs.getString(1)));
            assertEquals(
                    Instant.parse("2016-01-03T23:57:00.123456Z"),
                    Sql.one(c, "SELECT occurred_from FROM records", rs -> Sql.instant(rs, 1))
                            .orElseThrow());
            return null;
        });
        AuditLogImpl audit = new AuditLogImpl(database, new MutableClock(Instant.parse("2026-12-01T00:00:00Z")));
        assertTrue("the audit chain is intact after the copy", audit.verify().intact());
        assertEquals(3, audit.verify().entries());
        audit.record(
                new AuditEvent("tta-lead", "chicago", "site.read", "site:chicago", "", AuditOutcome.SUCCESS, "after"));
        assertTrue("and goes on from where it was", audit.verify().intact());
        try (Connection c = sqlite.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(id) FROM interventions")) {
            rs.next();
            assertEquals(1, rs.getLong(1));
        }
    }

    @Test
    public void aStoreThatAlreadyHoldsDataIsNeverOverwrittenByAnH2File() throws Exception {
        Path folder = temp.newFolder("db").toPath();
        DataSource sqlite = TestDatabases.sqlite(folder.resolve("dmi.sqlite"));
        Database first = Database.on(sqlite);
        new AuditLogImpl(first, new MutableClock(Instant.parse("2026-12-01T00:00:00Z")))
                .record(new AuditEvent("x", "chicago", "site.read", "", "", AuditOutcome.SUCCESS, ""));
        DataSource h2 = legacyStore(folder);
        Database second = Database.on(sqlite, file -> Optional.of(h2));
        assertTrue(second.problem(), second.problem().contains("already holds data"));
        assertTrue("the H2 file is left where it is", Files.exists(folder.resolve("dmi.mv.db")));
    }
}
