package org.dmiplatform.core.internal.profile;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.api.records.SourceRow;

/** A checked records profile. Immutable and shared; {@link #start} makes the per-input {@link Mapper}. */
final class Profile implements RecordsProfile {
    record Rule(Condition.Spec when, Category category) {}

    record Skip(Condition.Spec when, String why) {}

    private final String name;
    private final String description;
    private final RecordKind kind;
    private final FileLayout layout;
    private final boolean merge;
    /** An optional field that cannot be read is left out with a warning on the record (else the row quarantined). */
    private final boolean warnOptional;

    private final List<Lookup> lookups;
    private final Map<String, Columns> text;
    private final Map<String, DateField> dates;
    private final List<Location> locations;
    private final List<Rule> rules;
    private final CodeTable codes;
    private final boolean unknownIsOther;
    private final Condition.Spec partOne;
    private final List<Skip> skips;

    Profile(
            String name,
            String description,
            RecordKind kind,
            FileLayout layout,
            boolean merge,
            boolean warnOptional,
            List<Lookup> lookups,
            Map<String, Columns> text,
            Map<String, DateField> dates,
            List<Location> locations,
            List<Rule> rules,
            CodeTable codes,
            boolean unknownIsOther,
            Condition.Spec partOne,
            List<Skip> skips) {
        this.name = name;
        this.description = description;
        this.kind = kind;
        this.layout = layout;
        this.merge = merge;
        this.warnOptional = warnOptional;
        this.lookups = List.copyOf(lookups);
        this.text = Map.copyOf(text);
        this.dates = Map.copyOf(dates);
        this.locations = List.copyOf(locations);
        this.rules = List.copyOf(rules);
        this.codes = codes;
        this.unknownIsOther = unknownIsOther;
        this.partOne = partOne;
        this.skips = List.copyOf(skips);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public FileLayout layout() {
        return layout;
    }

    @Override
    public boolean mergesRepeats() {
        return merge;
    }

    RecordKind kind() {
        return kind;
    }

    /** False when the profile asks for {@code "optional": "quarantine"}. */
    boolean warnsOptional() {
        return warnOptional;
    }

    @Override
    public void read(org.dmiplatform.api.records.RecordsInput input, RecordSink sink) throws java.io.IOException {
        ProfileFile.read(this, input, sink);
    }

    @Override
    public RowMapper start(String source, List<String> header, RecordSink sink) {
        Map<String, Integer> index = null;
        if (!header.isEmpty()) {
            index = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                index.putIfAbsent(Columns.key(header.get(i)), i);
            }
        }
        Map<String, Integer> bound = index;
        // a lookup file's columns come after one another, counted over every lookup: -1 - that count
        Map<String, Integer> looked = new HashMap<>();
        int count = 0;
        for (Lookup l : lookups) {
            for (int c = 0; c < l.columns.size(); c++) {
                looked.putIfAbsent(Columns.key(l.file + ":" + l.columns.get(c)), -1 - (count + c));
            }
            count += l.columns.size();
        }
        List<InputError> errors = new ArrayList<>();
        Condition.Binder binder = columns -> columns.bind(bound, looked, source, errors);
        Mapper mapper = new Mapper(sink, header.isEmpty() ? -1 : header.size(), binder);
        if (!errors.isEmpty()) {
            // one error per missing column, however many fields name it
            Map<String, InputError> distinct = new java.util.LinkedHashMap<>();
            errors.forEach(e -> distinct.putIfAbsent(e.field(), e));
            List<InputError> out = new ArrayList<>(distinct.values());
            if (index != null) {
                out.add(new InputError(source, 1, "", "its columns are: " + String.join(", ", header)));
            }
            throw new InvalidInputException(out);
        }
        return mapper;
    }

    /** One input's mapping: the profile bound to its columns. */
    final class Mapper implements RowMapper {
        private final RecordSink sink;
        private final int columns;
        private final ZoneId siteZone;
        private final Condition[] skipWhen;
        private final String[] skipWhy;
        private final Columns.Bound sourceId;
        private final Columns.Bound code;
        private final Columns.Bound codeText;
        private final Columns.Bound address;
        private final Columns.Bound beat;
        private final Columns.Bound district;
        private final Columns.Bound nibrsCode;
        private final Columns.Bound drugType;
        private final BoundDate occurredFrom;
        private final BoundDate occurredTo;
        private final BoundDate reportedAt;
        private final Condition[] ruleWhen;
        private final Category[] ruleIs;
        private final Condition partOneWhen;
        private final BoundLocation[] where;
        private final double[] point = new double[2];
        /** The lookups' keys in the row, and the row with the lookups' columns; null without lookups. */
        private final Columns.Bound[] lookupOn;

        private final LookupRow looked;
        /** The ids a key or hash gave so far in this input, with how many times: repeats get #2, #3. */
        private final Map<String, Integer> seen;

        /** Why the last date or location could not be read, with its columns. */
        private String failedField;

        private String failedReason;
        /** The same as a warning on the record, without the field's name: the value, the columns and why. */
        private String failedNote;

        Mapper(RecordSink sink, int columns, Condition.Binder binder) {
            this.sink = sink;
            this.columns = columns;
            this.siteZone = sink.zone();
            this.lookupOn = lookups.stream().map(l -> binder.bind(l.on)).toArray(Columns.Bound[]::new);
            this.looked = lookups.isEmpty() ? null : new LookupRow(lookups);
            this.skipWhen = skips.stream().map(s -> s.when().bind(binder)).toArray(Condition[]::new);
            this.skipWhy = skips.stream().map(Skip::why).toArray(String[]::new);
            this.sourceId = binder.bind(text.get("sourceId"));
            // merged repeats share their id on purpose; a hash with merge is refused when the profile is read
            this.seen = sourceId.madeId() && !merge ? new HashMap<>() : null;
            this.code = binder.bind(text.get("code"));
            this.codeText = optional("codeText", binder);
            this.address = optional("address", binder);
            this.beat = optional("beat", binder);
            this.district = optional("district", binder);
            this.nibrsCode = optional("nibrsCode", binder);
            this.drugType = optional("drugType", binder);
            this.occurredFrom = date("occurredFrom", binder);
            this.occurredTo = date("occurredTo", binder);
            this.reportedAt = date("reportedAt", binder);
            this.ruleWhen = rules.stream().map(r -> r.when().bind(binder)).toArray(Condition[]::new);
            this.ruleIs = rules.stream().map(Rule::category).toArray(Category[]::new);
            this.partOneWhen = partOne == null ? null : partOne.bind(binder);
            this.where = locations.stream()
                    .map(l -> new BoundLocation(
                            l.x() == null ? null : binder.bind(l.x()),
                            l.y() == null ? null : binder.bind(l.y()),
                            l.point() == null ? null : binder.bind(l.point()),
                            l.latFirst(),
                            l.crs().code,
                            l.crs().transform(),
                            l.noLocation().toArray(double[][]::new)))
                    .toArray(BoundLocation[]::new);
        }

        private Columns.Bound optional(String field, Condition.Binder binder) {
            Columns c = text.get(field);
            return c == null ? null : binder.bind(c);
        }

        private BoundDate date(String field, Condition.Binder binder) {
            DateField d = dates.get(field);
            return d == null
                    ? null
                    : new BoundDate(
                            field,
                            binder.bind(d.columns()),
                            d.formats().toArray(DatePattern[]::new),
                            new LocalZone(d.zone() == null ? siteZone : d.zone()),
                            d.formatList());
        }

        @Override
        public int columns() {
            return columns;
        }

        @Override
        public void map(long line, SourceRow row) {
            if (columns >= 0 && row.size() != columns) {
                sink.reject(line, "", "has " + row.size() + " fields where the header has " + columns, row.raw());
                return;
            }
            if (looked != null) {
                looked.row = row;
                for (int i = 0; i < lookupOn.length; i++) {
                    looked.found[i] = lookups.get(i).find(lookupOn[i].text(row));
                }
                row = looked;
            }
            for (int i = 0; i < skipWhen.length; i++) {
                if (skipWhen[i].test(row)) {
                    sink.skipped(line, skipWhy[i]);
                    return;
                }
            }
            String id = sourceId.text(row);
            if (id.isEmpty()) {
                sink.reject(
                        line,
                        sourceId.label,
                        "is empty: the row has no id, so a re-import could not recognise it",
                        row.raw());
                return;
            }
            if (seen != null) {
                int n = seen.merge(id, 1, Integer::sum);
                if (n > 1) {
                    id = id + "#" + n;
                }
            }
            Instant from = instant(occurredFrom, row);
            if (from == null) {
                sink.reject(
                        line,
                        failedField,
                        failedReason == null ? "is empty: the row has no date" : failedReason,
                        row.raw());
                return;
            }
            List<String> warnings = null;
            Instant to = null;
            if (occurredTo != null) {
                to = instant(occurredTo, row);
                if (to == null && failedReason != null) {
                    if (!warnOptional) {
                        sink.reject(line, failedField, failedReason, row.raw());
                        return;
                    }
                    warnings = warn(warnings, "occurredTo");
                }
            }
            Instant reported = null;
            if (reportedAt != null) {
                reported = instant(reportedAt, row);
                if (reported == null && failedReason != null) {
                    if (!warnOptional) {
                        sink.reject(line, failedField, failedReason, row.raw());
                        return;
                    }
                    warnings = warn(warnings, "reportedAt");
                }
            }
            String codeValue = code.text(row);
            Category category = null;
            for (int i = 0; i < ruleWhen.length; i++) {
                if (ruleWhen[i].test(row)) {
                    category = ruleIs[i];
                    break;
                }
            }
            CodeTable.Entry entry = codes == null ? null : codes.find(codeValue);
            if (category == null) {
                if (entry != null) {
                    category = entry.category();
                } else if (codes != null && !unknownIsOther) {
                    sink.reject(
                            line,
                            code.label,
                            "'" + codeValue + "' is not in the code table " + codes.file
                                    + ": add it there (or set the profile's codes.unknown to \"other\")",
                            row.raw());
                    return;
                } else {
                    category = Category.OTHER;
                }
            }
            boolean isPartOne;
            if (entry != null && entry.partOne().isPresent()) {
                isPartOne = entry.partOne().get();
            } else if (partOneWhen != null) {
                isPartOne = partOneWhen.test(row);
            } else {
                isPartOne = category == Category.VIOLENT_PART_I || category == Category.PROPERTY_PART_I;
            }
            String description = codeText == null ? "" : codeText.text(row);
            if (description.isEmpty() && entry != null) {
                description = entry.text();
            }
            String nibrs = nibrsCode == null ? "" : nibrsCode.text(row);
            if (nibrs.isEmpty() && entry != null) {
                nibrs = entry.nibrs().orElse("");
            }
            failedReason = null;
            failedNote = null;
            CrimeRecord.Location location = location(row);
            if (location == null && failedReason != null) {
                if (!warnOptional || failedNote == null) {
                    // a placeholder 0,0 is quarantined whatever the profile says: the platform refuses it too
                    sink.reject(line, failedField, failedReason, row.raw());
                    return;
                }
                warnings = warn(warnings, "location");
            }
            sink.accept(new CrimeRecord(
                    kind,
                    id,
                    from,
                    Optional.ofNullable(to),
                    Optional.ofNullable(reported),
                    codeValue,
                    description,
                    category,
                    isPartOne,
                    nibrs.isEmpty() ? Optional.empty() : Optional.of(nibrs),
                    optionalText(drugType, row),
                    Optional.ofNullable(location),
                    address == null ? "" : address.text(row),
                    beat == null ? "" : beat.text(row),
                    district == null ? "" : district.text(row),
                    line,
                    warnings == null ? List.of() : warnings));
        }

        /** Adds the warning for the optional field that could not be read (its note was just set). */
        private List<String> warn(List<String> warnings, String field) {
            List<String> out = warnings == null ? new ArrayList<>(2) : warnings;
            out.add(field + ": " + failedNote + "; left out");
            return out;
        }

        private Optional<String> optionalText(Columns.Bound columns, SourceRow row) {
            if (columns == null) {
                return Optional.empty();
            }
            String value = columns.text(row);
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** The date, or null: blank (failedReason null) or unreadable (failedReason set). */
        private Instant instant(BoundDate date, SourceRow row) {
            failedField = date.columns.label;
            failedReason = null;
            failedNote = null;
            Object value = date.columns.value(row);
            if (value == null) {
                return null;
            }
            if (!(value instanceof String)) {
                Instant at = fromObject(value, date.zone);
                if (at != null) {
                    return at;
                }
                value = Columns.Bound.text(value);
            }
            String text = ((String) value).strip();
            if (text.isEmpty()) {
                return null;
            }
            for (DatePattern pattern : date.formats) {
                Instant at = pattern.parse(text, date.zone);
                if (at != null) {
                    return at;
                }
            }
            failedReason = "'" + text + "' is not a date in the format " + date.formatList + " (" + date.field + ")";
            failedNote = quoted(text) + " in " + inColumns(date.columns.label) + " matches none of the formats ["
                    + date.patterns() + "]";
            return null;
        }

        private Instant fromObject(Object value, LocalZone zone) {
            if (value instanceof Instant i) {
                return i;
            }
            if (value instanceof OffsetDateTime o) {
                return o.toInstant();
            }
            if (value instanceof ZonedDateTime z) {
                return z.toInstant();
            }
            if (value instanceof LocalDateTime l) {
                return zone.at(l);
            }
            if (value instanceof Timestamp t) {
                return zone.at(t.toLocalDateTime());
            }
            if (value instanceof java.sql.Date d) {
                return zone.at(d.toLocalDate().atStartOfDay());
            }
            if (value instanceof LocalDate d) {
                return zone.at(d.atStartOfDay());
            }
            return null;
        }

        /** The first usable location, or null: none given (failedReason null) or unusable (failedReason set). */
        private CrimeRecord.Location location(SourceRow row) {
            String zero = null;
            for (BoundLocation at : where) {
                boolean read = at.point != null ? readPoint(at, row) : readXy(at, row);
                if (failedReason != null) {
                    return null;
                }
                if (!read || at.placeholder(point)) {
                    // nothing here, or what the profile says means nothing: the next way, else no location
                    continue;
                }
                if (point[0] == 0 && point[1] == 0) {
                    zero = at.label();
                    continue;
                }
                double x = point[0];
                double y = point[1];
                if (!at.transform.apply(x, y, point)) {
                    failedField = at.label();
                    failedReason = "(" + x + ", " + y + ") cannot be reprojected from " + at.crs;
                    failedNote = "(" + x + ", " + y + ") in " + inColumns(at.label()) + " cannot be reprojected from "
                            + at.crs;
                    return null;
                }
                return new CrimeRecord.Location(point[0], point[1]);
            }
            if (zero != null) {
                failedField = zero;
                failedReason = "is 0,0: a placeholder, not a place; clear it or fix it in the source";
            }
            return null;
        }

        private boolean readXy(BoundLocation at, SourceRow row) {
            Object x = at.x.value(row);
            Object y = at.y.value(row);
            boolean noX = blank(x);
            boolean noY = blank(y);
            if (noX && noY) {
                return false;
            }
            if (noX || noY) {
                failedField = noX ? at.x.label : at.y.label;
                failedReason = "is empty while " + (noX ? at.y.label : at.x.label) + " is not";
                failedNote = inColumns(failedField) + " is empty while " + inColumns(noX ? at.y.label : at.x.label)
                        + " holds " + quoted(Columns.Bound.text(noX ? y : x));
                return false;
            }
            double xv = number(x, at.x.label);
            double yv = failedReason == null ? number(y, at.y.label) : 0;
            point[0] = xv;
            point[1] = yv;
            return failedReason == null;
        }

        private boolean readPoint(BoundLocation at, SourceRow row) {
            String text = at.point.text(row);
            if (text.isEmpty()) {
                return false;
            }
            double[] found = new double[2];
            int count = numbers(text, found);
            if (count != 2) {
                failedField = at.point.label;
                failedReason = "'" + text + "' is not a point of two numbers";
                failedNote = quoted(text) + " in " + inColumns(at.point.label) + " is not a point of two numbers";
                return false;
            }
            point[0] = at.latFirst ? found[1] : found[0];
            point[1] = at.latFirst ? found[0] : found[1];
            return true;
        }

        private double number(Object value, String label) {
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            String text = Columns.Bound.text(value);
            try {
                return decimal(text);
            } catch (NumberFormatException e) {
                failedField = label;
                failedReason = "'" + text + "' is not a number";
                failedNote = quoted(text) + " in " + inColumns(label) + " is not a number";
                return 0;
            }
        }
    }

    /**
     * A decimal number. Coordinates are plain decimals of at most 15 digits: those are read exactly (the digits as
     * a long, divided by a power of ten, both exact in a double, so the one rounding is IEEE's, as
     * {@link Double#parseDouble} gives) and several times faster; anything else goes to Double.parseDouble.
     */
    static double decimal(String text) {
        int n = text.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        long digits = 0;
        int count = 0;
        int fraction = -1;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = digits * 10 + (c - '0');
                if (++count > 15) {
                    return Double.parseDouble(text);
                }
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.' && fraction < 0) {
                fraction = 0;
            } else {
                return Double.parseDouble(text);
            }
        }
        if (count == 0) {
            return Double.parseDouble(text);
        }
        double value = fraction > 0 ? digits / POWERS[fraction] : digits;
        return negative ? -value : value;
    }

    private static final double[] POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16
    };

    private static boolean blank(Object value) {
        return value == null || (value instanceof String s && s.isBlank());
    }

    /** The numbers in a text such as "(41.75, -87.66)" or "POINT (-87.66 41.75)"; how many there were. */
    static int numbers(String text, double[] out) {
        int count = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if ((c >= '0' && c <= '9') || ((c == '-' || c == '+' || c == '.') && i + 1 < n)) {
                int start = i;
                i++;
                while (i < n) {
                    char d = text.charAt(i);
                    if ((d >= '0' && d <= '9') || d == '.' || d == 'e' || d == 'E') {
                        i++;
                    } else {
                        break;
                    }
                }
                String token = text.substring(start, i);
                try {
                    double v = decimal(token);
                    if (count < out.length) {
                        out[count] = v;
                    }
                    count++;
                } catch (NumberFormatException e) {
                    return -1;
                }
            } else {
                i++;
            }
        }
        return count;
    }

    private record BoundDate(
            String field, Columns.Bound columns, DatePattern[] formats, LocalZone zone, String formatList) {
        /** The formats, for a warning: "MM/dd/yyyy HH:mm, MM/dd/yyyy". */
        String patterns() {
            return String.join(
                    ", ", java.util.Arrays.stream(formats).map(f -> f.pattern).toList());
        }
    }

    /** A value in a warning, in double quotes. */
    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    /** Columns as a warning names them: "column Latitude", "columns END_DATE + END_TIME", "column 5". */
    private static String inColumns(String label) {
        if (label.startsWith("column ") || label.startsWith("every column")) {
            return label;
        }
        return (label.contains(" + ") || label.contains(" / ") ? "columns " : "column ") + label;
    }

    /**
     * A row seen with the columns of the lookup files' rows its keys found: blank where a key was not found. One
     * instance per input, reused for every row.
     */
    private static final class LookupRow implements Columns.WithLookups {
        private final int[] lookupOf;
        private final int[] columnOf;
        final String[][] found;
        SourceRow row;

        LookupRow(List<Lookup> lookups) {
            int total = lookups.stream().mapToInt(l -> l.columns.size()).sum();
            lookupOf = new int[total];
            columnOf = new int[total];
            int j = 0;
            for (int l = 0; l < lookups.size(); l++) {
                for (int c = 0; c < lookups.get(l).columns.size(); c++, j++) {
                    lookupOf[j] = l;
                    columnOf[j] = c;
                }
            }
            found = new String[lookups.size()][];
        }

        @Override
        public Object lookup(int column) {
            String[] values = found[lookupOf[column]];
            return values == null ? null : values[columnOf[column]];
        }

        @Override
        public int size() {
            return row.size();
        }

        @Override
        public Object get(int column) {
            return row.get(column);
        }

        @Override
        public String raw() {
            return row.raw();
        }
    }

    private record BoundLocation(
            Columns.Bound x,
            Columns.Bound y,
            Columns.Bound point,
            boolean latFirst,
            String crs,
            Crs.Transform transform,
            double[][] noLocation) {
        String label() {
            return point != null ? point.label : x.label + " / " + y.label;
        }

        /** Whether the values read are a placeholder the profile declares as "no location". */
        boolean placeholder(double[] read) {
            for (double[] none : noLocation) {
                if (none[0] == read[0] && none[1] == read[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (" + kind.id() + (description.isEmpty() ? "" : ": " + description) + ")";
    }
}
