package org.dmiplatform.core.internal.profile;

import java.util.List;
import java.util.regex.Pattern;
import org.dmiplatform.api.records.Category;

/**
 * A guess at an offense's category from the words of its description, for a code with no NIBRS code: whole words
 * (and their plurals), any case, the first category in the programme's precedence whose words are there. Part I when
 * any words of a UCR Part I offense are there (murder, rape, robbery, aggravated assault, burglary, theft, arson), as
 * an incident is Part I when any of its offenses is. Only a guess: every code categorised so is marked for checking.
 */
final class OffenseWords {
    record Guess(Category category, boolean partOne) {}

    private record Rule(Category category, boolean partOne, Pattern words) {}

    private static final List<Rule> RULES = List.of(
            rule(
                    Category.DRUG,
                    false,
                    "narcotics?",
                    "drugs?",
                    "cocaine",
                    "heroin",
                    "marijuana",
                    "marihuana",
                    "cannabis",
                    "controlled (?:dangerous )?substances?",
                    "cds",
                    "paraphernalia",
                    "methamphetamines?",
                    "fentanyl",
                    "opiates?",
                    "opioids?"),
            rule(
                    Category.WEAPONS,
                    false,
                    "weapons?",
                    "firearms?",
                    "guns?",
                    "handguns?",
                    "shotguns?",
                    "rifles?",
                    "shots? fired",
                    "ammunition"),
            // rape by the 2013 definition is Part I; statutory rape is not
            rule(Category.SEX_OFFENSE, true, "(?<!statutory )rapes?", "raped", "sodomy"),
            rule(
                    Category.SEX_OFFENSE,
                    false,
                    "sexual (?:assault|battery|abuse|contact)",
                    "sex offen[cs]es?",
                    "statutory rape",
                    "fondling",
                    "incest",
                    "molestation"),
            rule(
                    Category.PROSTITUTION,
                    false,
                    "prostitut(?:e|es|ion)",
                    "solicit(?:s|ed|ing|ation)?",
                    "pandering",
                    "pimping"),
            rule(
                    Category.VIOLENT_PART_I,
                    true,
                    "homicides?",
                    "murders?",
                    "non ?negligent manslaughter",
                    "robbery",
                    "robberies",
                    "(?:aggravated|agg\\.?) (?:assault|battery)"),
            rule(
                    Category.PROPERTY_PART_I,
                    true,
                    "burglary",
                    "burglaries",
                    "burglarized",
                    "thefts?",
                    "larceny",
                    "larcenies",
                    "arson",
                    "shoplifting",
                    "pickpocket(?:ing)?",
                    "purse snatching",
                    "stolen (?:motor )?vehicles?"),
            rule(
                    Category.DISORDER,
                    false,
                    "trespass(?:es|ing)?",
                    "disorderly",
                    "noise",
                    "loud (?:music|party)",
                    "loitering",
                    "liquor",
                    "public intoxication",
                    "drunkenness",
                    "drunk in public",
                    "curfew",
                    "vagrancy",
                    "vandalism",
                    "graffiti",
                    "criminal mischief",
                    "open container"));

    private OffenseWords() {}

    private static Rule rule(Category category, boolean partOne, String... words) {
        return new Rule(
                category,
                partOne,
                Pattern.compile(
                        "(?<![\\p{L}\\p{N}])(?:" + String.join("|", words) + ")(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    /** The guess for a description: {@code other} when no words match. */
    static Guess guess(String text) {
        if (text == null || text.isBlank()) {
            return new Guess(Category.OTHER, false);
        }
        // SHOTS-FIRED, MOTOR_VEHICLE THEFT, DRUG/NARCOTIC: words apart
        String words = text.replaceAll("[\\s_\\-/]+", " ");
        Category category = Category.OTHER;
        boolean partOne = false;
        for (Rule rule : RULES) {
            if (rule.words.matcher(words).find()) {
                if (rule.category.compareTo(category) < 0) {
                    category = rule.category;
                }
                partOne |= rule.partOne;
            }
        }
        return new Guess(category, partOne);
    }
}
