package org.dmiplatform.shell.internal;

import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.SecondFactor;
import org.dmiplatform.api.access.User;

@Command(scope = "dmi", name = "user-list", description = "Lists accounts with their roles and state")
@Service
public class UserList implements Action {
    @Reference
    Accounts accounts;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("User");
        table.column("Name");
        table.column("Roles");
        table.column("State");
        table.column("Second factor");
        for (User user : accounts.list()) {
            String state = !user.enabled() ? "disabled" : user.locked() ? "locked" : "active";
            table.addRow()
                    .addContent(
                            user.id(),
                            user.username(),
                            user.displayName(),
                            user.grants().stream()
                                    .map(g -> g.role() + "@" + g.site())
                                    .collect(Collectors.joining(" ")),
                            state,
                            secondFactor(accounts.secondFactor(user.id())));
        }
        table.print(System.out);
        return null;
    }

    private static String secondFactor(SecondFactor factor) {
        if (factor.active()) {
            return "on";
        }
        String state = factor.pending() ? "enrolling" : "off";
        return factor.required() ? state + " (required)" : state;
    }
}
