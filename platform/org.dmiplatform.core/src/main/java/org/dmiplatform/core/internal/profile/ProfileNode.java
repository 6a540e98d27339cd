package org.dmiplatform.core.internal.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value that remembers its path and line, so that a mistake in a profile is reported where the analyst wrote
 * it ("line 14, field 'fields.occurredFrom.formats[0]'").
 */
final class ProfileNode {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxStringLength(100_000)
                    .build())
            .build();

    final String path;
    final int line;
    private final Object value;

    private ProfileNode(String path, int line, Object value) {
        this.path = path;
        this.line = line;
        this.value = value;
    }

    static ProfileNode parse(String text) throws JsonProcessingException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() == null) {
                throw new JsonProcessingException("the file is empty", parser.currentLocation()) {};
            }
            ProfileNode root = read(parser, "");
            if (parser.nextToken() != null) {
                throw new JsonProcessingException("more than one JSON value", parser.currentLocation()) {};
            }
            return root;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProfileNode read(JsonParser p, String path) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, ProfileNode> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    fields.put(name, read(p, path.isEmpty() ? name : path + "." + name));
                }
                return new ProfileNode(path, line, Collections.unmodifiableMap(fields));
            }
            case START_ARRAY -> {
                List<ProfileNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, path + "[" + items.size() + "]"));
                }
                return new ProfileNode(path, line, List.copyOf(items));
            }
            case VALUE_STRING -> {
                return new ProfileNode(path, line, p.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new ProfileNode(path, line, p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new ProfileNode(path, line, token == JsonToken.VALUE_TRUE);
            }
            default -> {
                return new ProfileNode(path, line, null);
            }
        }
    }

    boolean isObject() {
        return value instanceof Map;
    }

    boolean isArray() {
        return value instanceof List;
    }

    boolean isText() {
        return value instanceof String;
    }

    boolean isNumber() {
        return value instanceof java.math.BigDecimal;
    }

    boolean isBoolean() {
        return value instanceof Boolean;
    }

    @SuppressWarnings("unchecked")
    Map<String, ProfileNode> fields() {
        return isObject() ? (Map<String, ProfileNode>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    List<ProfileNode> items() {
        return isArray() ? (List<ProfileNode>) value : List.of();
    }

    String text() {
        return isText() ? (String) value : String.valueOf(value);
    }

    java.math.BigDecimal number() {
        return (java.math.BigDecimal) value;
    }

    boolean bool() {
        return Boolean.TRUE.equals(value);
    }

    /** The member, or null when absent. */
    ProfileNode get(String key) {
        return fields().get(key);
    }

    /** This object with only the given keys. */
    ProfileNode only(java.util.Set<String> keys) {
        Map<String, ProfileNode> kept = new LinkedHashMap<>();
        fields().forEach((k, v) -> {
            if (keys.contains(k)) {
                kept.put(k, v);
            }
        });
        return new ProfileNode(path, line, Collections.unmodifiableMap(kept));
    }

    String describe() {
        if (isObject()) {
            return "an object";
        }
        if (isArray()) {
            return "a list";
        }
        if (isText()) {
            return "the text \"" + value + "\"";
        }
        return value == null ? "null" : String.valueOf(value);
    }
}
