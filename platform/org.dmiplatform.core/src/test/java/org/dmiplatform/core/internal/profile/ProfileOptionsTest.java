package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.testing.CollectingSink;
import org.junit.Test;

/**
 * The profile options an analyst onboarding real exports asked for: an optional field that cannot be read is left out
 * with a warning on the record; ids made from a key of columns or a hash of the row; columns looked up in a second
 * file.
 */
public class ProfileOptionsTest {

    private static Profile profile(String json, Map<String, String> siblings) {
        return ProfileReader.read("site.json", json, name -> Optional.ofNullable(siblings.get(name)));
    }

    private static Profile profile(String json) {
        return profile(json, Map.of());
    }

    private static CollectingSink read(Profile profile, String csv) throws IOException {
        CollectingSink sink = new CollectingSink("America/Chicago");
        profile.read(input("export.csv", csv), sink);
        return sink;
    }

    private static RecordsInput input(String name, String csv) {
        return new RecordsInput() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public Optional<String> watermark() {
                return Optional.empty();
            }
        };
    }

    private static List<InputError> mistakes(String json, Map<String, String> siblings) {
        try {
            profile(json, siblings);
            fail("accepted:\n" + json);
            return null;
        } catch (InvalidInputException e) {
            return e.errors();
        }
    }

    private static void assertMistake(
            List<InputError> errors, String source, int line, String field, String reasonStart) {
        for (InputError e : errors) {
            if (e.source().equals(source)
                    && e.line() == line
                    && e.field().equals(field)
                    && e.reason().startsWith(reasonStart)) {
                return;
            }
        }
        fail("no mistake in " + source + " at line " + line + ", field " + field + ", '" + reasonStart + "...' among "
                + errors);
    }

    private static List<String> ids(CollectingSink sink) {
        return sink.accepted.stream().map(CrimeRecord::sourceId).toList();
    }

    // ---- an optional field that cannot be read is left out, with a warning on the record ----

    private static final String CALLS =
            """
            {"profile": 1, "kind": "call-for-service",%s
             "fields": {
               "sourceId": "ID",
               "occurredFrom": {"columns": ["DATE", "TIME"], "formats": ["MM/dd/yyyy HH:mm"]},
               "occurredTo": {"columns": ["END_DATE", "END_TIME"], "formats": ["MM/dd/yyyy HH:mm"]},
               "reportedAt": {"column": "REPORTED", "formats": ["iso"]},
               "code": "TYPE",
               "location": [{"x": "LON", "y": "LAT"}, {"point": "POINT", "order": "lat lon"}]
             }}
            """;

    private static final String CALLS_HEADER = "ID,DATE,TIME,END_DATE,END_TIME,REPORTED,TYPE,LON,LAT,POINT\n";

    @Test
    public void anEndTimeWithoutItsDateIsLeftOutWithAWarningAndTheRecordKept() throws IOException {
        CollectingSink sink = read(
                profile(CALLS.formatted("")),
                CALLS_HEADER
                        + "C1,01/03/2026,09:00,  /  /    ,09:30,2026-01-03T09:05:00,38,-87.66,41.75,\n"
                        + "C2,01/03/2026,09:00,01/03/2026,09:45,2026-01-03T09:05:00,38,,,\n");
        assertEquals(sink.toString(), 0, sink.rejected.size());
        CrimeRecord c1 = sink.record("C1");
        assertEquals(Instant.parse("2026-01-03T15:00:00Z"), c1.occurredFrom());
        assertEquals(Optional.empty(), c1.occurredTo());
        assertEquals(
                "the other fields are kept",
                Instant.parse("2026-01-03T15:05:00Z"),
                c1.reportedAt().get());
        assertTrue(c1.location().isPresent());
        assertEquals(
                List.of("occurredTo: \"/ / 09:30\" in columns END_DATE + END_TIME matches none of the formats"
                        + " [MM/dd/yyyy HH:mm]; left out"),
                c1.warnings());
        CrimeRecord c2 = sink.record("C2");
        assertEquals(Instant.parse("2026-01-03T15:45:00Z"), c2.occurredTo().get());
        assertEquals("a record read whole has no warning", List.of(), c2.warnings());
    }

    @Test
    public void everyOptionalFieldThatCannotBeReadIsNamedInItsOwnWarning() throws IOException {
        CollectingSink sink = read(
                profile(CALLS.formatted("")),
                CALLS_HEADER
                        + "C1,01/03/2026,09:00,,,yesterday,38,abc,41.75,\n"
                        + "C2,01/03/2026,09:00,,,,38,-87.66,,\n"
                        + "C3,01/03/2026,09:00,,,,38,,,(41.75)\n"
                        + "C4,01/03/2026,09:00,,,,38,,,\"(41.75, -87.66)\"\n");
        assertEquals(sink.toString(), 0, sink.rejected.size());
        CrimeRecord c1 = sink.record("C1");
        assertEquals(Optional.empty(), c1.reportedAt());
        assertEquals(Optional.empty(), c1.location());
        assertEquals(
                List.of(
                        "reportedAt: \"yesterday\" in column REPORTED matches none of the formats [iso]; left out",
                        "location: \"abc\" in column LON is not a number; left out"),
                c1.warnings());
        assertEquals(
                List.of("location: column LAT is empty while column LON holds \"-87.66\"; left out"),
                sink.record("C2").warnings());
        assertEquals(
                List.of("location: \"(41.75)\" in column POINT is not a point of two numbers; left out"),
                sink.record("C3").warnings());
        assertEquals(-87.66, sink.record("C4").location().get().longitude(), 1e-9);
        assertEquals(List.of(), sink.record("C4").warnings());
    }

    @Test
    public void requiredFieldsAndPlaceholdersStillQuarantine() throws IOException {
        CollectingSink sink = read(
                profile(CALLS.formatted("")),
                CALLS_HEADER
                        + "C1,01/03/2026,9h,,,,38,,,\n"
                        + ",01/03/2026,09:00,,,,38,,,\n"
                        + "C3,01/03/2026,09:00,,,,38,0,0,\n");
        assertEquals(List.of(), sink.accepted);
        assertEquals(3, sink.rejected.size());
        assertEquals("DATE + TIME", sink.rejected.get(0).field());
        assertEquals("ID", sink.rejected.get(1).field());
        assertEquals("LON / LAT", sink.rejected.get(2).field());
        assertTrue(sink.rejected.get(2).reason().startsWith("is 0,0"));
    }

    @Test
    public void aProfileMayAskForTheOldStrictness() throws IOException {
        Profile strict = profile(CALLS.formatted("\n \"optional\": \"quarantine\","));
        assertFalse(strict.warnsOptional());
        assertTrue(profile(CALLS.formatted("\n \"optional\": \"warn\",")).warnsOptional());
        CollectingSink sink = read(
                strict,
                CALLS_HEADER
                        + "C1,01/03/2026,09:00,  /  /    ,09:30,,38,,,\n"
                        + "C2,01/03/2026,09:00,,,,38,abc,41.75,\n"
                        + "C3,01/03/2026,09:00,,,,38,-87.66,41.75,\n");
        assertEquals(List.of("C3"), ids(sink));
        assertEquals(2, sink.rejected.size());
        CollectingSink.Rejected end = sink.rejected.get(0);
        assertEquals(2, end.line());
        assertEquals("END_DATE + END_TIME", end.field());
        assertEquals("'/ / 09:30' is not a date in the format MM/dd/yyyy HH:mm (occurredTo)", end.reason());
        assertEquals("LON", sink.rejected.get(1).field());
        assertEquals("'abc' is not a number", sink.rejected.get(1).reason());

        List<InputError> errors = mistakes(CALLS.formatted("\n \"optional\": \"drop\","), Map.of());
        assertMistake(errors, "site.json", 2, "optional", "must be \"warn\" (the default");
    }

    // ---- ids from a key of columns or a hash of the row ----

    private static final String NO_ID =
            """
            {"profile": 1, "kind": "call-for-service",%s
             "fields": {
               "sourceId": %s,
               "occurredFrom": {"columns": ["CALL_DATE", "CALL_TIME"], "formats": ["MM/dd/yyyy HH:mm"]},
               "code": "TYPE"
             }}
            """;

    private static final String NO_ID_CSV = "CALL_DATE,CALL_TIME,UNIT,LOCATION,TYPE\n"
            + "01/03/2026,09:00,U12,100 W MAIN ST,38\n"
            + "01/03/2026,09:00,U12,100 W MAIN ST,38\n"
            + "01/03/2026,09:00,U14,100 W MAIN ST,38\n"
            + "01/03/2026,09:00,U12,100 W MAIN ST,38\n"
            + "01/03/2026,09:05,,100 W MAIN ST,38\n";

    @Test
    public void aCompositeKeyJoinsItsColumnsAndCountsRepeatsInFileOrder() throws IOException {
        Profile p = profile(NO_ID.formatted("", "{\"key\": [\"CALL_DATE\", \"CALL_TIME\", \"UNIT\", \"LOCATION\"]}"));
        List<String> expected = List.of(
                "01/03/2026|09:00|U12|100 W MAIN ST",
                "01/03/2026|09:00|U12|100 W MAIN ST#2",
                "01/03/2026|09:00|U14|100 W MAIN ST",
                "01/03/2026|09:00|U12|100 W MAIN ST#3",
                "01/03/2026|09:05||100 W MAIN ST");
        assertEquals(expected, ids(read(p, NO_ID_CSV)));
        assertEquals("the same file gives the same ids again", expected, ids(read(p, NO_ID_CSV)));
        assertEquals(
                "a bar inside a value is escaped, so columns cannot run into each other",
                List.of("a\\|b|c", "a|b\\|c"),
                ids(read(
                        profile(NO_ID.formatted("", "{\"key\": [\"UNIT\", \"LOCATION\"]}")),
                        "CALL_DATE,CALL_TIME,UNIT,LOCATION,TYPE\n"
                                + "01/03/2026,09:00,a|b,c,38\n"
                                + "01/03/2026,09:00,a,b|c,38\n")));
    }

    @Test
    public void aKeyByPositionsForAFileWithoutHeader() throws IOException {
        Profile p = profile(
                """
                {"profile": 1, "file": {"header": false},
                 "fields": {"sourceId": {"key": [1, 3]}, "code": 4,
                   "occurredFrom": {"position": 2, "formats": ["iso"]}}}
                """);
        CollectingSink sink = read(p, "A,2026-01-03T09:00,X,38\nA,2026-01-03T09:00,X,38\n,2026-01-03T09:00,,38\n");
        assertEquals(List.of("A|X", "A|X#2"), ids(sink));
        assertEquals("a key with every column blank is no id", 1, sink.rejected.size());
        assertEquals("column 1 + column 3", sink.rejected.get(0).field());
    }

    @Test
    public void aRowHashIsStableAndDiffersWhenAColumnDiffers() throws IOException {
        Profile p = profile(NO_ID.formatted("", "{\"hash\": \"row\"}"));
        List<String> ids = ids(read(p, NO_ID_CSV));
        assertEquals(5, ids.size());
        String first = ids.get(0);
        assertTrue(first, first.matches("h:[0-9a-f]{16}"));
        assertEquals(first + "#2", ids.get(1));
        assertEquals(first + "#3", ids.get(3));
        assertNotEquals("another unit, another id", first, ids.get(2));
        assertNotEquals(first, ids.get(4));
        assertEquals("stable across reads (and runs: it is SHA-256)", ids, ids(read(p, NO_ID_CSV)));
        // the values as read: surrounding and repeated spaces do not change the id
        assertEquals(
                first,
                ids(read(p, "CALL_DATE,CALL_TIME,UNIT,LOCATION,TYPE\n 01/03/2026 ,09:00,U12,100  W MAIN ST,38\n"))
                        .get(0));
        // the first 64 bits of SHA-256 of the values joined with the unit separator
        assertEquals(
                "h:"
                        + sha256("01/03/2026\u001F09:00\u001FU12\u001F100 W MAIN ST\u001F38")
                                .substring(0, 16),
                first);
    }

    @Test
    public void aHashOfChosenColumnsIgnoresTheOthers() throws IOException {
        Profile p = profile(NO_ID.formatted("", "{\"hash\": [\"CALL_DATE\", \"CALL_TIME\", \"LOCATION\"]}"));
        List<String> ids = ids(read(p, NO_ID_CSV));
        String first = ids.get(0);
        assertEquals(List.of(first, first + "#2", first + "#3", first + "#4"), ids.subList(0, 4));
        assertEquals("h:" + sha256("01/03/2026\u001F09:00\u001F100 W MAIN ST").substring(0, 16), first);
    }

    @Test
    public void aKeyWithMergeIsTheRecordsIdAndRepeatsAreMergedNotCounted() throws IOException {
        Profile p = profile(NO_ID.formatted(" \"repeats\": \"merge\",", "{\"key\": [\"CALL_DATE\", \"UNIT\"]}"));
        assertEquals(
                "the platform merges rows sharing the id",
                List.of("01/03/2026|U12", "01/03/2026|U12", "01/03/2026|U14", "01/03/2026|U12", "01/03/2026|"),
                ids(read(p, NO_ID_CSV)));
    }

    @Test
    public void aHashedIdWithMergeIsRefused() {
        List<InputError> errors = mistakes(
                """
                {"profile": 1,
                 "repeats": "merge",
                 "fields": {
                   "sourceId": {"hash": "row"},
                   "occurredFrom": {"column": "D", "formats": ["iso"]}, "code": "C"}}
                """,
                Map.of());
        assertMistake(
                errors, "site.json", 4, "fields.sourceId", "is a hash, which cannot tell which rows are one record");
        assertTrue(errors.get(0).reason(), errors.get(0).reason().contains("\"repeats\": \"merge\" (line 2)"));
        assertEquals(errors.toString(), 1, errors.size());
    }

    @Test
    public void refusesMalformedIdForms() {
        String template = "{\"profile\": 1,\n \"fields\": {\n \"sourceId\": %s,\n"
                + " \"occurredFrom\": {\"column\": \"D\", \"formats\": [\"iso\"]}, \"code\": \"C\"}}";
        assertMistake(
                mistakes(template.formatted("{\"key\": []}"), Map.of()),
                "site.json",
                3,
                "fields.sourceId.key",
                "must list the columns whose values together tell one record from another");
        assertMistake(
                mistakes(template.formatted("{\"hash\": \"everything\"}"), Map.of()),
                "site.json",
                3,
                "fields.sourceId.hash",
                "must be \"row\" (every column of the row) or a list of columns");
        assertMistake(
                mistakes(template.formatted("{\"key\": [\"A\"], \"hash\": \"row\"}"), Map.of()),
                "site.json",
                3,
                "fields.sourceId",
                "must have one of key or hash, not both");
        assertMistake(
                mistakes(template.formatted("{\"key\": [\"A\", 2]}"), Map.of()),
                "site.json",
                3,
                "fields.sourceId.key",
                "must list column names or positions, not both");
        assertMistake(
                mistakes(template.formatted("{\"hash\": [\"A\"], \"join\": \"-\"}"), Map.of()),
                "site.json",
                3,
                "fields.sourceId.join",
                "is not a key here");
    }

    // ---- a lookup join against a second file ----

    /** Chicago's own latitude/longitude and its X/Y in Illinois East (feet) for the same place. */
    private static final String GEOCODED = "LOCATION_TEXT,X,Y,Source\n"
            + "100 W Main St,1166811,1853653,county\n"
            + "200 E OAK AVE,1176811,1863653,county\n"
            + "\"100 w main st\",1166811,1853653,county\n";

    private static final String LOOKUP =
            """
            {"profile": 1, "kind": "call-for-service",
             "lookup": {"file": "geocoded.csv", "key": "LOCATION_TEXT", "on": "Location"},
             "fields": {
               "sourceId": "ID",
               "occurredFrom": {"column": "DATE", "formats": ["iso"]},
               "code": "TYPE",
               "address": "Location",
               "district": "geocoded.csv:Source",
               "location": [{"x": "LON", "y": "LAT"}, {"x": "geocoded.csv:X", "y": "geocoded.csv:Y", "crs": "EPSG:3435"}]
             },
             "skip": [{"column": "geocoded.csv:Source", "equals": "test", "why": "test rows"}]}
            """;

    @Test
    public void aLookupGivesTheCoordinatesOfAnotherFileReprojectedAndMatchedIgnoringCaseAndSpaces() throws IOException {
        Profile p = profile(LOOKUP, Map.of("geocoded.csv", GEOCODED));
        CollectingSink sink = read(
                p,
                "ID,DATE,TYPE,Location,LON,LAT\n"
                        + "C1,2026-01-03T09:00,38,100 W MAIN ST,,\n"
                        + "C2,2026-01-03T09:00,38,  100   w main st ,,\n"
                        + "C3,2026-01-03T09:00,38,300 N ELM ST,,\n"
                        + "C4,2026-01-03T09:00,38,300 N ELM ST,-87.7,41.8\n"
                        + "C5,2026-01-03T09:00,38,,,\n");
        assertEquals(sink.toString(), 0, sink.rejected.size());
        CrimeRecord c1 = sink.record("C1");
        assertEquals(-87.664263469, c1.location().get().longitude(), 1e-5);
        assertEquals(41.753985135, c1.location().get().latitude(), 1e-5);
        assertEquals("county", c1.district());
        assertEquals(c1.location(), sink.record("C2").location());
        assertEquals("100 w main st", sink.record("C2").address().toLowerCase(java.util.Locale.ROOT));
        assertEquals(
                "a key not in the file: no location",
                Optional.empty(),
                sink.record("C3").location());
        assertEquals("", sink.record("C3").district());
        assertEquals(List.of(), sink.record("C3").warnings());
        assertEquals(-87.7, sink.record("C4").location().get().longitude(), 1e-9);
        assertEquals(Optional.empty(), sink.record("C5").location());
    }

    @Test
    public void lookupColumnsServeConditionsAndSeveralFiles() throws IOException {
        String json = LOOKUP.replace(
                        "\"lookup\": {\"file\": \"geocoded.csv\", \"key\": \"LOCATION_TEXT\", \"on\": \"Location\"}",
                        "\"lookup\": [{\"file\": \"geocoded.csv\", \"key\": \"LOCATION_TEXT\", \"on\": \"Location\"},"
                                + " {\"file\": \"units.csv\", \"key\": \"unit\", \"on\": 6}]")
                .replace("\"district\": \"geocoded.csv:Source\"", "\"district\": \"units.csv:district\"");
        Profile p = profile(
                json,
                Map.of(
                        "geocoded.csv",
                        GEOCODED + "9 TEST RD,1166811,1853653,test\n",
                        "units.csv",
                        "unit,district\nU12,North\n"));
        CollectingSink sink = read(
                p,
                "ID,DATE,TYPE,Location,LON,UNIT,LAT\n"
                        + "C1,2026-01-03T09:00,38,100 W MAIN ST,,u12,\n"
                        + "C2,2026-01-03T09:00,38,9 test rd,,U12,\n");
        assertEquals(List.of("C1"), ids(sink));
        assertEquals("North", sink.record("C1").district());
        assertEquals(List.of(new CollectingSink.Skipped(3, "test rows")), sink.skipped);
    }

    @Test
    public void aLookupFileThatIsMissingOrLacksItsKeyIsRefusedNamingFileLineAndColumn() {
        assertMistake(
                mistakes(LOOKUP, Map.of()),
                "site.json",
                2,
                "lookup.file",
                "names the lookup file 'geocoded.csv', which is not beside the profile");
        List<InputError> noKey = mistakes(LOOKUP, Map.of("geocoded.csv", "\nADDRESS,X,Y,Source\n1 A ST,1,2,x\n"));
        assertMistake(noKey, "geocoded.csv", 2, "LOCATION_TEXT", "is not a column of this lookup file");
        assertTrue(noKey.get(0).reason(), noKey.get(0).reason().endsWith("its columns are: ADDRESS, X, Y, Source"));
        assertEquals("the file's own mistake, not one per column named", 1, noKey.size());

        List<InputError> twice =
                mistakes(LOOKUP, Map.of("geocoded.csv", GEOCODED + "\"200  e oak ave \",1176811,1863654,county\n"));
        assertMistake(twice, "geocoded.csv", 5, "LOCATION_TEXT", "'200 e oak ave' is also on line 3 with other values");
        assertEquals(twice.toString(), 1, twice.size());

        assertMistake(
                mistakes(LOOKUP, Map.of("geocoded.csv", "")), "geocoded.csv", 1, "", "is empty: a lookup file needs");
    }

    @Test
    public void refusesMistakesInTheLookupAndItsColumns() {
        List<InputError> errors = mistakes(
                """
                {"profile": 1,
                 "lookup": [{"file": "geocoded.csv", "key": "LOCATION_TEXT", "on": "Location"},
                   {"file": "../other.csv", "key": "K", "on": "A"},
                   {"file": "geocoded.csv", "key": "K", "on": "B"},
                   {"file": "units.txt", "key": "K", "on": "B"},
                   {"file": "units.csv", "on": "units.csv:K"}],
                 "fields": {
                   "sourceId": "ID",
                   "occurredFrom": {"column": "DATE", "formats": ["iso"]},
                   "code": "geocoded.csv:LAT",
                   "address": {"columns": ["Location", "other.csv:CITY"]}}}
                """,
                Map.of("geocoded.csv", GEOCODED, "units.csv", "K,V\n"));
        assertMistake(errors, "site.json", 3, "lookup[1].file", "must be the name of a file beside the profile");
        assertMistake(errors, "site.json", 4, "lookup[2].file", "names geocoded.csv a second time");
        assertMistake(errors, "site.json", 5, "lookup[3].file", "must be a .csv file beside the profile");
        assertMistake(errors, "site.json", 6, "lookup[4].key", "must name the lookup file's column");
        assertMistake(errors, "site.json", 6, "lookup[4].on", "names a column of units.csv, which is not a lookup");
        assertMistake(
                errors,
                "site.json",
                10,
                "fields.code",
                "names the column 'LAT' of geocoded.csv, which has the columns: LOCATION_TEXT, X, Y, Source");
        assertMistake(
                errors,
                "site.json",
                11,
                "fields.address.columns[1]",
                "names a column of other.csv, which is not a lookup of this profile (its lookups: geocoded.csv)");
        assertEquals(errors.toString(), 7, errors.size());
    }

    @Test
    public void aLookupServesAFileWithoutHeader() throws IOException {
        Profile p = profile(
                """
                {"profile": 1, "file": {"header": false},
                 "lookup": {"file": "geocoded.csv", "key": "LOCATION_TEXT", "on": 3},
                 "fields": {"sourceId": 1, "code": 4, "occurredFrom": {"position": 2, "formats": ["iso"]},
                   "location": {"x": "geocoded.csv:X", "y": "geocoded.csv:Y", "crs": "EPSG:3435"}}}
                """,
                Map.of("geocoded.csv", GEOCODED));
        CollectingSink sink = read(p, "C1,2026-01-03T09:00,100 W MAIN ST,38\n");
        assertEquals(41.753985135, sink.only().location().get().latitude(), 1e-5);
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
