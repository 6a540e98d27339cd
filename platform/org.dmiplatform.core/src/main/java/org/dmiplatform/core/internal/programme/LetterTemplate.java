package org.dmiplatform.core.internal.programme;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;

/**
 * The letter to a call-in candidate (Step 6a): a versioned template of paragraphs with {@code {{placeholders}}},
 * filled once and rendered both as HTML and as PDF, so the two always say the same.
 */
final class LetterTemplate {
    static final String VERSION = "letter-v2";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z]+)}}");
    /** Anything written as a placeholder, well formed or not: {@code {{ name }}}, {@code {{call-in}}}. */
    private static final Pattern LOOKS_LIKE_PLACEHOLDER = Pattern.compile("\\{\\{[^{}\\n]{0,40}}}");

    /**
     * The placeholders a letter fills, with what each becomes: a template (the platform's own, or a site's copy of a
     * national letter template) may use these and no others.
     */
    static final Map<String, String> PLACEHOLDERS = ordered(
            "name", "the candidate's name",
            "area", "the market intervention's name",
            "date", "the day the letter is made, at the site",
            "callInDate", "the call-in's day",
            "callInTime", "the call-in's time",
            "callInPlace", "the call-in's place",
            "chief", "the chief's name from the letterhead",
            "title", "the letterhead's signature block",
            "department", "the letterhead's department",
            "mailingAddress", "the letterhead's mailing address");

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private final String name;
    private final String text;

    LetterTemplate(String text) {
        this(VERSION, text);
    }

    /** @param name what the letters record as their template, e.g. {@code material-4 copy 2 of v3} */
    LetterTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    String name() {
        return name;
    }

    /**
     * What is wrong with a template's text, each with its line: a placeholder the letter does not fill, or one not
     * written {@code {{name}}}. Empty when the letter can be made from it.
     */
    static List<org.dmiplatform.api.InputError> problems(String source, String field, String text) {
        List<org.dmiplatform.api.InputError> out = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LOOKS_LIKE_PLACEHOLDER.matcher(lines[i]);
            while (m.find()) {
                Matcher exact = PLACEHOLDER.matcher(m.group());
                if (!exact.matches()) {
                    out.add(new org.dmiplatform.api.InputError(
                            source,
                            i + 1,
                            field,
                            m.group() + " is not a placeholder: write one as {{name}}, letters only, no spaces"));
                } else if (!PLACEHOLDERS.containsKey(exact.group(1))) {
                    out.add(new org.dmiplatform.api.InputError(
                            source,
                            i + 1,
                            field,
                            m.group() + " is not a placeholder the letter fills; it fills "
                                    + String.join(
                                            ", ",
                                            PLACEHOLDERS.keySet().stream()
                                                    .map(p -> "{{" + p + "}}")
                                                    .toList())));
                }
            }
        }
        return out;
    }

    static LetterTemplate standard() {
        try (InputStream in = LetterTemplate.class.getResourceAsStream("/programme/" + VERSION + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("the letter template " + VERSION + " is missing from the bundle");
            }
            return new LetterTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The letter's paragraphs, placeholders filled; an unknown placeholder is a template error. */
    List<String> paragraphs(Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String paragraph : text.strip().split("\\R\\s*\\R")) {
            Matcher m = PLACEHOLDER.matcher(paragraph.strip().replaceAll("\\s*\\R\\s*", "\n"));
            StringBuilder filled = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalStateException(
                            "letter template " + name + " uses an unknown placeholder " + m.group());
                }
                m.appendReplacement(filled, Matcher.quoteReplacement(value));
            }
            m.appendTail(filled);
            // a paragraph whose placeholders were all blank (no letterhead yet) is left out; so are blank lines
            String text = filled.toString().strip().replaceAll("\n\\s*\n", "\n");
            if (!text.isEmpty()) {
                out.add(text);
            }
        }
        return out;
    }

    static String html(String title, List<String> paragraphs) {
        StringBuilder out = new StringBuilder(
                        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append(
                        "</title><style>body{font-family:Georgia,serif;max-width:40em;margin:3em auto;line-height:1.5}</style></head><body>\n");
        for (String paragraph : paragraphs) {
            out.append("<p>").append(escape(paragraph).replace("\n", "<br>")).append("</p>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** US Letter, Times 12 pt, 1-inch margins, paragraphs wrapped to the line. */
    static byte[] pdf(List<String> paragraphs) {
        PDFont font = PDType1Font.TIMES_ROMAN;
        float size = 12;
        float leading = 1.45f * size;
        float margin = 72;
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            PDRectangle box = PDRectangle.LETTER;
            float width = box.getWidth() - 2 * margin;
            List<String> lines = new ArrayList<>();
            for (String paragraph : paragraphs) {
                for (String line : paragraph.split("\n")) {
                    lines.addAll(wrap(font, size, width, printable(font, line)));
                }
                lines.add("");
            }
            PDPageContentStream content = null;
            float y = 0;
            for (String line : lines) {
                if (content == null || y < margin) {
                    if (content != null) {
                        content.endText();
                        content.close();
                    }
                    PDPage page = new PDPage(box);
                    document.addPage(page);
                    content = new PDPageContentStream(document, page);
                    content.beginText();
                    content.setFont(font, size);
                    content.setLeading(leading);
                    y = box.getHeight() - margin;
                    content.newLineAtOffset(margin, y);
                }
                content.showText(line);
                content.newLine();
                y -= leading;
            }
            if (content != null) {
                content.endText();
                content.close();
            }
            document.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the letter as PDF", e);
        }
    }

    private static List<String> wrap(PDFont font, float size, float width, String text) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && font.getStringWidth(candidate) / 1000 * size > width) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }

    /** The standard fonts cover Latin-1; anything else becomes '?' rather than failing the letter. */
    private static String printable(PDFont font, String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }
}
