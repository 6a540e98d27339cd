package org.dmiplatform.mapping.jts.internal;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import org.dmiplatform.api.records.CrimeRecord;

/**
 * The located records of a query as growable columns: longitude and latitude as read, x and y in metres on the local
 * plane, the month (in the site's zone) as months since year 0, and the category ordinal. 40 bytes per record, never
 * the records. The plane is the site's; for a site without a box, it is centred on the first located record.
 */
final class Located {
    LocalMetres plane;
    private final ZoneId zone;
    double[] lons = new double[1024];
    double[] lats = new double[1024];
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
            lons = Arrays.copyOf(lons, size);
            lats = Arrays.copyOf(lats, size);
            xs = Arrays.copyOf(xs, size);
            ys = Arrays.copyOf(ys, size);
            months = Arrays.copyOf(months, size);
            categories = Arrays.copyOf(categories, size);
        }
        CrimeRecord.Location l = r.location().get();
        if (plane == null) {
            plane = new LocalMetres(l.longitude(), l.latitude());
        }
        lons[n] = l.longitude();
        lats[n] = l.latitude();
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
