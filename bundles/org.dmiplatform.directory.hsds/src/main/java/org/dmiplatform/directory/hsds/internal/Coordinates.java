package org.dmiplatform.directory.hsds.internal;

import java.util.Optional;

/**
 * A location's latitude and longitude (WGS84 degrees), checked before a distance is measured from them. A location
 * with none is taken and noted; one with coordinates that are not a place (a latitude beyond 90, a longitude beyond
 * 180, text, or 0, 0, the placeholder of systems that had none) is taken without them and listed as not used.
 */
record Coordinates(double latitude, double longitude) {

    /**
     * The coordinates of a location, when usable.
     *
     * @param field where the latitude is, as the report names it; the longitude's name is the same with
     *     {@code longitude} for {@code latitude}
     * @param where how the note of a location without coordinates names it
     */
    static Optional<Coordinates> check(
            String latitude, String longitude, String source, int line, String field, String where, Findings findings) {
        String lonField = field.replace("latitude", "longitude");
        if (latitude.isEmpty() && longitude.isEmpty()) {
            findings.unlocated(source, where);
            return Optional.empty();
        }
        if (latitude.isEmpty() || longitude.isEmpty()) {
            findings.reject(
                    source,
                    line,
                    latitude.isEmpty() ? lonField : field,
                    "has no " + (latitude.isEmpty() ? "latitude" : "longitude")
                            + " to go with it: the location is kept without coordinates");
            return Optional.empty();
        }
        Double lat = number(latitude);
        Double lon = number(longitude);
        if (lat == null || lon == null) {
            findings.reject(
                    source,
                    line,
                    lat == null ? field : lonField,
                    "'" + (lat == null ? latitude : longitude)
                            + "' is not a number: the location is kept without coordinates");
            return Optional.empty();
        }
        String pair = "latitude " + latitude + ", longitude " + longitude;
        if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
            findings.reject(
                    source,
                    line,
                    Math.abs(lat) > 90 ? field : lonField,
                    pair + " is not a place on Earth (latitude runs from -90 to 90, longitude from -180 to 180):"
                            + " the location is kept without coordinates");
            return Optional.empty();
        }
        if (lat == 0 && lon == 0) {
            findings.reject(
                    source,
                    line,
                    field,
                    pair + " is the placeholder of a system that had none: the location is kept without coordinates");
            return Optional.empty();
        }
        return Optional.of(new Coordinates(lat, lon));
    }

    private static Double number(String text) {
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
