package org.dmiplatform.adapter.nibrs.internal;

import java.util.Arrays;

/** Writes flat-file segments field by field, at the positions of the Technical Specification 2019.1. */
final class Segments {
    private final char[] text;

    private Segments(int length, char level, char action, String ori, String number) {
        text = new char[length];
        Arrays.fill(text, ' ');
        put(1, String.format("%04d", length));
        put(5, String.valueOf(level));
        put(6, String.valueOf(action));
        put(7, "07");
        put(9, "2019");
        put(17, ori);
        put(26, number);
    }

    Segments put(int position, String value) {
        value.getChars(0, value.length(), text, position - 1);
        return this;
    }

    /** As real writers do: trailing blanks trimmed, so the line is shorter than its declared length. */
    String trimmed() {
        return new String(text).stripTrailing();
    }

    @Override
    public String toString() {
        return new String(text);
    }

    static Segments administrative(char action, String ori, String number, String date, String hour) {
        return new Segments(87, '1', action, ori, number)
                .put(38, date)
                .put(47, hour)
                .put(49, "N");
    }

    static Segments offense(String ori, String number, String code) {
        return new Segments(63, '2', 'I', ori, number)
                .put(38, code)
                .put(41, "C")
                .put(42, "N")
                .put(45, "13");
    }

    /** A Property Segment, seized drugs: up to three suspected drug types (Data Element 20). */
    static Segments property(String ori, String number, String... drugTypes) {
        Segments s = new Segments(307, '3', 'I', ori, number).put(38, "6").put(39, "10");
        for (int i = 0; i < drugTypes.length; i++) {
            s.put(233 + 15 * i, drugTypes[i]).put(234 + 15 * i, "000000001000").put(246 + 15 * i, "GM");
        }
        return s;
    }

    static Segments victim(String ori, String number, String code) {
        return new Segments(129, '4', 'I', ori, number)
                .put(38, "001")
                .put(41, code)
                .put(71, "S");
    }

    static Segments offender(String ori, String number) {
        return new Segments(45, '5', 'I', ori, number).put(38, "00");
    }

    static Segments zeroReport(char action, String ori, String month, String year) {
        return new Segments(43, '0', action, ori, "000000000000").put(38, month).put(40, year);
    }

    static Segments groupBArrest(char action, String ori, String transaction, String date, String code) {
        return new Segments(66, '7', action, ori, transaction)
                .put(38, "01")
                .put(40, date)
                .put(48, "O")
                .put(49, code)
                .put(52, "01")
                .put(58, "25  ")
                .put(62, "M")
                .put(63, "W")
                .put(64, "N")
                .put(65, "R");
    }

    /** A simple whole incident: administrative, offense, victim and offender segments (and property, for drugs). */
    static String incident(String ori, String number, String date, String hour, String code, String... drugTypes) {
        StringBuilder out = new StringBuilder();
        out.append(administrative('I', ori, number, date, hour).trimmed()).append('\n');
        out.append(offense(ori, number, code).trimmed()).append('\n');
        if (drugTypes.length > 0) {
            out.append(property(ori, number, drugTypes).trimmed()).append('\n');
        }
        out.append(victim(ori, number, code).trimmed()).append('\n');
        out.append(offender(ori, number).trimmed()).append('\n');
        return out.toString();
    }
}
