package org.dmiplatform.shell.internal;

import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;

@Command(scope = "dmi", name = "user-add", description = "Creates an account; asks for its password twice")
@Service
public class UserAdd implements Action {
    @Reference
    Accounts accounts;

    @Reference
    Session session;

    @Option(
            name = "--role",
            description = "tta-admin, tta-staff, site-admin, police, prosecutor, community, services, research or poc",
            required = true)
    String role;

    @Option(name = "--site", description = "The site for a site role (not for tta-admin or tta-staff)")
    String site;

    @Option(name = "--name", description = "Display name")
    String displayName;

    @Argument(index = 0, name = "username", required = true)
    String username;

    @Override
    public Object execute() throws Exception {
        Role chosen = Role.byId(role).orElse(null);
        if (chosen == null) {
            System.out.println("Unknown role '" + role + "'; one of "
                    + Arrays.stream(Role.values()).map(Role::id).toList());
            return null;
        }
        Grant grant;
        try {
            grant = new Grant(chosen, site);
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
            return null;
        }
        String first = session.readLine("Password (at least 12 characters): ", '*');
        String second = session.readLine("Password again: ", '*');
        if (first == null || !first.equals(second)) {
            System.out.println("The passwords differ; no account was created.");
            return null;
        }
        try {
            User user = accounts.create(
                    new NewUser(username, displayName, first.toCharArray(), List.of(grant)), Shell.actor());
            System.out.println("Created " + user.username() + " with " + user.grants() + ".");
            if (accounts.secondFactor(user.id()).required()) {
                System.out.println("At their first log-in they set up the second factor: an authenticator app on"
                        + " their phone, from the QR code the console shows after the password.");
            }
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        }
        return null;
    }
}
