package org.dmiplatform.core.internal.imports;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.api.store.Imports.Status;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.plugins.Plugins;
import org.dmiplatform.core.internal.schedule.Schedule;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Two nodes on one PostgreSQL, each with its own import pipeline on its own schedule, as two platforms: a person
 * cancels, on one node, an import that runs on the other.
 */
public class ImportsAcrossNodesTest {
    private static final Caller POLICE = new Caller(
            new User(7, "chi-police", "police", List.of(Grant.at("chicago", Role.POLICE)), true, false, Instant.EPOCH),
            "192.0.2.7");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private TestDatabases.Fresh fresh;
    private Database database;
    private AuditLogImpl audit;
    private final ImportsStorageTest.LineAdapter adapter = new ImportsStorageTest.LineAdapter();
    private Schedule scheduleA;
    private Schedule scheduleB;
    private ImportsImpl a;
    private ImportsImpl b;

    @Before
    public void twoNodes() throws Exception {
        fresh = TestDatabases.fresh("postgresql");
        database = Database.on(fresh.dataSource());
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
        audit = new AuditLogImpl(database, clock);
        FakeSites sites = new FakeSites();
        sites.add(ImportsStorageTest.chicago());
        Path files = temp.newFolder("imports").toPath();
        scheduleA = new Schedule("node-a", Duration.ofMillis(500), 2);
        scheduleB = new Schedule("node-b", Duration.ofMillis(500), 2);
        a = node(scheduleA, sites, clock, files);
        b = node(scheduleB, sites, clock, files);
    }

    private ImportsImpl node(Schedule schedule, FakeSites sites, MutableClock clock, Path files) {
        Plugins plugins = new Plugins();
        plugins.add(new Plugins.Plugin(
                "chicago", PluginKind.RECORDS_ADAPTER, "lines", 0, 1, "test", adapter, java.util.Map.of()));
        schedule.start(database, true);
        return new ImportsImpl(database, sites, audit, plugins, clock, files, schedule, false);
    }

    @After
    public void stop() {
        a.deactivate();
        b.deactivate();
        scheduleA.deactivate();
        scheduleB.deactivate();
        fresh.close();
    }

    @Test
    public void anImportCancelledOnTheOtherNodeIsRolledBackWhereItRuns() throws Exception {
        adapter.pauseMillis = 20;
        String[] lines = new String[5000];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "C" + i + ",2016-01-03T10:00:00,,";
        }
        Path file = temp.newFile("many.txt").toPath();
        Files.writeString(file, String.join("\n", lines) + "\n");
        Imports.Import started = a.start("chicago", Optional.empty(), file, "many.txt", false, POLICE);
        long id = started.id();

        // whichever node the scheduler gave it to reads it; the other is asked to cancel it
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ImportsImpl running = null;
        while (running == null && System.nanoTime() < deadline) {
            for (ImportsImpl node : List.of(a, b)) {
                if (node.find("chicago", id, POLICE).read() >= 5) {
                    running = node;
                }
            }
            Thread.sleep(10);
        }
        assertTrue("the import is read on one of the nodes", running != null);
        ImportsImpl other = running == a ? b : a;
        assertEquals(
                "the other node knows it only from the database",
                0,
                other.find("chicago", id, POLICE).read());
        long asked = System.nanoTime();
        other.cancel("chicago", id, POLICE);

        Imports.Import ended = null;
        while (System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos()) {
            ended = other.find("chicago", id, POLICE);
            if (ended.status() != Status.QUEUED && ended.status() != Status.RUNNING) {
                break;
            }
            Thread.sleep(20);
        }
        long millis = (System.nanoTime() - asked) / 1_000_000;
        System.out.println("ImportsAcrossNodesTest: import " + id + " cancelled on the other node, rolled back "
                + millis + " ms after the asking");
        assertEquals(String.valueOf(ended), Status.CANCELLED, ended.status());
        assertTrue(
                "rolled back within a few seconds of the asking, not at the end of the file: " + millis + " ms",
                millis < 5000);
        assertEquals("nothing published", 0L, (long) database.read(c ->
                Sql.one(c, "SELECT COUNT(*) FROM records", rs -> rs.getLong(1)).orElseThrow()));
        List<AuditEntry> cancels = audit.recent(Optional.of("chicago"), Optional.of("records.cancel"), 10);
        assertEquals(1, cancels.size());
        assertEquals(
                "running on another node: asked of it", cancels.get(0).event().detail());
    }
}
