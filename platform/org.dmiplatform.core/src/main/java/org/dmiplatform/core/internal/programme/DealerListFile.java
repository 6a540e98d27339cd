package org.dmiplatform.core.internal.programme;

import java.util.List;
import org.dmiplatform.api.programme.Market.Intelligence;
import org.dmiplatform.api.programme.Market.Person;

/** The dealer list with its intelligence as CSV (RFC 4180), one row a person, for a copy given out. */
final class DealerListFile {
    private static final List<String> HEADER = List.of(
            "id",
            "name",
            "alias",
            "decision",
            "level",
            "active",
            "violence_history",
            "violence_note",
            "pending_charges",
            "justification",
            "source",
            "sensitivity",
            "review_due",
            "entered_by",
            "entered_at");

    private DealerListFile() {}

    static String csv(List<Person> persons) {
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        for (Person p : persons) {
            Intelligence i = p.intelligence().orElseThrow();
            line(
                    out,
                    List.of(
                            String.valueOf(p.id()),
                            p.name(),
                            i.alias(),
                            label(p.decision().name()),
                            label(i.level().name()),
                            String.valueOf(i.active()),
                            String.valueOf(i.violenceHistory()),
                            i.violenceNote(),
                            i.pendingCharges(),
                            i.justification(),
                            i.source(),
                            i.sensitivity(),
                            i.reviewDue().toString(),
                            i.enteredBy(),
                            i.enteredAt().toString()));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append(String.join(",", cells.stream().map(DealerListFile::cell).toList()))
                .append("\r\n");
    }

    /** RFC 4180 quoting, and text a spreadsheet would run as a formula defused with an apostrophe. */
    static String cell(String value) {
        String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\""
                : v;
    }

    private static String label(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
