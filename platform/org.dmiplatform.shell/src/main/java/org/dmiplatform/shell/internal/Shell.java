package org.dmiplatform.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.support.ShellUtil;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.access.Actor;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;

/** What the commands share: who is acting, and how a refusal is shown. */
final class Shell {
    private Shell() {}

    static Actor actor() {
        String user = ShellUtil.getCurrentUserName();
        return new Actor("shell:" + (user == null ? "local" : user), "shell");
    }

    /**
     * The shell acting on a site's programme: as its site administrator, audited under the shell user's name. The
     * shell offers no command on the dealer list: intelligence goes only to DMI accounts, through the audited API.
     */
    static Caller caller(String site) {
        Actor actor = actor();
        User user = new User(
                -1, actor.name(), "Karaf shell", List.of(Grant.at(site, Role.SITE_ADMIN)), true, false, Instant.EPOCH);
        return new Caller(user, actor.from());
    }

    /** Prints every problem on its own line, with file, line and field, and returns null so Karaf prints nothing more. */
    static Object refused(PrintStream out, InvalidInputException e) {
        out.println("Refused; nothing was changed:");
        for (InputError error : e.errors()) {
            out.println("  " + error);
        }
        return null;
    }
}
