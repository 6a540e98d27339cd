package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;

/** For a holder who lost their authenticator app, above all the last administrator, who has nobody to reset it. */
@Command(
        scope = "dmi",
        name = "user-second-factor-reset",
        description = "Removes an account's second factor (a lost phone); its holder enrols again at the next log-in")
@Service
public class UserSecondFactorReset implements Action {
    @Reference
    Accounts accounts;

    @Reference
    Sessions sessions;

    @Argument(index = 0, name = "username", required = true)
    String username;

    @Override
    public Object execute() {
        User user = accounts.findByUsername(username).orElse(null);
        if (user == null) {
            System.out.println("No account '" + username + "'.");
            return null;
        }
        try {
            accounts.resetSecondFactor(user.id(), Shell.actor());
        } catch (InvalidInputException e) {
            return Shell.refused(System.out, e);
        }
        sessions.closeAll(user.id());
        boolean mustEnrol = accounts.secondFactor(user.id()).required();
        System.out.println("Removed the second factor of " + user.username() + "; "
                + (mustEnrol
                        ? "they set up their app again at their next log-in."
                        : "they log in with their password until they set it up again on their account page."));
        if (user.locked()) {
            System.out.println("The account is locked: release it with dmi:user-unlock " + user.username() + ".");
        }
        return null;
    }
}
