package org.dmiplatform.api.programme;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An intervention's progress through the steps: every step and item with its status, who set it, when and
 * the evidence note; the gates that block a step now; fidelity per phase; the current step.
 *
 * @param currentStep the first step, in programme order, that is neither done nor not applicable
 */
public record Checklist(
        long intervention,
        int definitionVersion,
        List<StepProgress> steps,
        List<PhaseFidelity> fidelity,
        int overallFidelity,
        Optional<String> currentStep) {

    public record StepProgress(String step, State state, List<ItemProgress> items, List<Blocker> blockedBy) {}

    public record ItemProgress(String item, State state) {}

    /** A status with who set it, when and the evidence; {@code by} is empty while never set. */
    public record State(Progress status, String by, Optional<Instant> at, String note) {
        public static final State NONE = new State(Progress.NOT_STARTED, "", Optional.empty(), "");
    }

    /** A gate that keeps a step from starting, and the steps it still waits for. */
    public record Blocker(String gate, String rule, String explanation, List<String> waitingFor) {}

    /**
     * @param percent done items of the applicable items (a step marked done counts all its items), 0-100
     */
    public record PhaseFidelity(String phase, String name, int percent, int applicableItems, int doneItems) {}

    public Optional<StepProgress> step(String stepId) {
        return steps.stream().filter(s -> s.step().equals(stepId)).findFirst();
    }
}
