package org.dmiplatform.core.internal.programme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.StepDefinition;
import org.dmiplatform.api.programme.StepDefinition.Gate;
import org.dmiplatform.api.programme.StepDefinition.Item;
import org.dmiplatform.api.programme.StepDefinition.Phase;
import org.dmiplatform.api.programme.StepDefinition.Step;

/** Reads the versioned step definition file and checks it: unique ids, known roles, gates between known steps. */
final class StepDefinitions {
    static final String RESOURCE = "/programme/dmi-nine-steps.json";

    private StepDefinitions() {}

    static StepDefinition standard() {
        try (InputStream in = StepDefinitions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the step definition " + RESOURCE + " is missing from the bundle");
            }
            return read(new ObjectMapper().readTree(in), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the step definition " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    static StepDefinition read(JsonNode root, String source) {
        Set<String> ids = new HashSet<>();
        List<Phase> phases = new ArrayList<>();
        for (JsonNode p : array(root, "phases", source)) {
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : array(p, "steps", source)) {
                String stepId = text(s, "id", source);
                unique(ids, stepId, source);
                List<Role> roles = new ArrayList<>();
                for (JsonNode r : array(s, "roles", source)) {
                    roles.add(Role.byId(r.asText())
                            .orElseThrow(() ->
                                    invalid(source, "step " + stepId + " names an unknown role '" + r.asText() + "'")));
                }
                List<Item> items = new ArrayList<>();
                for (JsonNode i : array(s, "items", source)) {
                    String itemId = text(i, "id", source);
                    if (!itemId.startsWith(stepId + ".")) {
                        throw invalid(
                                source, "item " + itemId + " of step " + stepId + " must start with '" + stepId + ".'");
                    }
                    unique(ids, itemId, source);
                    items.add(new Item(itemId, text(i, "text", source)));
                }
                steps.add(new Step(
                        stepId,
                        s.path("number").asText(""),
                        text(s, "name", source),
                        text(s, "goal", source),
                        roles,
                        items));
            }
            phases.add(new Phase(text(p, "id", source), text(p, "name", source), text(p, "title", source), steps));
        }
        List<Gate> gates = new ArrayList<>();
        for (JsonNode g : array(root, "gates", source)) {
            List<String> requires = new ArrayList<>();
            for (JsonNode r : array(g, "requires", source)) {
                requires.add(r.asText());
            }
            gates.add(new Gate(
                    text(g, "id", source),
                    text(g, "step", source),
                    requires,
                    text(g, "rule", source),
                    text(g, "explanation", source)));
        }
        StepDefinition definition = new StepDefinition(
                text(root, "id", source),
                root.path("version").asInt(0),
                text(root, "title", source),
                text(root, "source", source),
                phases,
                gates);
        if (definition.version() < 1) {
            throw invalid(source, "'version' must be a positive number");
        }
        for (Gate gate : gates) {
            if (definition.step(gate.step()).isEmpty()) {
                throw invalid(source, "gate " + gate.id() + " is on an unknown step " + gate.step());
            }
            for (String required : gate.requires()) {
                if (definition.step(required).isEmpty()) {
                    throw invalid(source, "gate " + gate.id() + " requires an unknown step " + required);
                }
            }
        }
        return definition;
    }

    private static Iterable<JsonNode> array(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw invalid(source, "'" + field + "' must be a list");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw invalid(source, "'" + field + "' is required text in " + node);
        }
        return value.asText();
    }

    private static void unique(Set<String> ids, String id, String source) {
        if (!ids.add(id)) {
            throw invalid(source, "the id '" + id + "' is used twice");
        }
    }

    private static IllegalStateException invalid(String source, String reason) {
        return new IllegalStateException("step definition " + source + ": " + reason);
    }
}
