package org.dmiplatform.api.store;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.records.CrimeRecord;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The records of the sites, as imported: the one way mapping, reporting, the console and the REST API read them.
 * Every method takes the caller, refuses a caller without a role that may read records at the site, and writes an
 * audit entry of the read (what was asked, how many records answered).
 *
 * <p>Who reads what: police, prosecutors, the site administrator, the research partner and the point of contact read
 * the records themselves; national TTA staff read only the counts, with any count under {@link #SMALL_COUNT}
 * suppressed.
 */
@ProviderType
public interface RecordsStore {

    /** Counts under this are suppressed for those who may see aggregates only. */
    int SMALL_COUNT = 5;

    /** The most records one page holds. */
    int MAX_PAGE = 1000;

    /**
     * One page of records, newest first. The order is total (time, then kind, then source id), so the pages of a
     * query, followed by their cursors, hold every matching record exactly once, even while records are imported.
     *
     * @param after the cursor of the previous page ({@link RecordPage#next}), empty for the first page
     * @param limit 1 to {@value #MAX_PAGE}
     * @throws org.dmiplatform.api.InvalidInputException for a cursor this store did not make, or a limit out of range
     */
    RecordPage page(String site, RecordQuery query, Optional<String> after, int limit, Caller caller);

    /**
     * Every matching record, in the order of {@link #page}, handed to {@code each} one at a time as it is read: in
     * constant memory, however many there are.
     *
     * @return how many records were handed over
     */
    long stream(String site, RecordQuery query, Caller caller, Consumer<CrimeRecord> each);

    /** How many records match. */
    long count(String site, RecordQuery query, Caller caller);

    /** Counts by category and month (in the site's time zone), for maps and reports. */
    List<MonthCount> countsByMonth(String site, RecordQuery query, Caller caller);

    /** Counts by day (in the site's time zone). */
    List<DayCount> countsByDay(String site, RecordQuery query, Caller caller);

    /**
     * Counts by day (in the site's time zone) and category in each of several areas, in one pass: the query's records
     * inside the areas' common box are read once, and each is counted in every area that holds it. The query's own
     * {@code within} is ignored; the areas take its place.
     *
     * @param areas the caller's name for each area, and its polygons
     * @return for each area named, its counts (an area without records has none)
     */
    Map<String, List<CategoryDayCount>> countsByDayIn(
            String site, RecordQuery query, Map<String, List<RecordQuery.Polygon>> areas, Caller caller);

    /**
     * A page of records.
     *
     * @param records at most the limit asked for
     * @param next the cursor of the next page; empty when this page is the last
     */
    record RecordPage(List<CrimeRecord> records, Optional<String> next) {
        public RecordPage {
            records = List.copyOf(records);
        }
    }

    /**
     * How many records of a category in one month.
     *
     * @param count empty where it is suppressed (under {@value RecordsStore#SMALL_COUNT}, for aggregates-only roles)
     */
    record MonthCount(YearMonth month, Category category, Optional<Long> count) {}

    /**
     * How many records on one day.
     *
     * @param count empty where it is suppressed (under {@value RecordsStore#SMALL_COUNT}, for aggregates-only roles)
     */
    record DayCount(LocalDate day, Optional<Long> count) {}

    /** @param count empty when suppressed (under {@link #SMALL_COUNT}, for those who see aggregates only) */
    record CategoryDayCount(LocalDate day, Category category, Optional<Long> count) {}
}
