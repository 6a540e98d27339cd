package org.dmiplatform.directory.hsds.internal;

import static org.dmiplatform.directory.hsds.internal.Fixtures.CHICAGO;
import static org.dmiplatform.directory.hsds.internal.Fixtures.POLICE;
import static org.dmiplatform.directory.hsds.internal.Fixtures.SERVICES;
import static org.dmiplatform.directory.hsds.internal.Fixtures.service;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.ImportReport;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.directory.listing.Listing;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The six categories from taxonomy codes and words: the built-in rules, a site's own, and a site's broken file. */
public class CategoryRulesTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path data;
    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        data = temp.newFolder().toPath();
        Files.createDirectories(data.resolve("sites/chicago"));
        directory = new HsdsDirectory(data, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
    }

    private static Set<ServiceCategory> of(String name, String... terms) {
        return CategoryRules.defaults()
                .categorise(new Listing(
                        "s", name, "", "", "", "", "", "", null, null, null, null, null, null, terms(terms)));
    }

    private static List<Listing.Term> terms(String... terms) {
        return List.of(terms).stream()
                .map(t -> new Listing.Term(t.split("\\|")[0], t.split("\\|")[1], "", "AIRS"))
                .toList();
    }

    @Test
    public void builtInCodesMatchTheirBranchOfTheTaxonomy() {
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT), of("Clinic", "RX-8450.8000-050|Alcohol Counseling"));
        assertEquals(Set.of(ServiceCategory.EDUCATION), of("Centre", "HD-0500|Alternative Education"));
        assertEquals(Set.of(ServiceCategory.EMPLOYMENT), of("Office", "ND-3500.3600|Job Search/Placement"));
        assertEquals(Set.of(ServiceCategory.TRANSPORTATION), of("Van", "BT-4500.6500-170|Paratransit"));
        assertEquals(Set.of(ServiceCategory.FAMILY), of("Home", "PH-6100.1600|Parent Support"));
        assertEquals(Set.of(ServiceCategory.FAMILY), of("Kids", "PH-1250.1400|Child Care Centers"));
        assertEquals("RF is mental health, not drug treatment", Set.of(), of("Clinic", "RF-2000|Assessment"));
        assertEquals("RXA is not under RX", Set.of(), of("Clinic", "RXA|Other"));
        assertTrue(CategoryRules.within("RX-8450", "RX"));
        assertTrue(CategoryRules.within("HD-0500", "H"));
        assertFalse(CategoryRules.within("RX-84501", "RX-8450"));
        assertFalse(CategoryRules.within("HD-0500", "HH"));
    }

    @Test
    public void builtInWordsMatchWholeWordsInNamesAndTermNames() {
        assertEquals(Set.of(ServiceCategory.TRANSPORTATION), of("Bus Passes"));
        assertEquals("not inside a word", Set.of(), of("Business Advice"));
        assertEquals(Set.of(ServiceCategory.JOB_TRAINING), of("Vocational Rehab", "X-1|Job-Training"));
        assertEquals(Set.of(ServiceCategory.EDUCATION), of("GED classes"));
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT), of("Methadone Clinic"));
        assertEquals(EnumSet.of(ServiceCategory.DRUG_TREATMENT, ServiceCategory.FAMILY), of("Family Recovery Program"));
        assertEquals("a phrase is its words together", Set.of(), of("Job Club", "X-2|Training Kitchen"));
    }

    private void write(String name, String json) throws Exception {
        Path file = data.resolve("sites/chicago").resolve(name);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        // a new time each write, whatever the file system's clock resolution
        Files.setLastModifiedTime(
                file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
    }

    private static DirectoryFile madeUp() {
        return Fixtures.services(
                service("a", "Harbor House", "", List.of("RX-8450.8000|Outpatient Treatment")),
                service("b", "Detox Unit", "", List.of("RX-1700|Detoxification")),
                service("c", "Sober Living Residence", "", List.of()),
                service("d", "Family Center", "", List.of()),
                service("e", "Bus Passes", "", List.of()));
    }

    private Set<ServiceCategory> categoriesOf(String id) {
        return directory.find(CHICAGO, id, POLICE).orElseThrow().categories();
    }

    @Test
    public void aSiteFileReplacesTheRulesOfTheCategoriesItNames() throws Exception {
        write(
                "categories.json",
                "{\"drug-treatment\": {\"codes\": [\"RX-8450\"], \"words\": [\"sober\"]},"
                        + " \"family\": {\"codes\": [], \"words\": []}}");
        directory.modified(Fixtures.config("chicago", "categories.json"));

        ImportReport report = directory.importPackage(CHICAGO, madeUp(), SERVICES);

        assertEquals(List.of(), report.rejected());
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT), categoriesOf("a"));
        assertEquals("RX-1700 is not under RX-8450, and detox is no longer a word", Set.of(), categoriesOf("b"));
        assertEquals(Set.of(ServiceCategory.DRUG_TREATMENT), categoriesOf("c"));
        assertEquals("family has no rules now", Set.of(), categoriesOf("d"));
        assertEquals(
                "transportation keeps the built-in rules", Set.of(ServiceCategory.TRANSPORTATION), categoriesOf("e"));
    }

    @Test
    public void aChangedFileAppliesWithoutImportingAgain() throws Exception {
        write("categories.json", "{}");
        directory.modified(Fixtures.config("chicago", "categories.json"));
        directory.importPackage(CHICAGO, madeUp(), SERVICES);
        assertEquals(Set.of(ServiceCategory.FAMILY), categoriesOf("d"));

        write("categories.json", "{\"family\": {\"words\": [\"harbor\"]}}");

        assertEquals(Set.of(), categoriesOf("d"));
        assertEquals(EnumSet.of(ServiceCategory.DRUG_TREATMENT, ServiceCategory.FAMILY), categoriesOf("a"));

        directory.modified(Fixtures.config("chicago", ""));
        assertEquals("back to the built-in rules", Set.of(ServiceCategory.FAMILY), categoriesOf("d"));
    }

    @Test
    public void errorsInTheFileAreReportedAndThoseCategoriesKeepTheBuiltInRules() throws Exception {
        write(
                "categories.json",
                "{\"drug_treatment\": {\"codes\": [\"RX\"]},\n"
                        + " \"family\": {\"codes\": \"PH-6100\", \"wrds\": [\"x\"]},\n"
                        + " \"transportation\": {\"words\": [\"bus\", 7]},\n"
                        + " \"education\": [\"GED\"]}");
        directory.modified(Fixtures.config("chicago", "categories.json"));

        ImportReport report = directory.importPackage(CHICAGO, madeUp(), SERVICES);

        assertEquals(
                List.of(
                        InputError.of(
                                "categories.json",
                                "drug_treatment",
                                "is not a category (drug-treatment, education, job-training, employment, family,"
                                        + " transportation): not used"),
                        InputError.of(
                                "categories.json",
                                "family.wrds",
                                "is neither codes nor words: the built-in rules of family apply"),
                        InputError.of("categories.json", "family.codes", "must be a list of texts, like [\"RX-8450\"]"),
                        InputError.of("categories.json", "transportation.words", "must hold texts only; 7 is not one"),
                        InputError.of(
                                "categories.json",
                                "education",
                                "must be an object with codes and words: the built-in rules of education apply")),
                report.rejected());
        assertEquals(Set.of(ServiceCategory.FAMILY), categoriesOf("d"));
        assertEquals(Set.of(ServiceCategory.TRANSPORTATION), categoriesOf("e"));
    }

    @Test
    public void aFileThatIsNotJsonOrNotThereIsReported() throws Exception {
        write("broken.json", "{\n  \"family\": {\"words\": [\"x\"]\n");
        directory.modified(Fixtures.config("chicago", "broken.json"));

        ImportReport broken = directory.importPackage(CHICAGO, madeUp(), SERVICES);

        assertEquals(1, broken.rejected().size());
        InputError error = broken.rejected().get(0);
        assertEquals("broken.json", error.source());
        assertEquals(3, error.line());
        assertTrue(error.reason(), error.reason().endsWith("the built-in category rules apply"));
        assertEquals(Set.of(ServiceCategory.FAMILY), categoriesOf("d"));

        directory.modified(Fixtures.config("chicago", "missing.json"));
        ImportReport missing = directory.importPackage(CHICAGO, madeUp(), SERVICES);
        assertEquals("missing.json", missing.rejected().get(0).source());
        assertTrue(
                missing.rejected().get(0).reason(),
                missing.rejected().get(0).reason().startsWith("is not in the site's folder"));

        directory.modified(Fixtures.config("chicago", "../../etc/rules.json"));
        ImportReport outside = directory.importPackage(CHICAGO, madeUp(), SERVICES);
        assertTrue(
                outside.rejected().get(0).reason(),
                outside.rejected().get(0).reason().startsWith("is not a file name in the site's folder"));
    }
}
