package org.dmiplatform.web.internal;

import java.time.Instant;
import java.util.List;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.PendingLogIn;
import org.dmiplatform.api.access.Session;
import org.dmiplatform.api.access.Sessions;
import org.dmiplatform.api.access.User;

/**
 * Log-in ({@code POST /session}), who am I ({@code GET}), log-out ({@code DELETE}). An account with a second factor,
 * and every administrator's, logs in in two steps: the password gives a short-lived token and no session; the code
 * from the authenticator app with that token ({@code POST /session/second-factor}) opens the session. An administrator
 * without a second factor enrols in between ({@code POST /session/second-factor/enrolment}).
 */
final class SessionRoutes {
    record LogIn(String username, String password) {}

    record SecondFactorAnswer(String token, String code) {}

    record EnrolmentRequest(String token) {}

    /** What the console needs after log-in; the session id itself travels only in the HttpOnly cookie. */
    record SessionView(User user, String csrfToken, long idleTimeoutSeconds, Instant expiresAt) {
        static SessionView of(Session session) {
            return new SessionView(
                    session.user(),
                    session.csrfToken(),
                    Sessions.IDLE_TIMEOUT.toSeconds(),
                    session.startedAt().plus(Sessions.ABSOLUTE_TIMEOUT));
        }
    }

    /**
     * The answer to a right password when a code is still to come.
     *
     * @param secondFactor what to give next: {@code totp}, a code from an authenticator app
     * @param enrolmentRequired true when the account must first enrol (an administrator without a second factor)
     */
    record SecondFactorRequest(String secondFactor, String token, boolean enrolmentRequired, Instant expiresAt) {
        static SecondFactorRequest of(PendingLogIn pending) {
            return new SecondFactorRequest("totp", pending.token(), pending.enrolmentRequired(), pending.expiresAt());
        }
    }

    private static final String SOURCE = "request body";

    private final Accounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final LoginThrottle throttle;

    SessionRoutes(Accounts accounts, Sessions sessions, AuditLog audit, LoginThrottle throttle) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.throttle = throttle;
    }

    List<Route> routes() {
        return List.of(
                Route.csrfExempt("POST", "/session", Guard.PUBLIC, this::logIn),
                Route.csrfExempt("POST", "/session/second-factor", Guard.PUBLIC, this::secondFactor),
                Route.csrfExempt("POST", "/session/second-factor/enrolment", Guard.PUBLIC, this::enrol),
                Route.of(
                        "GET",
                        "/session",
                        Guard.SIGNED_IN,
                        null,
                        call -> Reply.ok(SessionView.of(call.session.orElseThrow()))),
                Route.of("DELETE", "/session", Guard.SIGNED_IN, null, this::logOut));
    }

    private void throttle(Call call) {
        long wait = throttle.attempt(call.request.remoteAddress());
        if (wait > 0) {
            throw new Api.ThrottledException(wait);
        }
    }

    private Reply logIn(Call call) {
        throttle(call);
        LogIn body = call.body(LogIn.class);
        if (body.username() == null || body.username().isBlank() || body.password() == null) {
            throw ApiException.badRequest(
                    "user name and password are required",
                    List.of(InputError.of(
                            SOURCE,
                            body.username() == null || body.username().isBlank() ? "username" : "password",
                            "is required")));
        }
        User user = accounts.authenticate(
                body.username().strip(), body.password().toCharArray(), call.request.remoteAddress());
        if (accounts.secondFactor(user.id()).needed()) {
            // no session yet: whatever session the browser had stays until the code opens a new one
            return new Reply(202, SecondFactorRequest.of(sessions.awaitSecondFactor(user)), List.of());
        }
        return opened(call, sessions.open(user));
    }

    private Reply secondFactor(Call call) {
        throttle(call);
        SecondFactorAnswer body = call.body(SecondFactorAnswer.class);
        require(body.token(), "token");
        require(body.code(), "code");
        return opened(call, sessions.completeLogIn(body.token(), body.code(), call.request.remoteAddress()));
    }

    private Reply enrol(Call call) {
        throttle(call);
        EnrolmentRequest body = call.body(EnrolmentRequest.class);
        require(body.token(), "token");
        return Reply.ok(sessions.enrol(body.token(), call.request.remoteAddress()));
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field + " is required", List.of(InputError.of(SOURCE, field, "is required")));
        }
    }

    /** A new id at every log-in: whatever session the browser had is gone. */
    private Reply opened(Call call, Session session) {
        call.session.ifPresent(old -> sessions.close(old.id()));
        return Reply.ok(SessionView.of(session))
                .withHeader("Set-Cookie", cookie(session.id(), call.request.secure(), -1));
    }

    private Reply logOut(Call call) {
        Session session = call.session.orElseThrow();
        sessions.close(session.id());
        audit.record(new AuditEvent(
                session.user().username(),
                "",
                "logout",
                "user:" + session.user().id(),
                call.request.remoteAddress(),
                AuditOutcome.SUCCESS,
                ""));
        return Reply.noContent().withHeader("Set-Cookie", cookie("", call.request.secure(), 0));
    }

    static String cookie(String value, boolean secure, int maxAge) {
        return Api.SESSION_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }
}
