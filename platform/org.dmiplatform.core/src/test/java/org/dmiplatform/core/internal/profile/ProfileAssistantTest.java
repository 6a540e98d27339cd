package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.ProfileDraft;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsInput;
import org.junit.Test;

/**
 * The profile assistant drafts a profile from a sample export: every draft loads, maps its own sample, and says why
 * it chose what it chose. Real exports are in {@code src/test/resources/profile-samples/} (see its SOURCE.md); the
 * other samples are written here.
 */
public class ProfileAssistantTest {
    private static final ZoneId CHICAGO_ZONE = ZoneId.of("America/Chicago");
    private static final Site CHICAGO = new Site(
            "chicago",
            "Chicago",
            "",
            CHICAGO_ZONE,
            List.of("EPSG:3435", "EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-87.95, 41.64, -87.52, 42.03)));
    private static final Site DENVER = new Site(
            "denver",
            "Denver",
            "",
            ZoneId.of("America/Denver"),
            List.of("EPSG:2232", "EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-105.11, 39.61, -104.60, 39.92)));
    private static final Site DALLAS = new Site(
            "dallas",
            "Dallas",
            "",
            CHICAGO_ZONE,
            List.of("EPSG:2276", "EPSG:4326"),
            "",
            List.of(),
            Optional.of(new Site.Bounds(-97.0, 32.6, -96.5, 33.05)));
    private static final ObjectMapper JSON = new ObjectMapper();

    // -----------------------------------------------------------------------------------------------------------
    // Real exports

    @Test
    public void chicagoClearExcerpt() throws IOException {
        byte[] sample = resource("chicago-clear-2016-01-03.csv");
        ProfileDraft draft = draft("chicago-clear-2016-01-03.csv", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals(new ProfileDraft.Layout("UTF-8", false, ",", true, 0, 150), draft.layout());
        assertEquals("incident", p.get("kind").asText());
        assertEquals("quarantine", p.get("repeats").asText());
        JsonNode fields = p.get("fields");
        assertEquals("ID", fields.get("sourceId").asText());
        assertEquals("Date", fields.get("occurredFrom").get("column").asText());
        assertEquals(
                List.of("MM/dd/yyyy hh:mm:ss a"),
                texts(fields.get("occurredFrom").get("formats")));
        assertEquals("IUCR", fields.get("code").asText());
        assertEquals(
                List.of("Primary Type", "Description"),
                texts(fields.get("codeText").get("columns")));
        assertEquals(": ", fields.get("codeText").get("join").asText());
        assertEquals("Block", fields.get("address").asText());
        assertEquals("Beat", fields.get("beat").asText());
        assertEquals("District", fields.get("district").asText());
        JsonNode location = fields.get("location");
        assertEquals(2, location.size());
        assertEquals("Longitude", location.get(0).get("x").asText());
        assertEquals("Latitude", location.get(0).get("y").asText());
        assertEquals("EPSG:4326", location.get(0).get("crs").asText());
        assertEquals("X Coordinate", location.get(1).get("x").asText());
        assertEquals("Y Coordinate", location.get(1).get("y").asText());
        assertEquals("EPSG:3435", location.get(1).get("crs").asText());
        assertEquals(
                "chicago-clear-2016-01-03-codes.csv", p.get("codes").get("file").asText());
        assertEquals("quarantine", p.get("codes").get("unknown").asText());
        assertEquals("chicago-clear-2016-01-03-codes.csv", draft.codeTableName());
        assertTrue(draft.codeTable(), draft.codeTable().startsWith("code,category,partOne,text,nibrs\n"));
        assertTrue(
                draft.codeTable(),
                draft.codeTable().contains("\n0486,other,false,BATTERY: DOMESTIC BATTERY SIMPLE,\n"));

        ProfileDraft.Column id = column(draft, "ID");
        assertTrue(id.unique());
        assertEquals("integer", id.type());
        assertEquals("sourceId", id.use());
        assertTrue(id.note(), id.note().contains("Case Number"));
        ProfileDraft.Column date = column(draft, "Date");
        assertEquals("date-time", date.type());
        assertEquals(List.of("MM/dd/yyyy hh:mm:ss a"), date.formats());
        assertEquals("occurredFrom", date.use());
        assertEquals("code", column(draft, "IUCR").use());
        assertEquals("x", column(draft, "X Coordinate").use());
        assertEquals("", column(draft, "Updated On").use());
        assertTrue(column(draft, "Updated On").note().contains("updated"));
        assertTrue(
                column(draft, "Location").note(),
                column(draft, "Location").note().contains("not needed"));
        assertNote(draft, "'X Coordinate' / 'Y Coordinate' look like projected coordinates");
        assertNote(draft, "EPSG:3435 puts 100% of the");

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 150, run.accepted.size());
        CrimeRecord first = run.accepted.get(0);
        assertEquals("10367002", first.sourceId());
        assertEquals(local("2016-01-03T23:57:00", CHICAGO_ZONE), first.occurredFrom());
        assertEquals("0486", first.code());
        assertEquals("BATTERY: DOMESTIC BATTERY SIMPLE", first.codeText());
        assertEquals("0611", first.beat());
        assertEquals(-87.664263469, first.location().orElseThrow().longitude(), 1e-9);
        long withPlace =
                run.accepted.stream().filter(r -> r.location().isPresent()).count();
        assertTrue("rows with a place: " + withPlace, withPlace >= 120);
        for (CrimeRecord r : run.accepted) {
            r.location()
                    .ifPresent(l -> assertTrue(
                            l.toString(), CHICAGO.bounds().orElseThrow().contains(l.longitude(), l.latitude())));
        }
    }

    @Test
    public void dallasCallsOneRowPerRespondingUnit() throws IOException {
        byte[] sample = resource("dallas-active-calls-2018-01-09.csv");
        ProfileDraft draft = draft("dallas-active-calls-2018-01-09.csv", sample, DALLAS);
        JsonNode p = json(draft);

        assertEquals("call-for-service", p.get("kind").asText());
        assertEquals("merge", p.get("repeats").asText());
        JsonNode fields = p.get("fields");
        assertEquals("incident_number", fields.get("sourceId").asText());
        assertEquals(List.of("iso"), texts(fields.get("occurredFrom").get("formats")));
        assertEquals("nature_of_call", fields.get("code").get("column").asText());
        assertNotNull(fields.get("code").get("extract"));
        assertEquals("nature_of_call", fields.get("codeText").get("column").asText());
        assertEquals(List.of("block", "location"), texts(fields.get("address").get("columns")));
        assertEquals("beat", fields.get("beat").asText());
        assertEquals("division", fields.get("district").asText());
        assertEquals(null, fields.get("location"));
        assertNote(draft, "'unit_number' is unique, but it numbers the rows within a record");
        assertNote(draft, "one row per responding unit");
        assertTrue(
                column(draft, "reporting_area").note(),
                column(draft, "reporting_area").note().contains("System.Xml.XmlElement"));

        Run run = run(draft, sample, DALLAS);
        assertEquals(run.rejected.toString(), 63, run.accepted.size());
        CrimeRecord first = run.accepted.get(0);
        assertEquals(RecordKind.CALL_FOR_SERVICE, first.kind());
        assertEquals("18-0052973", first.sourceId());
        assertEquals(local("2018-01-09T09:26:00", CHICAGO_ZONE), first.occurredFrom());
        assertEquals("38", first.code());
        assertEquals("Meet Complainant", first.codeText());
        assertEquals("3000 E Illinois Ave", first.address());
        assertTrue(run.accepted.stream().anyMatch(r -> r.code().equals("26/01")));
    }

    @Test
    public void denverOneRowPerOffenceMergesByIncident() throws IOException {
        byte[] sample = resource("denver-crime-incidents-2.csv");
        ProfileDraft draft = draft("denver-crime-incidents-2.csv", sample, DENVER);
        JsonNode p = json(draft);

        assertEquals("merge", p.get("repeats").asText());
        JsonNode fields = p.get("fields");
        assertEquals("INCIDENT_ID", fields.get("sourceId").asText());
        assertEquals(
                "FIRST_OCCURRENCE_DATE",
                fields.get("occurredFrom").get("column").asText());
        assertEquals(
                List.of("M/d/yyyy h:mm:ss a"), texts(fields.get("occurredFrom").get("formats")));
        assertEquals(
                "LAST_OCCURRENCE_DATE", fields.get("occurredTo").get("column").asText());
        assertEquals("REPORTED_DATE", fields.get("reportedAt").get("column").asText());
        assertEquals(
                List.of("OFFENSE_CODE", "OFFENSE_CODE_EXTENSION"),
                texts(fields.get("code").get("columns")));
        assertEquals("-", fields.get("code").get("join").asText());
        assertEquals("INCIDENT_ADDRESS", fields.get("address").asText());
        assertEquals("DISTRICT_ID", fields.get("district").asText());
        assertEquals("PRECINCT_ID", fields.get("beat").asText());
        JsonNode location = fields.get("location");
        assertEquals("GEO_LON", location.get(0).get("x").asText());
        assertEquals("GEO_X", location.get(1).get("x").asText());
        assertEquals("EPSG:2232", location.get(1).get("crs").asText());
        assertNote(draft, "'OFFENSE_ID' is unique, but it numbers the rows within a record");
        assertNote(draft, "one row per offence or charge");
        // guessed from its description ("criminal-mischief-other: public-disorder"), to be checked
        assertTrue(draft.codeTable(), draft.codeTable().contains("\n2999-0,disorder,false,"));

        Run run = run(draft, sample, DENVER);
        assertEquals(run.rejected.toString(), 131, run.accepted.size());
        CrimeRecord first = run.accepted.get(0);
        assertEquals("2018252175", first.sourceId());
        assertEquals(local("2018-04-15T19:07:00", DENVER.timeZone()), first.occurredFrom());
        assertEquals(
                local("2018-04-15T19:25:00", DENVER.timeZone()),
                first.reportedAt().orElseThrow());
        assertEquals("2999-0", first.code());
    }

    // -----------------------------------------------------------------------------------------------------------
    // Layouts

    @Test
    public void headerlessCadFileWithDateAndTimeInTwoColumns() throws IOException {
        StringBuilder text = new StringBuilder();
        String[] codes = {"38", "40", "6X", "38", "11B", "40", "6X", "40", "38", "40", "31", "6X"};
        String[] texts = {
            "MEET COMPLAINANT", "OTHER", "MAJOR DISTURBANCE", "MEET COMPLAINANT", "BURGLARY OF BUSINESS", "OTHER",
            "MAJOR DISTURBANCE", "OTHER", "MEET COMPLAINANT", "OTHER", "CRIMINAL MISCHIEF", "MAJOR DISTURBANCE"
        };
        String[] times = {"0930", "930", "1415", "0005", "2359", "1200", "815", "0100", "1759", "2000", "0645", "1130"};
        for (int i = 0; i < codes.length; i++) {
            text.append(String.format(
                    "18-%07d\t201801%02d\t%s\t%s\t%s\t%d00 E ILLINOIS AVE\t%d\n",
                    52000 + i, 9 + i % 3, times[i], codes[i], texts[i], 10 + i, 700 + i % 4));
        }
        byte[] sample = text.toString().getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("cad-export.txt", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals(new ProfileDraft.Layout("UTF-8", false, "tab", false, 0, 12), draft.layout());
        assertEquals("tab", p.get("file").get("delimiter").asText());
        assertFalse(p.get("file").get("header").asBoolean());
        JsonNode fields = p.get("fields");
        assertEquals(1, fields.get("sourceId").asInt());
        assertEquals(List.of(2, 3), ints(fields.get("occurredFrom").get("positions")));
        assertEquals(
                List.of("yyyyMMdd Hmm", "yyyyMMdd m", "yyyyMMdd"),
                texts(fields.get("occurredFrom").get("formats")));
        assertEquals(4, fields.get("code").asInt());
        assertEquals(5, fields.get("codeText").asInt());
        assertEquals(6, fields.get("address").asInt());
        assertEquals("call-for-service", p.get("kind").asText()); // "cad" in the file's name
        assertEquals("column 3", draft.columns().get(2).name());
        assertEquals("time", draft.columns().get(2).type());
        assertEquals(List.of("Hmm"), draft.columns().get(2).formats());

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 12, run.accepted.size());
        assertEquals(
                local("2018-01-09T09:30:00", CHICAGO_ZONE), run.accepted.get(0).occurredFrom());
        assertEquals(
                local("2018-01-10T09:30:00", CHICAGO_ZONE), run.accepted.get(1).occurredFrom());
        assertEquals(
                local("2018-01-09T00:05:00", CHICAGO_ZONE), run.accepted.get(3).occurredFrom());
        assertEquals("6X", run.accepted.get(2).code());
        assertEquals("MAJOR DISTURBANCE", run.accepted.get(2).codeText());
    }

    @Test
    public void windows1252WithATitleLine() throws IOException {
        String text = "Rapport d’incidents – janvier 2018\r\n"
                + "Incident No,Date Occurred,Offense Code,Offense Description,Address\r\n"
                + "A-1001,01/09/2018 14:30,2201,Vol à l’étalage,100 RUE CAFÉ\r\n"
                + "A-1002,01/09/2018 15:05,2201,Vol à l’étalage,200 AVENUE NOËL\r\n"
                + "A-1003,01/10/2018 09:00,3500,Stupéfiants – possession,300 RUE CAFÉ\r\n"
                + "A-1004,01/11/2018 22:45,2201,Vol à l’étalage,400 RUE HÉLÈNE\r\n";
        byte[] sample = text.getBytes(Charset.forName("windows-1252"));
        ProfileDraft draft = draft("rapport.csv", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals(new ProfileDraft.Layout("windows-1252", false, ",", true, 1, 4), draft.layout());
        assertEquals("windows-1252", p.get("file").get("encoding").asText());
        assertEquals(1, p.get("file").get("skipLines").asInt());
        assertNote(draft, "Not UTF-8: byte 0x92 on line 1");
        assertNote(draft, "is a title");
        JsonNode fields = p.get("fields");
        assertEquals("Incident No", fields.get("sourceId").asText());
        assertEquals(
                List.of("MM/dd/yyyy HH:mm"), texts(fields.get("occurredFrom").get("formats")));
        assertEquals("Offense Code", fields.get("code").asText());
        assertEquals("Offense Description", fields.get("codeText").asText());
        assertEquals("Address", fields.get("address").asText());
        assertTrue(draft.codeTable(), draft.codeTable().contains("2201,other,false,Vol à l’étalage"));

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 4, run.accepted.size());
        assertEquals("100 RUE CAFÉ", run.accepted.get(0).address());
        assertEquals(
                local("2018-01-09T14:30:00", CHICAGO_ZONE), run.accepted.get(0).occurredFrom());
    }

    @Test
    public void utf8WithByteOrderMarkAndSemicolons() throws IOException {
        String text = "\uFEFFCase Number;Reported;Crime Code;Crime Text;Street;Latitude;Longitude\n"
                + "C1;2018-03-01 08:15:00;13B;Simple assault, no weapon;1200 N STATE ST;41.9035;-87.6283\n"
                + "C2;2018-03-01 09:40:00;35A;Drug – possession;600 W MADISON ST;41.8819;-87.6440\n"
                + "C3;2018-03-02 23:05:00;13B;Simple assault, no weapon;100 E ERIE ST;41.8940;-87.6250\n"
                + "C4;2018-03-03 00:30:00;23C;Shoplifting;800 N MICHIGAN AVE;41.8970;-87.6240\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("export-semicolons.csv", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals(new ProfileDraft.Layout("UTF-8", true, ";", true, 0, 4), draft.layout());
        assertEquals(";", p.get("file").get("delimiter").asText());
        JsonNode fields = p.get("fields");
        assertEquals("Case Number", fields.get("sourceId").asText());
        assertEquals(
                List.of("yyyy-MM-dd HH:mm:ss"), texts(fields.get("occurredFrom").get("formats")));
        assertEquals("Crime Code", fields.get("code").asText());
        assertEquals("Crime Text", fields.get("codeText").asText());
        assertEquals("Street", fields.get("address").asText());
        assertEquals("Case Number", draft.columns().get(0).name()); // the mark is not part of the name
        assertNote(draft, "byte-order mark");

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 4, run.accepted.size());
        assertEquals("Drug – possession", run.accepted.get(1).codeText());
        assertEquals(41.8819, run.accepted.get(1).location().orElseThrow().latitude(), 1e-9);
    }

    @Test
    public void utf16WithByteOrderMarkAndPipes() throws IOException {
        String text = "Event ID|Call Received|Call Type|Priority\n"
                + "E1|01/09/2018 9:05:00 AM|DIST|2\n"
                + "E2|01/09/2018 10:15:00 PM|ALARM|3\n"
                + "E3|01/09/2018 11:40:00 PM|DIST|1\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        bytes.write(text.getBytes(StandardCharsets.UTF_16LE));
        byte[] sample = bytes.toByteArray();
        ProfileDraft draft = draft("calls.csv", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals(new ProfileDraft.Layout("UTF-16LE", true, "|", true, 0, 3), draft.layout());
        assertEquals("call-for-service", p.get("kind").asText());
        assertEquals(
                List.of("M/d/yyyy h:mm:ss a"),
                texts(p.get("fields").get("occurredFrom").get("formats")));
        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 3, run.accepted.size());
        assertEquals(
                local("2018-01-09T22:15:00", CHICAGO_ZONE), run.accepted.get(1).occurredFrom());
    }

    // -----------------------------------------------------------------------------------------------------------
    // Dates

    @Test
    public void aColumnMixingTwoDatePatterns() throws IOException {
        StringBuilder text = new StringBuilder("ID,Occurred,Code\n");
        for (int i = 1; i <= 40; i++) {
            text.append(i)
                    .append(',')
                    .append(String.format("%d/%d/2018 %d:05:00 PM", 1 + i % 9, 1 + i % 27, 1 + i % 11));
            text.append(',').append(i % 3 == 0 ? "A1" : "B2").append('\n');
        }
        for (int i = 41; i <= 45; i++) {
            text.append(i)
                    .append(',')
                    .append(String.format("2018-02-%02d 14:%02d", i - 30, i))
                    .append(",A1\n");
        }
        byte[] sample = text.toString().getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("mixed.csv", sample, CHICAGO);

        ProfileDraft.Column occurred = column(draft, "Occurred");
        assertEquals(List.of("M/d/yyyy h:mm:ss a", "yyyy-MM-dd HH:mm"), occurred.formats());
        assertEquals(
                List.of("M/d/yyyy h:mm:ss a", "yyyy-MM-dd HH:mm"),
                texts(json(draft).get("fields").get("occurredFrom").get("formats")));
        assertNote(draft, "'Occurred' mixes patterns: 'M/d/yyyy h:mm:ss a' (40 rows) and 'yyyy-MM-dd HH:mm' (5 rows)");

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 45, run.accepted.size());
        assertEquals(
                local("2018-02-02T14:05:00", CHICAGO_ZONE), run.accepted.get(0).occurredFrom());
        assertEquals(
                local("2018-02-11T14:41:00", CHICAGO_ZONE), run.accepted.get(40).occurredFrom());
    }

    @Test
    public void aMidnightPlaceholderBesideATimeColumnNamesTheHourOnce() throws IOException {
        String text = "CASE_NO,OCC_DATE,OCC_TIME,UCR_CODE,UCR_DESC\n"
                + "18-001,01/09/2018 00:00:00,0930,1300,ASSAULT\n"
                + "18-002,01/09/2018 00:00:00,1415,0600,THEFT\n"
                + "18-003,01/10/2018 00:00:00,5,1300,ASSAULT\n"
                + "18-004,01/11/2018 00:00:00,,0600,THEFT\n"
                + "18-005,01/12/2018 00:00:00,2359,3500,NARCOTICS\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("offenses.csv", sample, CHICAGO);
        JsonNode occurredFrom = json(draft).get("fields").get("occurredFrom");

        assertEquals(List.of("OCC_DATE", "OCC_TIME"), texts(occurredFrom.get("columns")));
        List<String> formats = texts(occurredFrom.get("formats"));
        assertEquals(
                List.of("MM/dd/yyyy '00:00:00' HHmm", "MM/dd/yyyy '00:00:00' m", "MM/dd/yyyy '00:00:00'"), formats);
        for (String f : formats) {
            DatePattern.refuseFieldsNamedTwice(f); // the pitfall: "MM/dd/yyyy HH:mm:ss HHmm" names the hour twice
        }
        assertTrue(column(draft, "OCC_DATE").note().contains("placeholder"));

        Run run = run(draft, sample, CHICAGO);
        assertEquals(
                local("2018-01-09T09:30:00", CHICAGO_ZONE), run.accepted.get(0).occurredFrom());
        assertEquals(
                local("2018-01-09T14:15:00", CHICAGO_ZONE), run.accepted.get(1).occurredFrom());
        // "5" is 00:05 written without its zeros, as dispatch clocks do: read as minutes past midnight
        assertEquals(
                local("2018-01-10T00:05:00", CHICAGO_ZONE), run.accepted.get(2).occurredFrom());
        assertEquals(
                local("2018-01-11T00:00:00", CHICAGO_ZONE), run.accepted.get(3).occurredFrom());
        assertEquals(
                local("2018-01-12T23:59:00", CHICAGO_ZONE), run.accepted.get(4).occurredFrom());
        assertEquals(0, run.rejected.size());
        assertTrue(column(draft, "OCC_TIME").note().contains("minutes past midnight"));
    }

    @Test
    public void aTwelveHourMidnightPlaceholderBesideATimeColumn() throws IOException {
        String text = "DR_NO,DATE_OCC,TIME_OCC,Crm Cd,Crm Cd Desc\n"
                + "180100001,1/9/2018 12:00:00 AM,09:30,330,BURGLARY FROM VEHICLE\n"
                + "180100002,1/10/2018 12:00:00 AM,23:05,624,BATTERY - SIMPLE ASSAULT\n"
                + "180100003,12/31/2017 12:00:00 AM,00:15,330,BURGLARY FROM VEHICLE\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("la-style.csv", sample, CHICAGO);
        JsonNode occurredFrom = json(draft).get("fields").get("occurredFrom");

        assertEquals(List.of("DATE_OCC", "TIME_OCC"), texts(occurredFrom.get("columns")));
        assertEquals(
                List.of("M/d/yyyy '12:00:00 AM' HH:mm", "M/d/yyyy '12:00:00 AM'"), texts(occurredFrom.get("formats")));
        assertEquals("Crm Cd", json(draft).get("fields").get("code").asText());
        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 3, run.accepted.size());
        assertEquals(
                local("2018-01-10T23:05:00", CHICAGO_ZONE), run.accepted.get(1).occurredFrom());
        assertEquals(
                local("2017-12-31T00:15:00", CHICAGO_ZONE), run.accepted.get(2).occurredFrom());
    }

    @Test
    public void anHourColumnAndANumberReusedOnDifferentDays() throws IOException {
        // as the FBI's NIBRS extract writes incidents: a midnight date, the hour apart, numbers unique per agency only
        String text = "agency_id,incident_id,incident_number,incident_date,incident_hour,offense_code\n"
                + "895,86043961,160127009,2016-01-27 00:00:00,13,35A\n"
                + "895,86044539,160127011,2016-01-27 00:00:00,18,23C\n"
                + "901,86044540,160127009,2016-02-03 00:00:00,5,35A\n"
                + "901,86044541,160127012,2016-02-03 00:00:00,,13B\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("nibrs_incident.csv", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals("quarantine", p.get("repeats").asText());
        assertEquals("incident_id", p.get("fields").get("sourceId").asText());
        assertNote(draft, "'incident_number' repeats, but rows sharing a value have different dates");
        JsonNode occurredFrom = p.get("fields").get("occurredFrom");
        assertEquals(List.of("incident_date", "incident_hour"), texts(occurredFrom.get("columns")));
        assertEquals(List.of("yyyy-MM-dd '00:00:00' H", "yyyy-MM-dd '00:00:00'"), texts(occurredFrom.get("formats")));
        assertEquals("time", column(draft, "incident_hour").type());

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 4, run.accepted.size());
        assertEquals(
                local("2016-01-27T13:00:00", CHICAGO_ZONE), run.accepted.get(0).occurredFrom());
        assertEquals(
                local("2016-02-03T05:00:00", CHICAGO_ZONE), run.accepted.get(2).occurredFrom());
        assertEquals(
                local("2016-02-03T00:00:00", CHICAGO_ZONE), run.accepted.get(3).occurredFrom());
    }

    // -----------------------------------------------------------------------------------------------------------
    // Locations

    @Test
    public void statePlaneOnlyCoordinatesAreMatchedToTheSiteByItsBounds() throws IOException {
        // Denver's export without its longitude/latitude: GEO_X/GEO_Y alone, in Colorado State Plane Central feet
        byte[] sample = dropColumns(resource("denver-crime-incidents-2.csv"), "GEO_LON", "GEO_LAT");
        ProfileDraft draft = draft("denver-xy.csv", sample, DENVER);
        JsonNode location = json(draft).get("fields").get("location");

        assertEquals(1, location.size());
        assertEquals("GEO_X", location.get(0).get("x").asText());
        assertEquals("GEO_Y", location.get(0).get("y").asText());
        assertEquals("EPSG:2232", location.get(0).get("crs").asText());
        assertNote(
                draft,
                "'GEO_X' / 'GEO_Y' look like projected coordinates (state-plane feet or metres); EPSG:2232 "
                        + "puts 100% of the");
        Run run = run(draft, sample, DENVER);
        assertEquals(run.rejected.toString(), 131, run.accepted.size());
        for (CrimeRecord r : run.accepted) {
            r.location()
                    .ifPresent(l -> assertTrue(
                            l.toString(), DENVER.bounds().orElseThrow().contains(l.longitude(), l.latitude())));
        }

        // the same points for a site whose coordinate systems do not fit: left out, and said so
        ProfileDraft elsewhere = draft("denver-xy.csv", sample, CHICAGO);
        assertEquals(null, json(elsewhere).get("fields").get("location"));
        assertNote(elsewhere, "no coordinate system the site names (EPSG:3435, EPSG:4326) puts even half of them");
    }

    @Test
    public void zeroZeroPlaceholdersBecomeNoLocation() throws IOException {
        String text = "Report Number,Date,Offense Code,X,Y\n"
                + "R1,2018-03-01,2201,1166811,1853653\n"
                + "R2,2018-03-01,2201,0,0\n"
                + "R3,2018-03-02,3500,1174795,1877301\n"
                + "R4,2018-03-02,2201,,\n"
                + "R5,2018-03-03,3500,0,0\n"
                + "R6,2018-03-03,2201,1150000,1900000\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("xy.csv", sample, CHICAGO);
        JsonNode location = json(draft).get("fields").get("location");

        assertEquals(1, location.size());
        assertEquals("EPSG:3435", location.get(0).get("crs").asText());
        assertEquals("[[0,0]]", location.get(0).get("noLocation").toString());
        assertNote(draft, "2 rows have 0,0 in 'X' / 'Y': a placeholder");
        assertEquals(List.of("yyyy-MM-dd"), column(draft, "Date").formats());
        assertEquals("date", column(draft, "Date").type());

        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 6, run.accepted.size());
        assertEquals(
                3, run.accepted.stream().filter(r -> r.location().isPresent()).count());
        assertTrue(run.accepted.get(1).location().isEmpty());
        assertEquals(
                local("2018-03-01T00:00:00", CHICAGO_ZONE), run.accepted.get(0).occurredFrom());
    }

    @Test
    public void aPointColumnLatitudeFirst() throws IOException {
        String text = "Incident ID,Date,IUCR,Location\n"
                + "1,01/03/2016 11:57:00 PM,0486,\"(41.753985135, -87.664263469)\"\n"
                + "2,01/03/2016 11:45:00 PM,0930,\"(41.81636, -87.63524)\"\n"
                + "3,01/03/2016 11:40:00 PM,0486,\n"
                + "4,01/03/2016 11:30:00 PM,0820,\"(41.9, -87.7)\"\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("points.csv", sample, CHICAGO);
        JsonNode location = json(draft).get("fields").get("location");

        assertEquals("Location", location.get(0).get("point").asText());
        assertEquals("lat lon", location.get(0).get("order").asText());
        assertEquals("point", column(draft, "Location").use());
        Run run = run(draft, sample, CHICAGO);
        assertEquals(-87.664263469, run.accepted.get(0).location().orElseThrow().longitude(), 1e-9);

        String wkt = "Incident ID,Date,IUCR,the_geom\n"
                + "1,01/03/2016 11:57:00 PM,0486,POINT (-87.664263469 41.753985135)\n"
                + "2,01/03/2016 11:45:00 PM,0930,POINT (-87.63524 41.81636)\n";
        ProfileDraft wktDraft = draft("wkt.csv", wkt.getBytes(StandardCharsets.UTF_8), CHICAGO);
        JsonNode wktLocation = json(wktDraft).get("fields").get("location");
        assertEquals("the_geom", wktLocation.get(0).get("point").asText());
        assertEquals("lon lat", wktLocation.get(0).get("order").asText());
    }

    // -----------------------------------------------------------------------------------------------------------
    // Ids

    @Test
    public void oneRowPerChargeWithoutAUniqueColumnSuggestsMerge() throws IOException {
        String text = "Case Number,Arrest Date,Charge Code,Charge Description\n"
                + "2018-0001,03/01/2018,35A,POSSESSION\n"
                + "2018-0001,03/01/2018,90D,DUI\n"
                + "2018-0002,03/01/2018,13B,SIMPLE ASSAULT\n"
                + "2018-0003,03/02/2018,35A,POSSESSION\n"
                + "2018-0003,03/02/2018,35B,PARAPHERNALIA\n"
                + "2018-0003,03/02/2018,520,WEAPON LAW\n"
                + "2018-0004,03/03/2018,13B,SIMPLE ASSAULT\n";
        byte[] sample = text.getBytes(StandardCharsets.UTF_8);
        ProfileDraft draft = draft("charges.csv", sample, CHICAGO);
        JsonNode p = json(draft);

        assertEquals("merge", p.get("repeats").asText());
        assertEquals("Case Number", p.get("fields").get("sourceId").asText());
        assertEquals("Charge Code", p.get("fields").get("code").asText());
        assertNote(
                draft,
                "No column is unique. 'Case Number' repeats: 3 of the 7 rows have the value of an earlier row, "
                        + "and the rows sharing one differ in 'Charge Code', 'Charge Description': one row per offence or "
                        + "charge.");
        assertFalse(column(draft, "Case Number").unique());
        Run run = run(draft, sample, CHICAGO);
        assertEquals(run.rejected.toString(), 7, run.accepted.size());
    }

    @Test
    public void noIdentifyingColumnIsSaid() throws IOException {
        String text = "Date,Offense Code,Offense\n"
                + "03/01/2018,35A,POSSESSION\n"
                + "03/01/2018,13B,SIMPLE ASSAULT\n"
                + "03/02/2018,35A,POSSESSION\n"
                + "03/02/2018,13B,SIMPLE ASSAULT\n";
        ProfileDraft draft = draft("no-id.csv", text.getBytes(StandardCharsets.UTF_8), CHICAGO);
        assertNote(draft, "No column identifies a record");
        json(draft);
    }

    // -----------------------------------------------------------------------------------------------------------
    // Limits

    @Test
    public void aLargeSampleIsReadUpToItsLimits() throws IOException {
        StringBuilder rows = new StringBuilder("Incident Number,Date,Offense Code\n");
        for (int i = 0; i < 25_000; i++) {
            rows.append(String.format("2018-%06d,01/%02d/2018 10:%02d,%d\n", i, 1 + i % 28, i % 60, 100 + i % 9));
        }
        ProfileDraft draft = draft("many.csv", rows.toString().getBytes(StandardCharsets.UTF_8), CHICAGO);
        assertEquals(20_000, draft.layout().rows());
        assertNote(draft, "The draft read the first 20,000 rows; the rest of the file was not looked at");
        ProfileDraft.Column id = column(draft, "Incident Number");
        assertEquals(5_000, id.distinct());
        assertTrue(id.distinctCapped());
        assertTrue(id.unique());
        assertEquals("sourceId", id.use());

        String narrative = "x".repeat(990);
        StringBuilder big = new StringBuilder("Case,Date,Code,Narrative\n");
        for (int i = 0; i < 11_000; i++) {
            big.append(String.format("C%05d,2018-01-09,%d,\"%s\"\n", i, 10 + i % 7, narrative));
        }
        ProfileDraft cut = draft("narratives.csv", big.toString().getBytes(StandardCharsets.UTF_8), CHICAGO);
        assertTrue(
                cut.layout().toString(),
                cut.layout().rows() > 10_000 && cut.layout().rows() < 11_000);
        assertNote(cut, "(the first 10 MB)");
        assertEquals(cut.layout().rows(), column(cut, "Narrative").filled());
    }

    // -----------------------------------------------------------------------------------------------------------
    // Refusals

    @Test
    public void anEmptyFileIsRefused() throws IOException {
        assertRefused("empty.csv", new byte[0], "is empty");
        assertRefused("blank.csv", "\n\n  \n".getBytes(StandardCharsets.UTF_8), "is empty");
        assertRefused("header-only.csv", "ID,Date,Code\n".getBytes(StandardCharsets.UTF_8), "has a header but no rows");
    }

    @Test
    public void spreadsheetsAndArchivesAreRefused() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("xl/workbook.xml"));
            out.write("<workbook/>".getBytes(StandardCharsets.UTF_8));
        }
        assertRefused("crimes.xlsx", zip.toByteArray(), "is a ZIP archive (an Excel .xlsx workbook is one)");
        byte[] xls = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
        assertRefused("crimes.xls", xls, "is an Excel .xls workbook");
    }

    // -----------------------------------------------------------------------------------------------------------
    // The draft's form

    @Test
    public void theProfileIsPrettyPrintedWithItsKeysInTheDocumentedOrder() throws IOException {
        ProfileDraft draft = draft("chicago-clear-2016-01-03.csv", resource("chicago-clear-2016-01-03.csv"), CHICAGO);
        String profile = draft.profile();
        assertTrue(profile, profile.startsWith("{\n  \"profile\": 1,\n  \"description\": "));
        List<String> keys = new ArrayList<>();
        json(draft).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("profile", "description", "kind", "file", "repeats", "fields", "codes"), keys);
        List<String> fields = new ArrayList<>();
        json(draft).get("fields").fieldNames().forEachRemaining(fields::add);
        assertEquals(
                List.of("sourceId", "occurredFrom", "code", "codeText", "address", "beat", "district", "location"),
                fields);
        assertTrue(profile, profile.contains("\"formats\": [\"MM/dd/yyyy hh:mm:ss a\"]"));
        assertEquals(22, draft.columns().size());
        for (ProfileDraft.Column c : draft.columns()) {
            assertFalse(c.name() + " has no note", c.note().isEmpty() && c.use().isEmpty());
        }
    }

    // -----------------------------------------------------------------------------------------------------------
    // Helpers

    private static ProfileDraft draft(String name, byte[] sample, Site site) throws IOException {
        ProfileDraft draft = ProfileAssistant.draft(name, new ByteArrayInputStream(sample), site);
        load(name, draft); // every draft loads
        return draft;
    }

    private static Profile load(String name, ProfileDraft draft) {
        return ProfileReader.read(
                name + ".json",
                draft.profile(),
                sibling -> sibling.equals(draft.codeTableName()) ? Optional.of(draft.codeTable()) : Optional.empty());
    }

    private record Run(List<CrimeRecord> accepted, List<String> rejected) {}

    /** Maps the sample with its draft, as an import would. */
    private static Run run(ProfileDraft draft, byte[] sample, Site site) throws IOException {
        Profile profile = load("sample", draft);
        List<CrimeRecord> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        profile.read(
                new RecordsInput() {
                    @Override
                    public String name() {
                        return "sample.csv";
                    }

                    @Override
                    public InputStream open() {
                        return new ByteArrayInputStream(sample);
                    }

                    @Override
                    public Optional<String> watermark() {
                        return Optional.empty();
                    }
                },
                new RecordSink() {
                    @Override
                    public ZoneId zone() {
                        return site.timeZone();
                    }

                    @Override
                    public void accept(CrimeRecord record) {
                        accepted.add(record);
                    }

                    @Override
                    public void reject(long line, String field, String reason, String raw) {
                        rejected.add("line " + line + ", " + field + ": " + reason);
                    }

                    @Override
                    public void delete(long line, RecordKind kind, String sourceId) {
                        fail("no deletes in a CSV file");
                    }

                    @Override
                    public void skipped(long line, String why) {
                        rejected.add("line " + line + " skipped: " + why);
                    }

                    @Override
                    public void watermark(String value) {}

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
        return new Run(accepted, rejected);
    }

    private static void assertRefused(String name, byte[] sample, String reason) throws IOException {
        try {
            ProfileAssistant.draft(name, new ByteArrayInputStream(sample), CHICAGO);
            fail(name + " was drafted");
        } catch (InvalidInputException e) {
            assertEquals(name, e.errors().get(0).source());
            assertTrue(e.getMessage(), e.errors().get(0).reason().contains(reason));
        }
    }

    private static void assertNote(ProfileDraft draft, String text) {
        for (String note : draft.notes()) {
            if (note.contains(text)) {
                return;
            }
        }
        fail("no note says '" + text + "'; the notes are:\n" + String.join("\n", draft.notes()));
    }

    private static ProfileDraft.Column column(ProfileDraft draft, String name) {
        return draft.columns().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no column " + name));
    }

    private static JsonNode json(ProfileDraft draft) throws IOException {
        return JSON.readTree(draft.profile());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static Instant local(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ProfileAssistantTest.class.getResourceAsStream("/profile-samples/" + name)) {
            assertNotNull(name, in);
            return in.readAllBytes();
        }
    }

    /** The CSV without some columns (every field of these files is quoted, so a comma split is safe). */
    private static byte[] dropColumns(byte[] csv, String... names) {
        String[] lines = new String(csv, StandardCharsets.UTF_8).split("\r\n");
        List<String> header = List.of(lines[0].replace("\"", "").split(","));
        List<Integer> drop = new ArrayList<>();
        for (String n : names) {
            drop.add(header.indexOf(n));
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < fields.length; i++) {
                if (!drop.contains(i)) {
                    kept.add(fields[i]);
                }
            }
            out.append(String.join(",", kept)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
