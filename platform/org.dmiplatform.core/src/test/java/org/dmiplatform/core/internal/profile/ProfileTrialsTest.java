package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.ProfileTrial;
import org.dmiplatform.api.records.RecordsInput;
import org.junit.Test;

/** A dry run counts what an import would do, shows records in the site's time, and warns of likely mistakes. */
public class ProfileTrialsTest {
    private static final Site CHICAGO = new Site(
            "chicago",
            "Chicago",
            "",
            ZoneId.of("America/Chicago"),
            List.of("EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03)));
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

    private static RecordsInput file(String name, String text) {
        return new RecordsInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }

    private static ProfileTrial trial(String profileJson, String sample, int show) throws Exception {
        Profile profile = ProfileReader.read("calls.json", profileJson, name -> Optional.empty());
        return ProfileTrials.run(profile, file("calls.csv", sample), CHICAGO, show, NOW);
    }

    private static String profile(String dateFormat, String repeats) {
        return """
                {
                  "profile": 1,
                  "kind": "call-for-service",
                  "repeats": "%s",
                  "fields": {
                    "sourceId": "ID",
                    "occurredFrom": {"column": "When", "formats": ["%s"]},
                    "code": "Code",
                    "location": {"x": "Lon", "y": "Lat"}
                  },
                  "category": [{"column": "Code", "equals": "DRUG", "is": "drug"}],
                  "skip": [{"column": "Code", "equals": "TEST", "why": "a test call"}]
                }
                """
                .formatted(repeats, dateFormat);
    }

    @Test
    public void countsWhatAnImportWouldDoAndShowsRecordsInTheSiteTime() throws Exception {
        String sample =
                """
                ID,When,Code,Lon,Lat
                1,2026-01-09 21:45,DRUG,-87.65,41.88
                2,2026-01-09 21:50,NOISE,,
                3,2026-01-09 21:55,TEST,-87.65,41.88
                4,bad date,DRUG,-87.65,41.88
                5,2026-01-10 01:00,DRUG,-80.00,41.88
                1,2026-01-09 21:45,DRUG,-87.65,41.88
                6,2027-01-10 01:00,DRUG,-87.65,41.88
                """;
        ProfileTrial trial = trial(profile("yyyy-MM-dd HH:mm", "quarantine"), sample, 10);

        assertEquals(7, trial.read());
        assertEquals(2, trial.imported());
        assertEquals(4, trial.quarantined());
        assertEquals(1, trial.skipped());
        assertEquals(
                trial.read(),
                trial.imported() + trial.quarantined() + trial.skipped() + trial.merged() + trial.deletes());
        assertEquals(Map.of(Category.DRUG, 1L, Category.OTHER, 1L), trial.categories());
        assertEquals("America/Chicago", trial.zone());

        ProfileTrial.Mapped first = trial.first().get(0);
        assertEquals(2, first.line());
        assertEquals("1,2026-01-09 21:45,DRUG,-87.65,41.88", first.source());
        assertEquals("2026-01-09 21:45:00 (CST)", first.occurredFrom());
        assertEquals(Instant.parse("2026-01-10T03:45:00Z"), first.record().occurredFrom());

        List<String> fields = trial.quarantineReasons().stream()
                .map(ProfileTrial.Reason::field)
                .sorted()
                .toList();
        assertEquals(List.of("When", "location", "occurredFrom", "sourceId"), fields);
        ProfileTrial.Reason repeat = trial.quarantineReasons().stream()
                .filter(r -> r.field().equals("sourceId"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(7L), repeat.lines());
        assertTrue(repeat.reason(), repeat.reason().contains("line 2"));
        assertEquals("a test call", trial.skipReasons().get(0).reason());
        assertEquals(List.of(4L), trial.skipReasons().get(0).lines());
        assertTrue(trial.warnings().toString(), trial.warnings().stream().anyMatch(w -> w.contains("in the future")));
    }

    @Test
    public void reasonsThatDifferOnlyInTheRowsValueAreOne() throws Exception {
        StringBuilder sample = new StringBuilder("ID,When,Code,Lon,Lat\n");
        for (int i = 0; i < 30; i++) {
            sample.append(i).append(",13/").append(i % 28 + 1).append("/2026 10:00,DRUG,,\n");
        }
        ProfileTrial trial = trial(profile("MM/dd/yyyy HH:mm", "quarantine"), sample.toString(), 5);
        assertEquals(30, trial.quarantined());
        assertEquals(1, trial.quarantineReasons().size());
        assertEquals(30, trial.quarantineReasons().get(0).rows());
        assertEquals(
                List.of(2L, 3L, 4L, 5L, 6L), trial.quarantineReasons().get(0).lines());
    }

    @Test
    public void mergedRowsAreCountedOnceUnderTheMostSeriousCategory() throws Exception {
        String sample =
                """
                ID,When,Code,Lon,Lat
                A,2026-01-09 21:45,NOISE,,
                A,2026-01-09 21:45,DRUG,,
                B,2026-01-09 22:00,NOISE,,
                """;
        ProfileTrial trial = trial(profile("yyyy-MM-dd HH:mm", "merge"), sample, 5);
        assertEquals(3, trial.read());
        assertEquals(2, trial.imported());
        assertEquals(1, trial.merged());
        assertEquals(Map.of(Category.DRUG, 1L, Category.OTHER, 1L), trial.categories());
    }

    @Test
    public void warnsWhenTheNoonHourNeverAppearsAndOfSpikesAtMidnight() throws Exception {
        // a 12-hour clock read without its AM/PM: 12:30 PM becomes 00:30, and no record is ever at noon
        StringBuilder sample = new StringBuilder("ID,When,Code,Lon,Lat\n");
        for (int i = 0; i < 240; i++) {
            int hour = i % 24;
            String clock = hour == 12 ? "00" : String.format("%02d", hour);
            String minute = i % 5 == 0 ? "00" : "30";
            if (i % 4 == 0) {
                clock = "00";
                minute = "00";
            }
            sample.append(i)
                    .append(",2026-03-0")
                    .append(i % 9 + 1)
                    .append(' ')
                    .append(clock)
                    .append(':');
            sample.append(minute).append(",DRUG,,\n");
        }
        ProfileTrial trial = trial(profile("yyyy-MM-dd HH:mm", "quarantine"), sample.toString(), 0);
        assertEquals(240, trial.imported());
        assertTrue(trial.first().isEmpty());
        String warnings = String.join("\n", trial.warnings());
        assertTrue(warnings, warnings.contains("No record falls between 12:00 and 12:59 among 240"));
        assertTrue(warnings, warnings.contains("are at exactly 00:00:00"));
        assertTrue(warnings, warnings.contains("100% of the records are 'drug'"));
        assertTrue(warnings, warnings.contains("No record has a location"));
    }

    @Test
    public void warnsWhenMostPointsFallOutsideTheSite() throws Exception {
        StringBuilder sample = new StringBuilder("ID,When,Code,Lon,Lat\n");
        for (int i = 0; i < 20; i++) {
            // latitude and longitude swapped
            sample.append(i).append(",2026-01-09 12:00,NOISE,41.88,-87.65\n");
        }
        ProfileTrial trial = trial(profile("yyyy-MM-dd HH:mm", "quarantine"), sample.toString(), 3);
        assertEquals(20, trial.quarantined());
        assertTrue(
                trial.warnings().toString(),
                trial.warnings().stream()
                        .anyMatch(w -> w.startsWith("100% of the records with a location fall outside the site")));
    }
}
