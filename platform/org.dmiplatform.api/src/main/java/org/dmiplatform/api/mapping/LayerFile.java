package org.dmiplatform.api.mapping;

import java.io.InputStream;
import java.util.Objects;

/**
 * A boundary layer file as uploaded.
 *
 * @param name the layer's short name ({@code beats}): lower-case letters, digits and '-', 2 to 40
 * @param label display name ({@code Police beats}); the name when blank
 * @param fileName the uploaded file's name: its ending says the format ({@code .geojson}, {@code .json},
 *     {@code .kml}, {@code .zip} holding a shapefile)
 * @param content the file's bytes; the plug-in reads it once and does not close it
 */
public record LayerFile(String name, String label, String fileName, InputStream content) {
    public LayerFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        label = label == null || label.isBlank() ? name : label.strip();
        fileName = Objects.requireNonNullElse(fileName, "");
    }
}
