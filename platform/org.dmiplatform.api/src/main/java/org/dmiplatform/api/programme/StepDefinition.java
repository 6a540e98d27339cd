package org.dmiplatform.api.programme;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.dmiplatform.api.access.Role;

/**
 * The programme as data: phases, steps and sub-steps with their goals, checklist items and responsible roles,
 * and the gates between steps. Loaded from a versioned definition file; each intervention records the version
 * it follows.
 */
public record StepDefinition(
        String id, int version, String title, String source, List<Phase> phases, List<Gate> gates) {
    public StepDefinition {
        phases = List.copyOf(phases);
        gates = List.copyOf(gates);
    }

    public record Phase(String id, String name, String title, List<Step> steps) {
        public Phase {
            steps = List.copyOf(steps);
        }
    }

    /**
     * @param number the checklist's own number ("1", "3a"), empty for the planning and assessment steps
     * @param roles who is responsible for it (besides the point of contact and the site administrator)
     */
    public record Step(String id, String number, String name, String goal, List<Role> roles, List<Item> items) {
        public Step {
            roles = List.copyOf(roles);
            items = List.copyOf(items);
        }

        /** "Step 3a: Refine list", or the name alone for an unnumbered step. */
        public String label() {
            return number.isEmpty() ? name : "Step " + number + ": " + name;
        }
    }

    public record Item(String id, String text) {}

    /**
     * A rule the programme implies: {@code step} may not start until every step in {@code requires} is done.
     *
     * @param rule the rule's short name, shown when it blocks
     * @param explanation why, in the programme's words
     */
    public record Gate(String id, String step, List<String> requires, String rule, String explanation) {
        public Gate {
            requires = List.copyOf(requires);
        }
    }

    public List<Step> steps() {
        return phases.stream().flatMap(p -> p.steps().stream()).collect(Collectors.toUnmodifiableList());
    }

    public Optional<Step> step(String stepId) {
        return steps().stream().filter(s -> s.id().equals(stepId)).findFirst();
    }

    public Optional<Phase> phaseOf(String stepId) {
        return phases.stream()
                .filter(p -> p.steps().stream().anyMatch(s -> s.id().equals(stepId)))
                .findFirst();
    }

    public List<Gate> gatesOf(String stepId) {
        return gates.stream().filter(g -> g.step().equals(stepId)).toList();
    }

    public Optional<Gate> gate(String gateId) {
        return gates.stream().filter(g -> g.id().equals(gateId)).findFirst();
    }
}
