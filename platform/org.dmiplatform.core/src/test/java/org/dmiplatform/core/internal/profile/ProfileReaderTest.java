package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.junit.Test;

/** A profile's mistakes are all reported, each with its line and field, before any row is read. */
public class ProfileReaderTest {

    private static List<InputError> mistakes(String json, Map<String, String> siblings) {
        try {
            ProfileReader.read("site.json", json, name -> Optional.ofNullable(siblings.get(name)));
            fail("accepted:\n" + json);
            return null;
        } catch (InvalidInputException e) {
            return e.errors();
        }
    }

    private static List<InputError> mistakes(String json) {
        return mistakes(json, Map.of());
    }

    private static void assertMistake(List<InputError> errors, int line, String field, String reasonStart) {
        for (InputError e : errors) {
            if (e.line() == line && e.field().equals(field) && e.reason().startsWith(reasonStart)) {
                return;
            }
        }
        fail("no mistake at line " + line + ", field " + field + ", '" + reasonStart + "...' among " + errors);
    }

    @Test
    public void reportsEveryMistakeWithItsLineAndField() {
        List<InputError> errors = mistakes(
                """
                {
                  "profile": 1,
                  "kind": "arrest",
                  "file": {"delimiter": ",,", "encoding": "EBCDIC-999"},
                  "fields": {
                    "sourceId": "ID",
                    "occurredFrom": {"column": "Date", "formats": ["MM/dd/yyyy jj"]},
                    "reportedAt": {"column": "Reported"},
                    "code": "IUCR",
                    "adress": "Block",
                    "location": {"x": "X", "y": "Y", "crs": "EPSG:999999"}
                  },
                  "category": [{"column": "FBI Code", "equals": "18", "is": "narcotics"}],
                  "skip": [{"column": "IS_TRAFFIC", "equals": "1"}, {"column": "A", "equals": "1", "matches": "x", "why": "w"}]
                }
                """);
        assertMistake(
                errors, 3, "kind", "is the text \"arrest\", not one of incident, call-for-service, field-contact");
        assertMistake(errors, 4, "file.delimiter", "must be one character");
        assertMistake(errors, 4, "file.encoding", "'EBCDIC-999' is not a character set");
        assertMistake(errors, 7, "fields.occurredFrom.formats[0]", "'MM/dd/yyyy jj' is not a date pattern");
        assertMistake(errors, 8, "fields.reportedAt.formats", "is required");
        assertMistake(errors, 10, "fields.adress", "is not a key here");
        assertMistake(errors, 11, "fields.location.crs", "'EPSG:999999' is not a coordinate system in the EPSG table");
        assertMistake(errors, 13, "category[0].is", "must be one of drug, weapons, sex-offense");
        assertMistake(errors, 14, "skip[0].why", "must say why");
        assertMistake(errors, 14, "skip[1]", "must have exactly one test");
        assertEquals(errors.toString(), 10, errors.size());
    }

    @Test
    public void refusesWhatIsNotAProfile() {
        assertMistake(mistakes(""), 1, "", "is not valid JSON");
        assertMistake(mistakes("{\"profile\": 1,\n \"fields\": {\n}"), 3, "", "is not valid JSON");
        assertMistake(mistakes("[1, 2]"), 1, "", "must be a JSON object");
        assertMistake(mistakes("{\"profile\": 2, \"fields\": {}}"), 1, "profile", "must be 1");
        assertMistake(mistakes("{\"profile\": 1, \"profile\": 1}"), 1, "", "is not valid JSON: Duplicate field");
    }

    @Test
    public void requiresTheIdTheDateAndTheCode() {
        List<InputError> errors = mistakes("{\"profile\": 1,\n\"fields\": {}}");
        assertMistake(errors, 2, "fields.sourceId", "is required");
        assertMistake(errors, 2, "fields.occurredFrom", "is required");
        assertMistake(errors, 2, "fields.code", "is required");
    }

    @Test
    public void aFileWithoutHeaderIsReadByPositionOnly() {
        assertMistake(
                mistakes(
                        "{\"profile\": 1, \"file\": {\"header\": false},\n\"fields\": {\"sourceId\": \"ID\", \"code\": 2,"
                                + " \"occurredFrom\": {\"position\": 3, \"formats\": [\"iso\"]}}}"),
                2,
                "fields.sourceId",
                "names a column, but the profile's file has no header row");
    }

    @Test
    public void checksTheCodeTableItNames() {
        String profile = "{\"profile\": 1, \"fields\": {\"sourceId\": \"ID\", \"code\": \"C\","
                + " \"occurredFrom\": {\"column\": \"D\", \"formats\": [\"iso\"]}},\n \"codes\": \"codes.csv\"}";
        assertMistake(
                mistakes(profile), 2, "codes", "names the code table 'codes.csv', which is not beside the profile");
        List<InputError> errors = mistakes(
                profile,
                Map.of(
                        "codes.csv",
                        "code,category,partOne\n3501,drug,no\n3502,narcotics,\n3501,drug,\n3503,other,maybe\n"));
        assertEquals(errors.toString(), 3, errors.size());
        assertEquals(
                new InputError(
                        "codes.csv",
                        3,
                        "category",
                        "'narcotics' is not one of drug, weapons, sex-offense,"
                                + " prostitution, violent-part-i, property-part-i, disorder, other"),
                errors.get(0));
        assertEquals(new InputError("codes.csv", 4, "code", "'3501' is listed twice"), errors.get(1));
        assertEquals(new InputError("codes.csv", 5, "partOne", "'maybe' is not true or false"), errors.get(2));
        assertTrue(mistakes(profile, Map.of("codes.csv", "id,kind\n1,drug\n"))
                .get(0)
                .reason()
                .startsWith("a code table needs"));
    }

    @Test
    public void aGoodProfileLoads() {
        Profile p = ProfileReader.read(
                "good.json",
                """
                {"profile": 1, "description": "d", "kind": "call-for-service", "repeats": "merge",
                 "file": {"delimiter": "tab", "encoding": "windows-1252"},
                 "fields": {"sourceId": {"columns": ["A", "B"], "join": "-"}, "code": {"value": "CFS"},
                   "occurredFrom": {"column": "D", "formats": "M/d/yyyy", "zone": "UTC"}},
                 "partOne": {"any": [{"column": "X", "blank": false}, {"not": {"column": "Y", "in": [1, 2]}}]}}
                """,
                name -> Optional.empty());
        assertEquals('\t', p.layout().delimiter());
        assertEquals("windows-1252", p.layout().encoding().name());
        assertTrue(p.mergesRepeats());
        assertEquals("good.json", p.name());
    }
}
