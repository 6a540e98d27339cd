package org.dmiplatform.directory.local.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.directory.hsds.internal.HsdsReading;
import org.junit.Before;
import org.junit.Test;

/** A directory edited service by service: saved, changed, removed, checked, and exported as HSDS that reads back. */
public class LocalDirectoryTest {
    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    static final Site CHICAGO = new Site(
            "chicago",
            "Chicago",
            "Chicago Police Department",
            ZoneId.of("America/Chicago"),
            List.of(),
            "",
            List.of("dmi-directory-local"),
            Optional.empty());
    static final Caller POLICE = caller(1, "officer", Grant.at("chicago", Role.POLICE));
    static final Caller SERVICES = caller(2, "navigator", Grant.at("chicago", Role.SERVICES));

    private static Caller caller(long id, String name, Grant grant) {
        return new Caller(new User(id, name, name, List.of(grant), true, false, Instant.EPOCH), "test");
    }

    private Path data;
    private LocalDirectory local;

    @Before
    public void setUp() throws Exception {
        data = Files.createTempDirectory("local-directory");
        local = new LocalDirectory(data, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static DirectoryService typed(String id, String name, Set<ServiceCategory> categories, double lon, double lat) {
        return new DirectoryService(
                id,
                name,
                "Walk-in help",
                categories,
                List.of(),
                new DirectoryService.Organization("", "Westside Partners (demo)", "", "", ""),
                List.of(new DirectoryService.Location(
                        "",
                        "Main office",
                        "2000 W Madison St, Chicago",
                        Optional.of(lon),
                        Optional.of(lat),
                        List.of("Mon-Fri 09:00-17:00"))),
                List.of(),
                "Adults",
                List.of("English", "Spanish"),
                List.of(new DirectoryService.Contact("Front desk", "", "555-0100", "")),
                "https://example.org/help",
                "",
                "active",
                Optional.empty(),
                Optional.empty());
    }

    @Test
    public void aServiceIsSavedChangedFoundAndRemoved() {
        DirectoryService saved = local.save(
                CHICAGO,
                typed("", "Recovery Walk-in (demo)", Set.of(ServiceCategory.DRUG_TREATMENT), -87.70, 41.88),
                SERVICES);
        assertTrue(saved.id().length() > 10);
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT), saved.categories());
        // saving verifies it as of today, in the site's zone (03:00 UTC on 1 December is 30 November in Chicago)
        assertEquals(Optional.of(LocalDate.of(2026, 11, 30)), saved.lastVerified());
        assertEquals(List.of("Mon-Fri 09:00-17:00"), saved.locations().get(0).hours());
        DirectoryService changed = local.save(
                CHICAGO,
                typed(
                        saved.id(),
                        "Recovery Walk-in (demo)",
                        Set.of(ServiceCategory.DRUG_TREATMENT, ServiceCategory.FAMILY),
                        -87.70,
                        41.88),
                SERVICES);
        assertEquals(saved.id(), changed.id());
        List<DirectoryService> family = local.search(
                CHICAGO,
                new DirectoryQuery(Set.of(ServiceCategory.FAMILY), "", Optional.empty(), Optional.empty(), 10),
                POLICE);
        assertEquals(1, family.size());
        assertTrue(local.describe(CHICAGO).startsWith("Local directory, 1 service"));
        local.remove(CHICAGO, saved.id(), SERVICES);
        assertTrue(local.find(CHICAGO, saved.id(), POLICE).isEmpty());
        try {
            local.remove(CHICAGO, saved.id(), SERVICES);
            fail();
        } catch (NoSuchElementException expected) {
            // gone already
        }
        try {
            local.save(CHICAGO, typed("no-such-id", "X", Set.of(ServiceCategory.FAMILY), -87.7, 41.88), SERVICES);
            fail();
        } catch (NoSuchElementException expected) {
            // an id that is not there is not created under that id
        }
    }

    /**
     * The old and the new version of the plug-in side by side (one replacing the other) save into the same folder at
     * once: every save each acknowledged is there at the end.
     */
    @Test
    public void twoCopiesOfThePlugInSavingAtOnceLoseNoService() throws Exception {
        LocalDirectory other = new LocalDirectory(data, Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> saved = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Thread> writers = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            LocalDirectory copy = t % 2 == 0 ? local : other;
            int writer = t;
            writers.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    saved.add(copy.save(
                                    CHICAGO,
                                    typed(
                                            "",
                                            "Walk-in " + writer + "-" + i + " (demo)",
                                            Set.of(ServiceCategory.FAMILY),
                                            -87.70,
                                            41.88),
                                    SERVICES)
                            .id());
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread writer : writers) {
            writer.join();
        }
        assertEquals(100, saved.size());
        for (String id : saved) {
            assertTrue(
                    "service " + id + " was saved and is gone",
                    local.find(CHICAGO, id, POLICE).isPresent());
        }
    }

    static final org.dmiplatform.api.Site BOXED = new org.dmiplatform.api.Site(
            "chicago",
            "Chicago",
            "",
            java.time.ZoneId.of("America/Chicago"),
            List.of(),
            "",
            List.of(),
            Optional.of(new org.dmiplatform.api.Site.Bounds(-87.95, 41.64, -87.52, 42.03)));

    @Test
    public void whatCannotBeUsedIsRefusedWithEveryReason() {
        DirectoryService bad = new DirectoryService(
                "",
                " ",
                "",
                Set.of(),
                List.of(),
                new DirectoryService.Organization("", "", "", "", ""),
                List.of(new DirectoryService.Location("", "", "x", Optional.of(41.88), Optional.of(-87.7), List.of())),
                List.of(),
                "",
                List.of(),
                List.of(),
                "ftp://x",
                "",
                "open",
                Optional.empty(),
                Optional.empty());
        try {
            local.save(BOXED, bad, SERVICES);
            fail();
        } catch (InvalidInputException e) {
            List<String> fields = e.errors().stream().map(x -> x.field()).toList();
            assertEquals(List.of("name", "organization", "url", "categories", "status", "locations[0]"), fields);
            assertTrue(e.errors().get(5).reason(), e.errors().get(5).reason().contains("swapped"));
        }
        try {
            local.save(CHICAGO, typed("", "Jobs (demo)", Set.of(ServiceCategory.EMPLOYMENT), -87.7, 41.88), POLICE);
            fail();
        } catch (AccessDeniedException expected) {
            // police read the directory but do not keep it
        }
        assertTrue(local.search(CHICAGO, DirectoryQuery.all(), POLICE).isEmpty());
    }

    @Test
    public void theExportIsHsdsThatAnHsdsDirectoryReadsInTheSameCategories() throws Exception {
        for (ServiceCategory c : ServiceCategory.values()) {
            local.save(CHICAGO, typed("", "Service for " + c + " (demo)", Set.of(c), -87.70, 41.88), SERVICES);
        }
        // a name with another kind's words in it keeps the kind it was filed under
        local.save(
                CHICAGO, typed("", "Family Bus Rides (demo)", Set.of(ServiceCategory.FAMILY), -87.70, 41.88), SERVICES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        local.exportHsds(CHICAGO, out, POLICE);
        ServiceDirectory hsds =
                HsdsReading.directory(Files.createTempDirectory("hsds"), Clock.fixed(NOW, ZoneOffset.UTC), "chicago");
        hsds.importPackage(
                CHICAGO, new DirectoryFile("local.json", new ByteArrayInputStream(out.toByteArray())), SERVICES);
        for (DirectoryService mine : local.search(CHICAGO, DirectoryQuery.all(), POLICE)) {
            DirectoryService read = hsds.find(CHICAGO, mine.id(), POLICE).orElseThrow();
            assertEquals(mine.name(), mine.categories(), read.categories());
            assertEquals(mine.locations(), read.locations());
            assertEquals(mine.contacts(), read.contacts());
            assertEquals(mine.languages(), read.languages());
        }
    }
}
