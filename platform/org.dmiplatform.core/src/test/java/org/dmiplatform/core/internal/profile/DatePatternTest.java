package org.dmiplatform.core.internal.profile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.Test;

public class DatePatternTest {
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    private static Instant parse(String pattern, String text) {
        return DatePattern.compile(pattern).parse(text, new LocalZone(CHICAGO));
    }

    @Test
    public void readsTheFormatsOfRealExportsInTheSiteZone() {
        assertEquals(Instant.parse("2016-01-04T05:57:00Z"), parse("MM/dd/yyyy hh:mm:ss a", "01/03/2016 11:57:00 PM"));
        assertEquals(Instant.parse("2018-04-16T01:07:00Z"), parse("M/d/yyyy h:mm:ss a", "4/15/2018 8:07:00 PM"));
        assertEquals(
                Instant.parse("2018-01-09T15:26:00Z"), parse("yyyy-MM-dd'T'HH:mm:ss.SSS", "2018-01-09T09:26:00.000"));
        assertEquals(Instant.parse("2016-01-03T06:00:00Z"), parse("yyyyMMdd", "20160103"));
        assertEquals(Instant.parse("2016-01-03T15:30:00Z"), parse("yyyyMMdd Hmm", "20160103 930"));
        // a dispatch system's time without leading zeros: "5" is five minutes past midnight
        assertEquals(Instant.parse("2016-01-03T06:05:00Z"), parse("yyyyMMdd m", "20160103 5"));
        assertEquals(Instant.parse("2016-01-03T06:45:00Z"), parse("yyyyMMdd m", "20160103 45"));
        assertEquals(Instant.parse("2016-03-05T18:00:00Z"), parse("dd-MMM-yy HH:mm", "05-MAR-16 12:00"));
        assertEquals(
                "am/pm in any case",
                Instant.parse("2016-01-03T18:00:00Z"),
                parse("M/d/yyyy h:mm a", "1/3/2016 12:00 pm"));
        assertEquals(
                "12 AM is midnight",
                Instant.parse("2016-01-03T06:00:00Z"),
                parse("M/d/yyyy h:mm a", "1/3/2016 12:00 AM"));
    }

    @Test
    public void refusesTextThatDoesNotFitThePattern() {
        for (String text : List.of(
                "13/03/2016 11:57:00 PM",
                "02/30/2016 11:57:00 PM",
                "01/03/2016 13:57:00 PM",
                "01/03/2016 11:57:00",
                "01/03/2016 11:57:00 PMX",
                "1/3/16 11:57:00 PM",
                "")) {
            assertNull(text, parse("MM/dd/yyyy hh:mm:ss a", text));
        }
        assertNull(parse("M/d/yyyy", "2/29/2017"));
        assertEquals(Instant.parse("2016-02-29T06:00:00Z"), parse("M/d/yyyy", "2/29/2016"));
    }

    @Test
    public void springForwardGapsMoveForwardAndAutumnOverlapsTakeTheEarlierInstantAsJavaTimeDoes() {
        assertEquals(
                LocalDateTime.of(2016, 3, 13, 2, 30).atZone(CHICAGO).toInstant(),
                parse("yyyy-MM-dd HH:mm", "2016-03-13 02:30"));
        assertEquals(
                LocalDateTime.of(2016, 11, 6, 1, 30).atZone(CHICAGO).toInstant(),
                parse("yyyy-MM-dd HH:mm", "2016-11-06 01:30"));
    }

    @Test
    public void theCompiledScannerAgreesWithDateTimeFormatterOnRandomDates() {
        Random random = new Random(42);
        for (String pattern :
                List.of("MM/dd/yyyy hh:mm:ss a", "M/d/yyyy H:mm", "yyyy-MM-dd HH:mm:ss.SSS", "dd.MM.yy HHmm")) {
            assertTrue(pattern, DatePattern.compile(pattern) instanceof DatePattern.Scanner);
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, Locale.US);
            for (int i = 0; i < 2000; i++) {
                LocalDateTime at = LocalDateTime.of(2001 + random.nextInt(25), 1, 1, 0, 0)
                        .plusMinutes(random.nextInt(365 * 24 * 60))
                        .plusNanos(random.nextInt(1000) * 1_000_000L);
                String text = formatter.format(at);
                LocalDateTime expected = LocalDateTime.parse(text, formatter);
                assertEquals(pattern + " " + text, DatePattern.at(expected, CHICAGO), parse(pattern, text));
            }
        }
    }

    @Test
    public void otherPatternsAndIsoFallBackToJavaTime() {
        assertEquals(Instant.parse("2016-01-03T23:57:00Z"), parse("yyyy-MM-dd HH:mm XXX", "2016-01-03 18:57 -05:00"));
        assertEquals(Instant.parse("2016-01-03T23:57:00Z"), parse("iso", "2016-01-03T23:57:00Z"));
        assertEquals(Instant.parse("2016-01-04T05:57:00Z"), parse("iso", "2016-01-03T23:57:00"));
        assertEquals(Instant.parse("2016-01-03T06:00:00Z"), parse("iso", "2016-01-03"));
        assertEquals(Instant.parse("2016-01-03T18:00:00Z"), parse("EEE, d MMM yyyy HH:mm", "Sun, 3 Jan 2016 12:00"));
    }

    @Test
    public void theRememberedOffsetOfADayIsExactlyWhatJavaTimeSaysAcrossAYearOfTransitions() {
        for (String id :
                List.of("America/Chicago", "America/Denver", "America/Phoenix", "Australia/Lord_Howe", "UTC")) {
            ZoneId zone = ZoneId.of(id);
            LocalZone remembered = new LocalZone(zone);
            for (LocalDateTime t = LocalDateTime.of(2016, 1, 1, 0, 0); t.getYear() < 2018; t = t.plusMinutes(17)) {
                assertEquals(id + " " + t, t.atZone(zone).toInstant(), remembered.at(t));
            }
        }
    }

    @Test
    public void decimalsAreReadExactlyAsDoubleParseDoubleReadsThem() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            String text = String.format(
                    Locale.ROOT,
                    "%." + random.nextInt(12) + "f",
                    (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(9)));
            assertEquals(text, Double.parseDouble(text), Profile.decimal(text), 0.0);
        }
        for (String text :
                List.of("1166811", "-87.664263469", "41.753985135", "+3.5", "1e5", "0.1234567890123456789", ".5")) {
            assertEquals(text, Double.parseDouble(text), Profile.decimal(text), 0.0);
        }
    }

    /** The pattern an analyst wrote for a dummy-midnight date joined with an HHmm time moved noon hours to 00:xx. */
    @Test
    public void aPatternThatNamesAFieldTwiceIsRefusedByName() {
        try {
            DatePattern.compile("MM/dd/yyyy hh:mm:ss a HHmm");
            org.junit.Assert.fail("the hour is named twice");
        } catch (IllegalArgumentException e) {
            org.junit.Assert.assertEquals(
                    "it names the hour twice (hh and HH): one would silently replace the other; split the columns or"
                            + " name the field once",
                    e.getMessage());
        }
        // letters inside quotes are text, not fields
        DatePattern.compile("yyyy-MM-dd'T'HH:mm 'h'");
        DatePattern.compile("EEE MMM dd HH:mm:ss yyyy");
    }

    @Test(expected = IllegalArgumentException.class)
    public void aPatternWithUnknownLettersIsRefused() {
        DatePattern.compile("MM/dd/yyyy qqqq bbb");
    }
}
