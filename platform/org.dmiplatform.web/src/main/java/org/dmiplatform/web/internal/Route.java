package org.dmiplatform.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API operation: method, path template ({@code /sites/{site}}), guard, and the audit action written when it
 * succeeds (none where the service behind it audits, or for reads of no record).
 */
final class Route {
    @FunctionalInterface
    interface Handler {
        Reply handle(Call call) throws Exception;
    }

    private static final Pattern PARAM = Pattern.compile("\\{([a-z]+)}");

    final String method;
    final String template;
    final Guard guard;
    final String auditAction;
    final boolean csrfExempt;
    /** A read that may also be asked for as a run, made later on any node ({@link RunRoutes}). */
    final boolean runnable;

    final Handler handler;
    private final Pattern pattern;
    private final List<String> params = new ArrayList<>();
    /** The template's text before its first parameter: a path not starting with it is not this route's. */
    private final String literalStart;

    private Route(
            String method,
            String template,
            Guard guard,
            String auditAction,
            boolean csrfExempt,
            boolean runnable,
            Handler handler) {
        this.method = method;
        this.template = template;
        this.guard = guard;
        this.auditAction = auditAction;
        this.csrfExempt = csrfExempt;
        this.runnable = runnable;
        this.handler = handler;
        if (runnable && (!method.equals("GET") || guard.scope() != Guard.Scope.SITE)) {
            throw new IllegalArgumentException(method + " " + template + ": only a site's reads may be runs");
        }
        Matcher m = PARAM.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            params.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        this.pattern = Pattern.compile(regex.toString());
        int brace = template.indexOf('{');
        this.literalStart = brace < 0 ? template : template.substring(0, brace);
        if (params.contains("site") != (guard.scope() == Guard.Scope.SITE)) {
            throw new IllegalArgumentException(method + " " + template
                    + ": a route names {site} in its path exactly when its guard is site-scoped");
        }
    }

    static Route of(String method, String template, Guard guard, String auditAction, Handler handler) {
        return new Route(method, template, guard, auditAction, false, false, handler);
    }

    /** This read, which may also be asked for as a run: for the reports and analyses that take long. */
    Route runnable() {
        return new Route(method, template, guard, auditAction, csrfExempt, true, handler);
    }

    /** The log-in route: there is no session yet, so there is no token to check. */
    static Route csrfExempt(String method, String template, Guard guard, Handler handler) {
        return new Route(method, template, guard, null, true, false, handler);
    }

    boolean unsafe() {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    Optional<Map<String, String>> match(String path) {
        if (!path.startsWith(literalStart)) {
            return Optional.empty();
        }
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            values.put(params.get(i), m.group(i + 1));
        }
        return Optional.of(values);
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
