package org.dmiplatform.shell.internal;

import java.time.LocalDate;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Programme;

@Command(scope = "dmi", name = "intervention-start", description = "Starts a market intervention at a site")
@Service
public class InterventionStart implements Action {
    @Reference
    Programme programme;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Argument(index = 1, name = "name", description = "The market's name", required = true)
    String name;

    @Option(name = "--started", description = "Start date, yyyy-mm-dd (default today)")
    String started;

    @Option(name = "--rationale", description = "Why this market")
    String rationale;

    @Override
    public Object execute() {
        try {
            LocalDate on = started == null ? LocalDate.now() : LocalDate.parse(started);
            Intervention i =
                    programme.create(site, new Programme.NewIntervention(name, on, rationale), Shell.caller(site));
            System.out.println("Intervention " + i.id() + " (" + i.name() + ") started at " + site + ".");
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        } catch (java.time.format.DateTimeParseException e) {
            System.out.println("--started must be a date such as 2026-03-01, not " + started);
        }
        return null;
    }
}
