package org.dmiplatform.web.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.LoginRefusedException;
import org.dmiplatform.api.access.NewUser;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.access.UserChange;

/**
 * User administration. A TTA administrator manages every account; a site administrator manages the accounts
 * that belong only to the sites they administer, and can grant only roles at those sites. Anyone may read their
 * own account and change their own password, and set up or turn off their own second factor; an administrator resets
 * another's (a lost phone).
 */
final class UserRoutes {
    record UserRequest(String username, String displayName, String password, List<Grant> grants) {}

    record UserPatch(String displayName, List<Grant> grants, Boolean enabled) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    record FirstCode(String code) {}

    record SecondFactorOff(String currentPassword, String code) {}

    record SecondFactorStart(String currentPassword) {}

    private static final String SOURCE = "request body";
    private static final Guard ADMINS = Guard.roles(Role.TTA_ADMIN, Role.SITE_ADMIN);

    private final Accounts accounts;
    private final Sessions sessions;

    UserRoutes(Accounts accounts, Sessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/users", ADMINS, "user.list", this::list),
                Route.of("POST", "/users", ADMINS, null, this::create),
                Route.of("GET", "/users/{id}", Guard.SIGNED_IN, "user.read", this::read),
                Route.of("PATCH", "/users/{id}", ADMINS, null, this::change),
                Route.of("PUT", "/users/{id}/password", Guard.SIGNED_IN, null, this::password),
                Route.of("POST", "/users/{id}/unlock", ADMINS, null, this::unlock),
                Route.of("GET", "/users/{id}/second-factor", Guard.SIGNED_IN, null, this::secondFactor),
                Route.of("POST", "/users/{id}/second-factor", Guard.SIGNED_IN, null, this::enrol),
                Route.of("PUT", "/users/{id}/second-factor", Guard.SIGNED_IN, null, this::confirm),
                Route.of("DELETE", "/users/{id}/second-factor", Guard.SIGNED_IN, null, this::turnOff),
                Route.of("POST", "/users/{id}/second-factor/reset", ADMINS, null, this::reset));
    }

    /** Sites where the user is a site administrator. */
    private static Set<String> administers(User admin) {
        return admin.grants().stream()
                .filter(g -> g.role() == Role.SITE_ADMIN)
                .map(Grant::site)
                .collect(Collectors.toSet());
    }

    /** True when {@code admin} may manage {@code account}. */
    static boolean manages(User admin, User account) {
        if (admin.holds(Role.TTA_ADMIN)) {
            return true;
        }
        Set<String> sites = administers(admin);
        return !account.grants().isEmpty()
                && !account.isNational()
                && account.grants().stream().allMatch(g -> sites.contains(g.site()));
    }

    private static void checkGrants(User admin, List<Grant> grants) {
        if (admin.holds(Role.TTA_ADMIN)) {
            return;
        }
        Set<String> sites = administers(admin);
        for (Grant grant : grants) {
            if (grant.role().isNational() || !sites.contains(grant.site())) {
                throw ApiException.forbidden("a site administrator can grant roles only at " + sites + ", not "
                        + grant.role() + " at " + grant.site());
            }
        }
    }

    private Reply list(Call call) {
        User admin = call.user();
        return Reply.ok(java.util.Map.of(
                "users", accounts.list().stream().filter(u -> manages(admin, u)).toList()));
    }

    private Reply create(Call call) {
        UserRequest request = call.body(UserRequest.class);
        User admin = call.user();
        if (request.username() == null || request.password() == null) {
            throw ApiException.badRequest(
                    "username and password are required",
                    List.of(InputError.of(
                            SOURCE, request.username() == null ? "username" : "password", "is required")));
        }
        List<Grant> grants = request.grants() == null ? List.of() : request.grants();
        if (grants.isEmpty()) {
            throw ApiException.badRequest(
                    "an account needs at least one role",
                    List.of(InputError.of(SOURCE, "grants", "is required: at least one {role, site}")));
        }
        checkGrants(admin, grants);
        User created = accounts.create(
                new NewUser(
                        request.username(),
                        request.displayName(),
                        request.password().toCharArray(),
                        grants),
                call.actor());
        return Reply.created(created).withHeader("Location", "/api/v1/users/" + created.id());
    }

    /** The account, if the caller is that user or manages it; otherwise as if it did not exist. */
    private User visible(Call call, boolean toManage) {
        User caller = call.user();
        long id = call.idParam("id");
        Optional<User> account = accounts.find(id);
        boolean self = caller.id() == id;
        if (account.isEmpty() || !(manages(caller, account.get()) || (self && !toManage))) {
            throw ApiException.notFound("no user " + call.param("id"), account.isPresent());
        }
        return account.get();
    }

    private Reply read(Call call) {
        return Reply.ok(visible(call, false));
    }

    private Reply change(Call call) {
        UserPatch patch = call.body(UserPatch.class);
        User admin = call.user();
        User account = visible(call, true);
        UserChange change = UserChange.none();
        if (patch.displayName() != null) {
            change = change.withDisplayName(patch.displayName());
        }
        if (patch.grants() != null) {
            checkGrants(admin, patch.grants());
            if (patch.grants().isEmpty()) {
                throw ApiException.badRequest(
                        "an account needs at least one role; disable it instead",
                        List.of(InputError.of(SOURCE, "grants", "must not be empty")));
            }
            change = change.withGrants(patch.grants());
        }
        if (patch.enabled() != null) {
            if (!patch.enabled() && account.id() == admin.id()) {
                throw ApiException.badRequest(
                        "you cannot disable your own account",
                        List.of(InputError.of(SOURCE, "enabled", "cannot be false for yourself")));
            }
            change = change.withEnabled(patch.enabled());
        }
        User changed = accounts.update(account.id(), change, call.actor());
        if (!changed.enabled()) {
            sessions.closeAll(changed.id());
        }
        return Reply.ok(changed);
    }

    private Reply password(Call call) {
        PasswordChange request = call.body(PasswordChange.class);
        User caller = call.user();
        User account = visible(call, false);
        if (request.newPassword() == null) {
            throw ApiException.badRequest(
                    "newPassword is required", List.of(InputError.of(SOURCE, "newPassword", "is required")));
        }
        if (account.id() == caller.id()) {
            if (request.currentPassword() == null) {
                throw ApiException.badRequest(
                        "give your current password",
                        List.of(InputError.of(SOURCE, "currentPassword", "is required to change your own password")));
            }
            // one entry, user.password: the check of the current password is not a log-in
            accounts.changeOwnPassword(
                    account.id(),
                    request.currentPassword().toCharArray(),
                    request.newPassword().toCharArray(),
                    call.actor());
        } else {
            accounts.setPassword(account.id(), request.newPassword().toCharArray(), call.actor());
        }
        sessions.closeAll(account.id());
        return Reply.noContent();
    }

    private Reply secondFactor(Call call) {
        return Reply.ok(accounts.secondFactor(visible(call, false).id()));
    }

    /** The caller's own account: a second factor is set up, confirmed and turned off by its holder only. */
    private User own(Call call) {
        User account = visible(call, false);
        if (account.id() != call.user().id()) {
            throw ApiException.forbidden("only " + account.username() + " can set up or turn off their second factor;"
                    + " an administrator can reset it (POST /users/" + account.id() + "/second-factor/reset)");
        }
        return account;
    }

    private Reply enrol(Call call) {
        User account = own(call);
        SecondFactorStart request = call.body(SecondFactorStart.class);
        if (request.currentPassword() == null) {
            throw ApiException.badRequest(
                    "give your password",
                    List.of(InputError.of(SOURCE, "currentPassword", "is required to set up the second factor")));
        }
        try {
            return Reply.ok(accounts.enrolSecondFactor(
                    account.id(), request.currentPassword().toCharArray(), call.actor()));
        } catch (LoginRefusedException e) {
            // the session stays (unless this locked the account): not a 401, which would log the console out
            throw new ApiException(403, "Refused", e.getMessage(), List.of(), false);
        }
    }

    private Reply confirm(Call call) {
        FirstCode request = call.body(FirstCode.class);
        User account = own(call);
        if (request.code() == null || request.code().isBlank()) {
            throw ApiException.badRequest(
                    "give the code the app shows", List.of(InputError.of(SOURCE, "code", "is required")));
        }
        accounts.confirmSecondFactor(account.id(), request.code(), call.actor());
        return Reply.ok(accounts.secondFactor(account.id()));
    }

    private Reply turnOff(Call call) {
        SecondFactorOff request = call.body(SecondFactorOff.class);
        User account = own(call);
        if (request.currentPassword() == null) {
            throw ApiException.badRequest(
                    "give your password and a code from the app",
                    List.of(InputError.of(SOURCE, "currentPassword", "is required to turn the second factor off")));
        }
        try {
            accounts.disableSecondFactor(
                    account.id(), request.currentPassword().toCharArray(), request.code(), call.actor());
        } catch (LoginRefusedException e) {
            // the session stays (unless this locked the account): not a 401, which would log the console out
            throw new ApiException(403, "Refused", e.getMessage(), List.of(), false);
        }
        return Reply.ok(accounts.secondFactor(account.id()));
    }

    private Reply reset(Call call) {
        User account = visible(call, true);
        accounts.resetSecondFactor(account.id(), call.actor());
        sessions.closeAll(account.id());
        return Reply.ok(accounts.secondFactor(account.id()));
    }

    private Reply unlock(Call call) {
        User account = visible(call, true);
        accounts.unlock(account.id(), call.actor());
        return Reply.ok(accounts.find(account.id()).orElseThrow());
    }
}
