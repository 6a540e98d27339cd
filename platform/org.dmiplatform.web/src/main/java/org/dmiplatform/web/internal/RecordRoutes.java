package org.dmiplatform.web.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.dmiplatform.api.Identified;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.records.RecordKind;
import org.dmiplatform.api.store.Imports;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;

/**
 * Imports of a site's records (upload, pull, progress, quarantine, cancel, run again, history) and the records
 * themselves, read through the records store with its filters, pages and counts. Times in and out are the site's.
 */
final class RecordRoutes {
    static final String IMPORTS = "/sites/{site}/imports";
    static final String RECORDS = "/sites/{site}/records";

    record ImportsView(List<String> adapters, List<Imports.Import> imports) {}

    /** A record as read: its times in the site's zone, with their offset. */
    record RecordView(
            RecordKind kind,
            String sourceId,
            OffsetDateTime occurredFrom,
            Optional<OffsetDateTime> occurredTo,
            Optional<OffsetDateTime> reportedAt,
            String code,
            String codeText,
            Category category,
            boolean partOne,
            Optional<String> nibrsCode,
            Optional<String> drugType,
            Optional<Double> longitude,
            Optional<Double> latitude,
            String address,
            String beat,
            String district,
            long line,
            List<String> warnings,
            List<String> otherCodes) {

        static RecordView of(CrimeRecord r, ZoneId zone) {
            Function<Instant, OffsetDateTime> local = at -> at.atZone(zone).toOffsetDateTime();
            return new RecordView(
                    r.kind(),
                    r.sourceId(),
                    local.apply(r.occurredFrom()),
                    r.occurredTo().map(local),
                    r.reportedAt().map(local),
                    r.code(),
                    r.codeText(),
                    r.category(),
                    r.partOne(),
                    r.nibrsCode(),
                    r.drugType(),
                    r.location().map(CrimeRecord.Location::longitude),
                    r.location().map(CrimeRecord.Location::latitude),
                    r.address(),
                    r.beat(),
                    r.district(),
                    r.line(),
                    r.warnings(),
                    r.otherCodes());
        }
    }

    /**
     * One page. {@code next} is the cursor of the following page ({@code ?after=}); when it is null this page is the
     * last, so a page is never cut silently.
     */
    record PageView(String zone, int limit, List<RecordView> records, Optional<String> next) {}

    private final Imports imports;
    private final RecordsStore store;
    private final Sites sites;
    private final Programme programme;
    private final long maxUploadBytes;

    RecordRoutes(Imports imports, RecordsStore store, Sites sites, Programme programme, long maxUploadBytes) {
        this.imports = imports;
        this.store = store;
        this.sites = sites;
        this.programme = programme;
        this.maxUploadBytes = maxUploadBytes;
    }

    List<Route> routes() {
        Guard importers = Guard.site(Role.POLICE, Role.SITE_ADMIN);
        Guard readers = Guard.site(Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR);
        Guard counters = Guard.site(
                Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR, Role.TTA_ADMIN, Role.TTA_STAFF);
        return List.of(
                Route.of(
                        "GET",
                        IMPORTS,
                        readers,
                        null,
                        call -> Reply.ok(new ImportsView(
                                imports.adapters(call.param("site")),
                                imports.history(call.param("site"), limit(call, 50, 500), call.caller())))),
                Route.of("POST", IMPORTS, importers, null, this::upload),
                Route.of(
                        "POST",
                        IMPORTS + "/pull",
                        importers,
                        null,
                        call -> accepted(
                                imports.pull(call.param("site"), call.request.query("adapter"), call.caller()))),
                Route.of(
                        "GET",
                        IMPORTS + "/{import}",
                        readers,
                        null,
                        call -> Reply.ok(imports.find(call.param("site"), call.idParam("import"), call.caller()))),
                Route.of(
                        "GET",
                        IMPORTS + "/{import}/quarantine",
                        readers,
                        null,
                        call -> Reply.ok(Map.of(
                                "rows",
                                imports.quarantine(
                                        call.param("site"),
                                        call.idParam("import"),
                                        limit(call, 1000, 10_000),
                                        call.caller())))),
                Route.of(
                        "POST",
                        IMPORTS + "/{import}/rerun",
                        importers,
                        null,
                        call -> accepted(imports.rerun(call.param("site"), call.idParam("import"), call.caller()))),
                Route.of(
                        "DELETE",
                        IMPORTS + "/{import}",
                        importers,
                        null,
                        call -> Reply.ok(imports.cancel(call.param("site"), call.idParam("import"), call.caller()))),
                Route.of("GET", RECORDS, readers, null, this::records),
                Route.of("GET", RECORDS + "/counts", counters, null, this::counts));
    }

    /** The export in the body; its name in {@code ?name=}, the adapter in {@code ?adapter=} when the site has several. */
    private Reply upload(Call call) {
        String name = call.request.query("name").filter(n -> !n.isBlank()).orElse("upload");
        Path file = call.upload(maxUploadBytes);
        try {
            return accepted(imports.start(
                    call.param("site"),
                    call.request.query("adapter").filter(a -> !a.isBlank()),
                    file,
                    name,
                    true,
                    call.caller()));
        } catch (RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // a temporary file
            }
            throw e;
        }
    }

    private static Reply accepted(Imports.Import started) {
        return new Reply(202, started, List.of())
                .withHeader("Location", "/api/v1/sites/" + started.site() + "/imports/" + started.id());
    }

    private Reply records(Call call) {
        Site site = site(call);
        RecordQuery query = query(call, site);
        int limit = limit(call, 100, RecordsStore.MAX_PAGE);
        RecordsStore.RecordPage page = store.page(site.id(), query, call.request.query("after"), limit, call.caller());
        return Reply.ok(new PageView(
                site.timeZone().getId(),
                limit,
                page.records().stream()
                        .map(r -> RecordView.of(r, site.timeZone()))
                        .toList(),
                page.next()));
    }

    private Reply counts(Call call) {
        Site site = site(call);
        RecordQuery query = query(call, site);
        String by = call.request.query("by").orElse("month");
        return switch (by) {
            case "month" -> Reply.ok(Map.of(
                    "zone", site.timeZone().getId(), "counts", store.countsByMonth(site.id(), query, call.caller())));
            case "day" -> Reply.ok(Map.of(
                    "zone", site.timeZone().getId(), "counts", store.countsByDay(site.id(), query, call.caller())));
            case "total" -> Reply.ok(Map.of("count", store.count(site.id(), query, call.caller())));
            default -> throw bad("by", "'" + by + "' is not one of month, day, total");
        };
    }

    private Site site(Call call) {
        return sites.find(call.param("site"))
                .orElseThrow(() -> new NoSuchElementException("no site '" + call.param("site") + "'"));
    }

    /**
     * The filters of a records query: {@code from}, {@code to} (a date, a local date and time in the site's zone, or
     * an instant with its offset; a date {@code to} includes that day), {@code kind}, {@code category} (comma
     * separated), {@code partOne}, {@code bbox=west,south,east,north}, and an area: {@code within=} a GeoJSON Polygon
     * or MultiPolygon, or {@code area=target|comparison|buffer} with {@code intervention=<id>}.
     */
    RecordQuery query(Call call, Site site) {
        ZoneId zone = site.timeZone();
        RecordQuery q = new RecordQuery(
                call.request.query("from").map(v -> time("from", v, zone, false)),
                call.request.query("to").map(v -> time("to", v, zone, true)),
                ids(call, "kind", RecordKind.class),
                ids(call, "category", Category.class),
                call.request.query("partOne").map(v -> bool("partOne", v)),
                call.request.query("bbox").map(RecordRoutes::bbox),
                List.of());
        Optional<String> within = call.request.query("within");
        Optional<String> area = call.request.query("area");
        if (within.isPresent() && area.isPresent()) {
            throw bad("within", "give either within or area, not both");
        }
        if (within.isPresent()) {
            return q.within(GeoJsonAreas.polygons("within", within.get()));
        }
        if (area.isPresent()) {
            long id = call.request
                    .query("intervention")
                    .map(v -> {
                        try {
                            return Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw bad("intervention", "'" + v + "' is not an intervention id");
                        }
                    })
                    .orElseThrow(() -> bad("intervention", "area needs the intervention whose area it is"));
            Programme.AreaKind kind =
                    switch (area.get()) {
                        case "target" -> Programme.AreaKind.TARGET;
                        case "comparison" -> Programme.AreaKind.COMPARISON;
                        case "buffer" -> Programme.AreaKind.BUFFER;
                        default -> throw bad("area", "'" + area.get() + "' is not one of target, comparison, buffer");
                    };
            List<RecordQuery.Polygon> polygons = programme.area(site.id(), id, kind);
            if (polygons.isEmpty()) {
                throw bad("area", "intervention " + id + " has no " + area.get() + " area yet");
            }
            return q.within(polygons);
        }
        return q;
    }

    private static Instant time(String field, String value, ZoneId zone, boolean end) {
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(
                    field,
                    "'" + value + "' is not a date (2016-01-31), a local time in the site's zone (2016-01-31T18:30)"
                            + " or a time with its offset (2016-01-31T18:30:00-06:00)");
        }
    }

    static <E extends Enum<E> & Identified> Set<E> ids(Call call, String field, Class<E> type) {
        Optional<String> text = call.request.query(field).filter(v -> !v.isBlank());
        if (text.isEmpty()) {
            return Set.of();
        }
        Set<E> out = EnumSet.noneOf(type);
        for (String id : text.get().split(",")) {
            out.add(Identified.byId(type, id.strip())
                    .orElseThrow(() -> bad(
                            field,
                            "'" + id.strip() + "' is not one of "
                                    + String.join(
                                            ", ",
                                            Arrays.stream(type.getEnumConstants())
                                                    .map(Identified::id)
                                                    .toList()))));
        }
        return out;
    }

    private static boolean bool(String field, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(field, "'" + value + "' is not true or false");
        };
    }

    private static Site.Bounds bbox(String value) {
        String[] parts = value.split(",");
        try {
            if (parts.length != 4) {
                throw new NumberFormatException();
            }
            return new Site.Bounds(
                    Double.parseDouble(parts[0]),
                    Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2]),
                    Double.parseDouble(parts[3]));
        } catch (NumberFormatException e) {
            throw bad("bbox", "'" + value + "' is not west,south,east,north in longitude and latitude");
        }
    }

    private static int limit(Call call, int fallback, int max) {
        Optional<String> text = call.request.query("limit");
        int limit;
        try {
            limit = text.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw bad("limit", "'" + text.get() + "' is not a number");
        }
        if (limit < 1 || limit > max) {
            throw bad("limit", "must be between 1 and " + max + ", not " + limit);
        }
        return limit;
    }

    static InvalidInputException bad(String field, String reason) {
        return new InvalidInputException(InputError.of("query", field, reason));
    }
}
