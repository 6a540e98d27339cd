package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.programme.Progress;
import org.dmiplatform.api.programme.RuleException;

@Command(
        scope = "dmi",
        name = "step",
        description = "Sets the status of a step, or of one of its items, with an evidence note")
@Service
public class StepProgress implements Action {
    @Reference
    Programme programme;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Argument(index = 1, name = "intervention", required = true)
    long intervention;

    @Argument(index = 2, name = "step", description = "Step id, e.g. 3b or team", required = true)
    String step;

    @Argument(
            index = 3,
            name = "status",
            description = "not-started, in-progress, done, blocked or not-applicable",
            required = true)
    String status;

    @Option(name = "--item", description = "An item of the step, e.g. 1.calls")
    String item;

    @Option(name = "--note", description = "Evidence; required for blocked")
    String note;

    @Override
    public Object execute() {
        Progress progress = Progress.byId(status).orElse(null);
        if (progress == null) {
            System.out.println(
                    "Unknown status '" + status + "'; one of not-started, in-progress, done, blocked, not-applicable.");
            return null;
        }
        try {
            var checklist = programme.setProgress(
                    site, intervention, step, item == null ? "" : item, progress, note, Shell.caller(site));
            System.out.println("Step " + step + (item == null ? "" : ", item " + item) + ": " + progress
                    + ". Fidelity now " + checklist.overallFidelity() + "%.");
        } catch (RuleException e) {
            System.out.println("Refused by the rule " + e.rule() + ": " + e.getMessage());
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        } catch (java.util.NoSuchElementException e) {
            System.out.println(e.getMessage());
        }
        return null;
    }
}
