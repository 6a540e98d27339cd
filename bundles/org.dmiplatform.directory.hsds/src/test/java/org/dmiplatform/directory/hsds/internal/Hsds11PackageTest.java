package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.COMMUNITY;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.junit.Assert.assertEquals;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Open Referral's HSDS 1.1 sample data package, in both its forms: all resources, and the simple one. */
public class Hsds11PackageTest {
    static final String ALL = "hsds1.1_sample_datapackage/all_resources";
    static final String SIMPLE = "hsds1.1_sample_datapackage/simple";

    /** Nine of the sample's ten locations have no coordinates: only 4830 Highland Drive (line 3) has. */
    static final String UNLOCATED = "locations.csv: 9 locations have no coordinates and cannot be found by distance"
            + " (line 2, line 4, line 5, line 6, line 7, line 8, line 9, line 10, line 11)";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        directory = new HsdsDirectory(temp.newFolder().toPath(), Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
    }

    private DirectoryService named(String name) {
        return directory.search(CHICAGO, DirectoryQuery.all(), POLICE).stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    public void theFullSampleIsTakenWhole() {
        ImportReport report = directory.importPackage(CHICAGO, Fixtures.zipped(ALL, "all_resources.zip"), COMMUNITY);

        assertEquals("HSDS 1.1", report.format());
        assertEquals(13, report.services());
        assertEquals(10, report.organizations());
        assertEquals(10, report.locations());
        assertEquals(List.of(), report.rejected());
        assertEquals(
                List.of("services.csv, field 'description': spaces trimmed around 1 value", UNLOCATED), report.notes());
    }

    @Test
    public void aServiceGathersItsHoursLanguagesEligibilityContactAndAddress() {
        directory.importPackage(CHICAGO, Fixtures.zipped(ALL, "all_resources.zip"), COMMUNITY);

        DirectoryService helpline = named("Never Homeless Helpline");
        assertEquals("Sanctuary Example City", helpline.organization().name());
        DirectoryService.Location place = helpline.locations().get(0);
        assertEquals("Sanctuary on 5th Street", place.name());
        assertEquals("Address 1, Address 2, New York City, NY, 10001", place.address());
        // three rows, weekdays 1 to 3 (1 is Monday), the same hours
        assertEquals(List.of("Mon-Wed 09:00-17:00"), place.hours());
        assertEquals(List.of("English", "Spanish"), helpline.languages());
        assertEquals("adult", helpline.eligibility());
        assertEquals(
                List.of(new DirectoryService.Contact("Contact 1", "Mr", "", "contact1@example.com")),
                helpline.contacts());
        assertEquals("services_taxonomy.csv has no rows", List.of(), helpline.taxonomy());
    }

    @Test
    public void phonesComeFromTheServiceItsPlaceOrElseItsOrganisation() {
        directory.importPackage(CHICAGO, Fixtures.zipped(ALL, "all_resources.zip"), COMMUNITY);

        assertEquals(
                List.of(
                        new DirectoryService.Contact("", "", "(223) 4567 12534", ""),
                        new DirectoryService.Contact("", "", "(773) 2351 2461", "")),
                named("Bubbles at The Cross").contacts());
        // the Cross Trust's support line is the organisation's (voice and textphone on one number)
        assertEquals(
                List.of(new DirectoryService.Contact("", "", "(223) 346 12361", "")),
                named("Meals To-Go at The Cross").contacts());
        // the Roz Bernstein office phone is its location's
        assertEquals(
                List.of(new DirectoryService.Contact("", "", "(0123) 4567 8900 ext. 42", "")),
                named("Dear Teacher Skills Refresh").contacts());
    }

    @Test
    public void theSimpleSampleHasTheSameServicesWithFewerParts() {
        ImportReport report = directory.importPackage(CHICAGO, Fixtures.zipped(SIMPLE, "simple.zip"), COMMUNITY);

        assertEquals("HSDS 1.1", report.format());
        assertEquals(13, report.services());
        assertEquals(List.of(), report.rejected());
        assertEquals(
                List.of("services.csv, field 'description': spaces trimmed around 1 value", UNLOCATED), report.notes());
        DirectoryService helpline = named("Never Homeless Helpline");
        assertEquals(List.of(), helpline.locations().get(0).hours());
        assertEquals("", helpline.locations().get(0).address());
        DirectoryService minds = named("Yound Minds");
        assertEquals(Optional.of(39.428192), minds.locations().get(0).latitude());
        assertEquals(Optional.of(-119.897426), minds.locations().get(0).longitude());
        assertEquals("inactive", named("Food Safety Program").status());
        assertEquals(
                Set.of(ServiceCategory.FAMILY), named("Al-Anon Family Group").categories());
    }
}
