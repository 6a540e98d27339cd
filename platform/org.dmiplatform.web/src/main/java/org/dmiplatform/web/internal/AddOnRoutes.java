package org.dmiplatform.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.AddOns;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginKind;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;

/**
 * The add-ons: the catalogue and the files for national staff; giving the platform a file, planning and making a
 * change for national administrators only, since they change the runtime every site shares; a site's own add-ons for
 * its administrators. The changes and files are audited by the service ({@code addon.*}), with their outcome.
 */
final class AddOnRoutes {
    /** A change asked for: {@code action} install, swap or uninstall; {@code version} as the catalogue lists it. */
    record ChangeRequest(String action, String feature, String version) {}

    record Catalogue(List<AddOns.AddOn> addOns, List<AddOns.AddOnFile> files) {}

    /**
     * An add-on as a site sees it.
     *
     * @param installed the version installed, or empty
     * @param listed true when the site lists it in its features
     * @param use whether it is bound at the site, when listed
     */
    record SiteAddOn(
            String feature,
            PluginKind kind,
            String description,
            Optional<String> installed,
            boolean listed,
            Optional<AddOns.Use> use) {}

    record SiteAddOns(String site, List<SiteAddOn> addOns) {}

    /** The add-on serving the site for a kind replaced by another installed one, with the other's settings. */
    record ReplacementRequest(String from, String to, java.util.Map<String, String> settings) {}

    static final Set<String> FILE_TYPES = Set.of(
            "application/octet-stream", "application/zip", "application/x-zip-compressed", "application/java-archive");

    private final AddOns addOns;
    private final Sites sites;
    private final long maxUploadBytes;

    AddOnRoutes(AddOns addOns, Sites sites, long maxUploadBytes) {
        this.addOns = addOns;
        this.sites = sites;
        this.maxUploadBytes = maxUploadBytes;
    }

    List<Route> routes() {
        Guard national = Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF);
        Guard administrators = Guard.roles(Role.TTA_ADMIN);
        return List.of(
                Route.of(
                        "GET",
                        "/addons",
                        national,
                        null,
                        call -> Reply.ok(new Catalogue(addOns.catalogue(), addOns.files()))),
                Route.of("POST", "/addons/files", administrators, null, this::receive),
                Route.of(
                        "POST",
                        "/addons/plans",
                        administrators,
                        null,
                        call -> Reply.ok(addOns.plan(change(call.body(ChangeRequest.class))))),
                Route.of("POST", "/addons/changes", administrators, null, this::apply),
                Route.of(
                        "GET",
                        "/sites/{site}/addons",
                        Guard.site(Role.TTA_ADMIN, Role.TTA_STAFF, Role.SITE_ADMIN),
                        null,
                        this::ofSite),
                Route.of(
                        "POST",
                        "/sites/{site}/addons/replacements",
                        Guard.site(Role.TTA_ADMIN, Role.TTA_STAFF, Role.SITE_ADMIN),
                        null,
                        this::replace));
    }

    /** {@code ?name=} the file's name (a .kar), {@code ?sha256=} the digest its sender published. */
    private Reply receive(Call call) {
        String name = call.request
                .query("name")
                .filter(n -> !n.isBlank())
                .orElseThrow(() -> ApiException.badRequest(
                        "name the file",
                        List.of(InputError.of("query", "name", "give the file's name, ending in .kar"))));
        Optional<String> sha256 = call.request.query("sha256").filter(s -> !s.isBlank());
        AddOns.AddOnFile kept = call.readUpload(Math.min(maxUploadBytes, 200L << 20), FILE_TYPES, in -> {
            try {
                return addOns.receive(name, in, sha256, call.actor());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return Reply.created(kept);
    }

    private Reply apply(Call call) {
        AddOns.Change change = change(call.body(ChangeRequest.class));
        try {
            return Reply.ok(addOns.apply(change, call.actor()));
        } catch (InvalidInputException e) {
            // the plan refused it: nothing was changed
            throw new ApiException(
                    409, "Refused", "the plan refuses this change; nothing was changed", e.errors(), false);
        } catch (IllegalStateException e) {
            throw new ApiException(409, "Not done", e.getMessage(), List.of(), false);
        }
    }

    private static AddOns.Change change(ChangeRequest request) {
        List<InputError> errors = new ArrayList<>();
        Optional<AddOns.Action> action = AddOns.Action.byId(request.action() == null ? "" : request.action());
        if (action.isEmpty()) {
            errors.add(InputError.of("request body", "action", "must be one of install, swap, uninstall"));
        }
        if (request.feature() == null || request.feature().isBlank()) {
            errors.add(InputError.of("request body", "feature", "name the add-on's feature, e.g. dmi-adapter-csv"));
        } else if (!request.feature().matches("[a-z0-9][a-z0-9-]{0,99}")) {
            errors.add(InputError.of("request body", "feature", "is not a feature name"));
        }
        if (request.version() != null && !request.version().matches("[A-Za-z0-9._-]{0,100}")) {
            errors.add(InputError.of("request body", "version", "is not a version"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("the change is not complete", errors);
        }
        return new AddOns.Change(action.get(), request.feature(), request.version());
    }

    private Reply replace(Call call) {
        ReplacementRequest request = call.body(ReplacementRequest.class);
        List<InputError> errors = new ArrayList<>();
        addOnName(errors, "from", request.from());
        addOnName(errors, "to", request.to());
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("the replacement is not complete", errors);
        }
        try {
            return Reply.ok(addOns.replace(
                    call.param("site"),
                    request.from(),
                    request.to(),
                    request.settings() == null ? java.util.Map.of() : request.settings(),
                    call.actor()));
        } catch (IllegalStateException e) {
            throw new ApiException(409, "Not done", e.getMessage(), List.of(), false);
        }
    }

    private static void addOnName(List<InputError> errors, String field, String value) {
        if (value == null || !value.matches("[a-z0-9][a-z0-9-]{0,99}")) {
            errors.add(InputError.of("request body", field, "name an add-on, e.g. dmi-adapter-csv"));
        }
    }

    /** Every add-on, with what the site has of it: what its administrators choose from for the site. */
    private Reply ofSite(Call call) {
        Site site = sites.find(call.param("site")).orElseThrow();
        List<SiteAddOn> out = new ArrayList<>();
        for (AddOns.AddOn addOn : addOns.catalogue()) {
            Optional<String> installed = addOn.versions().stream()
                    .filter(AddOns.Version::installed)
                    .map(AddOns.Version::version)
                    .findFirst();
            boolean listed = site.features().contains(addOn.feature());
            Optional<AddOns.Use> use = addOn.uses().stream()
                    .filter(u -> u.site().equals(site.id()))
                    .findFirst();
            out.add(new SiteAddOn(addOn.feature(), addOn.kind(), addOn.description(), installed, listed, use));
        }
        return Reply.ok(new SiteAddOns(site.id(), out));
    }
}
