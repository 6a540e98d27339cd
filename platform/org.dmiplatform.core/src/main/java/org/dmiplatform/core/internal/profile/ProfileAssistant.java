package org.dmiplatform.core.internal.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.ProfileDraft;

/**
 * Drafts a records profile from a sample export, for an analyst to check and save.
 *
 * <p>It reads the sample twice, at most {@link #MAX_ROWS} rows or {@link #MAX_BYTES}: first each column alone
 * (what it holds: numbers, dates and their patterns, how many distinct values, whether any repeats), then, once it
 * has chosen what each column is, the chosen columns together (the codes and their descriptions for the code table,
 * whether rows sharing an id differ, which coordinate system puts the points inside the site, whether the date
 * formats read every row). Every choice is explained in a column's note or in the draft's notes, in words for a
 * crime analyst.
 */
final class ProfileAssistant {
    static final int MAX_ROWS = 20_000;
    static final long MAX_BYTES = 10L * 1024 * 1024;

    /** Lines looked at to find the delimiter and a title. */
    private static final int SNIFF_LINES = 50;

    private static final char[] DELIMITERS = {',', '\t', ';', '|'};
    private static final String[] DELIMITER_NAMES = {"commas", "tabs", "semicolons", "pipes (|)"};
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final ObjectMapper JSON = new ObjectMapper();

    // Words in column names (lower case, split at anything not a letter or digit, camelCase split)
    private static final Pattern ID_WORDS = vocabulary("id|no|nbr|num|number|key");
    private static final Pattern RECORD_WORDS =
            vocabulary("incident|inc|case|event|evt|call|report|rpt|cad|ccn|rd|complaint|cfs|master");
    private static final Pattern SURROGATE_WORDS = vocabulary("objectid|object id|fid|oid|rowid|row|index|idx|seq");
    private static final Pattern SUB_ROW_WORDS = vocabulary(
            "offense|offence|charge|unit|line|seq|sequence|person|victim|suspect|arrest|property|vehicle|item");
    private static final Pattern REPORTED_WORDS = vocabulary("report\\w*|rpt|rep");
    private static final Pattern TO_WORDS = vocabulary("to|end|ended|last|thru|through|until");
    private static final Pattern FROM_WORDS = vocabulary(
            "occur\\w*|occ|from|start\\w*|first|begin\\w*|incident|offense|offence|crime|call|received|rcvd|created"
                    + "|create|open|opened");
    private static final Pattern NOT_OCCURRED_WORDS = vocabulary(
            "update\\w*|modif\\w*|entered|entry|edit\\w*|closed|close"
                    + "|clear\\w*|arriv\\w*|enroute|dispatch\\w*|disposition|load\\w*|extract\\w*|export\\w*|birth|dob|expir\\w*");
    private static final Pattern TIME_WORDS = vocabulary("\\w*time|tm|hour|hr|hhmm");
    private static final Pattern HOUR_WORDS = vocabulary("\\w*hour|hr|hh");
    private static final Pattern DATE_TIME_WORDS = vocabulary("\\w*date|\\w*time|dt|tm|hour|hr|hhmm|datetime");
    private static final Pattern LONGITUDE_WORDS = vocabulary("lon|long|lng|longitude");
    private static final Pattern LATITUDE_WORDS = vocabulary("lat|latitude");
    private static final Pattern X_WORDS = vocabulary("x|xcoord\\w*|easting");
    private static final Pattern Y_WORDS = vocabulary("y|ycoord\\w*|northing");
    private static final Pattern CODE_STRONG_WORDS = vocabulary(
            "iucr|ucr code|nibrs code|offen[cs]e code|crime code|call code"
                    + "|call type|nature code|nature|nature of call|signal|incident code|incident type|event type|type code|statute");
    private static final Pattern CODE_WORDS =
            vocabulary("code|cd|ucr|nibrs|type|offen[cs]e|crime|crm|charge|class\\w*");
    private static final Pattern NOT_CODE_WORDS =
            vocabulary("beat|district|ward|area|zip|priority|status|year|month|day|hour|flag|indicator|ind"
                    + "|disposition|arrest|domestic|unit|zone|sector|precinct|community|neighbou?rhood|division|location|block"
                    + "|street|address|ext|extension|id|number|no|nbr|num|case|report|x|y|lat|lon|latitude|longitude");
    private static final Pattern EXTENSION_WORDS = vocabulary("ext|extension|suffix|subcode|sub");
    private static final Pattern DESCRIPTION_WORDS = vocabulary("desc\\w*|text|type|offen[cs]e|crime|nature|name|title"
            + "|literal|category|charge|statute|summary|primary");
    private static final Pattern DETAIL_WORDS = vocabulary("desc\\w*|text|literal|summary");
    private static final Pattern ADDRESS_WORDS = vocabulary("address|addr|street|block|location|intersection");
    private static final Pattern NOT_ADDRESS_WORDS =
            vocabulary("desc\\w*|type|code|x|y|lat|lon|latitude|longitude|id|zip|city"
                    + "|state|district|beat|area|point|geo|coord\\w*");
    private static final Pattern BEAT_WORDS = vocabulary("beat");
    private static final Pattern SMALL_AREA_WORDS =
            vocabulary("precinct|sector|post|zone|grid|reporting area|rpt area|rd");
    private static final Pattern DISTRICT_WORDS = vocabulary("district|division");
    private static final Pattern CALL_WORDS =
            vocabulary("call|calls|cad|cfs|nature|priority|dispatch\\w*|responding|911|callsforservice");

    /** "38 - Meet Complainant": the code before the dash, the text after. */
    private static final String CODE_PART = "^([^\\s-]+)\\s*-\\s";

    private static final String TEXT_PART = "^[^\\s-]+\\s*-\\s+(.*)$";
    private static final Pattern STREET = Pattern.compile("^\\d+[A-Za-z0-9]*\\s+\\S.*[A-Za-z].*");

    private final String fileName;
    private final Path copy;
    private final boolean cut;
    private final Site site;

    // How the file is laid out
    private Charset charset = StandardCharsets.UTF_8;
    private boolean byteOrderMark;
    private char delimiter = ',';
    private boolean header = true;
    private int skipLines;

    // What the first reading found
    private final List<ColumnStats> columns = new ArrayList<>();
    private long rows;
    private boolean moreRows;
    private long ragged;
    private long firstRagged;
    private long unreadable;
    private String stoppedAt;

    // What the draft chose
    private String kind = "incident";
    private final Map<ColumnStats, String> uses = new HashMap<>();
    /** Columns of digits read as times of day ("0930"). */
    private final Set<ColumnStats> clocks = new HashSet<>();

    private final Map<ColumnStats, List<String>> columnNotes = new HashMap<>();
    private final List<Note> notes = new ArrayList<>();
    private final Map<String, DateSource> dates = new LinkedHashMap<>();
    private final List<Place> places = new ArrayList<>();
    private ColumnStats uniqueId;
    private final List<Repeats> repeating = new ArrayList<>();
    private ColumnStats id;
    private boolean merge;
    private Source code;
    private Source codeText;
    private Source address;
    private ColumnStats beat;
    private ColumnStats district;

    // What the second reading found
    private final Map<String, CodeCount> codes = new LinkedHashMap<>();
    private long blankCodes;
    private final List<DateCheck> dateChecks = new ArrayList<>();

    /** A note for the analyst: rank 0 must be fixed, 1 decided, 2 checked; 3 says how the file was read. */
    private record Note(int rank, String text) {}

    /** Where a text field comes from: one column, several joined, or the part of one a regular expression finds. */
    private record Source(List<ColumnStats> columns, String join, String extract) {
        static Source of(ColumnStats column) {
            return new Source(List.of(column), null, null);
        }
    }

    /** Where a date field comes from, and its patterns. */
    private record DateSource(List<ColumnStats> columns, List<String> formats) {}

    private ProfileAssistant(String fileName, Path copy, boolean cut, Site site) {
        this.fileName = fileName;
        this.copy = copy;
        this.cut = cut;
        this.site = site;
    }

    /**
     * Drafts a profile from the start of a sample export.
     *
     * @param fileName the sample's name, for messages and to name the code table
     * @param sample the sample's bytes; read up to {@link #MAX_BYTES}
     * @param site the site whose time zone, bounds and coordinate systems guide the draft
     * @throws InvalidInputException when the sample is empty, a spreadsheet, archive or other binary file, or has no
     *     rows, naming the file
     */
    static ProfileDraft draft(String fileName, InputStream sample, Site site) throws IOException {
        Path copy = Files.createTempFile("dmi-sample-", ".csv");
        try {
            boolean cut = copy(sample, copy);
            return new ProfileAssistant(fileName, copy, cut, site).draft();
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Copies the first MAX_BYTES of the sample; true when there was more (the copy then ends at a line end). */
    private static boolean copy(InputStream in, Path to) throws IOException {
        long total = 0;
        try (OutputStream out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[64 * 1024];
            while (total < MAX_BYTES) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, MAX_BYTES - total));
                if (n < 0) {
                    return false;
                }
                out.write(buffer, 0, n);
                total += n;
            }
        }
        if (in.read() < 0) {
            return false;
        }
        try (FileChannel file = FileChannel.open(to, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer tail = ByteBuffer.allocate(CsvText.SNIFF);
            long start = Math.max(0, total - CsvText.SNIFF);
            file.read(tail, start);
            for (int i = tail.position() - 1; i >= 0; i--) {
                if (tail.get(i) == '\n') {
                    file.truncate(start + i + 1);
                    break;
                }
            }
        }
        return true;
    }

    private ProfileDraft draft() throws IOException {
        readLayout();
        eachRow(this::countColumns);
        if (rows == 0) {
            throw new InvalidInputException(new InputError(
                    fileName,
                    0,
                    "",
                    header ? "has a header but no rows: a draft needs rows to learn from" : "has no rows"));
        }
        chooseDates();
        chooseLocations();
        chooseIdCandidates();
        chooseCode();
        chooseAddress();
        chooseAreas();
        chooseKind();
        checkTogether();
        decideId();
        decidePlaces();
        explainFindings();
        explainLayout();
        String codeTableName = code == null ? "" : baseName() + "-codes.csv";
        return new ProfileDraft(
                profile(codeTableName),
                code == null ? "" : codeTable(),
                codeTableName,
                new ProfileDraft.Layout(charset.name(), byteOrderMark, delimiterName(), header, skipLines, rows),
                columnsFound(),
                notes.stream()
                        .sorted(Comparator.comparingInt(Note::rank))
                        .map(Note::text)
                        .toList());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The layout: encoding, delimiter, title lines, header

    private void readLayout() throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(copy)) {
            head = in.readNBytes(CsvText.SNIFF);
        }
        int skip = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            charset = StandardCharsets.UTF_8;
            skip = 3;
        } else if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        }
        byteOrderMark = skip > 0;
        String notUtf8 = byteOrderMark ? null : firstNonUtf8();
        if (notUtf8 != null) {
            charset = WINDOWS_1252;
        }
        // refuses an empty, binary or wrongly encoded file, naming it
        try (InputStream in = Files.newInputStream(copy)) {
            CsvText.open(in, charset, fileName).close();
        }
        if (byteOrderMark) {
            layout(charset.name() + " text with a byte-order mark"
                    + (charset.equals(StandardCharsets.UTF_8)
                            ? " (Excel's \"CSV UTF-8\"); the import reads it and leaves the mark out of the first column's name"
                            : "; the import reads the mark and the encoding"));
        } else if (notUtf8 != null) {
            layout("Not UTF-8: " + notUtf8 + ". Read as windows-1252, what Excel writes on Windows (\"encoding\": "
                    + "\"windows-1252\"); check that accented letters look right in the examples");
        } else {
            layout("UTF-8 text");
        }
        String text = new String(head, skip, head.length - skip, charset);
        if (head.length == CsvText.SNIFF && text.lastIndexOf('\n') > 0) {
            text = text.substring(0, text.lastIndexOf('\n') + 1);
        }
        sniffDelimiter(text);
        readHeader(text);
    }

    /** Where the copy stops being UTF-8 ("byte 0xE9 on line 3"), or null when it is UTF-8 throughout. */
    private String firstNonUtf8() throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (FileChannel file = FileChannel.open(copy)) {
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            CharBuffer out = CharBuffer.allocate(64 * 1024);
            long lines = 1;
            while (true) {
                boolean end = file.read(in) < 0;
                in.flip();
                int from = in.position();
                var result = decoder.decode(in, out, end);
                for (int i = from; i < in.position(); i++) {
                    if (in.get(i) == '\n') {
                        lines++;
                    }
                }
                if (result.isError()) {
                    return String.format(Locale.ROOT, "byte 0x%02X on line %d", in.get(in.position()) & 0xFF, lines);
                }
                in.compact();
                out.clear();
                if (end) {
                    return null;
                }
            }
        }
    }

    /** A line of the start of the file: where it starts, its text, and how often it has each candidate delimiter. */
    private record Line(int number, String text, int[] delimiters) {}

    /** The first lines that are not blank (a line break inside quotes continues the line). */
    private static List<Line> firstLines(String text) {
        List<Line> lines = new ArrayList<>();
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        int number = 1;
        int start = 1;
        int from = 0;
        for (int i = 0; i <= text.length() && lines.size() < SNIFF_LINES; i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n') {
                number++;
                if (!quoted || i == text.length()) {
                    String line =
                            text.substring(from, Math.min(i, text.length())).strip();
                    if (!line.isEmpty()) {
                        lines.add(new Line(start, line, counts));
                    }
                    counts = new int[DELIMITERS.length];
                    start = number;
                    from = i + 1;
                }
            } else if (!quoted) {
                for (int d = 0; d < DELIMITERS.length; d++) {
                    if (c == DELIMITERS[d]) {
                        counts[d]++;
                    }
                }
            }
        }
        return lines;
    }

    /**
     * Finds the delimiter: of commas, tabs, semicolons and pipes counted outside quotes, the one the most of the first
     * lines have equally often. Lines before the first that has it that often, with at most half as many, are titles.
     */
    private void sniffDelimiter(String text) {
        List<Line> lines = firstLines(text);
        int best = -1;
        int bestCount = 0;
        int bestLines = 0;
        for (int d = 0; d < DELIMITERS.length; d++) {
            Map<Integer, Integer> linesWith = new HashMap<>();
            for (Line line : lines) {
                if (line.delimiters[d] > 0) {
                    linesWith.merge(line.delimiters[d], 1, Integer::sum);
                }
            }
            for (Map.Entry<Integer, Integer> e : linesWith.entrySet()) {
                if (e.getValue() > bestLines || (e.getValue() == bestLines && d == best && e.getKey() > bestCount)) {
                    best = d;
                    bestCount = e.getKey();
                    bestLines = e.getValue();
                }
            }
        }
        if (best < 0) {
            layout("No delimiter found in the first lines: the file seems to have a single column");
            return;
        }
        delimiter = DELIMITERS[best];
        layout(String.format(
                Locale.US,
                "Fields are separated by %s: %d of the first %d lines have %d of them",
                DELIMITER_NAMES[best],
                bestLines,
                lines.size(),
                bestCount));
        int first = 0;
        while (first < lines.size() && first < 5 && lines.get(first).delimiters[best] <= bestCount / 2) {
            first++;
        }
        if (first > 0 && first < lines.size() && lines.get(first).delimiters[best] == bestCount) {
            skipLines = lines.get(first).number - 1;
            layout(String.format(
                    Locale.US,
                    "The first %s (%s) %s not part of the table: \"skipLines\": %d",
                    skipLines == 1 ? "line" : skipLines + " lines",
                    lines.subList(0, first).stream()
                            .map(l -> "'" + cutText(l.text, 60) + "'")
                            .collect(Collectors.joining(", ")),
                    first == 1 ? "is a title," : "are titles,",
                    skipLines));
        }
    }

    /** Reads the first row: with a number or a date in it, it holds values, not column names. */
    private void readHeader(String text) throws IOException {
        List<String> first = null;
        try (CsvReader<CsvRecord> csv = reader(new java.io.StringReader(text))) {
            for (CsvRecord record : csv) {
                if (record.getStartingLineNumber() > skipLines) {
                    first = record.getFields();
                    break;
                }
            }
        } catch (CsvParseException e) {
            // an unclosed quote in the first row: the first reading reports it
        }
        if (first == null) {
            throw new InvalidInputException(new InputError(fileName, 0, "", "has no rows"));
        }
        String value = first.stream()
                .map(String::strip)
                .filter(ColumnStats::looksLikeData)
                .findFirst()
                .orElse(null);
        header = value == null;
        if (header) {
            for (int i = 0; i < first.size(); i++) {
                columns.add(new ColumnStats(i + 1, first.get(i).strip()));
            }
            layout("The first row names the columns (" + first.size() + " columns)");
        } else {
            layout("The first row already holds values ('" + cutText(value, 40) + "' in column "
                    + (first.stream().map(String::strip).toList().indexOf(value) + 1)
                    + "), so the file has no header row: the profile names columns by position (1, 2, ...)");
        }
    }

    private CsvReader<CsvRecord> reader(Reader text) {
        return CsvReader.builder()
                .fieldSeparator(delimiter)
                .quoteCharacter('"')
                .skipEmptyLines(true)
                .allowMissingFields(true)
                .allowExtraFields(true)
                .ofCsvRecord(text);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading the rows

    private interface RowVisitor {
        void row(CsvRecord record);
    }

    /** Reads the sample's rows as the layout says, at most MAX_ROWS; returns how many were read. */
    private long eachRow(RowVisitor visitor) throws IOException {
        long count = 0;
        try (InputStream in = Files.newInputStream(copy);
                Reader text = CsvText.open(in, charset, fileName);
                CsvReader<CsvRecord> csv = reader(text)) {
            Iterator<CsvRecord> records = csv.iterator();
            boolean headerRead = !header;
            long line = 0;
            try {
                while (records.hasNext()) {
                    CsvRecord record = records.next();
                    line = record.getStartingLineNumber();
                    if (line <= skipLines) {
                        continue;
                    }
                    if (!headerRead) {
                        headerRead = true;
                        continue;
                    }
                    if (cut && !records.hasNext()) {
                        break; // the copy may end inside this row
                    }
                    if (count == MAX_ROWS) {
                        moreRows = true;
                        break;
                    }
                    count++;
                    visitor.row(record);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (CsvParseException e) {
                stoppedAt = "The sample cannot be read as CSV after line " + line + " (" + e.getMessage()
                        + "; an unclosed quote runs to the end of the file): the draft is made from the rows before";
            }
        }
        return count;
    }

    /** The first reading: each column alone. */
    private void countColumns(CsvRecord record) {
        int n = record.getFieldCount();
        if (header && n != columns.size()) {
            if (ragged++ == 0) {
                firstRagged = record.getStartingLineNumber();
            }
        }
        while (!header && columns.size() < n) {
            ColumnStats added = new ColumnStats(columns.size() + 1, "column " + (columns.size() + 1));
            for (long r = 0; r < rows; r++) {
                added.add("");
            }
            columns.add(added);
        }
        for (int i = 0; i < columns.size(); i++) {
            String value = i < n ? record.getField(i) : "";
            if (value.indexOf(CsvText.UNREADABLE) >= 0 && unreadable++ == 0) {
                note(
                        2,
                        "Line " + record.getStartingLineNumber() + " holds bytes that are not " + charset.name()
                                + " text: check the file's encoding");
            }
            columns.get(i).add(value);
        }
        rows++;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Dates and times

    /** Date columns, time columns joined to their date, and which is when it happened, ended or was reported. */
    private void chooseDates() {
        List<ColumnStats> dateColumns =
                columns.stream().filter(c -> c.type().startsWith("date")).toList();
        Map<ColumnStats, ColumnStats> timeOf = new LinkedHashMap<>();
        for (ColumnStats clock : columns) {
            // digits are a time when the name says so, or (every one of them) right after a date; an hour alone
            // (incident_hour) only by its name
            boolean hour = clock.hourOnly();
            boolean isClock = clock.type().equals("time")
                    || (clock.digitClocks() >= 0.7 && named(clock, hour ? HOUR_WORDS : TIME_WORDS))
                    || (!hour && clock.digitClocks() >= 0.95 && previousIsDate(clock));
            if (!isClock) {
                continue;
            }
            ColumnStats date = partner(clock, dateColumns, timeOf);
            if (date == null) {
                note(clock, "a time of day, but no date-only column to join it to: not used");
                continue;
            }
            timeOf.put(date, clock);
            clocks.add(clock);
        }
        List<DateSource> sources = new ArrayList<>();
        for (ColumnStats date : dateColumns) {
            ColumnStats clock = timeOf.get(date);
            List<String> datePatterns =
                    date.dateFormats().stream().map(ColumnStats.Format::pattern).toList();
            if (clock == null) {
                sources.add(new DateSource(List.of(date), datePatterns));
                continue;
            }
            if (date.midnightOnly()) {
                // the date column's time is a placeholder: read it as fixed text, so the hour is named once
                String text = date.midnightText;
                String literal = text.startsWith(" ") ? " '" + text.substring(1) + "'" : "'" + text + "'";
                datePatterns = datePatterns.stream()
                        .map(p -> ColumnStats.datePart(p) + literal)
                        .distinct()
                        .toList();
                note(
                        date,
                        "every time in it is midnight ('" + text.strip() + "'), a placeholder: the time comes from "
                                + label(clock) + "; the patterns read '" + text.strip()
                                + "' as fixed text so the hour is named once");
            }
            // an hour alone is a pattern only for an hour column: elsewhere "5" is not five o'clock
            List<String> times = clock.clockFormats().stream()
                    .map(ColumnStats.Format::pattern)
                    .filter(t -> clock.hourOnly() || !ColumnStats.isHour(t))
                    .toList();
            // a dispatch clock written without leading zeros ("930", "1230") writes five past midnight as "5"
            boolean minutesAlone =
                    times.stream().anyMatch(t -> t.equals("Hmm") || t.equals("HHmm")) && !times.contains("m");
            if (minutesAlone) {
                times = new ArrayList<>(times);
                times.add("m");
                note(
                        clock,
                        "written without leading zeros: a value of one or two digits is read as minutes past"
                                + " midnight (5 is 00:05)");
            }
            List<String> formats = new ArrayList<>();
            for (String d : datePatterns) {
                for (String t : times) {
                    formats.add(d + " " + t);
                }
            }
            formats.addAll(datePatterns);
            sources.add(new DateSource(List.of(date, clock), formats));
            note(
                    clock,
                    (clock.hourOnly()
                                    ? "the hour of " + label(date) + " (its minutes are not given)"
                                    : "the time of " + label(date))
                            + ": the two are joined (" + label(date) + " then " + label(clock)
                            + "); a row without a time is read as the start of its day");
        }
        // which date is which, by its name
        List<DateSource> left = new ArrayList<>();
        List<DateSource> notOccurred = new ArrayList<>();
        DateSource to = null;
        DateSource reported = null;
        for (DateSource s : sources) {
            ColumnStats c = s.columns.get(0);
            if (named(c, NOT_OCCURRED_WORDS)) {
                notOccurred.add(s);
            } else if (named(c, TO_WORDS) && to == null) {
                to = s;
            } else if (named(c, REPORTED_WORDS) && reported == null) {
                reported = s;
            } else {
                left.add(s);
            }
        }
        DateSource from = left.stream()
                .filter(s -> named(s.columns.get(0), FROM_WORDS))
                .findFirst()
                .orElse(left.isEmpty() ? null : left.get(0));
        if (from == null && reported != null) {
            from = reported;
            reported = null;
            note(
                    1,
                    "No date says when the offence happened: the draft uses " + label(from.columns.get(0))
                            + ", when it was reported, as the date it happened (occurredFrom)");
        }
        if (from == null && !sources.isEmpty()) {
            from = sources.get(0);
            note(
                    0,
                    "Every date column looks like when the record was updated or closed; the draft uses "
                            + label(from.columns.get(0))
                            + " as when it happened: replace it if the export has a better one");
        }
        if (from != null) {
            dates.put("occurredFrom", from);
            if (to != null) {
                dates.put("occurredTo", to);
            }
            if (reported != null) {
                dates.put("reportedAt", reported);
            }
        } else {
            note(
                    0,
                    "No column holds dates the draft can read: occurredFrom points at " + label(columns.get(0))
                            + " as a placeholder and every row would be quarantined; give the date column and its pattern");
        }
        for (DateSource s : notOccurred) {
            if (s != from) {
                note(
                        s.columns.get(0),
                        "not used: by its name, when the record was updated, entered or closed, not when it happened");
            }
        }
        for (DateSource s : left) {
            if (s != from) {
                note(
                        s.columns.get(0),
                        "not used: a date the draft could not place (when it happened, ended or was "
                                + "reported?); add it to the profile if it is one of those");
            }
        }
        for (Map.Entry<String, DateSource> e : dates.entrySet()) {
            for (ColumnStats c : e.getValue().columns) {
                uses.put(c, e.getKey());
            }
        }
    }

    private boolean previousIsDate(ColumnStats column) {
        if (column.position < 2) {
            return false;
        }
        ColumnStats before = columns.get(column.position - 2);
        return before.type().equals("date") || (before.type().equals("date-time") && before.midnightOnly());
    }

    /** The date a time column belongs to: the one named alike (OCC_DATE, OCC_TIME), else the nearest before it. */
    private ColumnStats partner(ColumnStats clock, List<ColumnStats> dateColumns, Map<ColumnStats, ColumnStats> taken) {
        List<ColumnStats> free = dateColumns.stream()
                .filter(d -> !taken.containsKey(d))
                .filter(d -> d.type().equals("date") || d.midnightOnly())
                .toList();
        String stem = stem(clock, DATE_TIME_WORDS);
        if (header && !stem.isBlank()) {
            for (ColumnStats d : free) {
                if (stem(d, DATE_TIME_WORDS).equals(stem)) {
                    return d;
                }
            }
        }
        ColumnStats nearest = null;
        for (ColumnStats d : free) {
            if (d.position < clock.position) {
                nearest = d;
            }
        }
        return nearest;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Locations

    /** A pair of coordinate columns, or one point column, and the ways of reading it tried in the second reading. */
    private static final class Place {
        final ColumnStats x;
        final ColumnStats y;
        final ColumnStats point;
        final boolean named;
        final List<Reading> readings = new ArrayList<>();
        long withValues;
        long zeros;
        long notNumbers;
        Reading chosen;

        Place(ColumnStats x, ColumnStats y, ColumnStats point, boolean named) {
            this.x = x;
            this.y = y;
            this.point = point;
            this.named = named;
        }

        String label() {
            return point != null ? "'" + point.name + "'" : "'" + x.name + "' / '" + y.name + "'";
        }

        boolean degrees() {
            return point != null || (x.maxAbs() <= 180 && y.maxAbs() <= 180);
        }
    }

    /** A coordinate system and an order (swapped: the first column is y, or a point is "lat lon"). */
    private static final class Reading {
        final String crs;
        final boolean swapped;
        final Crs.Transform transform;
        long inside;

        Reading(String crs, boolean swapped) {
            this.crs = crs;
            this.swapped = swapped;
            this.transform = Crs.of(crs).transform();
        }
    }

    private void chooseLocations() {
        List<ColumnStats> numbers = columns.stream()
                .filter(c -> c.isNumber() && !uses.containsKey(c))
                .toList();
        ColumnStats lon = first(numbers, LONGITUDE_WORDS);
        ColumnStats lat = first(numbers, LATITUDE_WORDS);
        if (lon != null && lat != null) {
            places.add(new Place(lon, lat, null, true));
        }
        for (ColumnStats x : numbers) {
            if (!named(x, X_WORDS) || x == lon || x == lat) {
                continue;
            }
            for (ColumnStats y : numbers) {
                if (named(y, Y_WORDS)
                        && y != lon
                        && y != lat
                        && stem(x, X_WORDS).equals(stem(y, Y_WORDS))) {
                    places.add(new Place(x, y, null, true));
                    break;
                }
            }
        }
        if (!header && places.isEmpty()) {
            // side by side decimal columns with the ranges of coordinates
            for (int i = 0; i + 1 < numbers.size(); i++) {
                ColumnStats a = numbers.get(i);
                ColumnStats b = numbers.get(i + 1);
                if (b.position == a.position + 1
                        && coordinateLike(a)
                        && coordinateLike(b)
                        && a.maxAbs() <= 180 == b.maxAbs() <= 180) {
                    places.add(new Place(a, b, null, false));
                    i++;
                }
            }
        }
        for (ColumnStats c : columns) {
            if (!uses.containsKey(c) && c.points >= 0.9 * c.filled && c.filled > 0) {
                places.add(new Place(null, null, c, true));
            }
        }
        List<String> projected = site.sourceCrs().stream()
                .filter(code -> {
                    try {
                        return !Crs.of(code).isWgs84();
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                })
                .toList();
        for (Place p : places) {
            if (p.degrees()) {
                p.readings.add(new Reading(Crs.WGS84, p.point != null && p.point.wktPoints == 0));
                p.readings.add(new Reading(Crs.WGS84, !(p.point != null && p.point.wktPoints == 0)));
            } else {
                for (String crs : projected) {
                    p.readings.add(new Reading(crs, false));
                    if (!p.named) {
                        p.readings.add(new Reading(crs, true));
                    }
                }
            }
        }
    }

    /**
     * Without the site's bounds, which of two unnamed columns of degrees is the longitude: the one beyond ±90 if
     * either is; else, at a site in the Americas (west of Greenwich, north of the equator), the negative one. True
     * when that is the second column (the reading with x and y swapped).
     */
    private boolean withoutBounds(Place p) {
        if (!p.degrees() || p.point != null || p.named) {
            return false;
        }
        if (p.y.maxAbs() > 90 && p.x.maxAbs() <= 90) {
            return true;
        }
        if (p.x.maxAbs() > 90) {
            return false;
        }
        String zone = site.timeZone().getId();
        boolean americas = zone.startsWith("America/")
                || zone.startsWith("US/")
                || zone.startsWith("Canada/")
                || zone.equals("Pacific/Honolulu");
        return americas && p.y.max < 0 && p.x.min > 0;
    }

    /** Degrees with decimals, or the six- and seven-digit eastings and northings of state planes. */
    private static boolean coordinateLike(ColumnStats c) {
        double m = c.maxAbs();
        return (c.type().equals("decimal") && m > 1 && m <= 180) || (m >= 100_000 && m < 100_000_000);
    }

    /** Chooses each place's reading, by how many of its points fall inside the site's bounds, and explains it. */
    private void decidePlaces() {
        Optional<Site.Bounds> bounds = site.bounds();
        boolean degreesChosen = false;
        for (Place p : places) {
            String what = p.degrees()
                    ? "longitude and latitude in degrees"
                    : "projected coordinates (state-plane feet " + "or metres)";
            if (p.withValues == 0) {
                note(p.point != null ? p.point : p.x, "no usable coordinates in the sample: not used");
                continue;
            }
            if (p.point != null && degreesChosen) {
                note(p.point, "the same places as the longitude/latitude columns: not needed");
                continue;
            }
            Reading best = null;
            for (Reading r : p.readings) {
                if (best == null || r.inside > best.inside) {
                    best = r;
                }
            }
            if (best == null) {
                note(
                        1,
                        p.label() + " look like " + what + ", but the site names no projected coordinate system "
                                + "(sourceCrs " + site.sourceCrs()
                                + "): the draft leaves them out; ask the department which "
                                + "state plane they use and add {\"x\": ..., \"y\": ..., \"crs\": \"EPSG:....\"}");
                continue;
            }
            if (bounds.isEmpty()) {
                p.chosen = p.readings.get(Math.min(p.readings.size() - 1, withoutBounds(p) ? 1 : 0));
                note(
                        2,
                        p.label() + " look like " + what + "; read as " + p.chosen.crs
                                + (p.degrees() && p.point == null && !p.named
                                        ? " with " + label(p.chosen.swapped ? p.y : p.x) + " as the longitude"
                                        : "")
                                + ", which the draft cannot check: the site has no bounds (give it bounds and draft"
                                + " again)");
            } else if (best.inside < 0.5 * p.withValues && !p.named) {
                continue; // two numbers side by side that are not a place after all
            } else if (best.inside < 0.5 * p.withValues) {
                note(
                        1,
                        String.format(
                                Locale.US,
                                "%s look like %s, but no coordinate system the site names (%s) puts even half of them inside "
                                        + "the site's bounds (best: %s, %d%%): the draft leaves them out; ask the department "
                                        + "which coordinate system they are in",
                                p.label(),
                                what,
                                String.join(", ", p.degrees() ? List.of(Crs.WGS84) : site.sourceCrs()),
                                best.crs,
                                percent(best.inside, p.withValues)));
                continue;
            } else {
                p.chosen = best;
                note(
                        2,
                        String.format(
                                Locale.US,
                                "%s look like %s; %s puts %d%% of the %s rows with values inside the site's bounds",
                                p.label(),
                                what,
                                p.chosen.crs,
                                percent(best.inside, p.withValues),
                                count(p.withValues)));
            }
            degreesChosen |= p.degrees();
            if (p.point != null) {
                uses.put(p.point, "point");
                note(
                        p.point,
                        "a point of two numbers, " + (p.chosen.swapped ? "latitude first" : "longitude first") + ", "
                                + p.chosen.crs);
            } else {
                ColumnStats x = p.chosen.swapped ? p.y : p.x;
                ColumnStats y = p.chosen.swapped ? p.x : p.y;
                uses.put(x, "x");
                uses.put(y, "y");
                note(x, (p.degrees() ? "longitude" : "easting (x)") + " in " + p.chosen.crs);
                note(y, (p.degrees() ? "latitude" : "northing (y)") + " in " + p.chosen.crs);
                if (p.chosen.swapped && p.named) {
                    note(1, p.label() + " hold each other's values: the draft reads " + label(x) + " as x");
                }
            }
            if (p.zeros > 0) {
                note(
                        1,
                        String.format(
                                Locale.US,
                                "%s 0,0 in %s: a placeholder for \"no location\", not a place; the draft keeps such"
                                        + " rows without a location (\"noLocation\": [[0, 0]])",
                                rowsHave(p.zeros),
                                p.label()));
            }
            long without = rows - p.withValues - p.zeros - p.notNumbers;
            if (without > 0) {
                note(p.point != null ? p.point : p.x, rowsHave(without) + " no coordinates here");
            }
            if (p.notNumbers > 0) {
                note(
                        2,
                        rowsHave(p.notNumbers) + " coordinates in " + p.label() + " that are not numbers: "
                                + "they would be quarantined");
            }
        }
        if (places.stream().noneMatch(p -> p.chosen != null)) {
            note(
                    2,
                    "No location columns were found: records are kept without a place (they count in tables, not on "
                            + "maps)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The id

    /** Follows, in the second reading, rows sharing a value of a column that may be the record's id. */
    private static final class Repeats {
        final ColumnStats column;
        final Map<String, int[]> first = new HashMap<>();
        final boolean[] differs;
        long repeated;
        long identical;
        /** Rows where the unique column's value starts with this column's: a child id (OFFENSE_ID of INCIDENT_ID). */
        long prefixOfUnique;

        Repeats(ColumnStats column, int width) {
            this.column = column;
            this.differs = new boolean[width];
        }
    }

    private void chooseIdCandidates() {
        List<ColumnStats> candidates = columns.stream()
                .filter(c -> !uses.containsKey(c) && places.stream().noneMatch(p -> p.x == c || p.y == c))
                .filter(c -> c.filled == rows
                        && (c.type().equals("integer") || c.type().equals("text")))
                .filter(c -> c.spaced() < 0.5 && c.meanLength() <= 40)
                .toList();
        uniqueId = candidates.stream()
                .filter(ColumnStats::unique)
                .max(Comparator.comparingInt(this::idScore).thenComparingInt(c -> -c.position))
                .orElse(null);
        candidates.stream()
                .filter(c -> !c.unique() && c.distinct() > 1)
                .filter(c -> header
                        ? idScore(c) >= 2
                        : c.distinct() >= 0.3 * rows && c.meanLength() >= 5 && !clocks.contains(c))
                .sorted(Comparator.comparingInt(this::idScore)
                        .thenComparingLong(ColumnStats::distinct)
                        .reversed())
                .limit(2)
                .forEach(c -> repeating.add(new Repeats(c, columns.size())));
    }

    /** How much a column's name says "id": 3 for ID or an incident/case/event number, -1 for a row number. */
    private int idScore(ColumnStats c) {
        if (!header) {
            return 0;
        }
        if (named(c, SURROGATE_WORDS)) {
            return -1;
        }
        boolean idWord = named(c, ID_WORDS);
        boolean recordWord = named(c, RECORD_WORDS);
        if (words(c.name).equals(" id ") || (idWord && recordWord)) {
            return 3;
        }
        return recordWord ? 2 : idWord ? 1 : 0;
    }

    private void decideId() {
        // one record over several rows: rows sharing the id differ, but not in when it happened
        List<Integer> occurred = dates.containsKey("occurredFrom")
                ? dates.get("occurredFrom").columns.stream()
                        .map(c -> c.position - 1)
                        .toList()
                : List.of();
        Repeats parent = null;
        for (Repeats r : repeating) {
            if (r.repeated == r.identical) {
                continue;
            }
            if (occurred.stream().anyMatch(i -> r.differs[i])) {
                note(
                        2,
                        label(r.column) + " repeats, but rows sharing a value have different dates: they look like"
                                + " different records sharing a number (of different agencies or years?), not one record"
                                + " over several rows");
            } else if (parent == null) {
                parent = r;
            }
        }
        if (uniqueId != null
                && parent != null
                && (named(uniqueId, SUB_ROW_WORDS)
                        || idScore(uniqueId) < idScore(parent.column)
                        || parent.prefixOfUnique >= 0.9 * rows)) {
            id = parent.column;
            merge = true;
            note(
                    1,
                    label(uniqueId) + " is unique, but it numbers the rows within a record: " + repeatsText(parent)
                            + " The draft uses " + label(id) + " as the id with \"repeats\": \"merge\" (one record per "
                            + label(id) + ", the row with the most serious category kept); use " + label(uniqueId)
                            + " instead to keep every row as its own record");
            note(uniqueId, "unique, but numbers the rows of one " + label(id) + ": not used as the id");
        } else if (uniqueId != null) {
            id = uniqueId;
            List<String> others = columns.stream()
                    .filter(c -> c != uniqueId && c.unique() && c.filled == rows && idScore(c) >= 2)
                    .map(this::label)
                    .toList();
            note(
                    id,
                    "filled in every row and no value repeats: the record's id (sourceId)"
                            + (others.isEmpty()
                                    ? ""
                                    : "; " + String.join(", ", others) + " " + (others.size() == 1 ? "is" : "are")
                                            + " unique too"));
            if (idScore(id) < 1) {
                note(
                        2,
                        label(id) + " is the only column filled in every row with no value repeating, so the draft"
                                + " uses it as the id: check that it is the incident or event number, not a row number");
            }
        } else if (parent != null) {
            id = parent.column;
            merge = true;
            note(
                    1,
                    "No column is unique. " + repeatsText(parent) + " The draft uses " + label(id) + " as the id with"
                            + " \"repeats\": \"merge\": one record per " + label(id)
                            + ", keeping the row with the most "
                            + "serious category");
        } else {
            Repeats exact =
                    repeating.stream().filter(r -> r.repeated > 0).findFirst().orElse(null);
            if (exact != null) {
                id = exact.column;
                merge = true;
                note(
                        1,
                        "No column is unique: " + count(exact.repeated) + " rows repeat an earlier row exactly ("
                                + label(id) + " and every other column). The draft uses " + label(id)
                                + " as the id with"
                                + " \"repeats\": \"merge\" so each is counted once");
            } else {
                id = columns.stream()
                        .filter(c -> !uses.containsKey(c) && !c.type().startsWith("date"))
                        .max(Comparator.comparingLong((ColumnStats c) -> Math.min(c.filled, c.distinct()))
                                .thenComparingInt(c -> -c.position))
                        .orElse(columns.get(0));
                note(
                        0,
                        "No column identifies a record: none is filled in every row with no value repeating. The"
                                + " draft uses " + label(id) + " (" + count(id.distinct()) + (id.capped() ? "+" : "")
                                + " distinct values in " + count(rows)
                                + " rows) as the id, so rows repeating it or without it"
                                + " would be quarantined: ask the department for the incident or event number");
            }
        }
        uses.put(id, "sourceId");
        if (merge) {
            note(id, "the record's id (sourceId); rows sharing it are one record (\"repeats\": \"merge\")");
        }
    }

    /** "INCIDENT_ID repeats on 45 of 252 rows; rows sharing one differ in OFFENSE_ID, OFFENSE_CODE (one per offence)." */
    private String repeatsText(Repeats r) {
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < r.differs.length; i++) {
            if (r.differs[i] && columns.get(i) != r.column) {
                differing.add(label(columns.get(i)));
            }
        }
        String per = "";
        String all = differing.stream().collect(Collectors.joining(" ")).toLowerCase(Locale.ROOT);
        if (all.matches(".*(offen[cs]e|charge|crime|ucr|nibrs).*")) {
            per = ": one row per offence or charge";
        } else if (all.contains("unit")) {
            per = ": one row per responding unit";
        } else if (all.matches(".*(victim|suspect|person|arrest).*")) {
            per = ": one row per person";
        }
        List<String> shown = differing.size() > 6 ? differing.subList(0, 6) : differing;
        return String.format(
                Locale.US,
                "%s repeats: %s of the %s rows %s, and the rows sharing one differ in %s%s%s.",
                label(r.column),
                count(r.repeated),
                count(rows),
                r.repeated == 1 ? "has the value of an earlier row" : "have the value of an earlier row",
                String.join(", ", shown),
                differing.size() > shown.size() ? " and " + (differing.size() - shown.size()) + " more" : "",
                per);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The offence or call code

    private void chooseCode() {
        ColumnStats best = null;
        int bestScore = 0;
        for (ColumnStats c : columns) {
            if (uses.containsKey(c) || c == uniqueId || repeating.stream().anyMatch(r -> r.column == c)) {
                continue;
            }
            int score = codeScore(c);
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        if (best == null) {
            note(
                    0,
                    "No column looks like an offence or call code (short codes that repeat, such as an IUCR or call"
                            + " type): the draft gives every row the code 'none' (category other); name the code column and "
                            + "draft its code table");
            return;
        }
        if (best.codeAndText >= 0.8 * best.filled) {
            code = new Source(List.of(best), null, CODE_PART);
            codeText = new Source(List.of(best), null, TEXT_PART);
            uses.put(best, "code");
            note(
                    best,
                    "holds a code and its text ('" + best.examples().get(0) + "'): the code is the part before "
                            + "the dash, the text the part after it (a value without a dash is kept whole as the code)");
            return;
        }
        List<ColumnStats> parts = new ArrayList<>(List.of(best));
        ColumnStats next = at(best.position + 1);
        if (next != null
                && header
                && named(next, EXTENSION_WORDS)
                && !uses.containsKey(next)
                && next.meanLength() <= 4) {
            parts.add(next);
        }
        code = new Source(parts, parts.size() > 1 ? "-" : null, null);
        parts.forEach(c -> uses.put(c, "code"));
        note(
                best,
                "the offence or call code: short values that repeat (" + count(best.distinct())
                        + (best.capped() ? "+" : "") + " distinct)"
                        + (parts.size() > 1 ? ", joined with its extension " + label(parts.get(1)) + " by '-'" : "")
                        + "; each one is listed in the code table to categorise");
        if (parts.size() > 1) {
            note(parts.get(1), "the code's extension, joined to " + label(best));
        }
        List<ColumnStats> texts = descriptions(best, parts.get(parts.size() - 1));
        if (!texts.isEmpty()) {
            codeText = new Source(texts, texts.size() > 1 ? ": " : null, null);
            texts.forEach(c -> {
                uses.put(c, "codeText");
                note(c, "the code's description" + (texts.size() > 1 ? " (joined with ': ')" : ""));
            });
        }
    }

    /** How much a column looks like the offence or call code; 0 when it does not. */
    private int codeScore(ColumnStats c) {
        if (c.filled < 0.5 * rows || !(c.type().equals("text") || c.type().equals("integer"))) {
            return 0;
        }
        if (c.codeAndText >= 0.8 * c.filled) {
            return header && named(c, CODE_STRONG_WORDS) ? 60 : 40;
        }
        boolean named = header && (named(c, CODE_STRONG_WORDS) || named(c, CODE_WORDS));
        if (named(c, NOT_CODE_WORDS)) {
            return 0;
        }
        boolean codeLike = c.meanLength() <= 10
                && c.spaced() <= 0.1
                && (c.distinct() >= 2 || rows < 5)
                && (!c.unique() || rows < 3)
                && !c.capped()
                && (named || c.distinct() <= 0.5 * c.filled)
                && !booleanLike(c);
        if (!codeLike) {
            return 0;
        }
        int score = header && named(c, CODE_STRONG_WORDS) ? 50 : named ? 30 : 1;
        ColumnStats next = at(c.position + 1);
        if (next != null && isDescription(next, c)) {
            score += 10;
        }
        return score;
    }

    private static boolean booleanLike(ColumnStats c) {
        return c.distinct() <= 2 && c.examples().stream().allMatch(v -> v.matches("(?i)true|false|y|n|yes|no|t|f|0|1"));
    }

    /** The description columns right after a code (two joined, as Chicago's "Primary Type: Description"). */
    private List<ColumnStats> descriptions(ColumnStats code, ColumnStats last) {
        List<ColumnStats> out = new ArrayList<>();
        ColumnStats next = at(last.position + 1);
        if (next != null && isDescription(next, code)) {
            out.add(next);
            ColumnStats after = at(next.position + 1);
            if (after != null && header && named(after, DETAIL_WORDS) && isDescription(after, code)) {
                out.add(after);
            }
        } else {
            ColumnStats before = at(code.position - 1);
            if (before != null && isDescription(before, code)) {
                out.add(before);
            }
        }
        return out;
    }

    private boolean isDescription(ColumnStats c, ColumnStats code) {
        if (uses.containsKey(c) || !c.type().equals("text") || c.meanLength() <= code.meanLength()) {
            return false;
        }
        return header ? named(c, DESCRIPTION_WORDS) : c.distinct() <= 2 * code.distinct() + 2;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Address, beat, district, kind

    private void chooseAddress() {
        List<ColumnStats> free = columns.stream()
                .filter(c -> !uses.containsKey(c) && c != uniqueId && c.filled > 0)
                .filter(c -> c.points < 0.5 * c.filled)
                .toList();
        if (!header) {
            free.stream()
                    .filter(c -> c.type().equals("text") && c.meanLength() >= 8 && streetLike(c))
                    .findFirst()
                    .ifPresent(c -> address = Source.of(c));
        } else {
            List<ColumnStats> named = free.stream()
                    .filter(c -> named(c, ADDRESS_WORDS) && !named(c, NOT_ADDRESS_WORDS))
                    .toList();
            ColumnStats full = named.stream()
                    .filter(c -> named(c, vocabulary("address|addr")))
                    .findFirst()
                    .orElse(null);
            ColumnStats block = named.stream()
                    .filter(c -> named(c, vocabulary("block|blk")))
                    .findFirst()
                    .orElse(null);
            ColumnStats street = named.stream()
                    .filter(c -> c != block && c.type().equals("text") && named(c, vocabulary("street|location|st")))
                    .findFirst()
                    .orElse(null);
            if (full != null) {
                address = Source.of(full);
            } else if (block != null && street != null && block.isNumber()) {
                address = new Source(List.of(block, street), " ", null);
            } else if (block != null) {
                address = Source.of(block);
            } else if (!named.isEmpty()) {
                address = Source.of(named.get(0));
            }
        }
        if (address != null) {
            for (ColumnStats c : address.columns) {
                uses.put(c, "address");
                note(
                        c,
                        address.columns.size() > 1
                                ? "the address, joined: "
                                        + address.columns.stream()
                                                .map(this::label)
                                                .collect(Collectors.joining(" + "))
                                : "the address or block, as given");
            }
        }
    }

    private boolean streetLike(ColumnStats c) {
        long streets =
                c.examples().stream().filter(v -> STREET.matcher(v).matches()).count();
        return streets == c.examples().size() && c.codeAndText == 0;
    }

    private void chooseAreas() {
        if (!header) {
            note(
                    2,
                    "Without a header the draft cannot tell beats or districts apart from other numbers: add them by "
                            + "position if the export has them");
            return;
        }
        List<ColumnStats> free = columns.stream()
                .filter(c -> !uses.containsKey(c) && c.filled > 0)
                .toList();
        district = first(free, DISTRICT_WORDS);
        beat = first(free, BEAT_WORDS);
        if (district == null) {
            district = free.stream()
                    .filter(c -> named(c, vocabulary("precinct|area")))
                    .findFirst()
                    .orElse(null);
        }
        if (beat == null) {
            beat = free.stream()
                    .filter(c -> c != district && named(c, SMALL_AREA_WORDS))
                    .findFirst()
                    .orElse(null);
        }
        if (beat != null) {
            uses.put(beat, "beat");
            note(beat, "the beat, as given" + (zeroPadded(beat) ? " (zero-padding kept)" : ""));
        }
        if (district != null) {
            uses.put(district, "district");
            note(district, "the district, as given" + (zeroPadded(district) ? " (zero-padding kept)" : ""));
        }
    }

    private static boolean zeroPadded(ColumnStats c) {
        return c.examples().stream().anyMatch(v -> v.length() > 1 && v.startsWith("0"));
    }

    private void chooseKind() {
        List<String> callish = header
                ? columns.stream()
                        .filter(c -> named(c, CALL_WORDS))
                        .map(this::label)
                        .toList()
                : List.of();
        boolean fileSays = CALL_WORDS.matcher(words(fileName)).find();
        if (!callish.isEmpty() || fileSays) {
            kind = "call-for-service";
            note(
                    2,
                    "Kind: call-for-service, because of "
                            + (callish.isEmpty()
                                    ? "the file's name"
                                    : (callish.size() == 1 ? "the column " : "the columns ")
                                            + String.join(", ", callish)));
        } else {
            note(3, "Kind: incident (no column names a call, dispatch or priority)");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The second reading: the chosen columns together

    private static final class CodeCount {
        final String code;
        long rows;
        final Map<String, Long> texts = new LinkedHashMap<>();

        CodeCount(String code) {
            this.code = code;
        }
    }

    private static final class DateCheck {
        final String field;
        final Columns.Bound columns;
        final DatePattern[] patterns;
        final LocalZone zone;
        long read;
        long failed;
        String failedExample;

        DateCheck(String field, Columns.Bound columns, List<String> formats, LocalZone zone) {
            this.field = field;
            this.columns = columns;
            this.patterns = formats.stream().map(DatePattern::compile).toArray(DatePattern[]::new);
            this.zone = zone;
        }
    }

    private void checkTogether() throws IOException {
        Map<String, Integer> index = null;
        if (header) {
            index = new HashMap<>();
            for (ColumnStats c : columns) {
                index.putIfAbsent(Columns.key(c.name), c.position - 1);
            }
        }
        List<InputError> errors = new ArrayList<>();
        Columns.Bound codeColumns = code == null ? null : bind(code, index, errors);
        Columns.Bound textColumns = codeText == null ? null : bind(codeText, index, errors);
        LocalZone zone = new LocalZone(site.timeZone());
        for (Map.Entry<String, DateSource> e : dates.entrySet()) {
            DateSource d = e.getValue();
            dateChecks.add(
                    new DateCheck(e.getKey(), bind(new Source(d.columns, null, null), index, errors), d.formats, zone));
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the draft names columns the file lacks: " + errors);
        }
        int unique = uniqueId == null ? -1 : uniqueId.position - 1;
        ProfileFile.Row row = new ProfileFile.Row(delimiter);
        double[] out = new double[2];
        eachRow(record -> {
            row.record = record;
            if (codeColumns != null) {
                countCode(codeColumns.text(row), textColumns == null ? "" : textColumns.text(row));
            }
            for (Repeats r : repeating) {
                followRepeats(r, record, unique);
            }
            for (Place p : places) {
                readPlace(p, record, out);
            }
            for (DateCheck d : dateChecks) {
                Object value = d.columns.value(row);
                String text = value == null ? "" : Columns.Bound.text(value);
                if (text.isEmpty()) {
                    continue;
                }
                boolean read = false;
                for (DatePattern p : d.patterns) {
                    if (p.parse(text, d.zone) != null) {
                        read = true;
                        break;
                    }
                }
                if (read) {
                    d.read++;
                } else if (d.failed++ == 0) {
                    d.failedExample = text;
                }
            }
        });
    }

    private void countCode(String value, String text) {
        if (value.isEmpty()) {
            blankCodes++;
            return;
        }
        CodeCount c = codes.computeIfAbsent(value.toUpperCase(Locale.ROOT), k -> new CodeCount(value));
        c.rows++;
        if (!text.isEmpty() && (c.texts.size() < 20 || c.texts.containsKey(text))) {
            c.texts.merge(text, 1L, Long::sum);
        }
    }

    private void followRepeats(Repeats r, CsvRecord record, int unique) {
        String value = field(record, r.column.position - 1);
        if (value.isEmpty()) {
            return;
        }
        if (unique >= 0) {
            String child = field(record, unique);
            if (child.length() > value.length() && child.startsWith(value)) {
                r.prefixOfUnique++;
            }
        }
        int[] hashes = new int[columns.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = field(record, i).hashCode();
        }
        int[] before = r.first.putIfAbsent(value, hashes);
        if (before == null) {
            return;
        }
        r.repeated++;
        boolean same = true;
        for (int i = 0; i < hashes.length; i++) {
            if (before[i] != hashes[i]) {
                r.differs[i] = true;
                same = false;
            }
        }
        if (same) {
            r.identical++;
        }
    }

    private void readPlace(Place p, CsvRecord record, double[] out) {
        double a;
        double b;
        if (p.point != null) {
            String text = field(record, p.point.position - 1);
            if (text.isEmpty()) {
                return;
            }
            double[] found = new double[2];
            if (Profile.numbers(text, found) != 2) {
                p.notNumbers++;
                return;
            }
            a = found[0];
            b = found[1];
        } else {
            String x = field(record, p.x.position - 1);
            String y = field(record, p.y.position - 1);
            if (x.isEmpty() && y.isEmpty()) {
                return;
            }
            try {
                a = Double.parseDouble(x);
                b = Double.parseDouble(y);
            } catch (NumberFormatException e) {
                p.notNumbers++;
                return;
            }
        }
        if (a == 0 && b == 0) {
            p.zeros++;
            return;
        }
        p.withValues++;
        for (Reading r : p.readings) {
            double x = r.swapped ? b : a;
            double y = r.swapped ? a : b;
            if (r.transform.apply(x, y, out) && inside(out[0], out[1])) {
                r.inside++;
            }
        }
    }

    private boolean inside(double lon, double lat) {
        return site.bounds().map(b -> b.contains(lon, lat)).orElse(Math.abs(lon) <= 180 && Math.abs(lat) <= 90);
    }

    private static String field(CsvRecord record, int index) {
        return index < record.getFieldCount() ? record.getField(index).strip() : "";
    }

    private Columns.Bound bind(Source source, Map<String, Integer> index, List<InputError> errors) {
        Columns columns = byName(source.columns)
                ? Columns.named(source.columns.stream().map(c -> c.name).toList(), join(source), "", 0)
                : Columns.positions(source.columns.stream().map(c -> c.position).toList(), join(source), "", 0);
        if (source.extract != null) {
            columns = columns.extracting(Pattern.compile(source.extract));
        }
        return columns.bind(byName(source.columns) ? index : null, fileName, errors);
    }

    private static String join(Source source) {
        return source.join == null ? " " : source.join;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Explaining what was read

    private void explainFindings() {
        for (DateCheck d : dateChecks) {
            DateSource source = dates.get(d.field);
            ColumnStats first = source.columns.get(0);
            List<ColumnStats.Format> formats = first.dateFormats();
            if (formats.size() > 1) {
                note(
                        2,
                        label(first) + " mixes patterns: "
                                + formats.stream()
                                        .map(f -> "'" + f.pattern() + "' (" + count(f.rows()) + " rows)")
                                        .collect(Collectors.joining(" and "))
                                + "; the draft lists them all, most rows first");
            }
            note(
                    first,
                    "when it "
                            + switch (d.field) {
                                case "occurredFrom" -> "happened (occurredFrom)";
                                case "occurredTo" -> "ended (occurredTo)";
                                default -> "was reported (reportedAt)";
                            } + ", read in the site's time zone ("
                            + site.timeZone().getId() + ")"
                            + (formats.size() > 1 ? "; " + formats.size() + " patterns" : ""));
            if (source.columns.size() == 1 && first.type().equals("date-time") && first.midnight == first.dateRows) {
                note(2, "Every time in " + label(first) + " is midnight: the export may not record the time of day");
            }
            if (d.failed > 0) {
                note(
                        1,
                        String.format(
                                Locale.US,
                                "%s a %s the draft's patterns do not read (e.g. '%s'): they would be quarantined;"
                                        + " add their pattern to %s's formats",
                                rowsHave(d.failed),
                                source.columns.stream().map(this::label).collect(Collectors.joining(" + ")),
                                cutText(d.failedExample, 40),
                                d.field));
            }
        }
        if (code != null) {
            if (blankCodes > 0) {
                note(
                        1,
                        rowsHave(blankCodes) + " no code in " + label(code.columns.get(0))
                                + ": they would be quarantined (a code table cannot list an empty code)");
            }
            note(
                    1,
                    String.format(
                            Locale.US,
                            "The code table lists the sample's %s, all as category 'other' and not Part I: set each"
                                    + " code's category and partOne before the first import (codes missing from it are "
                                    + "quarantined)",
                            codes.size() == 1 ? "1 code" : count(codes.size()) + " codes"));
        }
    }

    private void explainLayout() {
        if (cut || moreRows) {
            layout(String.format(
                    Locale.US,
                    "The draft read the first %s rows%s; the rest of the file was not looked at",
                    count(rows),
                    cut ? " (the first " + MAX_BYTES / 1024 / 1024 + " MB)" : ""));
        } else {
            layout("The draft read all " + count(rows) + " rows");
        }
        if (ragged > 0) {
            note(
                    1,
                    String.format(
                            Locale.US,
                            "%s another number of fields than the header's %d (the first on line %d): they would be "
                                    + "quarantined; check the delimiter and quotes",
                            rowsHave(ragged),
                            columns.size(),
                            firstRagged));
        }
        if (stoppedAt != null) {
            note(0, stoppedAt);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The draft's parts

    private String profile(String codeTableName) {
        ObjectNode root = JSON.createObjectNode();
        root.put("profile", ProfileReader.VERSION);
        root.put(
                "description",
                (kind.equals("incident") ? "Incident" : "Call-for-service") + " export drafted from " + fileName + " ("
                        + count(rows) + " rows): check every field before the first import");
        root.put("kind", kind);
        ObjectNode file = root.putObject("file");
        file.put("header", header);
        file.put("delimiter", delimiterName());
        file.put("quote", "\"");
        file.put("encoding", charset.name());
        file.put("skipLines", skipLines);
        root.put("repeats", merge ? "merge" : "quarantine");
        ObjectNode fields = root.putObject("fields");
        fields.set("sourceId", source(Source.of(id)));
        if (dates.isEmpty()) {
            ObjectNode placeholder = columnsNode(List.of(columns.get(0)));
            placeholder.putArray("formats").add("iso");
            fields.set("occurredFrom", placeholder);
        }
        for (Map.Entry<String, DateSource> e : dates.entrySet()) {
            ObjectNode date = columnsNode(e.getValue().columns);
            ArrayNode formats = date.putArray("formats");
            e.getValue().formats.forEach(formats::add);
            fields.set(e.getKey(), date);
        }
        if (code == null) {
            fields.putObject("code").put("value", "none");
        } else {
            fields.set("code", source(code));
        }
        if (codeText != null) {
            fields.set("codeText", source(codeText));
        }
        if (address != null) {
            fields.set("address", source(address));
        }
        if (beat != null) {
            fields.set("beat", source(Source.of(beat)));
        }
        if (district != null) {
            fields.set("district", source(Source.of(district)));
        }
        List<Place> chosen = places.stream()
                .filter(p -> p.chosen != null)
                .sorted(Comparator.comparingInt((Place p) -> p.point != null ? 2 : p.degrees() ? 0 : 1))
                .toList();
        if (!chosen.isEmpty()) {
            ArrayNode location = fields.putArray("location");
            for (Place p : chosen) {
                ObjectNode way = location.addObject();
                if (p.point != null) {
                    way.set("point", ref(p.point));
                    way.put("order", p.chosen.swapped ? "lat lon" : "lon lat");
                } else {
                    way.set("x", ref(p.chosen.swapped ? p.y : p.x));
                    way.set("y", ref(p.chosen.swapped ? p.x : p.y));
                }
                way.put("crs", p.chosen.crs);
                if (p.zeros > 0) {
                    way.putArray("noLocation").addArray().add(0).add(0);
                }
            }
        }
        if (code != null) {
            root.putObject("codes").put("file", codeTableName).put("unknown", "quarantine");
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
        try {
            return JSON.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text field: a bare column name or position when it is one column, else an object. */
    private JsonNode source(Source source) {
        if (source.columns.size() == 1 && source.extract == null) {
            return ref(source.columns.get(0));
        }
        ObjectNode node = columnsNode(source.columns);
        if (source.join != null) {
            node.put("join", source.join);
        }
        if (source.extract != null) {
            node.put("extract", source.extract);
        }
        return node;
    }

    private ObjectNode columnsNode(List<ColumnStats> chosen) {
        ObjectNode node = JSON.createObjectNode();
        boolean byName = byName(chosen);
        if (chosen.size() == 1) {
            node.set(byName ? "column" : "position", ref(chosen.get(0)));
        } else {
            ArrayNode list = node.putArray(byName ? "columns" : "positions");
            chosen.forEach(c -> list.add(ref(c, byName)));
        }
        return node;
    }

    private JsonNode ref(ColumnStats c) {
        return ref(c, byName(List.of(c)));
    }

    private JsonNode ref(ColumnStats c, boolean byName) {
        return byName
                ? JSON.getNodeFactory().textNode(c.name)
                : JSON.getNodeFactory().numberNode(c.position);
    }

    /** Columns are named when the header gives each a name of its own, else counted. */
    private boolean byName(List<ColumnStats> chosen) {
        return header
                && chosen.stream()
                        .allMatch(c -> !c.name.isBlank()
                                && columns.stream()
                                                .filter(o -> Columns.key(o.name).equals(Columns.key(c.name)))
                                                .findFirst()
                                                .orElse(null)
                                        == c);
    }

    /**
     * The code table: every code of the sample, most rows first, with its most common description; categories
     * guessed from the descriptions' words (else other), every one to be checked.
     */
    private String codeTable() {
        List<CodeTableDraft.Code> found = codes.values().stream()
                .sorted(Comparator.comparingLong((CodeCount c) -> c.rows).reversed())
                .map(c -> new CodeTableDraft.Code(
                        c.code,
                        c.texts.entrySet().stream()
                                .max(Map.Entry.comparingByValue())
                                .map(Map.Entry::getKey)
                                .orElse(""),
                        null,
                        c.rows))
                .toList();
        return CodeTableDraft.draft(found).csv();
    }

    private List<ProfileDraft.Column> columnsFound() {
        List<ProfileDraft.Column> out = new ArrayList<>();
        for (ColumnStats c : columns) {
            String use = uses.getOrDefault(c, "");
            String type = clocks.contains(c) ? "time" : c.type();
            List<String> formats = type.startsWith("date")
                    ? c.dateFormats().stream().map(ColumnStats.Format::pattern).toList()
                    : type.equals("time")
                            ? c.clockFormats().stream()
                                    .map(ColumnStats.Format::pattern)
                                    .toList()
                            : List.of();
            List<String> said = columnNotes.getOrDefault(c, List.of());
            String note = said.isEmpty() ? (use.isEmpty() ? "not used" : "") : String.join("; ", said);
            if (c.notNumber != null && c.isNumber()) {
                note += (note.isEmpty() ? "" : "; ") + "not every value is a number (e.g. '" + cutText(c.notNumber, 30)
                        + "')";
            }
            out.add(new ProfileDraft.Column(
                    c.position,
                    c.name,
                    type,
                    c.filled,
                    c.distinct(),
                    c.capped(),
                    c.unique(),
                    c.examples(),
                    formats,
                    use,
                    note));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Small helpers

    /** Matches any of the words (a regular expression each) in a name as {@link #words} writes it. */
    private static Pattern vocabulary(String alternatives) {
        return Pattern.compile(" (?:" + alternatives + ") ");
    }

    /** A column name as words: " first occurrence date " of "FIRST_OCCURRENCE_DATE" or "firstOccurrenceDate". */
    private static String words(String name) {
        String spaced = name.replaceAll("([a-z])([A-Z])", "$1 $2");
        return " "
                + spaced.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip() + " ";
    }

    private boolean named(ColumnStats c, Pattern vocabulary) {
        return header && vocabulary.matcher(words(c.name)).find();
    }

    /** The name without the words a vocabulary knows: "occ" of "OCC_DATE" and of "OCC_TIME". */
    private static String stem(ColumnStats c, Pattern vocabulary) {
        String w = words(c.name);
        Matcher m = vocabulary.matcher(w);
        return m.replaceAll(" ").strip();
    }

    private ColumnStats first(List<ColumnStats> candidates, Pattern vocabulary) {
        return candidates.stream().filter(c -> named(c, vocabulary)).findFirst().orElse(null);
    }

    private ColumnStats at(int position) {
        return position >= 1 && position <= columns.size() ? columns.get(position - 1) : null;
    }

    private String label(ColumnStats c) {
        return header ? "'" + c.name + "'" : "column " + c.position;
    }

    private void note(ColumnStats c, String text) {
        columnNotes.computeIfAbsent(c, k -> new ArrayList<>()).add(text);
    }

    private void note(int rank, String text) {
        notes.add(new Note(rank, text));
    }

    private void layout(String text) {
        note(3, text);
    }

    private String delimiterName() {
        return delimiter == '\t' ? "tab" : String.valueOf(delimiter);
    }

    /** The sample's name without its extension, as a file name: "denver-crime-2018" of "Denver crime 2018.csv". */
    private String baseName() {
        String name = fileName.replaceAll(".*[/\\\\]", "").replaceAll("\\.[A-Za-z0-9]{1,4}$", "");
        name = name.replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("^[^A-Za-z0-9]+", "")
                .replaceAll("-+$", "");
        if (name.length() > 80) {
            name = name.substring(0, 80);
        }
        return name.isEmpty() ? "sample" : name;
    }

    /** "1 row has", "2 rows have". */
    private static String rowsHave(long n) {
        return n == 1 ? "1 row has" : count(n) + " rows have";
    }

    private static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** A share in whole percent, never rounded up to 100. */
    private static long percent(long part, long whole) {
        return whole == 0 ? 0 : (long) Math.floor(100.0 * part / whole);
    }

    private static String cutText(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
