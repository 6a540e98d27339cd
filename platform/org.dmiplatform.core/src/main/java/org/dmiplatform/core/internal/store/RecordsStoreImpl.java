package org.dmiplatform.core.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.AccessDeniedException;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.api.store.RecordsStore;
import org.dmiplatform.core.internal.storage.Database;
import org.dmiplatform.core.internal.storage.Sql;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The records store over the {@code records} table. Pages follow the time index newest first with a keyset cursor;
 * streams read in batches (constant memory); counts group in the database where the filter is exact, and in one
 * streaming pass where a polygon must be tested record by record.
 */
@Component(service = RecordsStore.class)
public class RecordsStoreImpl implements RecordsStore {
    /** Who reads the records themselves. */
    public static final Role[] READERS = {Role.POLICE, Role.PROSECUTOR, Role.SITE_ADMIN, Role.RESEARCH, Role.POC};
    /** Who reads only counts, small ones suppressed. */
    static final Role[] AGGREGATES = {Role.TTA_ADMIN, Role.TTA_STAFF};

    private static final String ORDER = " ORDER BY occurred_from DESC, kind DESC, source_id DESC";

    private final Database database;
    private final Sites sites;
    private final AuditLog audit;

    @Activate
    public RecordsStoreImpl(@Reference Database database, @Reference Sites sites, @Reference AuditLog audit) {
        this.database = database;
        this.sites = sites;
        this.audit = audit;
    }

    private Site site(String id) {
        return sites.find(id).orElseThrow(() -> new NoSuchElementException("no site '" + id + "'"));
    }

    private void requireRecords(String site, Caller caller, String what) {
        if (!caller.holdsAt(site, READERS)) {
            audited(site, caller, "records.read", AuditOutcome.DENIED, what);
            throw new AccessDeniedException("reading records needs one of the roles police, prosecutor, site-admin,"
                    + " research or poc at " + site + "; national staff see counts only");
        }
    }

    /** True when the caller sees only counts, with small ones suppressed. */
    private boolean aggregatesOnly(String site, Caller caller, String what) {
        if (caller.holdsAt(site, READERS)) {
            return false;
        }
        if (caller.holdsAt(site, AGGREGATES)) {
            return true;
        }
        audited(site, caller, "records.count", AuditOutcome.DENIED, what);
        throw new AccessDeniedException("counting records needs a role that reads records at " + site);
    }

    private void audited(String site, Caller caller, String action, AuditOutcome outcome, String detail) {
        audit.record(new AuditEvent(
                caller.user().username(),
                site,
                action,
                "records",
                caller.from(),
                outcome,
                detail.length() > 500 ? detail.substring(0, 500) : detail));
    }

    @Override
    public RecordPage page(String site, RecordQuery query, Optional<String> after, int limit, Caller caller) {
        site(site);
        String what = describe(query) + after.map(a -> ", after a cursor").orElse("");
        requireRecords(site, caller, what);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException(
                    InputError.of("query", "limit", "must be between 1 and " + MAX_PAGE + ", not " + limit));
        }
        RecordFilter filter = RecordFilter.of(site, query);
        Optional<RecordFilter.Cursor> cursor = after.map(RecordFilter.Cursor::decode);
        List<CrimeRecord> page = new ArrayList<>();
        boolean more = database.stream(c -> {
            String sql = "SELECT " + RecordRows.COLUMNS + " FROM records WHERE "
                    + (cursor.isPresent() ? filter.after() : filter.where) + ORDER;
            List<Object> args = cursor.isPresent() ? filter.afterArgs(cursor.get()) : filter.args;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(Math.min(limit + 1, Database.FETCH));
                Sql.bind(ps, args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CrimeRecord r = RecordRows.read(rs);
                        if (!filter.accepts(r)) {
                            continue;
                        }
                        if (page.size() == limit) {
                            return true;
                        }
                        page.add(r);
                    }
                }
            }
            return false;
        });
        audited(site, caller, "records.read", AuditOutcome.SUCCESS, what + ": " + page.size() + " record(s)");
        Optional<String> next = more && !page.isEmpty()
                ? Optional.of(RecordFilter.Cursor.of(page.get(page.size() - 1)).encode())
                : Optional.empty();
        return new RecordPage(page, next);
    }

    @Override
    public long stream(String site, RecordQuery query, Caller caller, Consumer<CrimeRecord> each) {
        site(site);
        String what = describe(query);
        requireRecords(site, caller, what);
        long handed = scan(site, query, each);
        audited(site, caller, "records.read", AuditOutcome.SUCCESS, what + ": streamed " + handed + " record(s)");
        return handed;
    }

    /** Every matching record, in page order, in constant memory. */
    private long scan(String site, RecordQuery query, Consumer<CrimeRecord> each) {
        RecordFilter filter = RecordFilter.of(site, query);
        return database.stream(c -> {
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + RecordRows.COLUMNS + " FROM records WHERE " + filter.where + ORDER)) {
                ps.setFetchSize(Database.FETCH);
                Sql.bind(ps, filter.args.toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CrimeRecord r = RecordRows.read(rs);
                        if (filter.accepts(r)) {
                            each.accept(r);
                            n++;
                        }
                    }
                }
            }
            return n;
        });
    }

    @Override
    public long count(String site, RecordQuery query, Caller caller) {
        site(site);
        String what = describe(query);
        boolean suppress = aggregatesOnly(site, caller, what);
        RecordFilter filter = RecordFilter.of(site, query);
        long count = filter.exact()
                ? database.read(c -> Sql.one(
                                c,
                                "SELECT COUNT(*) FROM records WHERE " + filter.where,
                                rs -> rs.getLong(1),
                                filter.args.toArray())
                        .orElse(0L))
                : scan(site, query, r -> {});
        audited(site, caller, "records.count", AuditOutcome.SUCCESS, what + ": " + count);
        return suppress && count < SMALL_COUNT ? 0 : count;
    }

    @Override
    public List<MonthCount> countsByMonth(String site, RecordQuery query, Caller caller) {
        ZoneId zone = site(site).timeZone();
        String what = describe(query) + ", by month";
        boolean suppress = aggregatesOnly(site, caller, what);
        // months and days are the site's, which the database cannot know (a zone's rules, daylight saving): the
        // records are grouped here, in one streaming pass, into a map as large as the months, never the records
        Map<YearMonth, Map<Category, long[]>> counts = new TreeMap<>();
        scan(site, query, r -> counts.computeIfAbsent(
                        YearMonth.from(r.occurredFrom().atZone(zone)), m -> new EnumMap<>(Category.class))
                .computeIfAbsent(r.category(), k -> new long[1])[0]++);
        List<MonthCount> out = new ArrayList<>();
        counts.forEach((month, byCategory) ->
                byCategory.forEach((category, n) -> out.add(new MonthCount(month, category, shown(n[0], suppress)))));
        audited(site, caller, "records.count", AuditOutcome.SUCCESS, what + ": " + out.size() + " cell(s)");
        return out;
    }

    @Override
    public List<DayCount> countsByDay(String site, RecordQuery query, Caller caller) {
        ZoneId zone = site(site).timeZone();
        String what = describe(query) + ", by day";
        boolean suppress = aggregatesOnly(site, caller, what);
        Map<LocalDate, long[]> counts = new TreeMap<>();
        scan(site, query, r -> counts.computeIfAbsent(LocalDate.ofInstant(r.occurredFrom(), zone), d -> new long[1])[
                0]++);
        List<DayCount> out = new ArrayList<>();
        counts.forEach((day, n) -> out.add(new DayCount(day, shown(n[0], suppress))));
        audited(site, caller, "records.count", AuditOutcome.SUCCESS, what + ": " + out.size() + " day(s)");
        return out;
    }

    @Override
    public Map<String, List<CategoryDayCount>> countsByDayIn(
            String site, RecordQuery query, Map<String, List<RecordQuery.Polygon>> areas, Caller caller) {
        ZoneId zone = site(site).timeZone();
        String what = describe(query) + ", by day in " + areas.size() + " area(s)";
        boolean suppress = aggregatesOnly(site, caller, what);
        List<String> names = new ArrayList<>(areas.keySet());
        List<org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator> locators = new ArrayList<>();
        List<RecordQuery.Polygon> all = new ArrayList<>();
        for (String name : names) {
            locators.add(RecordFilter.locator(areas.get(name)));
            all.addAll(areas.get(name));
        }
        Map<String, Map<LocalDate, Map<Category, long[]>>> counts = new java.util.HashMap<>();
        if (!all.isEmpty()) {
            // the common box in the SQL; only the columns counted, in no order: a count needs neither
            RecordFilter filter = RecordFilter.of(site, query.within(all));
            database.stream(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT occurred_from, category, longitude, latitude"
                        + " FROM records WHERE " + filter.where)) {
                    ps.setFetchSize(Database.FETCH);
                    Sql.bind(ps, filter.args.toArray());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            double lon = rs.getDouble(3);
                            double lat = rs.getDouble(4);
                            LocalDate day = null;
                            Category category = null;
                            for (int i = 0; i < names.size(); i++) {
                                if (!RecordFilter.inside(locators.get(i), lon, lat)) {
                                    continue;
                                }
                                if (day == null) {
                                    day = LocalDate.ofInstant(Sql.instant(rs, 1), zone);
                                    category = Category.valueOf(rs.getString(2));
                                }
                                counts.computeIfAbsent(names.get(i), k -> new TreeMap<>())
                                        .computeIfAbsent(day, d -> new EnumMap<>(Category.class))
                                        .computeIfAbsent(category, k -> new long[1])[0]++;
                            }
                        }
                    }
                }
                return null;
            });
        }
        Map<String, List<CategoryDayCount>> out = new java.util.LinkedHashMap<>();
        int cells = 0;
        for (String name : names) {
            List<CategoryDayCount> list = new ArrayList<>();
            counts.getOrDefault(name, Map.of())
                    .forEach((day, byCategory) -> byCategory.forEach(
                            (category, n) -> list.add(new CategoryDayCount(day, category, shown(n[0], suppress)))));
            cells += list.size();
            out.put(name, list);
        }
        audited(site, caller, "records.count", AuditOutcome.SUCCESS, what + ": " + cells + " cell(s)");
        return out;
    }

    private static Optional<Long> shown(long n, boolean suppress) {
        return suppress && n < SMALL_COUNT ? Optional.empty() : Optional.of(n);
    }

    /** The query in words, for the audit log. */
    static String describe(RecordQuery q) {
        List<String> parts = new ArrayList<>();
        q.from().ifPresent(f -> parts.add("from " + f));
        q.to().ifPresent(t -> parts.add("to " + t));
        if (!q.kinds().isEmpty()) {
            parts.add("kinds " + q.kinds());
        }
        if (!q.categories().isEmpty()) {
            parts.add("categories " + q.categories());
        }
        q.partOne().ifPresent(p -> parts.add(p ? "Part I" : "not Part I"));
        q.box().ifPresent(b -> parts.add("box " + b));
        if (!q.within().isEmpty()) {
            parts.add("within " + q.within().size() + " polygon(s)");
        }
        return parts.isEmpty() ? "all records" : String.join(", ", parts);
    }
}
