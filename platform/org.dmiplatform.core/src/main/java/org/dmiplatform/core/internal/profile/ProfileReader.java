package org.dmiplatform.core.internal.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordsProfile.FileLayout;

/**
 * Reads a records profile (JSON) and checks all of it, reporting every mistake with its line and field: a profile
 * that loads maps every row it is given, or quarantines it with a reason.
 */
final class ProfileReader {
    static final int VERSION = 1;
    static final String CATEGORIES =
            Arrays.stream(Category.values()).map(Category::id).collect(Collectors.joining(", "));
    private static final String KINDS =
            Arrays.stream(RecordKind.values()).map(RecordKind::id).collect(Collectors.joining(", "));
    private static final Set<String> TOP = Set.of(
            "profile",
            "description",
            "kind",
            "file",
            "repeats",
            "optional",
            "lookup",
            "fields",
            "category",
            "codes",
            "partOne",
            "skip");
    private static final Set<String> FILE = Set.of("header", "delimiter", "quote", "encoding", "skipLines");
    private static final List<String> TEXT_FIELDS =
            List.of("sourceId", "code", "codeText", "address", "beat", "district", "nibrsCode", "drugType");
    private static final List<String> DATE_FIELDS = List.of("occurredFrom", "occurredTo", "reportedAt");
    private static final Set<String> COLUMN_KEYS =
            Set.of("column", "columns", "position", "positions", "value", "join", "extract");
    private static final Set<String> TEST_KEYS = Set.of("equals", "in", "startsWith", "matches", "blank");

    private final String file;
    private final Function<String, Optional<String>> siblings;
    private final List<InputError> errors = new ArrayList<>();
    private boolean header = true;

    /** The lookup files declared, by lower-case name; null for one that could not be read (already reported). */
    private final Map<String, Lookup> lookupFiles = new java.util.HashMap<>();

    private ProfileReader(String file, Function<String, Optional<String>> siblings) {
        this.file = file;
        this.siblings = siblings;
    }

    /**
     * @param file the profile's file name
     * @param siblings reads another file of the site's profile folder (a code table) by name
     * @throws InvalidInputException with every mistake found
     */
    static Profile read(String file, String text, Function<String, Optional<String>> siblings) {
        return new ProfileReader(file, siblings).read(text);
    }

    private Profile read(String json) {
        ProfileNode root;
        try {
            root = ProfileNode.parse(json);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidInputException(
                    new InputError(file, line, "", "is not valid JSON: " + e.getOriginalMessage()));
        }
        if (!root.isObject()) {
            throw new InvalidInputException(new InputError(file, root.line, "", "must be a JSON object"));
        }
        known(root, TOP);
        ProfileNode version = root.get("profile");
        if (version == null || !version.isNumber() || version.number().intValue() != VERSION) {
            error(
                    version == null ? root : version,
                    "profile",
                    "must be " + VERSION + " (the profile format's version)");
        }
        String description = optionalText(root, "description").orElse("");
        RecordKind kind = RecordKind.INCIDENT;
        ProfileNode kindNode = root.get("kind");
        if (kindNode != null) {
            Optional<RecordKind> k = kindNode.isText() ? RecordKind.byId(kindNode.text()) : Optional.empty();
            if (k.isEmpty()) {
                error(kindNode, "is " + kindNode.describe() + ", not one of " + KINDS);
            } else {
                kind = k.get();
            }
        }
        FileLayout layout = layout(root.get("file"));
        boolean merge = false;
        ProfileNode repeats = root.get("repeats");
        if (repeats != null) {
            if (repeats.isText() && repeats.text().equals("merge")) {
                merge = true;
            } else if (!(repeats.isText() && repeats.text().equals("quarantine"))) {
                error(repeats, "must be \"merge\" (rows sharing an id are one record) or \"quarantine\" (the default)");
            }
        }
        boolean warnOptional = true;
        ProfileNode optional = root.get("optional");
        if (optional != null) {
            if (optional.isText() && optional.text().equals("quarantine")) {
                warnOptional = false;
            } else if (!(optional.isText() && optional.text().equals("warn"))) {
                error(
                        optional,
                        "must be \"warn\" (the default: an optional field that cannot be read is left out, with a"
                                + " warning on the record) or \"quarantine\" (the row is quarantined)");
            }
        }
        List<Lookup> lookups = root.get("lookup") == null ? List.of() : lookups(root.get("lookup"));
        ProfileNode fields = root.get("fields");
        Map<String, Columns> text = new java.util.HashMap<>();
        Map<String, DateField> dates = new java.util.HashMap<>();
        List<Location> locations = List.of();
        if (fields == null || !fields.isObject()) {
            error(fields == null ? root : fields, "fields", "must be an object naming where each field comes from");
        } else {
            Set<String> allowed = new java.util.HashSet<>(TEXT_FIELDS);
            allowed.addAll(DATE_FIELDS);
            allowed.add("location");
            known(fields, allowed);
            for (String name : TEXT_FIELDS) {
                ProfileNode n = fields.get(name);
                if (n != null) {
                    Columns c = name.equals("sourceId") && (n.get("key") != null || n.get("hash") != null)
                            ? madeId(n)
                            : columns(n, Set.of());
                    if (c != null) {
                        text.put(name, c);
                    }
                }
            }
            for (String name : DATE_FIELDS) {
                ProfileNode n = fields.get(name);
                if (n != null) {
                    DateField d = date(n);
                    if (d != null) {
                        dates.put(name, d);
                    }
                }
            }
            for (String required : List.of("sourceId", "code")) {
                if (fields.get(required) == null) {
                    error(fields, "fields." + required, "is required");
                }
            }
            if (fields.get("occurredFrom") == null) {
                error(fields, "fields.occurredFrom", "is required");
            }
            if (fields.get("location") != null) {
                locations = locations(fields.get("location"));
            }
            Columns id = text.get("sourceId");
            if (merge && id != null && id.id() == Columns.Id.HASH) {
                error(
                        fields.get("sourceId"),
                        "fields.sourceId",
                        "is a hash, which cannot tell which rows are one record: \"repeats\": \"merge\""
                                + " (line " + repeats.line + ") needs the records system's own id, or a key of the"
                                + " columns one record's rows share");
            }
        }
        CodeTable codes = null;
        boolean unknownIsOther = false;
        ProfileNode codesNode = root.get("codes");
        if (codesNode != null) {
            if (codesNode.isText()) {
                codes = codeTable(codesNode, codesNode.text());
            } else if (codesNode.isObject()) {
                known(codesNode, Set.of("file", "unknown"));
                ProfileNode f = codesNode.get("file");
                if (f == null || !f.isText()) {
                    error(codesNode, codesNode.path + ".file", "must name the code table's file");
                } else {
                    codes = codeTable(f, f.text());
                }
                ProfileNode unknown = codesNode.get("unknown");
                if (unknown != null) {
                    if (unknown.isText() && unknown.text().equals("other")) {
                        unknownIsOther = true;
                    } else if (!(unknown.isText() && unknown.text().equals("quarantine"))) {
                        error(unknown, "must be \"quarantine\" (the default) or \"other\"");
                    }
                }
            } else {
                error(codesNode, "must name a code table file, or be {\"file\": ..., \"unknown\": ...}");
            }
        }
        List<Profile.Rule> rules = new ArrayList<>();
        for (ProfileNode r : list(root.get("category"))) {
            if (!r.isObject()) {
                error(r, "must be a rule such as {\"column\": \"FBI Code\", \"equals\": \"18\", \"is\": \"drug\"}");
                continue;
            }
            ProfileNode is = r.get("is");
            Optional<Category> category =
                    is != null && is.isText() ? Category.byId(is.text().toLowerCase(Locale.ROOT)) : Optional.empty();
            if (category.isEmpty()) {
                error(is == null ? r : is, r.path + ".is", "must be one of " + CATEGORIES);
            }
            Condition.Spec when = condition(r, Set.of("is"));
            if (when != null && category.isPresent()) {
                rules.add(new Profile.Rule(when, category.get()));
            }
        }
        Condition.Spec partOne = null;
        ProfileNode partOneNode = root.get("partOne");
        if (partOneNode != null) {
            partOne = condition(partOneNode, Set.of());
        }
        List<Profile.Skip> skips = new ArrayList<>();
        for (ProfileNode s : list(root.get("skip"))) {
            ProfileNode why = s.get("why");
            if (why == null || !why.isText() || why.text().isBlank()) {
                error(s, s.path + ".why", "must say why such rows are left out, e.g. \"traffic accident\"");
            }
            Condition.Spec when = condition(s, Set.of("why"));
            if (when != null && why != null) {
                skips.add(new Profile.Skip(when, why.text()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Profile(
                file,
                description,
                kind,
                layout,
                merge,
                warnOptional,
                lookups,
                text,
                dates,
                locations,
                rules,
                codes,
                unknownIsOther,
                partOne,
                skips);
    }

    private FileLayout layout(ProfileNode n) {
        boolean hasHeader = true;
        char delimiter = ',';
        char quote = '"';
        Charset encoding = java.nio.charset.StandardCharsets.UTF_8;
        int skipLines = 0;
        if (n != null) {
            if (!n.isObject()) {
                error(n, "must be an object such as {\"header\": true, \"delimiter\": \",\"}");
            } else {
                known(n, FILE);
                ProfileNode h = n.get("header");
                if (h != null) {
                    if (h.isBoolean()) {
                        hasHeader = h.bool();
                    } else {
                        error(h, "must be true or false");
                    }
                }
                delimiter = character(n.get("delimiter"), delimiter);
                quote = character(n.get("quote"), quote);
                ProfileNode e = n.get("encoding");
                if (e != null) {
                    try {
                        encoding = Charset.forName(e.text());
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
                        error(e, "'" + e.text() + "' is not a character set (UTF-8, windows-1252, ISO-8859-1, ...)");
                    }
                }
                ProfileNode s = n.get("skipLines");
                if (s != null) {
                    if (s.isNumber() && s.number().intValue() >= 0 && s.number().intValue() <= 1000) {
                        skipLines = s.number().intValue();
                    } else {
                        error(s, "must be a number of lines from 0 to 1000");
                    }
                }
            }
        }
        this.header = hasHeader;
        return new FileLayout(hasHeader, delimiter, quote, encoding, skipLines);
    }

    private char character(ProfileNode n, char otherwise) {
        if (n == null) {
            return otherwise;
        }
        String t = n.text();
        if (t.equals("\\t") || t.equals("tab")) {
            return '\t';
        }
        if (!n.isText() || t.length() != 1 || t.charAt(0) == '\n' || t.charAt(0) == '\r') {
            error(n, "must be one character, such as \",\", \";\", \"|\" or \"tab\"");
            return otherwise;
        }
        return t.charAt(0);
    }

    /** A field's columns: "Name", a position number, or {"column"|"columns"|"position"|"positions"|"value", "join"}. */
    private Columns columns(ProfileNode n, Set<String> extra) {
        if (n.isText()) {
            if (n.text().isBlank()) {
                error(n, "must name a column");
                return null;
            }
            String looked = lookupColumn(n, n.text());
            if (looked != null) {
                return Columns.named(List.of(looked), " ", n.path, n.line);
            }
            if (!header) {
                error(n, "names a column, but the profile's file has no header row: use a position such as 3");
                return null;
            }
            return Columns.named(List.of(n.text()), " ", n.path, n.line);
        }
        if (n.isNumber()) {
            Integer p = position(n);
            return p == null ? null : Columns.positions(List.of(p), " ", n.path, n.line);
        }
        if (!n.isObject()) {
            error(n, "is " + n.describe() + "; expected a column name, a position, or {\"column\": ...}");
            return null;
        }
        Set<String> allowed = new java.util.HashSet<>(COLUMN_KEYS);
        allowed.addAll(extra);
        known(n, allowed);
        String join = n.get("join") == null ? " " : n.get("join").text();
        List<String> sources = n.fields().keySet().stream()
                .filter(k -> COLUMN_KEYS.contains(k) && !k.equals("join") && !k.equals("extract"))
                .toList();
        if (sources.size() != 1) {
            error(
                    n,
                    "must have exactly one of column, columns, position, positions or value"
                            + (sources.isEmpty() ? "" : "; it has " + sources));
            return null;
        }
        Columns columns = sourceColumns(n.get(sources.get(0)), sources.get(0), join);
        ProfileNode extract = n.get("extract");
        if (columns == null || extract == null) {
            return columns;
        }
        try {
            return columns.extracting(java.util.regex.Pattern.compile(extract.text()));
        } catch (PatternSyntaxException e) {
            error(extract, "is not a regular expression: " + e.getDescription());
            return null;
        }
    }

    private Columns sourceColumns(ProfileNode v, String kind, String join) {
        switch (kind) {
            case "value" -> {
                return Columns.constant(v.text(), v.path, v.line);
            }
            case "column", "columns" -> {
                List<String> names = new ArrayList<>();
                boolean headerNeeded = false;
                for (ProfileNode item : v.isArray() ? v.items() : List.of(v)) {
                    if (!item.isText() || item.text().isBlank()) {
                        error(item, "must be a column name");
                    } else {
                        String looked = lookupColumn(item, item.text());
                        headerNeeded |= looked == null;
                        names.add(looked == null ? item.text() : looked);
                    }
                }
                if (headerNeeded && !header) {
                    error(v, "names columns, but the profile's file has no header row: use positions");
                    return null;
                }
                if (names.isEmpty()) {
                    error(v, "must name at least one column");
                    return null;
                }
                return Columns.named(names, join, v.path, v.line);
            }
            default -> {
                List<Integer> positions = new ArrayList<>();
                for (ProfileNode item : v.isArray() ? v.items() : List.of(v)) {
                    Integer p = position(item);
                    if (p != null) {
                        positions.add(p);
                    }
                }
                if (positions.isEmpty()) {
                    error(v, "must give at least one position");
                    return null;
                }
                return Columns.positions(positions, join, v.path, v.line);
            }
        }
    }

    /**
     * The forms of an id made from the row, for exports without an id column: {@code {"key": [columns]}} (their
     * values joined with {@code |}) or {@code {"hash": "row"}} / {@code {"hash": [columns]}} (a stable hash).
     */
    private Columns madeId(ProfileNode n) {
        known(n, Set.of("key", "hash"));
        if (n.get("key") != null && n.get("hash") != null) {
            error(n, n.path, "must have one of key or hash, not both");
            return null;
        }
        boolean key = n.get("key") != null;
        ProfileNode v = key ? n.get("key") : n.get("hash");
        if (!key && v.isText() && v.text().equals("row")) {
            return Columns.wholeRow(v.path, v.line);
        }
        if (!v.isArray() || v.items().isEmpty()) {
            error(
                    v,
                    key
                            ? "must list the columns whose values together tell one record from another, e.g."
                                    + " [\"CALL_DATE\", \"CALL_TIME\", \"UNIT\", \"LOCATION\"]"
                            : "must be \"row\" (every column of the row) or a list of columns to hash");
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (ProfileNode item : v.items()) {
            if (item.isNumber()) {
                Integer p = position(item);
                if (p != null) {
                    positions.add(p);
                }
            } else if (item.isText() && !item.text().isBlank()) {
                String looked = lookupColumn(item, item.text());
                if (looked == null && !header) {
                    error(item, "names a column, but the profile's file has no header row: use a position such as 3");
                }
                names.add(looked == null ? item.text() : looked);
            } else {
                error(item, "must be a column name or position");
            }
        }
        if (!names.isEmpty() && !positions.isEmpty()) {
            error(v, "must list column names or positions, not both");
            return null;
        }
        Columns columns = names.isEmpty()
                ? Columns.positions(positions, "|", v.path, v.line)
                : Columns.named(names, "|", v.path, v.line);
        return columns.asId(key ? Columns.Id.KEY : Columns.Id.HASH);
    }

    /**
     * {@code "lookup": {"file": "geocoded.csv", "key": "LOCATION_TEXT", "on": "Location"}}, or a list of them: each
     * file is read now, once, and its columns are named {@code "geocoded.csv:LAT"} in the rest of the profile.
     */
    private List<Lookup> lookups(ProfileNode n) {
        String hint = "must be {\"file\": \"geocoded.csv\", \"key\": \"LOCATION_TEXT\", \"on\": \"Location\"}:"
                + " the lookup file, its key column, and the export's column whose value is looked up";
        List<Lookup> out = new ArrayList<>();
        Map<String, Lookup> declared = new java.util.LinkedHashMap<>();
        for (ProfileNode l : n.isArray() ? n.items() : List.of(n)) {
            if (!l.isObject()) {
                error(l, hint);
                continue;
            }
            known(l, Set.of("file", "key", "on"));
            ProfileNode f = l.get("file");
            ProfileNode k = l.get("key");
            ProfileNode on = l.get("on");
            boolean usable = true;
            if (f == null || !f.isText() || f.text().isBlank()) {
                error(
                        f == null ? l : f,
                        l.path + ".file",
                        "must name a CSV file beside the profile, e.g. \"geocoded.csv\"");
                usable = false;
            }
            if (k == null || !k.isText() || k.text().isBlank()) {
                error(k == null ? l : k, l.path + ".key", "must name the lookup file's column that holds the key");
                usable = false;
            }
            Columns onColumns = null;
            if (on == null) {
                error(l, l.path + ".on", "must name the export's column whose value is looked up (a name or position)");
            } else {
                onColumns = columns(on, Set.of());
            }
            if (!usable) {
                continue;
            }
            String name = f.text().strip();
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.contains(":")) {
                error(f, "must be the name of a file beside the profile");
                continue;
            }
            if (!lower.endsWith(".csv")) {
                error(f, "must be a .csv file beside the profile");
                continue;
            }
            if (declared.containsKey(lower)) {
                error(f, "names " + name + " a second time: one lookup per file");
                continue;
            }
            Optional<String> content = siblings.apply(name);
            if (content.isEmpty()) {
                error(f, "names the lookup file '" + name + "', which is not beside the profile");
                declared.put(lower, null);
                continue;
            }
            Lookup lookup = Lookup.read(
                    name,
                    content.get(),
                    k.text().strip(),
                    onColumns,
                    file + " line " + k.line + " (" + k.path + ")",
                    errors);
            declared.put(lower, lookup);
            if (lookup != null && onColumns != null) {
                out.add(lookup);
            }
        }
        lookupFiles.putAll(declared);
        return List.copyOf(out);
    }

    /**
     * A lookup file's column as the profile names it ({@code "geocoded.csv:LAT"}), spelled as the lookup file spells
     * it; null for a column of the export. A name whose file is not a lookup of the profile, or a column the lookup
     * file lacks, is reported here.
     */
    private String lookupColumn(ProfileNode at, String name) {
        int colon = name.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String prefix = name.substring(0, colon).strip();
        String column = name.substring(colon + 1).strip();
        String lower = prefix.toLowerCase(Locale.ROOT);
        if (!lookupFiles.containsKey(lower)) {
            if (!lower.endsWith(".csv")) {
                return null;
            }
            error(
                    at,
                    "names a column of " + prefix + ", which is not a lookup of this profile"
                            + (lookupFiles.isEmpty()
                                    ? ": declare it in \"lookup\" (a lookup's \"on\" must be a column of the export)"
                                    : " (its lookups: " + String.join(", ", lookupFiles.keySet()) + ")"));
            return name;
        }
        Lookup lookup = lookupFiles.get(lower);
        if (lookup == null) {
            return name; // the file's own mistake is reported
        }
        int index = lookup.column(column);
        if (index < 0) {
            error(
                    at,
                    "names the column '" + column + "' of " + lookup.file + ", which has the columns: "
                            + String.join(", ", lookup.columns));
            return name;
        }
        return lookup.file + ":" + lookup.columns.get(index);
    }

    private Integer position(ProfileNode n) {
        if (!n.isNumber()
                || n.number().scale() > 0
                || n.number().intValue() < 1
                || n.number().intValue() > 10_000) {
            error(n, "must be a column position, counted from 1");
            return null;
        }
        return n.number().intValue();
    }

    private DateField date(ProfileNode n) {
        if (!n.isObject()) {
            error(
                    n,
                    "must say where the date is and its formats, e.g. {\"column\": \"Date\", \"formats\": [\"MM/dd/yyyy hh:mm:ss a\"]}");
            return null;
        }
        Columns columns = columns(n, Set.of("formats", "zone"));
        ProfileNode formats = n.get("formats");
        List<DatePattern> patterns = new ArrayList<>();
        if (formats == null) {
            error(
                    n,
                    n.path + ".formats",
                    "is required: the date's patterns, e.g. [\"MM/dd/yyyy hh:mm:ss a\"] or [\"iso\"]");
        } else {
            for (ProfileNode f : formats.isArray() ? formats.items() : List.of(formats)) {
                if (!f.isText() || f.text().isBlank()) {
                    error(f, "must be a date pattern");
                    continue;
                }
                try {
                    patterns.add(DatePattern.compile(f.text()));
                } catch (IllegalArgumentException e) {
                    error(f, "'" + f.text() + "' is not a date pattern: " + e.getMessage());
                }
            }
            if (patterns.isEmpty() && formats.items().isEmpty() && formats.isArray()) {
                error(formats, "must list at least one pattern");
            }
        }
        ZoneId zone = null;
        ProfileNode z = n.get("zone");
        if (z != null) {
            try {
                zone = ZoneId.of(z.text());
            } catch (DateTimeException e) {
                error(z, "'" + z.text() + "' is not a time zone such as UTC or America/Chicago");
            }
        }
        return columns == null || patterns.isEmpty() ? null : new DateField(columns, List.copyOf(patterns), zone);
    }

    private List<Location> locations(ProfileNode n) {
        List<Location> out = new ArrayList<>();
        for (ProfileNode alt : n.isArray() ? n.items() : List.of(n)) {
            if (!alt.isObject()) {
                error(
                        alt,
                        "must be {\"x\": ..., \"y\": ..., \"crs\": \"EPSG:3435\"} or {\"point\": ..., \"order\": \"lat lon\"}");
                continue;
            }
            known(alt, Set.of("x", "y", "point", "order", "crs", "noLocation"));
            List<double[]> none = noLocation(alt.get("noLocation"));
            Crs crs = null;
            ProfileNode c = alt.get("crs");
            try {
                crs = Crs.of(c == null ? Crs.WGS84 : c.text());
            } catch (IllegalArgumentException e) {
                error(c, "'" + c.text() + "' " + e.getMessage());
            }
            if (alt.get("point") != null) {
                Columns point = columns(alt.get("point"), Set.of());
                boolean latFirst = false;
                ProfileNode order = alt.get("order");
                if (order != null) {
                    String o = order.text()
                            .replace(",", " ")
                            .replaceAll("\\s+", " ")
                            .strip();
                    if (o.equals("lat lon")) {
                        latFirst = true;
                    } else if (!o.equals("lon lat")) {
                        error(order, "must be \"lat lon\" or \"lon lat\"");
                    }
                }
                if (point != null && crs != null) {
                    out.add(new Location(null, null, point, latFirst, crs, none));
                }
            } else {
                if (alt.get("x") == null || alt.get("y") == null) {
                    error(alt, alt.path, "needs both x and y (or a point)");
                    continue;
                }
                Columns x = columns(alt.get("x"), Set.of());
                Columns y = columns(alt.get("y"), Set.of());
                if (x != null && y != null && crs != null) {
                    out.add(new Location(x, y, null, false, crs, none));
                }
            }
        }
        return List.copyOf(out);
    }

    /** {@code "noLocation": [[0, 0], [-1, -1]]}: pairs of numbers, x then y as the source writes them. */
    private List<double[]> noLocation(ProfileNode n) {
        if (n == null) {
            return List.of();
        }
        List<double[]> out = new ArrayList<>();
        String hint = "must be a list of [x, y] pairs as the source writes them, e.g. [[0, 0]]";
        if (!n.isArray()) {
            error(n, hint);
            return List.of();
        }
        for (ProfileNode pair : n.items()) {
            if (!pair.isArray() || pair.items().size() != 2) {
                error(pair, hint);
                continue;
            }
            try {
                out.add(new double[] {
                    Double.parseDouble(pair.items().get(0).text()),
                    Double.parseDouble(pair.items().get(1).text())
                });
            } catch (NumberFormatException | NullPointerException e) {
                error(pair, hint);
            }
        }
        return List.copyOf(out);
    }

    private CodeTable codeTable(ProfileNode n, String name) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            error(n, "must be the name of a file beside the profile");
            return null;
        }
        Optional<String> text = siblings.apply(name);
        if (text.isEmpty()) {
            error(n, "names the code table '" + name + "', which is not beside the profile");
            return null;
        }
        return CodeTable.read(name, text.get(), errors);
    }

    /** A condition: {"all"|"any": [...]}, {"not": {...}}, or columns with one test. */
    private Condition.Spec condition(ProfileNode n, Set<String> extra) {
        if (!n.isObject()) {
            error(n, "must be a condition such as {\"column\": \"IS_TRAFFIC\", \"equals\": \"1\"}");
            return null;
        }
        if (n.get("all") != null || n.get("any") != null) {
            String key = n.get("all") != null ? "all" : "any";
            Set<String> allowed = new java.util.HashSet<>(extra);
            allowed.add(key);
            known(n, allowed);
            List<Condition.Spec> parts = new ArrayList<>();
            for (ProfileNode part : list(n.get(key))) {
                Condition.Spec p = condition(part, Set.of());
                if (p != null) {
                    parts.add(p);
                }
            }
            if (parts.isEmpty()) {
                return null;
            }
            return key.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
        }
        if (n.get("not") != null) {
            Set<String> allowed = new java.util.HashSet<>(extra);
            allowed.add("not");
            known(n, allowed);
            Condition.Spec inner = condition(n.get("not"), Set.of());
            return inner == null ? null : new Condition.Not(inner);
        }
        Set<String> allowed = new java.util.HashSet<>(extra);
        allowed.addAll(TEST_KEYS);
        allowed.add("ignoreCase");
        List<String> tests =
                n.fields().keySet().stream().filter(TEST_KEYS::contains).toList();
        if (tests.size() != 1) {
            error(
                    n,
                    n.path,
                    "must have exactly one test of equals, in, startsWith, matches or blank"
                            + (tests.isEmpty() ? "" : "; it has " + tests));
            return null;
        }
        allowed.addAll(COLUMN_KEYS);
        known(n, allowed);
        if (n.fields().keySet().stream().noneMatch(COLUMN_KEYS::contains)) {
            error(n, n.path, "must say which column it tests: column, columns, position or positions");
            return null;
        }
        Columns columns = columns(n.only(COLUMN_KEYS), Set.of());
        boolean ignoreCase = n.get("ignoreCase") != null && n.get("ignoreCase").bool();
        ProfileNode t = n.get(tests.get(0));
        List<String> values = new ArrayList<>();
        Condition.Test test;
        switch (tests.get(0)) {
            case "blank" -> {
                if (!t.isBoolean()) {
                    error(t, "must be true or false");
                    return null;
                }
                Condition.Spec blank =
                        columns == null ? null : new Condition.Leaf(columns, Condition.Test.BLANK, List.of(), false);
                return blank == null || t.bool() ? blank : new Condition.Not(blank);
            }
            case "matches" -> {
                test = Condition.Test.MATCHES;
                try {
                    java.util.regex.Pattern.compile(t.text());
                    values.add(t.text());
                } catch (PatternSyntaxException e) {
                    error(t, "is not a regular expression: " + e.getDescription());
                    return null;
                }
            }
            case "startsWith" -> {
                test = Condition.Test.STARTS_WITH;
                values.addAll(texts(t));
            }
            default -> {
                test = Condition.Test.EQUALS;
                values.addAll(texts(t));
            }
        }
        if (values.isEmpty()) {
            error(t, "must give at least one value");
            return null;
        }
        return columns == null ? null : new Condition.Leaf(columns, test, List.copyOf(values), ignoreCase);
    }

    private List<String> texts(ProfileNode t) {
        List<String> out = new ArrayList<>();
        for (ProfileNode v : t.isArray() ? t.items() : List.of(t)) {
            if (v.isText() || v.isNumber()) {
                out.add(v.isNumber() ? v.number().toPlainString() : v.text());
            } else {
                error(v, "must be text or a number");
            }
        }
        return out;
    }

    private List<ProfileNode> list(ProfileNode n) {
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            error(n, "must be a list");
            return List.of();
        }
        return n.items();
    }

    private Optional<String> optionalText(ProfileNode parent, String key) {
        ProfileNode n = parent.get(key);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isText()) {
            error(n, "must be text");
            return Optional.empty();
        }
        return Optional.of(n.text());
    }

    private void known(ProfileNode n, Set<String> allowed) {
        for (Map.Entry<String, ProfileNode> e : n.fields().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                error(
                        e.getValue(),
                        "is not a key here; expected one of "
                                + allowed.stream().sorted().toList());
            }
        }
    }

    static Optional<Boolean> yesNo(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> Optional.of(true);
            case "false", "no", "n", "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private void error(ProfileNode at, String reason) {
        errors.add(new InputError(file, at.line, at.path, reason));
    }

    private void error(ProfileNode at, String field, String reason) {
        errors.add(new InputError(file, at.line, field, reason));
    }
}
