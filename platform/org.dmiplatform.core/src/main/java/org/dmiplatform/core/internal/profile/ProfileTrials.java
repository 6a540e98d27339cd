package org.dmiplatform.core.internal.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.ProfileTrial;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.records.RecordSink;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfile;
import org.dmiplatform.core.internal.imports.RecordChecks;

/**
 * A profile's dry run on a sample: the sample is read through the profile exactly as an import reads it, every
 * record goes through the platform's checks and the same rule for repeated ids, and nothing is stored. What the
 * import would do is counted, the reasons grouped, the first records kept beside their source lines, and the
 * patterns that usually mean a wrong profile are looked for.
 */
final class ProfileTrials {
    /** A sample, not an export: enough rows to see every pattern, little enough to answer in seconds. */
    static final long MAX_SAMPLE_BYTES = 64L * 1024 * 1024;

    private static final int REASONS = 50;
    private static final int LINES_PER_REASON = 5;
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss (zzz)", Locale.ENGLISH);

    private ProfileTrials() {}

    static ProfileTrial run(RecordsProfile profile, RecordsInput sample, Site site, int show) throws IOException {
        return run(profile, sample, site, show, Clock.systemUTC());
    }

    static ProfileTrial run(RecordsProfile profile, RecordsInput sample, Site site, int show, Clock clock)
            throws IOException {
        Path copy = Files.createTempFile("dmi-trial-", ".csv");
        try {
            try (InputStream in = sample.open()) {
                long bytes = Files.copy(limited(in, sample.name()), copy, StandardCopyOption.REPLACE_EXISTING);
                if (bytes == 0) {
                    throw new InvalidInputException(InputError.of(sample.name(), "", "is empty"));
                }
            }
            Trial trial = new Trial(profile, site, show, clock.instant());
            profile.read(RecordsInput.of(sample.name(), copy), trial);
            return trial.result(sample.name(), sourceLines(copy, profile, trial.shownLines()));
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static InputStream limited(InputStream in, String name) {
        return new java.io.FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    check(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    check(n);
                }
                return n;
            }

            private void check(int n) {
                count += n;
                if (count > MAX_SAMPLE_BYTES) {
                    throw new InvalidInputException(InputError.of(
                            name,
                            "",
                            "is larger than " + MAX_SAMPLE_BYTES / 1024 / 1024
                                    + " MB: a dry run takes a sample (the first few thousand rows); import the whole"
                                    + " file once the sample is right"));
                }
            }
        };
    }

    /** The text of the wanted lines (1-based), read again from the sample in the profile's encoding. */
    private static Map<Long, String> sourceLines(Path file, RecordsProfile profile, List<Long> wanted)
            throws IOException {
        Map<Long, String> out = new HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        long last = wanted.stream().mapToLong(Long::longValue).max().orElse(0);
        java.util.Set<Long> lines = new java.util.HashSet<>(wanted);
        try (InputStream in = Files.newInputStream(file);
                BufferedReader reader =
                        new BufferedReader(CsvText.open(in, profile.layout().encoding(), "sample"))) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null && line < last) {
                line++;
                if (lines.contains(line)) {
                    out.put(line, text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
                }
            }
        } catch (InvalidInputException e) {
            return out;
        }
        return out;
    }

    /** Reasons of one kind, grouped. */
    private static final class Reasons {
        private final Map<String, ReasonCount> byKey = new LinkedHashMap<>();
        private long others;

        void add(long line, String field, String reason, String raw) {
            String key = field + "\u0000" + org.dmiplatform.core.internal.imports.SkipReasons.kind(reason);
            ReasonCount count = byKey.get(key);
            if (count == null) {
                if (byKey.size() >= REASONS) {
                    others++;
                    return;
                }
                count = new ReasonCount(field, reason, raw);
                byKey.put(key, count);
            }
            count.rows++;
            if (count.lines.size() < LINES_PER_REASON) {
                count.lines.add(line);
            }
        }

        List<ProfileTrial.Reason> list() {
            List<ProfileTrial.Reason> out = new ArrayList<>();
            byKey.values().stream()
                    .sorted(Comparator.comparingLong((ReasonCount c) -> -c.rows))
                    .forEach(c -> out.add(new ProfileTrial.Reason(c.field, c.reason, c.rows, c.lines, c.raw)));
            if (others > 0) {
                out.add(new ProfileTrial.Reason(
                        "", "other reasons (more than " + REASONS + " kinds)", others, List.of(), ""));
            }
            return out;
        }
    }

    private static final class ReasonCount {
        final String field;
        final String reason;
        final String raw;
        final List<Long> lines = new ArrayList<>();
        long rows;

        ReasonCount(String field, String reason, String raw) {
            this.field = field;
            this.reason = reason;
            this.raw = raw == null ? "" : raw;
        }
    }

    /** The sink of a dry run: an import's rules, nothing stored. */
    private static final class Trial implements RecordSink {
        private final RecordsProfile profile;
        private final Site site;
        private final int show;
        private final Instant now;
        private final Reasons quarantine = new Reasons();
        private final Reasons skips = new Reasons();
        /** The category and line of every id kept, by kind and id: repeats are merged or quarantined as an import does. */
        private final Map<String, Kept> kept = new HashMap<>();

        private final List<CrimeRecord> first = new ArrayList<>();
        private final long[] hours = new long[24];
        private final Map<String, Long> droppedFields = new TreeMap<>();
        private long read;
        private long quarantined;
        private long skipped;
        private long merged;
        private long deletes;
        private long atMidnight;
        private long located;
        private long outside;
        private long beforeYear1990;
        private long future;

        private record Kept(long line, Category category) {}

        Trial(RecordsProfile profile, Site site, int show, Instant now) {
            this.profile = profile;
            this.site = site;
            this.show = show;
            this.now = now;
        }

        @Override
        public ZoneId zone() {
            return site.timeZone();
        }

        @Override
        public void accept(CrimeRecord record) {
            read++;
            Optional<RecordChecks.Problem> problem = RecordChecks.check(record, now, site.bounds());
            if (record.location().isPresent()) {
                located++;
            }
            if (problem.isPresent()) {
                String reason = problem.get().reason();
                if (reason.contains("outside the site")) {
                    outside++;
                } else if (reason.startsWith("is in the future")) {
                    future++;
                }
                quarantine(record.line(), problem.get().field(), reason, record.sourceId());
                return;
            }
            String key = record.kind().name() + "\u0000" + record.sourceId();
            Kept before = kept.get(key);
            if (before != null) {
                if (profile.mergesRepeats()) {
                    merged++;
                    if (record.category().ordinal() < before.category().ordinal()) {
                        kept.put(key, new Kept(before.line(), record.category()));
                    }
                } else {
                    quarantine(
                            record.line(),
                            "sourceId",
                            "repeats the id '" + record.sourceId() + "' of line " + before.line()
                                    + " (the profile does not merge repeats)",
                            record.sourceId());
                }
                return;
            }
            kept.put(key, new Kept(record.line(), record.category()));
            if (first.size() < show) {
                first.add(record);
            }
            ZonedDateTime local = record.occurredFrom().atZone(site.timeZone());
            hours[local.getHour()]++;
            if (local.getHour() == 0 && local.getMinute() == 0 && local.getSecond() == 0) {
                atMidnight++;
            }
            if (local.getYear() < 1990) {
                beforeYear1990++;
            }
            for (String warning : record.warnings()) {
                int colon = warning.indexOf(':');
                droppedFields.merge(colon > 0 ? warning.substring(0, colon) : warning, 1L, Long::sum);
            }
        }

        @Override
        public void reject(long line, String field, String reason, String raw) {
            read++;
            quarantine(line, field, reason, raw);
        }

        private void quarantine(long line, String field, String reason, String raw) {
            quarantined++;
            quarantine.add(line, field, reason, raw);
        }

        @Override
        public void delete(long line, RecordKind kind, String sourceId) {
            read++;
            deletes++;
        }

        @Override
        public void skipped(long line, String why) {
            read++;
            skipped++;
            skips.add(line, "", why, "");
        }

        @Override
        public void watermark(String value) {}

        @Override
        public boolean cancelled() {
            return false;
        }

        List<Long> shownLines() {
            return first.stream().map(CrimeRecord::line).toList();
        }

        ProfileTrial result(String sample, Map<Long, String> sources) {
            ZoneId zone = site.timeZone();
            List<ProfileTrial.Mapped> mapped = new ArrayList<>();
            for (CrimeRecord r : first) {
                mapped.add(new ProfileTrial.Mapped(
                        r.line(),
                        sources.getOrDefault(r.line(), ""),
                        r,
                        local(r.occurredFrom(), zone),
                        r.occurredTo().map(t -> local(t, zone)).orElse(""),
                        r.reportedAt().map(t -> local(t, zone)).orElse("")));
            }
            Map<Category, Long> categories = new EnumMap<>(Category.class);
            kept.values().forEach(k -> categories.merge(k.category(), 1L, Long::sum));
            long imported = kept.size();
            return new ProfileTrial(
                    profile.name(),
                    sample,
                    zone.getId(),
                    read,
                    imported,
                    quarantined,
                    skipped,
                    merged,
                    deletes,
                    quarantine.list(),
                    skips.list(),
                    categories,
                    mapped,
                    warnings(imported, categories));
        }

        private List<String> warnings(long imported, Map<Category, Long> categories) {
            List<String> out = new ArrayList<>();
            long timed = java.util.Arrays.stream(hours).sum();
            long afternoon = 0;
            for (int h = 13; h < 24; h++) {
                afternoon += hours[h];
            }
            if (timed >= 100 && hours[12] == 0 && (afternoon > 0 || hours[0] > 0)) {
                out.add("No record falls between 12:00 and 12:59 among " + timed + " read in "
                        + site.timeZone().getId()
                        + ": a 12-hour pattern ('hh') whose AM/PM is not read, or an hour given twice, moves the noon"
                        + " hour to midnight. Check the date patterns against a few source rows below.");
            }
            if (timed >= 50 && atMidnight * 10 > timed) {
                out.add(percent(atMidnight, timed) + " of the records are at exactly 00:00:00: the date column may"
                        + " hold no time (join the time column: {\"columns\": [date, time]}), or the source writes"
                        + " midnight when the time is not known.");
            }
            if (future > 0) {
                out.add(future + " record(s) dated in the future would be quarantined: a day and month read the wrong"
                        + " way round (dd/MM against MM/dd) or a two-digit year can do this.");
            }
            if (beforeYear1990 > 0) {
                out.add(beforeYear1990 + " record(s) are dated before 1990: a two-digit year or a placeholder date"
                        + " (01/01/1900) may be read as a real date.");
            }
            if (located >= 10 && outside * 2 > located) {
                out.add(percent(outside, located) + " of the records with a location fall outside the site ("
                        + site.bounds().map(Object::toString).orElse("")
                        + "): the coordinate system may be wrong (state-plane feet given as longitude/latitude, a"
                        + " wrong EPSG code) or x and y swapped.");
            }
            if (read >= 20 && located == 0) {
                out.add("No record has a location: the profile names no location columns, or they are all blank;"
                        + " such records count in tables but not on maps.");
            }
            if (imported >= 50) {
                for (Map.Entry<Category, Long> e : categories.entrySet()) {
                    if (e.getValue() * 10 >= imported * 8) {
                        out.add(percent(e.getValue(), imported) + " of the records are '"
                                + e.getKey().id() + "': the category rules or the code table may be missing codes.");
                    }
                }
            }
            if (read > 0 && quarantined * 2 > read) {
                out.add(percent(quarantined, read) + " of the rows would be quarantined: read the reasons below"
                        + " before importing.");
            }
            for (Map.Entry<String, Long> e : droppedFields.entrySet()) {
                out.add(e.getValue() + " record(s) would be imported without their " + e.getKey()
                        + ", which could not be read (each record says why).");
            }
            return out;
        }
    }

    static String local(Instant at, ZoneId zone) {
        return LOCAL.format(at.atZone(zone));
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
    }
}
