package org.dmiplatform.core.internal.schedule;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.TestDatabases;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Two nodes on one PostgreSQL: two schedules over one database, each with the same tasks registered, as two platforms
 * would be. Quartz's clustered job store runs each job on one of them, and a job whose node went away on the other.
 */
public class ScheduleTest {
    private TestDatabases.Fresh fresh;
    private Database database;
    private Schedule a;
    private Schedule b;

    @Before
    public void twoNodes() {
        fresh = TestDatabases.fresh("postgresql");
        database = Database.on(fresh.dataSource());
        a = new Schedule("node-a", Duration.ofMillis(500), 3);
        b = new Schedule("node-b", Duration.ofMillis(500), 3);
    }

    @After
    public void stop() {
        a.deactivate();
        b.deactivate();
        fresh.close();
    }

    @Test
    public void eachJobRunsOnceAcrossTheNodes() throws Exception {
        Map<Long, List<String>> ranOn = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(40);
        for (Schedule node : List.of(a, b)) {
            node.handle("count", n -> {
                ranOn.computeIfAbsent(n, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(node.node());
                all.countDown();
                return true;
            });
            node.start(database);
        }
        assertTrue(a.clustered());
        for (long n = 1; n <= 40; n++) {
            (n % 2 == 0 ? a : b).once("count", n);
        }
        assertTrue("every job ran", all.await(30, TimeUnit.SECONDS));
        Thread.sleep(1000);
        assertEquals(40, ranOn.size());
        ranOn.forEach((n, nodes) -> assertEquals("job " + n + " ran on " + nodes, 1, nodes.size()));
        for (long n = 1; n <= 40; n++) {
            assertFalse("a job that ended is not pending", a.pending("count", n));
        }
        assertEquals(List.of("node-a", "node-b"), a.nodes());
    }

    @Test
    public void aRecurringTaskNeverRunsOnTwoNodesAtOnce() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
        for (Schedule node : List.of(a, b)) {
            node.every(Duration.ZERO, Duration.ofMillis(100), "tick", () -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                byNode.computeIfAbsent(node.node(), k -> new AtomicInteger()).incrementAndGet();
                try {
                    Thread.sleep(150); // longer than the delay: a second node would step in if it could
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
                runs.incrementAndGet();
            });
            node.start(database);
        }
        Thread.sleep(4000);
        assertTrue("it ran: " + runs.get(), runs.get() >= 10);
        assertEquals("never two at once: " + byNode, 1, most.get());
    }

    @Test
    public void aJobWhoseNodeWentAwayIsRunAgainByAnotherAndFinishedOnce() throws Exception {
        CountDownLatch startedOnA = new CountDownLatch(1);
        CountDownLatch neverReleased = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        a.handle("long", n -> {
            startedOnA.countDown();
            try {
                neverReleased.await(); // node a hangs and goes silent mid-job
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        });
        a.start(database);
        a.once("long", 7);
        assertTrue(startedOnA.await(10, TimeUnit.SECONDS));
        // node a stops telling the others it is alive, its job still running there
        a.deactivateWithoutWaiting();

        CountDownLatch doneOnB = new CountDownLatch(1);
        b.handle("long", n -> {
            finished.incrementAndGet();
            doneOnB.countDown();
            return true;
        });
        b.start(database);
        assertTrue("node b ran the job of the silent node a", doneOnB.await(60, TimeUnit.SECONDS));
        Thread.sleep(3000);
        assertEquals("finished once", 1, finished.get());
        assertFalse("nothing left to run", b.pending("long", 7));
        neverReleased.countDown();
    }
}
