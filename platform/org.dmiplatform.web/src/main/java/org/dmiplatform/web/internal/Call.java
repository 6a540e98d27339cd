package org.dmiplatform.web.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.User;

/** One request being handled: who is calling, the path parameters, and the body read as JSON with limits. */
final class Call {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String SOURCE = "request body";

    final ApiRequest request;
    final Route route;
    final Map<String, String> params;
    final Optional<Session> session;

    Call(ApiRequest request, Route route, Map<String, String> params, Optional<Session> session) {
        this.request = request;
        this.route = route;
        this.params = params;
        this.session = session;
    }

    User user() {
        return session.orElseThrow(ApiException::notLoggedIn).user();
    }

    /** The logged-in user and their address, for the programme services' own checks and audit. */
    Caller caller() {
        return new Caller(user(), request.remoteAddress());
    }

    Actor actor() {
        return new Actor(session.map(s -> s.user().username()).orElse("-"), request.remoteAddress());
    }

    String param(String name) {
        return params.get(name);
    }

    long idParam(String name) {
        try {
            return Long.parseLong(params.get(name));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no such " + name + " '" + params.get(name) + "'", false);
        }
    }

    /** Reads the body as JSON into {@code type}: refuses the wrong content type, an oversized or malformed body. */
    <T> T body(Class<T> type) {
        String contentType = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.equals("application/json") && !contentType.startsWith("application/json;")) {
            throw new ApiException(
                    415, "Unsupported media type", "send the body as application/json", List.of(), false);
        }
        byte[] bytes = read(request.body());
        if (bytes.length == 0) {
            throw ApiException.badRequest("a JSON body is required", List.of());
        }
        try {
            T value = Json.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw ApiException.badRequest("the body must be a JSON object", List.of());
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(
                    "the JSON is nested too deeply or holds a value that is too long",
                    List.of(new InputError(
                            SOURCE,
                            line(e.getLocation()),
                            "",
                            "nesting is limited to " + Json.MAX_NESTING + " levels and strings to " + Json.MAX_STRING
                                    + " characters")));
        } catch (JsonProcessingException e) {
            InputError error = describe(e);
            // the detail names the field (and line) as the error does: "... field 'x': is not a known field"
            throw ApiException.badRequest("the request body was refused: " + error, List.of(error));
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read", List.of());
        }
    }

    /** Content types an upload of records may have; JSON is the API's own and not a records export. */
    static final java.util.Set<String> UPLOAD_TYPES = java.util.Set.of(
            "text/csv",
            "text/plain",
            "application/octet-stream",
            "application/xml",
            "text/xml",
            "application/vnd.ms-excel",
            // a Crime Data Explorer extract, as downloaded
            "application/zip",
            "application/x-zip-compressed");

    /**
     * Streams the body to a temporary file, refusing a wrong content type and anything over {@code maxBytes}. The
     * caller owns the file.
     */
    /** Content types a boundary layer may be uploaded as. */
    static final java.util.Set<String> LAYER_TYPES = java.util.Set.of(
            "application/geo+json",
            "application/json",
            "application/vnd.google-earth.kml+xml",
            "application/xml",
            "text/xml",
            "application/zip",
            "application/x-zip-compressed",
            "application/octet-stream");

    /** What reads an uploaded file once. */
    @FunctionalInterface
    interface UploadReader<T> {
        T read(InputStream in);
    }

    /**
     * The body, taken as {@link #upload(long, java.util.Set)} takes it, handed to {@code reader} once and then deleted:
     * for a file that is read at once rather than kept (a layer, a directory package).
     */
    <T> T readUpload(long maxBytes, java.util.Set<String> types, UploadReader<T> reader) {
        java.nio.file.Path file = upload(maxBytes, types);
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return reader.read(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // a temporary file
            }
        }
    }

    java.nio.file.Path upload(long maxBytes) {
        return upload(maxBytes, UPLOAD_TYPES);
    }

    java.nio.file.Path upload(long maxBytes, java.util.Set<String> types) {
        String contentType = request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        String bare = contentType.contains(";")
                ? contentType.substring(0, contentType.indexOf(';')).strip()
                : contentType.strip();
        if (!types.contains(bare)) {
            throw new ApiException(
                    415,
                    "Unsupported media type",
                    "send the file as one of " + String.join(", ", new java.util.TreeSet<>(types)),
                    List.of(),
                    false);
        }
        java.nio.file.Path file = null;
        try {
            file = java.nio.file.Files.createTempFile("dmi-upload-", ".part");
            long copied = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = request.body();
                    java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                for (int n; in != null && (n = in.read(buffer)) > 0; ) {
                    copied += n;
                    if (copied > maxBytes) {
                        throw new ApiException(
                                413,
                                "Payload too large",
                                "the upload is larger than " + maxBytes / (1024 * 1024) + " MiB",
                                List.of(),
                                false);
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (copied == 0) {
                throw ApiException.badRequest(
                        "the upload is empty", List.of(InputError.of("upload", "", "is empty: no bytes were sent")));
            }
            return file;
        } catch (IOException e) {
            delete(file);
            throw ApiException.badRequest("the upload could not be read", List.of());
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    private static void delete(java.nio.file.Path file) {
        if (file != null) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the JVM's temp folder is cleaned with the runtime
            }
        }
    }

    private static byte[] read(InputStream in) {
        if (in == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ApiException(
                        413,
                        "Payload too large",
                        "the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB",
                        List.of(),
                        false);
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read", List.of());
        }
    }

    private static InputError describe(JsonProcessingException e) {
        int line = line(e.getLocation());
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .collect(Collectors.toCollection(TreeSet::new))
                            .toString();
            return new InputError(SOURCE, line, path(unknown), "is not a known field; known fields: " + known);
        }
        if (e instanceof ValueInstantiationException invalid) {
            Throwable cause = invalid.getCause() == null ? invalid : invalid.getCause();
            return new InputError(SOURCE, line, path(invalid), scrub(String.valueOf(cause.getMessage())));
        }
        if (e instanceof InvalidFormatException format) {
            String message = String.valueOf(format.getOriginalMessage());
            int hint = message.indexOf("not one of");
            return new InputError(
                    SOURCE,
                    line,
                    path(format),
                    "'" + format.getValue() + "' is not valid" + (hint >= 0 ? ": " + message.substring(hint) : ""));
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch) {
            String where = path(mismatch);
            return new InputError(SOURCE, line, where, "must be " + expected(mismatch.getTargetType()));
        }
        if (e instanceof JsonMappingException mapping) {
            return new InputError(SOURCE, line, path(mapping), "has the wrong type");
        }
        if (e instanceof JsonParseException parse) {
            return new InputError(
                    SOURCE, line, "", "is not well-formed JSON: " + scrub(firstLine(parse.getOriginalMessage())));
        }
        return new InputError(SOURCE, line, "", "is not valid JSON");
    }

    /** What a value of the type looks like in JSON, in words: never the type's name. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another kind";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "text (a JSON string)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c instanceof org.dmiplatform.api.Identified id
                                    ? id.id()
                                    : c.toString().toLowerCase(Locale.ROOT))
                            .toList();
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list (a JSON array [...])";
        }
        if (type.getName().startsWith("java.time.")) {
            return "a date or time written as text";
        }
        return "an object (a JSON object {...})";
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** Names of the code's types out of a message written for programmers. */
    static String scrub(String message) {
        return message.replaceAll("`[^`]*`", "a value")
                .replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:\\$[A-Za-z0-9_]+)*", "a value");
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : Math.max(0, location.getLineNr());
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
