package org.dmiplatform.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dmiplatform.api.access.AuditEntry;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Entries recorded at once are committed together (a group commit): each caller gets back its own entry, stored, in
 * one unbroken chain with no id skipped or written twice.
 */
@RunWith(Parameterized.class)
public class AuditGroupCommitTest {
    @Parameters(name = "{0}")
    public static List<Object[]> kinds() {
        return TestDatabases.kinds();
    }

    private final String kind;
    private TestDatabases.Fresh fresh;
    private AuditLogImpl audit;

    public AuditGroupCommitTest(String kind) {
        this.kind = kind;
    }

    @Before
    public void setUp() {
        fresh = TestDatabases.fresh(kind);
        audit = new AuditLogImpl(Database.on(fresh.dataSource()));
    }

    @After
    public void tearDown() {
        fresh.close();
    }

    @Test
    public void manyCallersAtOnceEachGetTheirOwnStoredEntryInOneUnbrokenChain() throws Exception {
        int threads = 16;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<AuditEntry>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int caller = t;
            results.add(pool.submit(() -> {
                go.await();
                List<AuditEntry> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    AuditEvent event = new AuditEvent(
                            "caller-" + caller, "chicago", "site.read", "n:" + i, "", AuditOutcome.SUCCESS, "");
                    AuditEntry entry = audit.record(event);
                    assertEquals("the caller's own entry", event, entry.event());
                    mine.add(entry);
                }
                return mine;
            }));
        }
        go.countDown();
        ConcurrentHashMap<Long, AuditEntry> byId = new ConcurrentHashMap<>();
        for (Future<List<AuditEntry>> result : results) {
            for (AuditEntry entry : result.get()) {
                assertEquals("id " + entry.id() + " given once", null, byId.put(entry.id(), entry));
            }
        }
        pool.shutdown();
        assertEquals(threads * each, byId.size());
        for (long id = 1; id <= threads * each; id++) {
            assertTrue("no id skipped: " + id, byId.containsKey(id));
        }
        AuditLog.Verification verified = audit.verify();
        assertTrue(verified.toString(), verified.intact());
        assertEquals(threads * each, verified.entries());
    }
}
