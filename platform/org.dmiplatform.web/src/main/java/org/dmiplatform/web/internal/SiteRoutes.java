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
    /**
     * Settings in a request; every field optional, lists as JSON arrays. {@code templates} alone (the names of shipped
     * templates, or {@code "all"}) provisions several sites at once; {@code recordsSystem} names the records system
     * whose plug-ins and profiles fill in what the request does not give.
     */
    record SiteRequest(
            com.fasterxml.jackson.databind.JsonNode templates,
            String template,
            String recordsSystem,
            String id,
            String name,
            String jurisdiction,
            String timeZone,
            List<String> sourceCrs,
            String cohort,
            List<String> features,
            List<Double> bounds,
            Map<String, Map<String, String>> plugins,
            Map<String, String> profiles,
            FirstAdmin firstAdmin) {}

    /**
     * The site's first administrator, created with the site when asked: a password is generated and shown once in
     * the answer (the person changes it on their account page).
     */
    record FirstAdmin(String username, String displayName) {}

    /** As the accounts store has it: checked before the site is created, so a refusal leaves nothing half made. */
    private static final java.util.regex.Pattern USERNAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{2,63}");

    /** A site created, with its first administrator's account and (generated) password when one was asked for. */
    record Created(Site site, User firstAdmin, String password) {}

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
    private final org.dmiplatform.api.AddOns addOns;

    SiteRoutes(Sites sites, SiteProvisioning provisioning, Accounts accounts, org.dmiplatform.api.AddOns addOns) {
        this.sites = sites;
        this.provisioning = provisioning;
        this.accounts = accounts;
        this.addOns = addOns;
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

    /**
     * A site from a JSON body (settings, and optionally a template, plug-in configurations, profile files and a first
     * administrator) or from its folder as a zip ({@code Content-Type: application/zip}).
     */
    private Reply provision(Call call) {
        String type = call.request.header("content-type").orElse("").toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("application/zip") || type.startsWith("application/x-zip-compressed")) {
            String name = call.request.query("name").filter(n -> !n.isBlank()).orElse("site.zip");
            SiteDefinition definition = call.readUpload(SITE_ZIP_BYTES, ZIP_TYPES, in -> {
                try {
                    return provisioning.readZip(name, in);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            refuseExisting(definition);
            return Reply.created(new Created(provisioning.provision(definition, call.actor()), null, null))
                    .withHeader("Location", "/api/v1/sites/" + definition.site().id());
        }
        SiteRequest request = call.body(SiteRequest.class);
        if (request.templates() != null) {
            return provisionTemplates(call, request);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        List<org.dmiplatform.api.PluginConfiguration> plugins = new ArrayList<>();
        Map<String, String> profiles = new LinkedHashMap<>();
        if (request.template() != null) {
            SiteDefinition template = provisioning.template(request.template());
            settings.putAll(template.site().settings());
            plugins.addAll(template.plugins());
            profiles.putAll(template.profiles());
        }
        settings.putAll(settingsOf(request));
        if (request.plugins() != null) {
            for (Map.Entry<String, Map<String, String>> plugin :
                    request.plugins().entrySet()) {
                plugins.removeIf(p -> p.factoryPid().equals(plugin.getKey()));
                plugins.add(new org.dmiplatform.api.PluginConfiguration(
                        plugin.getKey(),
                        plugin.getValue() == null ? Map.of() : plugin.getValue(),
                        "request body: plugins." + plugin.getKey()));
            }
        }
        if (request.profiles() != null) {
            profiles.putAll(request.profiles());
        }
        FirstAdmin admin = request.firstAdmin();
        if (admin != null) {
            if (!call.user().holds(Role.TTA_ADMIN)) {
                throw ApiException.forbidden(
                        "only a TTA administrator creates accounts with a new site; create the site, then ask one to"
                                + " add its site administrator on the Users page");
            }
            if (admin.username() == null || !USERNAME.matcher(admin.username()).matches()) {
                throw ApiException.badRequest(
                        "the first administrator needs a username",
                        List.of(InputError.of(
                                "request body",
                                "firstAdmin.username",
                                "is required: 3 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or"
                                        + " digit")));
            }
            if (admin.displayName() != null && admin.displayName().strip().length() > 200) {
                throw ApiException.badRequest(
                        "the first administrator's name is too long",
                        List.of(InputError.of("request body", "firstAdmin.displayName", "must be 1-200 characters")));
            }
        }
        SiteDefinition definition = provisioning.define(settings, plugins, profiles, "request body");
        refuseExisting(definition);
        if (admin != null && accounts.list().stream().anyMatch(u -> u.username().equalsIgnoreCase(admin.username()))) {
            throw ApiException.badRequest(
                    "the first administrator's username is taken",
                    List.of(InputError.of(
                            "request body", "firstAdmin.username", "'" + admin.username() + "' is taken")));
        }
        Site site = provisioning.provision(definition, call.actor());
        User created = null;
        String password = null;
        if (admin != null) {
            password = Passwords.generate();
            created = accounts.create(
                    new org.dmiplatform.api.access.NewUser(
                            admin.username(),
                            admin.displayName() == null || admin.displayName().isBlank()
                                    ? admin.username()
                                    : admin.displayName().strip(),
                            password.toCharArray(),
                            List.of(new org.dmiplatform.api.access.Grant(Role.SITE_ADMIN, site.id()))),
                    call.actor());
        }
        return Reply.created(new Created(site, created, password)).withHeader("Location", "/api/v1/sites/" + site.id());
    }

    /** One site of several provisioned at once: what was done with it. */
    record TemplateOutcome(String id, String name, String outcome, String recordsSystem) {}

    /** The answer to provisioning several templates: each site's outcome, the counts, and how long it took. */
    record TemplatesProvisioned(
            List<TemplateOutcome> sites, int created, int updated, int unchanged, long milliseconds) {}

    /**
     * {@code {"templates": ["high-point", ...]}} or {@code {"templates": "all"}} (every shipped template but the demo
     * sites): a TTA administrator's national roll-out. Every template is read and checked before any site is touched.
     */
    private Reply provisionTemplates(Call call, SiteRequest request) {
        if (!call.user().holds(Role.TTA_ADMIN)) {
            throw ApiException.forbidden(
                    "only a TTA administrator provisions several sites at once; TTA staff provision them one by one");
        }
        SiteRequest alone = new SiteRequest(
                request.templates(), null, null, null, null, null, null, null, null, null, null, null, null, null);
        if (!request.equals(alone)) {
            throw ApiException.badRequest(
                    "templates provisions the shipped templates as they are: send no other field with it",
                    List.of(InputError.of(
                            "request body", "templates", "cannot be combined with settings, plug-ins or profiles")));
        }
        List<String> names = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode templates = request.templates();
        boolean all = templates.isTextual() && templates.asText().equals("all");
        if (all) {
            names.addAll(provisioning.templates());
        } else if (templates.isArray() && !templates.isEmpty()) {
            List<InputError> errors = new ArrayList<>();
            for (int i = 0; i < templates.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode name = templates.get(i);
                if (name.isTextual() && !name.asText().isBlank()) {
                    names.add(name.asText());
                } else {
                    errors.add(InputError.of("request body", "templates[" + i + "]", "must be a template's name"));
                }
            }
            if (!errors.isEmpty()) {
                throw ApiException.badRequest("every template is named by its name", errors);
            }
        } else {
            throw ApiException.badRequest(
                    "templates is a list of template names or \"all\"",
                    List.of(InputError.of(
                            "request body",
                            "templates",
                            "must be a non-empty list of template names, e.g. [\"high-point\", \"rockford\"], or"
                                    + " \"all\"")));
        }
        long started = System.nanoTime();
        List<SiteDefinition> definitions = provisioning.templates(names);
        if (all) {
            // the demo sites are provisioned by demo mode, or by name
            definitions = definitions.stream()
                    .filter(d -> !SiteProvisioning.DEMO_COHORT.equals(d.site().cohort()))
                    .toList();
        }
        List<SiteProvisioning.Provisioned> done = provisioning.provisionAll(definitions, call.actor());
        List<TemplateOutcome> outcomes = new ArrayList<>();
        int[] counts = new int[SiteProvisioning.Outcome.values().length];
        for (SiteProvisioning.Provisioned p : done) {
            counts[p.outcome().ordinal()]++;
            outcomes.add(new TemplateOutcome(
                    p.site().id(),
                    p.site().name(),
                    p.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    p.recordsSystem()));
        }
        return Reply.ok(new TemplatesProvisioned(
                outcomes,
                counts[SiteProvisioning.Outcome.CREATED.ordinal()],
                counts[SiteProvisioning.Outcome.UPDATED.ordinal()],
                counts[SiteProvisioning.Outcome.UNCHANGED.ordinal()],
                (System.nanoTime() - started) / 1_000_000));
    }

    private static final long SITE_ZIP_BYTES = 50L * 1024 * 1024;
    private static final Set<String> ZIP_TYPES = Set.of("application/zip", "application/x-zip-compressed");

    private void refuseExisting(SiteDefinition definition) {
        if (sites.find(definition.site().id()).isPresent()) {
            throw new ApiException(
                    409,
                    "Conflict",
                    "site '" + definition.site().id() + "' exists; change it with PUT /api/v1/sites/"
                            + definition.site().id(),
                    List.of(),
                    false);
        }
    }

    private Reply configure(Call call) {
        SiteRequest request = call.body(SiteRequest.class);
        Site current = sites.find(call.param("site")).orElseThrow();
        String fixed = request.templates() != null
                ? "templates"
                : request.template() != null
                        ? "template"
                        : request.recordsSystem() != null
                                ? "recordsSystem"
                                : request.id() != null && !request.id().equals(current.id()) ? "id" : null;
        if (fixed != null) {
            throw ApiException.badRequest(
                    "a site's id, template and records system cannot change here: provision the site again from its"
                            + " folder",
                    List.of(InputError.of("request body", fixed, "cannot change")));
        }
        Map<String, String> settings = new LinkedHashMap<>(current.settings());
        settings.putAll(settingsOf(request));
        Site changed = provisioning
                .define(settings, List.of(), Map.of(), "request body")
                .site();
        refuseInstalling(call.user(), current, changed);
        return Reply.ok(provisioning.configure(changed, call.actor()));
    }

    /**
     * A site administrator chooses among the add-ons installed: listing one that is not would install it into the
     * runtime every site shares, which national administrators do (docs/security.md row 16).
     */
    private void refuseInstalling(User user, Site current, Site changed) {
        if (user.isNational()) {
            return;
        }
        Set<String> installed = new java.util.HashSet<>();
        for (org.dmiplatform.api.AddOns.AddOn addOn : addOns.catalogue()) {
            if (addOn.installed()) {
                installed.add(addOn.feature());
            }
        }
        List<String> missing = changed.features().stream()
                .filter(f -> !current.features().contains(f) && !installed.contains(f))
                .toList();
        if (!missing.isEmpty()) {
            throw ApiException.forbidden("the add-on(s) " + String.join(", ", missing) + " are not installed;"
                    + " installing one into the platform every site shares is a national administrator's action:"
                    + " ask one to install it (installed now: " + new java.util.TreeSet<>(installed) + ")");
        }
    }

    private static Map<String, String> settingsOf(SiteRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "id", request.id());
        put(out, "recordsSystem", request.recordsSystem());
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
        if (request.bounds() != null) {
            if (request.bounds().size() != 4 || request.bounds().contains(null)) {
                throw ApiException.badRequest(
                        "bounds are four numbers: west, south, east, north",
                        List.of(InputError.of(
                                "request body", "bounds", "must be [west, south, east, north] in degrees")));
            }
            out.put(
                    "bounds",
                    request.bounds().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        }
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
