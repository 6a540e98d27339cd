package org.dmiplatform.web.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.directory.DirectoryFile;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ServiceDirectory;
import org.dmiplatform.api.programme.Market.ServiceCategory;

/**
 * A site's service directories, combined: every directory bound to the site answers a search, and the answers are
 * merged (nearest first when a point is given, else by name). Importing goes to the site's directory that imports;
 * the export is every directory's services as one HSDS 3.0 array.
 */
final class DirectoryRoutes {
    static final String DIRECTORY = "/sites/{site}/directory";
    static final long MAX_PACKAGE_BYTES = 200L << 20;

    /**
     * A search's answer: where the services come from, the services, whether the site has a directory edited here,
     * and which of the services are in it.
     */
    record SearchView(
            List<String> directories, List<DirectoryService> services, boolean editable, List<String> editableIds) {}

    private final Sites sites;
    private final long maxUploadBytes;

    DirectoryRoutes(Sites sites, long maxUploadBytes) {
        this.sites = sites;
        this.maxUploadBytes = maxUploadBytes;
    }

    List<Route> routes() {
        Guard keepers = Guard.site(Role.SITE_ADMIN, Role.SERVICES, Role.COMMUNITY, Role.TTA_ADMIN);
        return List.of(
                Route.of("GET", DIRECTORY, Guard.anyoneAtSite(), null, this::search),
                Route.of("GET", DIRECTORY + "/services/{service}", Guard.anyoneAtSite(), null, this::find),
                Route.of("POST", DIRECTORY + "/import", keepers, "directory.import", this::importPackage),
                Route.of("POST", DIRECTORY + "/services", keepers, "directory.save", call -> {
                    Site site = site(call);
                    DirectoryService typed = call.body(DirectoryService.class);
                    DirectoryService saved = editing(site).save(site, typed.withId(""), call.caller());
                    return Reply.created(saved)
                            .withHeader("Location", "/api/v1/sites/" + site.id() + "/directory/services/" + saved.id());
                }),
                Route.of("PUT", DIRECTORY + "/services/{service}", keepers, "directory.save", call -> {
                    Site site = site(call);
                    DirectoryService typed = call.body(DirectoryService.class);
                    return Reply.ok(editing(site).save(site, typed.withId(call.param("service")), call.caller()));
                }),
                Route.of("DELETE", DIRECTORY + "/services/{service}", keepers, "directory.remove", call -> {
                    Site site = site(call);
                    editing(site).remove(site, call.param("service"), call.caller());
                    return Reply.noContent();
                }),
                Route.of("GET", DIRECTORY + "/export", Guard.anyoneAtSite(), null, this::export));
    }

    private Site site(Call call) {
        return sites.find(call.param("site"))
                .orElseThrow(() -> new NoSuchElementException("no site '" + call.param("site") + "'"));
    }

    private List<ServiceDirectory> directories(Site site) {
        List<ServiceDirectory> all = sites.pluginsOf(site.id(), ServiceDirectory.class);
        if (all.isEmpty()) {
            throw new ApiException(
                    409,
                    "No service directory",
                    "site " + site.id() + " has no service directory bound; its site IT installs one (feature"
                            + " dmi-directory-hsds to import HSDS packages, dmi-directory-local to keep one in the console)"
                            + " and provisions it",
                    List.of(),
                    false);
        }
        return all;
    }

    /**
     * {@code ?category=} (comma-separated: drug-treatment, education, job-training, employment, family,
     * transportation), {@code ?q=} words, {@code ?near=longitude,latitude}, {@code ?withinKm=}, {@code ?limit=}.
     */
    private Reply search(Call call) {
        Site site = site(call);
        DirectoryQuery query = query(call);
        List<String> described = new ArrayList<>();
        List<DirectoryService> found = new ArrayList<>();
        List<String> editableIds = new ArrayList<>();
        boolean editable = false;
        for (ServiceDirectory directory : ServiceDirectory.editedFirst(directories(site))) {
            described.add(directory.describe(site));
            List<DirectoryService> answered = directory.search(site, query, call.caller());
            found.addAll(answered);
            if (directory.edits()) {
                editable = true;
                answered.forEach(s -> editableIds.add(s.id()));
            }
        }
        // the same service in two directories (a combined export imported back) is shown once: the first answer wins,
        // and the directory edited here answers first
        java.util.Set<String> seen = new java.util.HashSet<>();
        found.removeIf(s -> !seen.add(s.id()));
        Comparator<DirectoryService> order = query.near().isPresent()
                ? Comparator.comparing((DirectoryService s) -> s.distanceKm().orElse(Double.MAX_VALUE))
                : Comparator.comparing((DirectoryService s) -> s.name().toLowerCase(Locale.ROOT));
        found.sort(order.thenComparing(DirectoryService::id));
        List<DirectoryService> shown = found.subList(0, Math.min(found.size(), query.limit()));
        return Reply.ok(new SearchView(
                described,
                shown,
                editable,
                editableIds.stream()
                        .filter(id -> shown.stream().anyMatch(s -> s.id().equals(id)))
                        .toList()));
    }

    private Reply find(Call call) {
        Site site = site(call);
        String id = call.param("service");
        return Reply.ok(ServiceDirectory.findIn(directories(site), site, id, call.caller())
                .orElseThrow(() -> new NoSuchElementException(
                        "site " + site.id() + " has no service '" + id + "' in its directory")));
    }

    private ServiceDirectory editing(Site site) {
        return directories(site).stream()
                .filter(ServiceDirectory::edits)
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(InputError.of(
                        "query",
                        "site",
                        "site " + site.id() + " has no directory edited here; its site IT adds the local directory")));
    }

    /** The package in the body (a zipped HSDS CSV data package, or HSDS JSON); its name in {@code ?file=}. */
    private Reply importPackage(Call call) {
        Site site = site(call);
        ServiceDirectory directory = directories(site).stream()
                .filter(ServiceDirectory::imports)
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(InputError.of(
                        "query", "site", "site " + site.id() + " has no service directory that imports packages")));
        String fileName = call.request
                .query("file")
                .orElseThrow(() -> new InvalidInputException(
                        InputError.of("query", "file", "give the package's file name, ending in .zip or .json")));
        return call.readUpload(
                Math.min(maxUploadBytes, MAX_PACKAGE_BYTES),
                Call.LAYER_TYPES,
                in -> Reply.ok(directory.importPackage(site, new DirectoryFile(fileName, in), call.caller())));
    }

    /**
     * Every directory's services as one HSDS 3.0 JSON array: each directory's array joined as written (never parsed
     * again here, so no limit of the API's own JSON reader applies to a directory's long texts).
     */
    private Reply export(Call call) {
        Site site = site(call);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write('[');
        boolean first = true;
        for (ServiceDirectory directory : directories(site)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            directory.exportHsds(site, out, call.caller());
            String array = out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!array.startsWith("[") || !array.endsWith("]")) {
                throw new IllegalStateException("a service directory's export is not a JSON array");
            }
            String members = array.substring(1, array.length() - 1).strip();
            if (!members.isEmpty()) {
                if (!first) {
                    all.write(',');
                }
                all.writeBytes(members.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                first = false;
            }
        }
        all.write(']');
        return Reply.raw("application/json", all.toByteArray())
                .withHeader("Content-Disposition", "attachment; filename=\"" + site.id() + "-directory-hsds3.json\"");
    }

    private static DirectoryQuery query(Call call) {
        Set<ServiceCategory> categories = EnumSet.noneOf(ServiceCategory.class);
        for (String id : call.request.query("category").orElse("").split(",")) {
            if (id.isBlank()) {
                continue;
            }
            categories.add(category(id.strip()));
        }
        Optional<DirectoryQuery.Point> near = call.request
                .query("near")
                .filter(v -> !v.isBlank())
                .map(v -> {
                    String[] parts = v.split(",");
                    try {
                        double lon = Double.parseDouble(parts[0].strip());
                        double lat = Double.parseDouble(parts[1].strip());
                        if (!Double.isFinite(lon)
                                || !Double.isFinite(lat)
                                || lon < -180
                                || lon > 180
                                || lat < -90
                                || lat > 90) {
                            throw new NumberFormatException();
                        }
                        return new DirectoryQuery.Point(lon, lat);
                    } catch (RuntimeException e) {
                        throw new InvalidInputException(
                                InputError.of("query", "near", "'" + v + "' is not longitude,latitude"));
                    }
                });
        Optional<Double> within = call.request
                .query("withinKm")
                .filter(v -> !v.isBlank())
                .map(v -> {
                    try {
                        double km = Double.parseDouble(v);
                        if (!(km > 0 && km <= 500)) {
                            throw new NumberFormatException();
                        }
                        return km;
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException(
                                InputError.of("query", "withinKm", "must be a distance above 0 and at most 500 km"));
                    }
                });
        if (within.isPresent() && near.isEmpty()) {
            throw new InvalidInputException(InputError.of("query", "withinKm", "needs near=longitude,latitude"));
        }
        int limit;
        try {
            limit = Integer.parseInt(call.request.query("limit").orElse("100"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > DirectoryQuery.MAX_LIMIT) {
            throw new InvalidInputException(
                    InputError.of("query", "limit", "must be a whole number from 1 to " + DirectoryQuery.MAX_LIMIT));
        }
        return new DirectoryQuery(categories, call.request.query("q").orElse(""), near, within, limit);
    }

    /** {@code drug-treatment} as {@link ServiceCategory#DRUG_TREATMENT}. */
    static ServiceCategory category(String id) {
        for (ServiceCategory c : ServiceCategory.values()) {
            if (c.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(id.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new InvalidInputException(InputError.of(
                "query",
                "category",
                "'" + id + "' is not one of drug-treatment,"
                        + " education, job-training, employment, family, transportation"));
    }
}
