package org.dmiplatform.core.internal.programme;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.StepDefinition;
import org.dmiplatform.api.programme.StepDefinition.Step;
import org.junit.Test;

/** The step definition file says what the programme's own checklist says. */
public class StepDefinitionTest {
    private static final StepDefinition DEFINITION = StepDefinitions.standard();
    private static final Pattern HEADING = Pattern.compile("^Step (\\d+[ab]?)- (.+)$");
    /** The checklist's own typo, corrected in the definition. */
    private static final Map<String, String> ERRATA =
            Map.of("identity call in candidates", "identify call in candidates");

    /** Step number to {name, goal} as the checklist gives them. */
    private static Map<String, String[]> checklist() throws IOException {
        try (InputStream in = StepDefinitionTest.class.getResourceAsStream("/programme/nine-steps-checklist.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .toList();
            Map<String, String[]> steps = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = HEADING.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                String goal = "";
                for (int j = i + 1; j < Math.min(lines.size(), i + 6); j++) {
                    if (HEADING.matcher(lines.get(j)).matches()) {
                        break;
                    }
                    if (lines.get(j).startsWith("Goal:")) {
                        goal = lines.get(j).substring(5);
                        break;
                    }
                }
                steps.put(m.group(1), new String[] {m.group(2), goal});
            }
            return steps;
        }
    }

    private static String normal(String text) {
        String n = text.toLowerCase(Locale.ROOT)
                .replace('"', ' ')
                .replace('-', ' ')
                .replaceAll("[.,]", "")
                .replaceAll("\\s+", " ")
                .strip();
        return ERRATA.getOrDefault(n, n);
    }

    @Test
    public void everyNumberedStepAndSubStepOfTheChecklistIsDefinedWithItsNameAndGoal() throws IOException {
        Map<String, String[]> checklist = checklist();
        assertEquals(
                "the checklist's step headings",
                List.of("1", "2", "3", "3a", "3b", "4", "5", "5a", "6", "6a", "7", "7a", "7b", "8", "9"),
                new ArrayList<>(checklist.keySet()));
        for (Map.Entry<String, String[]> entry : checklist.entrySet()) {
            String number = entry.getKey();
            if (number.equals("7")) {
                // "Step 7- Call in/Notification" is the heading of 7a and 7b
                assertTrue(DEFINITION.step("7a").isPresent()
                        && DEFINITION.step("7b").isPresent());
                continue;
            }
            Step step = DEFINITION.steps().stream()
                    .filter(s -> s.number().equals(number))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("step " + number + " is missing from the definition"));
            assertEquals("name of step " + number, normal(entry.getValue()[0]), normal(step.name()));
            if (!entry.getValue()[1].isEmpty()) {
                assertEquals("goal of step " + number, normal(entry.getValue()[1]), normal(step.goal()));
            }
        }
    }

    @Test
    public void planningAssessmentDebriefAndTheNextInterventionAreThereToo() {
        assertEquals(
                List.of("planning", "targeting", "community", "preparing", "post-call-in", "assessment"),
                DEFINITION.phases().stream().map(p -> p.id()).toList());
        assertEquals(
                List.of("team", "swot"),
                DEFINITION.phases().get(0).steps().stream().map(Step::id).toList());
        assertEquals(
                List.of("assessment", "debrief", "next"),
                DEFINITION.phases().get(5).steps().stream().map(Step::id).toList());
        assertEquals(
                "Be able to assess the impact of the drug market intervention",
                DEFINITION.step("assessment").orElseThrow().goal());
        assertEquals(
                "Summarize and evaluate your efforts",
                DEFINITION.step("debrief").orElseThrow().goal());
    }

    @Test
    public void theTeamStepListsTheFourNecessaryAndSevenFurtherMembers() {
        Step team = DEFINITION.step("team").orElseThrow();
        assertEquals(11, team.items().size());
        assertTrue(team.items().get(0).text().startsWith("Police/Sheriff"));
        assertEquals("Social services", team.items().get(3).text());
        assertEquals(
                "Research partner (local college or university)",
                team.items().get(10).text());
        assertEquals(6, DEFINITION.step("7a").orElseThrow().items().size());
    }

    @Test
    public void everyStepHasAGoalItemsAndResponsibleRoles() {
        for (Step step : DEFINITION.steps()) {
            assertTrue(
                    step.id(),
                    !step.goal().isBlank()
                            && !step.items().isEmpty()
                            && !step.roles().isEmpty());
        }
        assertEquals(
                List.of(Role.POLICE, Role.PROSECUTOR),
                DEFINITION.step("3b").orElseThrow().roles());
    }

    @Test
    public void gatesAreTheOnesTheProgrammeImplies() {
        assertEquals(
                List.of("3b"),
                DEFINITION
                        .gate("letters-after-candidate-decision")
                        .orElseThrow()
                        .requires());
        assertEquals(
                List.of("5a", "6a", "7a"),
                DEFINITION
                        .gate("call-in-after-letters-and-services")
                        .orElseThrow()
                        .requires());
        assertEquals(
                "7b",
                DEFINITION
                        .gate("call-in-after-letters-and-services")
                        .orElseThrow()
                        .step());
    }

    @Test
    public void aBrokenDefinitionIsRefusedWithTheReason() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root =
                (ObjectNode) json.readTree(StepDefinitionTest.class.getResourceAsStream(StepDefinitions.RESOURCE));
        ((ObjectNode) root.get("gates").get(0)).putArray("requires").add("99");
        try {
            StepDefinitions.read(root, "test");
            fail("a gate on an unknown step must be refused");
        } catch (IllegalStateException e) {
            assertEquals("step definition test: gate cases-on-candidates requires an unknown step 99", e.getMessage());
        }
    }
}
