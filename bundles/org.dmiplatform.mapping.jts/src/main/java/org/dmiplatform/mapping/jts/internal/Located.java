package org.dmiplatform.mapping.jts.internal;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import org.dmiplatform.api.records.CrimeRecord;

/**
 * The located records of a query on the local plane, as growable columns: x, y in metres, the month (in the site's
 * zone) as months since year 0, and the category ordinal. Sixteen bytes and two ints per record, never the records.
 */
final class Located {
    final LocalMetres plane;
    private final ZoneId zone;
    double[] xs = new double[1024];
    double[] ys = new double[1024];
    int[] months = new int[1024];
    int[] categories = new int[1024];
    int n;
    long unlocated;

    Located(LocalMetres plane, ZoneId zone) {
        this.plane = plane;
        this.zone = zone;
    }

    void add(CrimeRecord r) {
        if (r.location().isEmpty()) {
            unlocated++;
            return;
        }
        if (n == xs.length) {
            int size = n * 2;
            xs = Arrays.copyOf(xs, size);
            ys = Arrays.copyOf(ys, size);
            months = Arrays.copyOf(months, size);
            categories = Arrays.copyOf(categories, size);
        }
        CrimeRecord.Location l = r.location().get();
        xs[n] = plane.x(l.longitude(), l.latitude());
        ys[n] = plane.y(l.latitude());
        YearMonth m = YearMonth.from(r.occurredFrom().atZone(zone));
        months[n] = m.getYear() * 12 + m.getMonthValue() - 1;
        categories[n] = r.category().ordinal();
        n++;
    }

    static YearMonth month(int index) {
        return YearMonth.of(index / 12, index % 12 + 1);
    }
}
