package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.programme.Teams;

@Command(scope = "dmi", name = "team", description = "Shows a site's team, its turnover and readiness")
@Service
public class TeamShow implements Action {
    @Reference
    Teams teams;

    @Argument(index = 0, name = "site", required = true)
    String site;

    @Override
    public Object execute() {
        Teams.Team team = teams.team(site);
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Name", "Agency", "Role", "Since", "Until", "POC", "Trainings"}) {
            table.column(column);
        }
        for (Teams.Member m : team.members()) {
            table.addRow()
                    .addContent(
                            m.name(),
                            m.agency(),
                            m.role(),
                            m.startedOn(),
                            m.endedOn().map(Object::toString).orElse(""),
                            m.pointOfContact() ? "yes" : "",
                            m.trainings().size());
        }
        table.print(System.out);
        Teams.Readiness r = team.readiness();
        System.out.println(r.ready() ? "Ready." : "Not ready: " + String.join("; ", r.missing()) + ".");
        return null;
    }
}
