package org.dmiplatform.api;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One city or county running the programme. A site is a factory configuration ({@link #FACTORY_PID}) named by
 * its id; everything it owns in storage is keyed by that id.
 *
 * @param id lower-case short name used in URLs and configuration, e.g. {@code chicago}
 * @param name display name
 * @param jurisdiction the agency or area the site serves
 * @param timeZone the zone the site's records are written in
 * @param sourceCrs coordinate systems its records arrive in, e.g. {@code EPSG:3435}
 * @param cohort the TTA cohort the site belongs to (may be empty)
 * @param features Karaf features the site needs (its plug-ins)
 * @param bounds the box the site's records must fall in (longitude/latitude), if set: a record outside it is
 *     quarantined
 */
public record Site(
        String id,
        String name,
        String jurisdiction,
        ZoneId timeZone,
        List<String> sourceCrs,
        String cohort,
        List<String> features,
        Optional<Bounds> bounds) {

    public static final String FACTORY_PID = "org.dmiplatform.site";

    /** Service property naming the site a plug-in service belongs to. */
    public static final String SERVICE_PROPERTY = "dmi.site";

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,31}");

    public Site {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeZone, "timeZone");
        jurisdiction = Objects.requireNonNullElse(jurisdiction, "");
        cohort = Objects.requireNonNullElse(cohort, "");
        sourceCrs = List.copyOf(Objects.requireNonNullElse(sourceCrs, List.of()));
        features = List.copyOf(Objects.requireNonNullElse(features, List.of()));
        bounds = Objects.requireNonNullElse(bounds, Optional.empty());
        if (!isValidId(id)) {
            throw new IllegalArgumentException("site id '" + id + "' " + ID_RULE);
        }
    }

    public static final String ID_RULE = "must be 2-32 characters: a lower-case letter, then letters, digits or '-'";

    /** The settings as text, lists comma-separated: the form they take in {@code site.cfg} and configuration. */
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", name);
        out.put("jurisdiction", jurisdiction);
        out.put("timeZone", timeZone.getId());
        out.put("sourceCrs", String.join(",", sourceCrs));
        out.put("cohort", cohort);
        out.put("features", String.join(",", features));
        bounds.ifPresent(b -> out.put("bounds", b.toString()));
        return out;
    }

    /** A longitude/latitude box, written {@code west,south,east,north}. */
    public record Bounds(double west, double south, double east, double north) {
        public boolean contains(double longitude, double latitude) {
            return longitude >= west && longitude <= east && latitude >= south && latitude <= north;
        }

        @Override
        public String toString() {
            return west + "," + south + "," + east + "," + north;
        }
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
