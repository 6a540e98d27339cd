package org.dmiplatform.core.internal.site;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;

/**
 * The settings of a site as text, from a {@code site.cfg}, a request body or its stored configuration, checked
 * into a {@link Site}. One set of rules wherever the settings come from.
 */
final class SiteSettings {
    static final Set<String> KEYS =
            Set.of("id", "name", "jurisdiction", "timeZone", "sourceCrs", "cohort", "features", "bounds");

    private static final Pattern CRS = Pattern.compile("EPSG:\\d{4,6}");
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private SiteSettings() {}

    /**
     * @param settings raw values by key; lists are comma-separated
     * @param defaultId the id to use when none is given (a folder's name), or null
     * @param lines where each key was found, 0 if unknown
     */
    static Site check(Map<String, String> settings, String defaultId, String source, ToIntFunction<String> lines) {
        List<InputError> errors = new ArrayList<>();
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                errors.add(new InputError(
                        source,
                        lines.applyAsInt(key),
                        key,
                        "is not a site setting; known: " + String.join(", ", new java.util.TreeSet<>(KEYS))));
            }
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getValue().contains("${")) {
                errors.add(new InputError(source, lines.applyAsInt(e.getKey()), e.getKey(), "must not contain '${'"));
            }
        }
        String id =
                settings.getOrDefault("id", defaultId == null ? "" : defaultId).strip();
        if (!Site.isValidId(id)) {
            errors.add(new InputError(source, lines.applyAsInt("id"), "id", "'" + id + "' " + Site.ID_RULE));
        }
        if (defaultId != null && settings.containsKey("id") && !id.equals(defaultId)) {
            errors.add(new InputError(
                    source,
                    lines.applyAsInt("id"),
                    "id",
                    "'" + id + "' differs from the folder name '" + defaultId + "'"));
        }
        String name = text(settings, "name", 1, 120, source, lines, errors);
        String jurisdiction = text(settings, "jurisdiction", 0, 200, source, lines, errors);
        String cohort = text(settings, "cohort", 0, 80, source, lines, errors);
        ZoneId zone = null;
        String zoneText = settings.getOrDefault("timeZone", "").strip();
        if (zoneText.isEmpty()) {
            errors.add(new InputError(
                    source, lines.applyAsInt("timeZone"), "timeZone", "is required, e.g. America/Chicago"));
        } else {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                errors.add(new InputError(
                        source,
                        lines.applyAsInt("timeZone"),
                        "timeZone",
                        "'" + zoneText + "' is not a time zone id such as America/Denver"));
            }
        }
        List<String> crs = list(settings, "sourceCrs", CRS, "an EPSG code such as EPSG:3435", source, lines, errors);
        List<String> features = list(settings, "features", FEATURE, "a feature name", source, lines, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<Site.Bounds> bounds = bounds(settings.getOrDefault("bounds", ""), source, lines, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Site(id, name, jurisdiction, zone, crs, cohort, features, bounds);
    }

    /** {@code west,south,east,north} in degrees, or nothing. */
    private static Optional<Site.Bounds> bounds(
            String text, String source, ToIntFunction<String> lines, List<InputError> errors) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        String[] parts = text.split(",");
        try {
            if (parts.length == 4) {
                double w = Double.parseDouble(parts[0].strip());
                double s = Double.parseDouble(parts[1].strip());
                double e = Double.parseDouble(parts[2].strip());
                double n = Double.parseDouble(parts[3].strip());
                if (w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n) {
                    return Optional.of(new Site.Bounds(w, s, e, n));
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(new InputError(
                source,
                lines.applyAsInt("bounds"),
                "bounds",
                "'" + text + "' is not west,south,east,north in degrees, e.g. -87.95,41.64,-87.52,42.03"));
        return Optional.empty();
    }

    /** A comma-separated list whose every item must match {@code pattern}. */
    private static List<String> list(
            Map<String, String> settings,
            String key,
            Pattern pattern,
            String expected,
            String source,
            ToIntFunction<String> lines,
            List<InputError> errors) {
        List<String> items = list(settings.get(key));
        for (String item : items) {
            if (!pattern.matcher(item).matches()) {
                errors.add(new InputError(source, lines.applyAsInt(key), key, "'" + item + "' is not " + expected));
            }
        }
        return items;
    }

    static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    private static String text(
            Map<String, String> settings,
            String key,
            int min,
            int max,
            String source,
            ToIntFunction<String> lines,
            List<InputError> errors) {
        String value = settings.getOrDefault(key, "").strip();
        if (value.length() < min || value.length() > max) {
            errors.add(new InputError(
                    source,
                    lines.applyAsInt(key),
                    key,
                    min > 0
                            ? "is required (" + min + "-" + max + " characters)"
                            : "must be at most " + max + " characters"));
        }
        return value;
    }
}
