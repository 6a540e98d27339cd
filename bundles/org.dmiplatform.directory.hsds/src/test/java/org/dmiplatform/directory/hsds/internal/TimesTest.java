package org.dmiplatform.directory.hsds.internal;

import static org.junit.Assert.assertEquals;

import java.util.Optional;
import org.dmiplatform.directory.listing.Weekdays;
import org.junit.Test;

/** Times and days as directories write them. */
public class TimesTest {
    private static void reads(String text, String time) {
        assertEquals(text, Optional.of(time), Times.read(text));
    }

    private static void refuses(String text) {
        assertEquals(text, Optional.empty(), Times.read(text));
    }

    @Test
    public void readsTheFormsPeopleAndSystemsWrite() {
        reads("8:00am", "08:00");
        reads("8am", "08:00");
        reads("17:00", "17:00");
        reads("5:30 PM", "17:30");
        reads("5 p.m.", "17:00");
        reads("12am", "00:00");
        reads("12:15pm", "12:15");
        reads("10:00:00", "10:00");
        reads("09:00:00Z", "09:00");
        reads("09:30+01:00", "09:30");
        reads("0800", "08:00");
        reads(" 7:05 ", "07:05");
    }

    @Test
    public void refusesWhatCouldBeEitherOrIsNoTime() {
        refuses("8");
        refuses("17h");
        refuses("25:00");
        refuses("13pm");
        refuses("9:75");
        refuses("noon");
        refuses("2400");
    }

    @Test
    public void daysAreWrittenAsPeopleDo() {
        assertEquals("Mon-Fri", Weekdays.text("MO,TU,WE,TH,FR"));
        assertEquals("Thu, Fri", Weekdays.text("TH,FR"));
        assertEquals("Mon, Wed, Fri", Weekdays.text("MO,WE,FR"));
        assertEquals("two days are not a run", "Sat, Sun", Weekdays.text("SA,SU"));
        assertEquals("1MO, Tue", Weekdays.text("1MO,TU"));
        assertEquals("", Weekdays.text(""));
    }

    @Test
    public void hsds11WeekdaysCountFromMonday() {
        assertEquals(Optional.of("MO"), Weekdays.byday("1"));
        assertEquals(Optional.of("SU"), Weekdays.byday("7"));
        assertEquals(Optional.of("TU"), Weekdays.byday("Tuesday"));
        assertEquals(Optional.of("WE"), Weekdays.byday("wed"));
        assertEquals(Optional.empty(), Weekdays.byday("8"));
        assertEquals(Optional.empty(), Weekdays.byday("someday"));
        assertEquals("MO,WE,FR", Weekdays.join("FR,MO", "WE"));
    }
}
