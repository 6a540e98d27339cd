package org.dmiplatform.core.internal.programme;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.programme.Checklist;
import org.dmiplatform.api.programme.Checklist.Blocker;
import org.dmiplatform.api.programme.Checklist.ItemProgress;
import org.dmiplatform.api.programme.Checklist.PhaseFidelity;
import org.dmiplatform.api.programme.Checklist.State;
import org.dmiplatform.api.programme.Checklist.StepProgress;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.StepDefinition;
import org.dmiplatform.api.programme.StepDefinition.Gate;
import org.dmiplatform.api.programme.StepDefinition.Item;
import org.dmiplatform.api.programme.StepDefinition.Phase;
import org.dmiplatform.api.programme.StepDefinition.Step;

/**
 * Works out a checklist from the stored states. Fidelity of a phase is the share of its applicable items that are
 * done: an item marked not applicable does not count; every item of a step marked done counts as done, and a step
 * marked not applicable drops out with its items.
 */
final class Fidelity {
    private Fidelity() {}

    /** @param states by {@code step} or {@code step/item} */
    static Checklist checklist(long intervention, StepDefinition definition, Map<String, State> states) {
        List<StepProgress> steps = new ArrayList<>();
        List<PhaseFidelity> fidelity = new ArrayList<>();
        int allApplicable = 0;
        int allDone = 0;
        Optional<String> current = Optional.empty();
        for (Phase phase : definition.phases()) {
            int applicable = 0;
            int done = 0;
            for (Step step : phase.steps()) {
                State stepState = states.getOrDefault(step.id(), State.NONE);
                List<ItemProgress> items = new ArrayList<>();
                for (Item item : step.items()) {
                    State itemState = states.getOrDefault(step.id() + "/" + item.id(), State.NONE);
                    items.add(new ItemProgress(item.id(), itemState));
                    if (stepState.status() == Progress.NOT_APPLICABLE
                            || itemState.status() == Progress.NOT_APPLICABLE) {
                        continue;
                    }
                    applicable++;
                    if (stepState.status() == Progress.DONE || itemState.status() == Progress.DONE) {
                        done++;
                    }
                }
                steps.add(new StepProgress(step.id(), stepState, items, blockers(definition, step.id(), states)));
                if (current.isEmpty()
                        && stepState.status() != Progress.DONE
                        && stepState.status() != Progress.NOT_APPLICABLE) {
                    current = Optional.of(step.id());
                }
            }
            fidelity.add(new PhaseFidelity(phase.id(), phase.name(), percent(done, applicable), applicable, done));
            allApplicable += applicable;
            allDone += done;
        }
        return new Checklist(
                intervention, definition.version(), steps, fidelity, percent(allDone, allApplicable), current);
    }

    /** The gates on a step whose required steps are not all done. */
    static List<Blocker> blockers(StepDefinition definition, String stepId, Map<String, State> states) {
        List<Blocker> out = new ArrayList<>();
        for (Gate gate : definition.gatesOf(stepId)) {
            List<String> waiting = gate.requires().stream()
                    .filter(required ->
                            states.getOrDefault(required, State.NONE).status() != Progress.DONE)
                    .toList();
            if (!waiting.isEmpty()) {
                out.add(new Blocker(gate.id(), gate.rule(), gate.explanation(), waiting));
            }
        }
        return out;
    }

    private static int percent(int done, int applicable) {
        return applicable == 0 ? 0 : (int) Math.round(100.0 * done / applicable);
    }
}
