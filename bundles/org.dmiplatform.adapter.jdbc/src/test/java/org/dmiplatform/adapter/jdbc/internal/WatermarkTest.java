package org.dmiplatform.adapter.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.Test;

public class WatermarkTest {
    private static final ZoneId SITE = ZoneId.of("America/Chicago");

    @Test
    public void theStoredTextBecomesAValueOfTheColumnsType() {
        assertEquals(
                LocalDateTime.of(2024, 4, 1, 8, 39, 0, 123_456_000),
                Watermark.parameter("2024-04-01T08:39:00.123456", ColumnType.LOCAL_DATE_TIME, SITE));
        assertEquals(
                "an instant, for a local column: the site's local time",
                LocalDateTime.of(2024, 4, 1, 8, 39),
                Watermark.parameter("2024-04-01T13:39:00Z", ColumnType.LOCAL_DATE_TIME, SITE));
        assertEquals(
                LocalDateTime.of(1970, 1, 1, 0, 0),
                Watermark.parameter("1970-01-01", ColumnType.LOCAL_DATE_TIME, SITE));
        assertEquals(
                OffsetDateTime.of(2024, 4, 1, 13, 39, 0, 0, ZoneOffset.UTC),
                Watermark.parameter("2024-04-01T13:39:00Z", ColumnType.OFFSET_DATE_TIME, SITE));
        assertEquals(
                "a local time, for a column with a zone: read in the site's zone",
                OffsetDateTime.of(2024, 4, 1, 8, 39, 0, 0, ZoneOffset.ofHours(-5)),
                Watermark.parameter("2024-04-01T08:39:00", ColumnType.OFFSET_DATE_TIME, SITE));
        assertEquals(LocalDate.of(2024, 4, 1), Watermark.parameter("2024-04-01", ColumnType.DATE, SITE));
        assertEquals(0L, Watermark.parameter("0", ColumnType.INTEGER, SITE));
        assertEquals(
                new BigDecimal("123456789012345678901"),
                Watermark.parameter("123456789012345678901", ColumnType.INTEGER, SITE));
        assertEquals(new BigDecimal("17.5"), Watermark.parameter("17.5", ColumnType.DECIMAL, SITE));
        assertEquals("2024-04-01 08:39", Watermark.parameter("2024-04-01 08:39", ColumnType.TEXT, SITE));
    }

    @Test
    public void withoutTheColumnsTypeTheTextSaysWhatItIs() {
        assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0), Watermark.parameter("1970-01-01T00:00:00", null, SITE));
        assertEquals(
                OffsetDateTime.of(2024, 4, 1, 13, 39, 0, 0, ZoneOffset.UTC),
                Watermark.parameter("2024-04-01T13:39:00Z", null, SITE));
        assertEquals(42L, Watermark.parameter("42", null, SITE));
        assertEquals("RMS-42", Watermark.parameter("RMS-42", null, SITE));
    }

    @Test
    public void textThatIsNotOfTheColumnsTypeIsRefusedSayingWhatItShouldBe() {
        assertRefused(
                "yesterday", ColumnType.LOCAL_DATE_TIME, "'yesterday' is not a date-time such as 2024-01-01T00:00:00");
        assertRefused("2024-13-01T00:00:00", ColumnType.OFFSET_DATE_TIME, "'2024-13-01T00:00:00' is not a date-time");
        assertRefused("1970-01-01T00:00:00", ColumnType.INTEGER, "'1970-01-01T00:00:00' is not a number");
        assertRefused("0", ColumnType.TIME, "a watermark column must hold date-times, dates, numbers or text");
    }

    private static void assertRefused(String text, ColumnType type, String start) {
        try {
            Watermark.parameter(text, type, SITE);
            fail(text + " accepted as " + type);
        } catch (IllegalArgumentException e) {
            assertEquals(
                    e.getMessage(),
                    start,
                    e.getMessage()
                            .substring(
                                    0, Math.min(start.length(), e.getMessage().length())));
        }
    }

    @Test
    public void theGreatestValueReadIsTheNextPullsText() {
        Watermark local = new Watermark();
        assertNull("nothing read, nothing reached", local.reached());
        local.saw(LocalDateTime.of(2024, 4, 1, 8, 39));
        local.saw(null);
        local.saw(LocalDateTime.of(2024, 4, 1, 8, 50, 0, 120_000_000));
        local.saw(LocalDateTime.of(2024, 4, 1, 8, 45));
        assertEquals("2024-04-01T08:50:00.12", local.reached());

        Watermark instant = new Watermark();
        instant.saw(OffsetDateTime.of(2024, 11, 4, 18, 10, 0, 0, ZoneOffset.UTC));
        assertEquals("2024-11-04T18:10:00Z", instant.reached());

        Watermark number = new Watermark();
        number.saw(new BigDecimal("1.2E+3"));
        number.saw(new BigDecimal("999"));
        assertEquals("1200", number.reached());

        Watermark id = new Watermark();
        id.saw(1_000_000_000_001L);
        id.saw(7L);
        assertEquals("1000000000001", id.reached());
    }

    @Test
    public void whatAPullReachesTheNextPullReadsAsTheSameValue() {
        Object[][] values = {
            {LocalDateTime.of(2024, 4, 1, 8, 50, 0, 123_456_000), ColumnType.LOCAL_DATE_TIME},
            {LocalDateTime.of(2024, 4, 1, 8, 50), ColumnType.LOCAL_DATE_TIME},
            {OffsetDateTime.of(2024, 11, 4, 18, 10, 0, 5_000, ZoneOffset.UTC), ColumnType.OFFSET_DATE_TIME},
            {LocalDate.of(2024, 4, 1), ColumnType.DATE},
            {Long.MAX_VALUE, ColumnType.INTEGER},
            {new BigDecimal("12.50"), ColumnType.DECIMAL},
            {"000123", ColumnType.TEXT}
        };
        for (Object[] v : values) {
            Watermark w = new Watermark();
            w.saw(v[0]);
            assertEquals(v[0], Watermark.parameter(w.reached(), (ColumnType) v[1], SITE));
        }
    }
}
