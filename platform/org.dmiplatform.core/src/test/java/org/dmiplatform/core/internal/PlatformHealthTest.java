package org.dmiplatform.core.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsAdapter;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.core.internal.access.AccountsImpl;
import org.dmiplatform.core.internal.access.AuditLogImpl;
import org.dmiplatform.core.internal.access.PasswordHasher;
import org.dmiplatform.core.internal.access.PasswordPolicy;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.testing.FakeSites;
import org.dmiplatform.testing.MutableClock;
import org.dmiplatform.testing.TestDatabases;
import org.junit.Test;

/** The health names, beside each site, what keeps its records adapter from reading. */
public class PlatformHealthTest {
    /** An adapter that says what it lacks, as the JDBC adapter does when its password's variable is not set. */
    private static RecordsAdapter adapter(List<String> problems) {
        return new RecordsAdapter() {
            @Override
            public String describe() {
                return "test";
            }

            @Override
            public List<String> problems() {
                return problems;
            }

            @Override
            public void read(RecordsInput input, RecordSink sink) throws IOException {
                throw new IOException("not read in this test");
            }
        };
    }

    private static PlatformHealth.SiteStatus site(PlatformHealth.Report report, String id) {
        return report.sites().stream()
                .filter(s -> s.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    public void aSitesRecordsAdapterThatCannotReadIsNamedWithWhatToDoAndThePlatformStaysUp() {
        try (TestDatabases.Fresh fresh = TestDatabases.fresh("sqlite")) {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
            Database database = Database.on(fresh.dataSource());
            FakeSites sites = new FakeSites("riverton", "mesa");
            AccountsImpl accounts = new AccountsImpl(
                    database,
                    new AuditLogImpl(database, clock),
                    sites,
                    clock,
                    new PasswordHasher(1000),
                    PasswordPolicy.standard());
            String unset = "jdbc postgresql://rms.riverton.example:5432/rms: .password names the environment variable"
                    + " RIVERTON_RMS_PASSWORD, which the platform's environment does not have";
            sites.bind("riverton", RecordsAdapter.class, adapter(List.of(unset)));
            sites.bind("mesa", RecordsAdapter.class, adapter(List.of()));
            PlatformHealth.Report report =
                    new PlatformHealthImpl(database, accounts, sites, () -> false, "test").check();
            PlatformHealth.SiteStatus riverton = site(report, "riverton");
            assertEquals(List.of(), site(report, "mesa").problems());
            assertEquals(List.of("records adapter: " + unset), riverton.problems());
            assertEquals(
                    "a site's plug-in is not the platform's storage: the platform serves",
                    List.of(PlatformHealthImpl.NO_ADMINISTRATOR),
                    report.problems());
        }
    }
}
