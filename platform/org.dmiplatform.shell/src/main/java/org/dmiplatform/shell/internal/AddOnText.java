package org.dmiplatform.shell.internal;

import java.io.PrintStream;
import java.util.List;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InvalidInputException;

/** How the add-on commands print a plan and a change, and run one after its plan. */
final class AddOnText {
    private AddOnText() {}

    static void print(PrintStream out, AddOns.Plan plan) {
        AddOns.Change change = plan.change();
        out.println("Plan: " + change.action().id() + " " + change.feature()
                + (change.version().isEmpty() ? "" : " " + change.version()) + " -> "
                + (plan.allowed() ? "allowed" : "REFUSED"));
        plan.refusals().forEach(r -> out.println("  refused: " + r));
        if (!plan.sites().isEmpty()) {
            out.println("  sites listing it: " + String.join(", ", plan.sites()));
        }
        list(out, "bundles to install", plan.install());
        list(out, "bundles to update", plan.update());
        list(out, "bundles to remove", plan.uninstall());
        list(out, "bundles to refresh", plan.refresh());
        if (!plan.report().isEmpty()) {
            out.println("  Karaf's deployment report:");
            plan.report().forEach(line -> out.println("    " + line));
        }
    }

    private static void list(PrintStream out, String what, List<String> items) {
        if (!items.isEmpty()) {
            out.println("  " + what + ":");
            items.forEach(i -> out.println("    " + i));
        }
    }

    /** Prints the plan; unless only a dry run is asked, makes the change it allows. */
    static Object run(AddOns addOns, AddOns.Change change, boolean dryRun) {
        PrintStream out = System.out;
        AddOns.Plan plan = addOns.plan(change);
        print(out, plan);
        if (dryRun || !plan.allowed()) {
            out.println(dryRun ? "Dry run: nothing was changed." : "Nothing was changed.");
            return null;
        }
        try {
            AddOns.Outcome outcome = addOns.apply(change, Shell.actor());
            out.println("Done in " + outcome.millis() + " ms: " + outcome.summary());
            outcome.swap().ifPresent(swap -> {
                out.println("  moments any site had no plug-in: " + swap.momentsWithout());
                out.println("  other bundles unchanged: "
                        + (swap.otherBundles() - swap.otherBundlesChanged().size()) + " of " + swap.otherBundles());
                swap.otherBundlesChanged().forEach(c -> out.println("    changed: " + c));
            });
        } catch (InvalidInputException e) {
            return Shell.refused(out, e);
        } catch (IllegalStateException e) {
            out.println("Not done: " + e.getMessage());
        }
        return null;
    }
}
