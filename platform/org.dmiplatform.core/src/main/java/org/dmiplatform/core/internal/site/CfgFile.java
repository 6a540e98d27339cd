package org.dmiplatform.core.internal.site;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;

/**
 * A {@code .cfg} file as site IT write them: {@code key = value} lines, {@code #} comments. Reading keeps line
 * numbers for error messages and refuses what the platform would otherwise misread (continuation lines,
 * duplicate keys, text that is not UTF-8). Writing produces what Felix FileInstall reads back unchanged.
 */
record CfgFile(String source, Map<String, Value> values) {

    record Value(String text, int line) {}

    static CfgFile read(Path file) {
        return read(file, file.toString());
    }

    /** Reads a file, naming it {@code source} in every error. */
    static CfgFile read(Path file, String source) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(InputError.of(source, "", "cannot be read: " + e.getMessage()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(InputError.of(source, "", "is not UTF-8 text"));
        }
        return parse(source, text);
    }

    static CfgFile parse(String source, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, Value> values = new LinkedHashMap<>();
        List<InputError> errors = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int separator = separator(line);
            if (separator < 0) {
                errors.add(new InputError(source, number, "", "expected 'key = value'"));
                continue;
            }
            String key = line.substring(0, separator).strip();
            String value = line.substring(separator + 1).strip();
            if (key.isEmpty()) {
                errors.add(new InputError(source, number, "", "the key before '=' is empty"));
            } else if (value.endsWith("\\")) {
                errors.add(new InputError(
                        source, number, key, "continuation lines are not supported; put the value on one line"));
            } else if (values.containsKey(key)) {
                errors.add(new InputError(
                        source,
                        number,
                        key,
                        "is set twice (first on line " + values.get(key).line() + ")"));
            } else {
                values.put(key, new Value(unescape(value), number));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new CfgFile(source, values);
    }

    private static int separator(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    private static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                if (next == 'u' && i + 4 < value.length()) {
                    out.append((char) Integer.parseInt(value.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    out.append(next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.text()));
        return out;
    }

    int line(String key) {
        Value value = values.get(key);
        return value == null ? 0 : value.line();
    }

    /** Properties in FileInstall's format: backslash, separators and non-ASCII escaped. */
    static String render(String header, Map<String, ?> properties) {
        StringBuilder out = new StringBuilder("# ").append(header).append('\n');
        properties.forEach((key, value) -> out.append(escape(key, true))
                .append(" = ")
                .append(escape(String.valueOf(value), false))
                .append('\n'));
        return out.toString();
    }

    private static String escape(String text, boolean key) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || (key && (c == '=' || c == ':' || c == ' ')) || (i == 0 && (c == '#' || c == '!'))) {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
