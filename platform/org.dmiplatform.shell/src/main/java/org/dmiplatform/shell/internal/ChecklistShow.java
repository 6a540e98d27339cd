package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.programme.Checklist;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.StepDefinition;

@Command(scope = "dmi", name = "checklist", description = "Shows an intervention's steps, gates and fidelity")
@Service
public class ChecklistShow implements Action {
    @Reference
    Programme programme;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Argument(index = 1, name = "intervention", required = true)
    long intervention;

    @Override
    public Object execute() {
        StepDefinition definition = programme.definition();
        Checklist checklist = programme.checklist(site, intervention);
        System.out.println("Fidelity " + checklist.overallFidelity() + "%; current step: "
                + checklist
                        .currentStep()
                        .flatMap(definition::step)
                        .map(StepDefinition.Step::label)
                        .orElse("all done"));
        for (Checklist.PhaseFidelity phase : checklist.fidelity()) {
            System.out.println();
            System.out.println(phase.name() + " (fidelity " + phase.percent() + "%, " + phase.doneItems() + " of "
                    + phase.applicableItems() + " items)");
            for (StepDefinition.Step step : definition.phases().stream()
                    .filter(p -> p.id().equals(phase.phase()))
                    .findFirst()
                    .orElseThrow()
                    .steps()) {
                Checklist.StepProgress progress = checklist.step(step.id()).orElseThrow();
                long done = progress.items().stream()
                        .filter(i -> i.state().status() == org.dmiplatform.api.programme.Progress.DONE)
                        .count();
                System.out.printf(
                        "  %-50s %-15s %d/%d items%n",
                        step.label(),
                        progress.state().status(),
                        done,
                        step.items().size());
                progress.blockedBy()
                        .forEach(b -> System.out.println("      gate: " + b.rule() + " (waiting for "
                                + String.join(", ", b.waitingFor()) + ")"));
            }
        }
        return null;
    }
}
