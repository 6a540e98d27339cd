package org.dmiplatform.directory.hsds.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.programme.Market.ServiceCategory;
import org.dmiplatform.directory.listing.Listing;
import org.dmiplatform.directory.listing.ProgrammeTerms;
import org.dmiplatform.directory.listing.Search;

/**
 * How a directory's services fall into the programme's six categories: per category, taxonomy codes and words. A
 * service is in a category when one of its terms has one of the codes, or its name or a term's name has one of the
 * words.
 *
 * <p>A code matches itself and the codes below it in the AIRS/211 hierarchy: {@code RX} matches {@code RX-8450} and
 * {@code RX-8450.8000-050}, {@code H} matches {@code HD-0500}. Words match whole words, in any case: {@code bus}
 * matches "Bus Passes", not "business"; {@code job training} matches the two words together.
 *
 * <p>The built-in codes are top-level AIRS/211 LA codes (RX Substance Use Disorder Services, H Education, ND
 * Employment, BT Transportation) and the two family ones the programme needs most (PH-1250 child care providers,
 * PH-6100 parenting); job training has words only, its AIRS codes sitting among employment's and education's. A site
 * replaces the rules of a category with a JSON file naming it: {@code {"drug-treatment": {"codes": ["RX-8450"],
 * "words": ["detox"]}}}; categories the file does not name keep the built-in rules, and one whose entry is in error
 * keeps them too (each error reported with the file and field).
 */
final class CategoryRules {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The codes and words of one category. */
    record Rule(List<String> codes, List<String> words) {
        Rule {
            codes = codes.stream().map(c -> c.strip().toUpperCase(Locale.ROOT)).toList();
            words = words.stream()
                    .map(CategoryRules::words)
                    .filter(w -> !w.isEmpty())
                    .toList();
        }
    }

    /** Rules as read from a site's file, with the errors in it. */
    record Read(CategoryRules rules, List<InputError> errors) {}

    private static final Map<ServiceCategory, Rule> DEFAULTS = new EnumMap<>(Map.of(
            ServiceCategory.DRUG_TREATMENT,
            new Rule(
                    List.of("RX"),
                    List.of(
                            "substance",
                            "substances",
                            "addiction",
                            "addictions",
                            "alcohol",
                            "alcoholism",
                            "drug",
                            "drugs",
                            "detox",
                            "detoxification",
                            "opioid",
                            "opioids",
                            "methadone",
                            "recovery")),
            ServiceCategory.EDUCATION,
            new Rule(
                    List.of("H"),
                    List.of("education", "GED", "high school equivalency", "literacy", "tutoring", "adult basic")),
            ServiceCategory.JOB_TRAINING,
            new Rule(
                    List.of(),
                    List.of(
                            "job training",
                            "vocational",
                            "apprenticeship",
                            "apprenticeships",
                            "skills training",
                            "workforce")),
            ServiceCategory.EMPLOYMENT,
            new Rule(
                    List.of("ND"), List.of("employment", "job placement", "job search", "hiring", "career", "careers")),
            ServiceCategory.FAMILY,
            new Rule(
                    List.of("PH-1250", "PH-6100"),
                    List.of(
                            "family",
                            "families",
                            "parenting",
                            "child care",
                            "childcare",
                            "domestic",
                            "youth",
                            "marriage")),
            ServiceCategory.TRANSPORTATION,
            new Rule(List.of("BT"), List.of("transportation", "transit", "bus", "rides", "car repair", "travel"))));

    private static final CategoryRules BUILT_IN = new CategoryRules(DEFAULTS);

    private final Map<ServiceCategory, Rule> rules;

    private CategoryRules(Map<ServiceCategory, Rule> rules) {
        this.rules = new EnumMap<>(rules);
    }

    /** The built-in rules (always the same instance). */
    static CategoryRules defaults() {
        return BUILT_IN;
    }

    /** {@code DRUG_TREATMENT} as the file names it: {@code drug-treatment}. */
    static String key(ServiceCategory category) {
        return category.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The built-in rules with a site's file over them.
     *
     * @param name the file's name as the site's configuration gives it
     */
    static Read read(Path file, String name) {
        List<InputError> errors = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            errors.add(new InputError(
                    name, line, "", "is not JSON (" + e.getOriginalMessage() + "): the built-in category rules apply"));
            return new Read(defaults(), errors);
        } catch (IOException e) {
            errors.add(InputError.of(name, "", "cannot be read: the built-in category rules apply"));
            return new Read(defaults(), errors);
        }
        if (root == null || !root.isObject()) {
            errors.add(
                    InputError.of(name, "", "is not a JSON object of categories: the built-in category rules apply"));
            return new Read(defaults(), errors);
        }
        Map<ServiceCategory, Rule> rules = new EnumMap<>(DEFAULTS);
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            ServiceCategory category = category(entry.getKey());
            if (category == null) {
                errors.add(InputError.of(
                        name,
                        entry.getKey(),
                        "is not a category (drug-treatment, education, job-training, employment, family,"
                                + " transportation): not used"));
                continue;
            }
            Rule rule = rule(entry.getValue(), name, entry.getKey(), errors);
            if (rule != null) {
                rules.put(category, rule);
            }
        }
        return new Read(new CategoryRules(rules), errors);
    }

    private static ServiceCategory category(String key) {
        for (ServiceCategory c : ServiceCategory.values()) {
            if (key(c).equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** One category's entry, or null when it is in error (the built-in rule stays). */
    private static Rule rule(JsonNode node, String name, String key, List<InputError> errors) {
        if (!node.isObject()) {
            errors.add(InputError.of(
                    name, key, "must be an object with codes and words: the built-in rules of " + key + " apply"));
            return null;
        }
        int before = errors.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("codes") && !field.equals("words")) {
                errors.add(InputError.of(
                        name,
                        key + "." + field,
                        "is neither codes nor words: the built-in rules of " + key + " apply"));
            }
        }
        List<String> codes = texts(node.path("codes"), name, key + ".codes", errors);
        List<String> words = texts(node.path("words"), name, key + ".words", errors);
        return errors.size() == before ? new Rule(codes, words) : null;
    }

    private static List<String> texts(JsonNode node, String name, String field, List<InputError> errors) {
        List<String> out = new ArrayList<>();
        if (node.isMissingNode()) {
            return out;
        }
        if (!node.isArray()) {
            errors.add(InputError.of(name, field, "must be a list of texts, like [\"RX-8450\"]"));
            return out;
        }
        for (JsonNode value : node) {
            if (!value.isTextual() || value.asText().isBlank()) {
                errors.add(InputError.of(name, field, "must hold texts only; " + value + " is not one"));
            } else {
                out.add(value.asText());
            }
        }
        return out;
    }

    /** The categories of a service. */
    Set<ServiceCategory> categorise(Listing listing) {
        // a service filed under the programme's own terms (a local directory's export) keeps exactly those kinds
        Set<ServiceCategory> filed = ProgrammeTerms.categories(listing);
        if (!filed.isEmpty()) {
            return filed;
        }
        List<String> codes = new ArrayList<>();
        StringBuilder text = new StringBuilder(words(listing.name()));
        for (Listing.Term term : listing.terms()) {
            codes.add(term.code().toUpperCase(Locale.ROOT));
            text.append(words(term.name()));
        }
        String all = text.toString();
        Set<ServiceCategory> out = EnumSet.noneOf(ServiceCategory.class);
        rules.forEach((category, rule) -> {
            boolean coded = rule.codes().stream().anyMatch(rc -> codes.stream().anyMatch(c -> within(c, rc)));
            if (coded || rule.words().stream().anyMatch(all::contains)) {
                out.add(category);
            }
        });
        return out;
    }

    /** True when the code is the rule's code or below it in the AIRS hierarchy. */
    static boolean within(String code, String rule) {
        if (rule.isEmpty() || !code.startsWith(rule)) {
            return false;
        }
        if (code.length() == rule.length()) {
            return true;
        }
        char next = code.charAt(rule.length());
        return next == '-' || next == '.' || rule.length() == 1 && Character.isLetter(next);
    }

    /** Text as its lower-case words, each with a space either side, so that " bus " is found only as a word. */
    static String words(String text) {
        return Search.words(text);
    }
}
