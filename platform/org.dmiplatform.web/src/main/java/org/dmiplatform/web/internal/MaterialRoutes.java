package org.dmiplatform.web.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.programme.Materials;

/**
 * The shared materials over REST: the TTA team's materials under {@code /materials}, and a site's under
 * {@code /sites/{site}/materials}, where a material is named by its national id. The services audit each write; the
 * path check ({@link Materials#requireReachable}) makes a material the site may not reach read as missing before
 * anything else.
 */
final class MaterialRoutes {
    static final String MATERIAL = "/materials/{material}";
    static final String AT_SITE = "/sites/{site}/materials";
    static final String SITE_MATERIAL = AT_SITE + "/{material}";

    record MaterialRequest(
            String title,
            Materials.Kind kind,
            String cohort,
            Boolean lawEnforcementOnly,
            Materials.Format format,
            String content,
            String note) {}

    record VersionRequest(Materials.Format format, String content, String note, Integer replaces) {}

    record WithdrawalRequest(String reason) {}

    /** @param version the national version to adopt; the latest when absent */
    record AdoptionRequest(Integer version) {}

    record AdaptationRequest(String content, String note, Integer replaces) {}

    private final Materials materials;

    MaterialRoutes(Materials materials) {
        this.materials = materials;
    }

    List<Route> routes() {
        Guard national = Guard.roles(Role.TTA_ADMIN, Role.TTA_STAFF);
        Guard anyone = Guard.anyoneAtSite();
        Guard adapters = Guard.site(Role.SITE_ADMIN, Role.POC, Role.POLICE);
        return List.of(
                Route.of(
                        "GET",
                        "/materials",
                        national,
                        null,
                        call -> Reply.ok(Map.of("materials", materials.materials(call.caller())))),
                Route.of("POST", "/materials", national, null, this::publish),
                Route.of(
                        "GET",
                        MATERIAL,
                        national,
                        null,
                        call -> Reply.ok(materials.material(call.idParam("material"), call.caller()))),
                Route.of("POST", MATERIAL + "/versions", national, null, call -> {
                    VersionRequest b = call.body(VersionRequest.class);
                    return Reply.created(materials.publishVersion(
                            call.idParam("material"),
                            new Materials.NewVersion(b.format(), b.content(), b.note(), b.replaces()),
                            call.caller()));
                }),
                Route.of(
                        "GET",
                        MATERIAL + "/versions/{version}",
                        national,
                        null,
                        call -> Reply.ok(
                                materials.version(call.idParam("material"), number(call, "version"), call.caller()))),
                Route.of("GET", MATERIAL + "/compare", national, null, call -> {
                    long id = call.idParam("material");
                    int latest = materials
                            .material(id, call.caller())
                            .summary()
                            .latest()
                            .number();
                    int to = query(call, "to").orElse(latest);
                    int from = query(call, "from").orElse(Math.max(1, to - 1));
                    return Reply.ok(materials.compare(id, from, to, call.caller()));
                }),
                Route.of("POST", MATERIAL + "/withdrawal", national, null, call -> {
                    WithdrawalRequest b = call.body(WithdrawalRequest.class);
                    return Reply.ok(materials.withdraw(call.idParam("material"), b.reason(), call.caller()));
                }),
                Route.of(
                        "GET",
                        AT_SITE,
                        anyone,
                        null,
                        call -> Reply.ok(materials.atSite(call.param("site"), call.caller()))),
                Route.of(
                        "GET",
                        SITE_MATERIAL,
                        anyone,
                        null,
                        call -> Reply.ok(
                                materials.atSite(call.param("site"), call.idParam("material"), call.caller()))),
                Route.of(
                        "GET",
                        SITE_MATERIAL + "/versions/{version}",
                        anyone,
                        null,
                        call -> Reply.ok(materials.version(
                                call.param("site"), call.idParam("material"), number(call, "version"), call.caller()))),
                Route.of(
                        "GET",
                        SITE_MATERIAL + "/copies/{copy}",
                        anyone,
                        null,
                        call -> Reply.ok(materials.copy(
                                call.param("site"), call.idParam("material"), number(call, "copy"), call.caller()))),
                Route.of(
                        "GET",
                        SITE_MATERIAL + "/compare",
                        anyone,
                        null,
                        call -> Reply.ok(materials.compare(
                                call.param("site"),
                                call.idParam("material"),
                                side(call, "from"),
                                side(call, "to"),
                                call.caller()))),
                Route.of("POST", SITE_MATERIAL + "/adoptions", adapters, null, call -> {
                    AdoptionRequest b = call.body(AdoptionRequest.class);
                    return Reply.created(materials.adopt(
                            call.param("site"),
                            call.idParam("material"),
                            Optional.ofNullable(b.version()),
                            call.caller()));
                }),
                Route.of("POST", SITE_MATERIAL + "/copies", adapters, null, call -> {
                    AdaptationRequest b = call.body(AdaptationRequest.class);
                    return Reply.created(materials.adapt(
                            call.param("site"),
                            call.idParam("material"),
                            new Materials.Adaptation(b.content(), b.note(), b.replaces()),
                            call.caller()));
                }));
    }

    private Reply publish(Call call) {
        MaterialRequest b = call.body(MaterialRequest.class);
        Materials.Material created = materials.publish(
                new Materials.NewMaterial(
                        b.title(),
                        b.kind(),
                        b.cohort(),
                        Boolean.TRUE.equals(b.lawEnforcementOnly()),
                        b.format(),
                        b.content(),
                        b.note()),
                call.caller());
        return Reply.created(created)
                .withHeader("Location", "/api/v1/materials/" + created.summary().id());
    }

    /** A version or copy number in the path: anything else names nothing there. */
    private static int number(Call call, String param) {
        String text = call.param(param);
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // not a number
        }
        throw ApiException.notFound("no " + param + " '" + text + "'", false);
    }

    /** A version number in the query, when given. */
    private static Optional<Integer> query(Call call, String name) {
        Optional<String> text = call.request.query(name).map(String::strip).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(text.get());
            if (n >= 1) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest(
                name + " must be a version number",
                List.of(InputError.of("query", name, "'" + text.get() + "' is not a version number (1, 2, ...)")));
    }

    /**
     * One side of a comparison at a site, when given: {@code national:3} (a national version) or {@code copy:2} (a
     * version of the site's copy).
     */
    private static Materials.Side side(Call call, String name) {
        Optional<String> text = call.request.query(name).map(String::strip).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return null;
        }
        String[] parts = text.get().split(":", 2);
        if (parts.length == 2 && (parts[0].equals("national") || parts[0].equals("copy"))) {
            try {
                int n = Integer.parseInt(parts[1]);
                if (n >= 1) {
                    return parts[0].equals("copy") ? Materials.Side.copy(n) : Materials.Side.national(n);
                }
            } catch (NumberFormatException e) {
                // said below
            }
        }
        throw ApiException.badRequest(
                name + " must name a national version or a copy",
                List.of(InputError.of(
                        "query",
                        name,
                        "'" + text.get() + "' is neither national:<version> (national:3) nor copy:<number> (copy:2)")));
    }
}
