package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.dmiplatform.directory.hsds.internal.Fixtures.SERVICES;
import static org.dmiplatform.directory.hsds.internal.Fixtures.service;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryQuery.Point;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Searching a directory of made-up Chicago services by category, words and distance, and who may do what. The
 * places differ from the query's point in latitude only, so their distances are the arc of a meridian, R·Δφ.
 */
public class SearchTest {
    static final Point LOOP = new Point(-87.6298, 41.8781);
    /** 0.05° and 0.1° of latitude on the mean Earth radius (6371.0088 km). */
    static final double KM_005 = 6371.0088 * Math.toRadians(0.05);

    static final double KM_01 = 6371.0088 * Math.toRadians(0.1);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        directory = new HsdsDirectory(temp.newFolder().toPath(), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
        directory.importPackage(
                CHICAGO,
                Fixtures.services(
                        service(
                                "recovery",
                                "Westside Recovery Center",
                                "Outpatient counselling for people leaving drug use behind.",
                                List.of("RX-8450|Substance Use Disorder Treatment Programs"),
                                41.8781,
                                -87.6298,
                                42.5,
                                -87.6298),
                        service(
                                "ged",
                                "GED Classes",
                                "Evening classes for the high school equivalency test.",
                                List.of(),
                                41.9781,
                                -87.6298),
                        service(
                                "bus",
                                "Bus Passes for Job Seekers",
                                "Monthly cards for the city's transit.",
                                List.of(),
                                41.9281,
                                -87.6298),
                        service("family", "Family Support Line", "Phone support for parents.", List.of()),
                        service(
                                "training",
                                "Workforce Skills Hub",
                                "",
                                List.of("ND-3500.3600|Job Search"),
                                42.0451,
                                -87.6877)),
                SERVICES);
    }

    private List<String> ids(DirectoryQuery query) {
        return directory.search(CHICAGO, query, POLICE).stream()
                .map(DirectoryService::id)
                .toList();
    }

    private static DirectoryQuery categories(ServiceCategory... categories) {
        return new DirectoryQuery(Set.of(categories), "", Optional.empty(), Optional.empty(), 100);
    }

    private static DirectoryQuery text(String text) {
        return new DirectoryQuery(Set.of(), text, Optional.empty(), Optional.empty(), 100);
    }

    private static DirectoryQuery near(Point point, Double withinKm, int limit) {
        return new DirectoryQuery(Set.of(), "", Optional.of(point), Optional.ofNullable(withinKm), limit);
    }

    @Test
    public void byCategoryAnyOfThoseAskedInOrderOfName() {
        assertEquals(List.of("recovery"), ids(categories(ServiceCategory.DRUG_TREATMENT)));
        assertEquals(List.of("bus", "ged"), ids(categories(ServiceCategory.EDUCATION, ServiceCategory.TRANSPORTATION)));
        assertEquals(List.of("training"), ids(categories(ServiceCategory.JOB_TRAINING)));
        assertEquals(List.of("training"), ids(categories(ServiceCategory.EMPLOYMENT)));
        assertEquals(List.of("family"), ids(categories(ServiceCategory.FAMILY)));
        assertEquals(List.of("bus", "family", "ged", "recovery", "training"), ids(DirectoryQuery.all()));
    }

    @Test
    public void byWordsAllOfThemInNameOrganisationDescriptionOrTaxonomy() {
        assertEquals(List.of("recovery"), ids(text("recovery")));
        assertEquals("words begin words of the description", List.of("recovery"), ids(text("counsel DRUG")));
        assertEquals("the taxonomy's words", List.of("recovery"), ids(text("substance")));
        assertEquals(List.of("ged"), ids(text("equivalency classes")));
        assertEquals("the organisation's name", 5, ids(text("inc")).size());
        assertEquals("every word must be found", List.of(), ids(text("westside ged")));
        assertEquals("not inside a word", List.of(), ids(text("ass")));
    }

    @Test
    public void byDistanceNearestFirstWithinTheDistanceAsked() {
        List<DirectoryService> near = directory.search(CHICAGO, near(LOOP, 10.0, 100), POLICE);

        assertEquals(
                List.of("recovery", "bus"),
                near.stream().map(DirectoryService::id).toList());
        assertEquals(
                "to the nearer of its two places", 0.0, near.get(0).distanceKm().orElseThrow(), 1e-9);
        assertEquals(KM_005, near.get(1).distanceKm().orElseThrow(), 1e-6);
    }

    @Test
    public void withoutALimitOfDistanceThoseWithoutPlacesComeLast() {
        List<DirectoryService> all = directory.search(CHICAGO, near(LOOP, null, 100), POLICE);

        assertEquals(
                List.of("recovery", "bus", "ged", "training", "family"),
                all.stream().map(DirectoryService::id).toList());
        assertEquals(KM_01, all.get(2).distanceKm().orElseThrow(), 1e-6);
        assertEquals(Optional.empty(), all.get(4).distanceKm());
        assertEquals(List.of("recovery", "bus"), ids(near(LOOP, null, 2)));
    }

    @Test
    public void aQueryOutOfBoundsIsRefused() {
        assertThrows(InvalidInputException.class, () -> ids(near(LOOP, null, 0)));
        assertThrows(InvalidInputException.class, () -> ids(near(LOOP, null, 501)));
        assertThrows(
                InvalidInputException.class,
                () -> ids(new DirectoryQuery(Set.of(), "", Optional.empty(), Optional.of(5.0), 10)));
    }

    @Test
    public void findsOneServiceById() {
        assertEquals(
                "GED Classes",
                directory.find(CHICAGO, "ged", POLICE).orElseThrow().name());
        assertEquals(Optional.empty(), directory.find(CHICAGO, "nothing", POLICE));
    }

    @Test
    public void everyRoleAtTheSiteMayReadButOnlyKeepersMayImport() {
        byte[] before = export(POLICE);

        assertThrows(
                AccessDeniedException.class,
                () -> directory.importPackage(
                        CHICAGO, Fixtures.zipped("hsds1.1_sample_datapackage/simple", "simple.zip"), POLICE));

        assertEquals(5, directory.search(CHICAGO, DirectoryQuery.all(), POLICE).size());
        assertEquals(new String(before), new String(export(POLICE)));
        Caller tta = new Caller(
                new User(9, "tta", "TTA", List.of(Grant.national(Role.TTA_ADMIN)), true, false, Instant.EPOCH), "");
        assertEquals(
                13,
                directory
                        .importPackage(CHICAGO, Fixtures.zipped("hsds1.1_sample_datapackage/simple", "simple.zip"), tta)
                        .services());
        assertThrows(
                AccessDeniedException.class, () -> directory.search(CHICAGO, DirectoryQuery.all(), Fixtures.ELSEWHERE));
        assertThrows(AccessDeniedException.class, () -> directory.find(CHICAGO, "ged", Fixtures.ELSEWHERE));
        assertThrows(AccessDeniedException.class, () -> export(Fixtures.ELSEWHERE));
    }

    @Test
    public void thePlugInServesOnlyItsSite() {
        Site denver = new Site("denver", "Denver", "", ZoneOffset.UTC, List.of(), "", List.of(), Optional.empty());

        assertThrows(IllegalStateException.class, () -> directory.search(denver, DirectoryQuery.all(), POLICE));
        assertTrue(directory.imports());
    }

    private byte[] export(Caller caller) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        directory.exportHsds(CHICAGO, out, caller);
        return out.toByteArray();
    }
}
