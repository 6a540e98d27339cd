package org.dmiplatform.web.internal;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.PluginBinding;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Accounts;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;

/** The sites a user may see, one site's page, and provisioning and changing sites. */
final class SiteRoutes {
    /** Settings in a request; every field optional, lists as JSON arrays. */
    record SiteRequest(
            String template,
            String id,
            String name,
            String jurisdiction,
            String timeZone,
            List<String> sourceCrs,
            String cohort,
            List<String> features) {}

    record SiteSummary(String id, String name, String jurisdiction, String timeZone, String cohort, List<Role> roles) {}

    /** A team account as its colleagues see it. */
    record Member(long id, String username, String displayName, List<Role> roles, boolean enabled) {}

    /**
     * The facts a site page shows. {@code members} is filled for the site's own team only; national staff see
     * counts per role.
     */
    record SiteDetail(
            Site site,
            String localTime,
            List<PluginBinding> plugins,
            List<String> missing,
            Map<Role, Integer> accountsByRole,
            List<Member> members) {}

    private final Sites sites;
    private final SiteProvisioning provisioning;
    private final Accounts accounts;

    SiteRoutes(Sites sites, SiteProvisioning provisioning, Accounts accounts) {
        this.sites = sites;
        this.provisioning = provisioning;
        this.accounts = accounts;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/sites", Guard.SIGNED_IN, null, this::list),
                Route.of("POST", "/sites", Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF), null, this::provision),
                Route.of(
                        "GET",
                        "/site-templates",
                        Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF),
                        null,
                        call -> Reply.ok(Map.of("templates", provisioning.templates()))),
                Route.of("GET", "/sites/{site}", Guard.anyoneAtSite(), "site.read", this::detail),
                Route.of(
                        "PUT",
                        "/sites/{site}",
                        Guard.site(Role.TTA_ADMIN, Role.TTA_STAFF, Role.SITE_ADMIN),
                        null,
                        this::configure));
    }

    private Reply list(Call call) {
        User user = call.user();
        List<SiteSummary> visible = new ArrayList<>();
        for (Site site : sites.list()) {
            if (user.isNational() || user.memberOf().contains(site.id())) {
                List<Role> roles = new ArrayList<>(user.rolesAt(site.id()));
                user.grants().stream().filter(g -> g.role().isNational()).forEach(g -> roles.add(g.role()));
                roles.sort(null);
                visible.add(new SiteSummary(
                        site.id(),
                        site.name(),
                        site.jurisdiction(),
                        site.timeZone().getId(),
                        site.cohort(),
                        roles));
            }
        }
        return Reply.ok(Map.of("sites", visible));
    }

    private Reply detail(Call call) {
        Site site = sites.find(call.param("site")).orElseThrow();
        User user = call.user();
        List<PluginBinding> bound = sites.plugins(site.id());
        Set<PluginKind> missing = EnumSet.allOf(PluginKind.class);
        bound.forEach(b -> missing.remove(b.kind()));
        Map<Role, Integer> counts = new TreeMap<>();
        List<Member> members = new ArrayList<>();
        boolean member = user.memberOf().contains(site.id());
        for (User account : accounts.list()) {
            Set<Role> roles = account.rolesAt(site.id());
            if (roles.isEmpty()) {
                continue;
            }
            roles.forEach(r -> counts.merge(r, 1, Integer::sum));
            if (member) {
                members.add(new Member(
                        account.id(),
                        account.username(),
                        account.displayName(),
                        roles.stream().sorted().toList(),
                        account.enabled()));
            }
        }
        String localTime = ZonedDateTime.now(site.timeZone())
                .truncatedTo(ChronoUnit.MINUTES)
                .toOffsetDateTime()
                .toString();
        return Reply.ok(new SiteDetail(
                site,
                localTime,
                bound,
                missing.stream().map(k -> "no " + k.label()).toList(),
                counts,
                members));
    }

    private Reply provision(Call call) {
        SiteRequest request = call.body(SiteRequest.class);
        Map<String, String> settings = new LinkedHashMap<>();
        List<org.dmiplatform.api.PluginConfiguration> plugins = List.of();
        Map<String, String> profiles = Map.of();
        if (request.template() != null) {
            SiteDefinition template = provisioning.template(request.template());
            settings.putAll(template.site().settings());
            plugins = template.plugins();
            profiles = template.profiles();
        }
        settings.putAll(settingsOf(request));
        SiteDefinition definition = provisioning.define(settings, plugins, profiles, "request body");
        if (sites.find(definition.site().id()).isPresent()) {
            throw new ApiException(
                    409,
                    "Conflict",
                    "site '" + definition.site().id() + "' exists; change it with PUT /api/v1/sites/"
                            + definition.site().id(),
                    List.of(),
                    false);
        }
        return Reply.created(provisioning.provision(definition, call.actor()))
                .withHeader("Location", "/api/v1/sites/" + definition.site().id());
    }

    private Reply configure(Call call) {
        SiteRequest request = call.body(SiteRequest.class);
        Site current = sites.find(call.param("site")).orElseThrow();
        if (request.template() != null || (request.id() != null && !request.id().equals(current.id()))) {
            throw ApiException.badRequest(
                    "a site's id and template cannot change",
                    List.of(InputError.of(
                            "request body", request.template() != null ? "template" : "id", "cannot change")));
        }
        Map<String, String> settings = new LinkedHashMap<>(current.settings());
        settings.putAll(settingsOf(request));
        Site changed = provisioning
                .define(settings, List.of(), Map.of(), "request body")
                .site();
        return Reply.ok(provisioning.configure(changed, call.actor()));
    }

    private static Map<String, String> settingsOf(SiteRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "id", request.id());
        put(out, "name", request.name());
        put(out, "jurisdiction", request.jurisdiction());
        put(out, "timeZone", request.timeZone());
        put(out, "cohort", request.cohort());
        if (request.sourceCrs() != null) {
            out.put("sourceCrs", String.join(",", request.sourceCrs()));
        }
        if (request.features() != null) {
            out.put("features", String.join(",", request.features()));
        }
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
