package org.dmiplatform.core.internal.site;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dmiplatform.api.PluginConfiguration;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.core.internal.profile.RecordsProfilesImpl;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The programme's site kits, as the repository ships them in {@code site-configs/}: every one reads, is where its city
 * is, in its city's time zone and state plane zone, names features the platform has, and provisions.
 */
public class SiteKitsTest {
    static final Path CONFIGS = Paths.get("../../site-configs");

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** A city: its state as the kit's jurisdiction ends, its zone, and its centre (city hall, roughly). */
    record City(String state, String zone, double longitude, double latitude) {}

    /** Every site of the programme with a kit, and where it is: a kit missing from here fails the test. */
    static final Map<String, City> CITIES = Map.ofEntries(
            Map.entry("high-point", new City("North Carolina", "America/New_York", -80.005, 35.956)),
            Map.entry("rockford", new City("Illinois", "America/Chicago", -89.094, 42.271)),
            Map.entry("nashville", new City("Tennessee", "America/Chicago", -86.782, 36.163)),
            Map.entry("providence", new City("Rhode Island", "America/New_York", -71.413, 41.824)),
            Map.entry("seattle", new City("Washington", "America/Los_Angeles", -122.332, 47.606)),
            Map.entry("raleigh", new City("North Carolina", "America/New_York", -78.638, 35.780)),
            Map.entry("winston-salem", new City("North Carolina", "America/New_York", -80.244, 36.100)),
            Map.entry("hempstead", new City("New York", "America/New_York", -73.619, 40.706)),
            Map.entry("aiken", new City("South Carolina", "America/New_York", -81.720, 33.560)),
            Map.entry("durham", new City("North Carolina", "America/New_York", -78.899, 35.994)),
            Map.entry("huntington", new City("West Virginia", "America/New_York", -82.445, 38.419)),
            Map.entry("indianapolis", new City("Indiana", "America/Indiana/Indianapolis", -86.158, 39.768)),
            Map.entry("mesa", new City("Arizona", "America/Phoenix", -111.832, 33.415)),
            Map.entry("middletown", new City("Ohio", "America/New_York", -84.398, 39.515)),
            Map.entry("mineola", new City("New York", "America/New_York", -73.641, 40.749)),
            Map.entry("mount-vernon", new City("New York", "America/New_York", -73.837, 40.913)),
            Map.entry("ocala", new City("Florida", "America/New_York", -82.140, 29.187)),
            Map.entry("rochester", new City("New York", "America/New_York", -77.609, 43.157)),
            Map.entry("rutland", new City("Vermont", "America/New_York", -72.973, 43.611)),
            Map.entry("sarasota", new City("Florida", "America/New_York", -82.531, 27.336)),
            Map.entry("snow-hill", new City("Maryland", "America/New_York", -75.393, 38.177)),
            Map.entry("white-plains", new City("New York", "America/New_York", -73.763, 41.034)),
            Map.entry("yonkers", new City("New York", "America/New_York", -73.899, 40.931)),
            Map.entry("peoria", new City("Illinois", "America/Chicago", -89.589, 40.694)),
            Map.entry("charleston", new City("South Carolina", "America/New_York", -79.931, 32.777)),
            Map.entry("austin", new City("Texas", "America/Chicago", -97.743, 30.267)));

    /** The records adapter feature a records system's sites need, by the plug-in it configures. */
    static final Map<String, String> ADAPTERS = Map.of(
            "org.dmiplatform.adapter.nibrs", "dmi-adapter-nibrs",
            "org.dmiplatform.adapter.jdbc", "dmi-adapter-jdbc",
            "org.dmiplatform.adapter.csv", "dmi-adapter-csv");

    private static List<SiteDefinition> kits(SiteProvisioningImpl provisioning) {
        return provisioning.readAll(CONFIGS).stream()
                .filter(d -> !SiteProvisioning.DEMO_COHORT.equals(d.site().cohort()))
                .toList();
    }

    @Test
    public void everySiteOfTheProgrammeHasAKitAndEveryKitIsWhereItsCityIs() throws IOException {
        ProvisioningFixture f = new ProvisioningFixture(temp.getRoot().toPath(), CONFIGS);
        List<SiteDefinition> kits = kits(f.provisioning);
        Set<String> ids = new TreeSet<>();
        kits.forEach(d -> ids.add(d.site().id()));
        assertEquals("a kit for every site of the programme, and a centre here for every kit", CITIES.keySet(), ids);
        assertTrue(kits.size() >= 25);
        assertEquals(
                "the demo sites stay as they are, and are the templates' only demo sites",
                List.of("chicago", "denver"),
                f.provisioning.readAll(CONFIGS).stream()
                        .filter(d ->
                                SiteProvisioning.DEMO_COHORT.equals(d.site().cohort()))
                        .map(d -> d.site().id())
                        .toList());
        Map<String, String> titles = epsgTitles();
        List<String> wrong = new ArrayList<>();
        for (SiteDefinition kit : kits) {
            Site site = kit.site();
            City city = CITIES.get(site.id());
            String at = site.id() + ": ";
            if (!site.timeZone().equals(ZoneId.of(city.zone()))) {
                wrong.add(at + "time zone " + site.timeZone() + ", not " + city.zone());
            }
            if (!site.jurisdiction().endsWith(" Department, " + city.state())
                    && !site.jurisdiction().endsWith(" Division of Police, " + city.state())
                    && !site.jurisdiction().endsWith(" Department of Public Safety, " + city.state())) {
                wrong.add(at + "jurisdiction '" + site.jurisdiction() + "' is not a police department of "
                        + city.state());
            }
            if (site.cohort().isBlank()) {
                wrong.add(at + "no cohort");
            }
            bounds(site, city, at, wrong);
            crs(site, city, titles, at, wrong);
            if (kit.recordsSystem().isEmpty()) {
                wrong.add(at + "names no records system");
            }
            List<String> adapters = kit.plugins().stream()
                    .map(PluginConfiguration::factoryPid)
                    .filter(ADAPTERS::containsKey)
                    .toList();
            if (adapters.size() != 1 || !site.features().contains(ADAPTERS.get(adapters.get(0)))) {
                wrong.add(
                        at + "not exactly one records adapter with its feature: " + adapters + ", " + site.features());
            }
            for (String feature : site.features()) {
                if (!f.features.contains(feature)) {
                    wrong.add(at + "feature " + feature + " is not in features/src/main/feature/feature.xml");
                }
            }
            for (String needed : List.of("dmi-mapping-jts", "dmi-reporting-standard")) {
                if (!site.features().contains(needed)) {
                    wrong.add(at + "lacks " + needed + ": the map of Step 1 and the outcome report need it");
                }
            }
        }
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
    }

    /** West, south, east, north in the United States, around the city's centre with a margin, no wider than a county. */
    private static void bounds(Site site, City city, String at, List<String> wrong) {
        if (site.bounds().isEmpty()) {
            wrong.add(at + "no bounds: a point read in the wrong coordinate system would not be quarantined");
            return;
        }
        Site.Bounds b = site.bounds().get();
        if (b.west() < -125 || b.east() > -66 || b.south() < 24 || b.north() > 50) {
            wrong.add(at + "bounds " + b + " are not in the contiguous United States");
        }
        if (!b.contains(city.longitude(), city.latitude())) {
            wrong.add(at + "bounds " + b + " leave out the city's centre " + city.longitude() + "," + city.latitude());
        } else if (Math.min(
                        Math.min(city.longitude() - b.west(), b.east() - city.longitude()),
                        Math.min(city.latitude() - b.south(), b.north() - city.latitude()))
                < 0.01) {
            wrong.add(at + "bounds " + b + " pass within a kilometre of the city's centre: too tight");
        }
        if (b.east() - b.west() > 0.8 || b.north() - b.south() > 0.6) {
            wrong.add(at + "bounds " + b + " are wider than a city and its margin");
        }
        for (double edge : new double[] {b.west(), b.south(), b.east(), b.north()}) {
            if (Math.abs(edge * 1000 - Math.rint(edge * 1000)) > 1e-6) {
                wrong.add(at + "bounds " + b + " have more than 3 decimals");
            }
        }
    }

    /**
     * WGS84 and one state plane zone: a code the platform's profiles can read from, of the city's state, in feet or
     * (Vermont) metres, whose projection is centred near the city.
     */
    private static void crs(Site site, City city, Map<String, String> titles, String at, List<String> wrong) {
        List<String> codes = site.sourceCrs();
        if (codes.size() != 2 || !codes.contains("EPSG:4326")) {
            wrong.add(at + "sourceCrs " + codes + " is not the state plane zone and EPSG:4326");
            return;
        }
        for (String code : codes) {
            RecordsProfilesImpl.crsProblem(code).ifPresent(p -> wrong.add(at + code + " " + p));
        }
        String zone = codes.get(0).equals("EPSG:4326") ? codes.get(1) : codes.get(0);
        String number = zone.substring("EPSG:".length());
        String title = titles.getOrDefault(number, "");
        String definition = titles.getOrDefault(number + ":definition", "");
        if (!title.startsWith("NAD83 / " + city.state())) {
            wrong.add(at + zone + " is '" + title + "', not a NAD83 zone of " + city.state());
        }
        boolean feet = definition.contains("+units=us-ft") || definition.contains("+units=ft");
        if (!feet && !(city.state().equals("Vermont") && definition.contains("+units=m "))) {
            wrong.add(at + zone + " is in neither feet nor (Vermont's) metres: " + definition);
        }
        double lon0 = parameter(definition, "lon_0");
        if (definition.contains("+proj=tmerc") && Math.abs(city.longitude() - lon0) > 2.0) {
            wrong.add(at + zone + ": the transverse Mercator zone's meridian " + lon0 + " is far from the city");
        }
        if (definition.contains("+proj=lcc")) {
            double lat1 = parameter(definition, "lat_1");
            double lat2 = parameter(definition, "lat_2");
            if (city.latitude() < Math.min(lat1, lat2) - 1 || city.latitude() > Math.max(lat1, lat2) + 1) {
                wrong.add(at + zone + ": the Lambert zone's standard parallels " + lat1 + ", " + lat2
                        + " are far from the city");
            }
        }
    }

    private static double parameter(String definition, String name) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\+" + name + "=(-?[0-9.]+)").matcher(definition);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The EPSG table the platform reprojects with: each code's title and (as {@code code:definition}) its proj4. */
    private static Map<String, String> epsgTitles() throws IOException {
        Map<String, String> out = new HashMap<>();
        try (InputStream in = SiteKitsTest.class.getClassLoader().getResourceAsStream("proj4/nad/epsg")) {
            assertNotNull("proj4j's EPSG table is on the class path", in);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String title = "";
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("# ")) {
                    title = line.substring(2).strip();
                } else if (line.startsWith("<")) {
                    String code = line.substring(1, line.indexOf('>'));
                    out.put(code, title);
                    out.put(code + ":definition", line);
                }
            }
        }
        return out;
    }

    @Test
    public void everyKitProvisionsIntoOneInstanceInOneGo() throws IOException {
        ProvisioningFixture f = new ProvisioningFixture(temp.getRoot().toPath(), CONFIGS);
        List<SiteDefinition> kits = kits(f.provisioning);
        List<SiteProvisioning.Provisioned> done = f.provisioning.provisionAll(kits, ProvisionAllTest.ADMIN);
        assertEquals(kits.size(), done.size());
        for (int i = 0; i < kits.size(); i++) {
            SiteDefinition kit = kits.get(i);
            assertEquals(SiteProvisioning.Outcome.CREATED, done.get(i).outcome());
            assertEquals(kit.site(), f.sites.find(kit.site().id()).orElseThrow());
            assertEquals(
                    kit.site().id(),
                    new TreeSet<>(kit.plugins().stream()
                            .map(PluginConfiguration::factoryPid)
                            .toList()),
                    f.pluginsOf(kit.site().id()).keySet());
        }
        assertEquals("the features were installed once, together", 1, f.installs.size());
        assertEquals(kits.size(), f.audit("site.provision").size());
        assertTrue(f.audit("site.provision").get(0).detail().contains("records system nibrs-"));
    }

    @Test
    public void theRecordsSystemsPresetsAreTheAdaptersOwn() throws IOException {
        Path systems = CONFIGS.resolve(RecordsSystems.FOLDER);
        Map<Path, Path> copies = Map.of(
                systems.resolve("socrata-chicago-clear/profiles/chicago-clear.json"),
                CONFIGS.resolve("chicago/profiles/chicago-clear.json"),
                systems.resolve("arcgis-denver-crime/profiles/denver-crime.json"),
                CONFIGS.resolve("denver/profiles/denver-crime.json"),
                systems.resolve("arcgis-denver-crime/profiles/denver-offense-codes.csv"),
                CONFIGS.resolve("denver/profiles/denver-offense-codes.csv"),
                systems.resolve("socrata-dallas-calls/profiles/dallas-calls.json"),
                Paths.get("../../bundles/org.dmiplatform.adapter.csv/src/test/resources/profiles/dallas-calls.json"));
        copies.forEach((system, preset) -> {
            try {
                assertEquals(
                        system + " is the preset the adapter is tested with",
                        Files.readString(preset),
                        Files.readString(system));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        RecordsSystems all = RecordsSystems.in(CONFIGS);
        assertEquals(
                List.of(
                        "arcgis-denver-crime",
                        "cde-extract",
                        "nibrs-flat",
                        "nibrs-xml",
                        "rms-database",
                        "socrata-chicago-clear",
                        "socrata-dallas-calls"),
                all.names());
        Set<String> features = ProvisioningFixture.featuresOfTheRepository();
        for (String name : all.names()) {
            RecordsSystems.RecordsSystem system = all.read(name, "test", 0);
            assertFalse(name, system.plugins().isEmpty());
            assertFalse(name, system.features().isEmpty());
            assertTrue(name + " " + system.features(), features.containsAll(system.features()));
        }
    }
}
