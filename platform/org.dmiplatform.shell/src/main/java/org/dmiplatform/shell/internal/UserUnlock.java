package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.User;

@Command(scope = "dmi", name = "user-unlock", description = "Releases an account locked after failed log-ins")
@Service
public class UserUnlock implements Action {
    @Reference
    Accounts accounts;

    @Argument(index = 0, name = "username", required = true)
    String username;

    @Override
    public Object execute() {
        User user = accounts.findByUsername(username).orElse(null);
        if (user == null) {
            System.out.println("No account '" + username + "'.");
            return null;
        }
        accounts.unlock(user.id(), Shell.actor());
        System.out.println("Unlocked " + user.username() + ".");
        return null;
    }
}
