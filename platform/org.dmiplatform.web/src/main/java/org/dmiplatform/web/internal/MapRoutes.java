package org.dmiplatform.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.Sites;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.mapping.AreaRequest;
import org.dmiplatform.api.mapping.HotSpotRequest;
import org.dmiplatform.api.mapping.LayerFile;
import org.dmiplatform.api.mapping.Mapping;
import org.dmiplatform.api.mapping.PrintRequest;
import org.dmiplatform.api.programme.Intervention;
import org.dmiplatform.api.programme.Programme;
import org.dmiplatform.api.store.RecordQuery;

/**
 * A site's maps, through the mapping plug-in bound to it: boundary layers (upload, list, read, remove, counts by
 * polygon), hot spots, suggested areas and the printable map. The records filters are those of the records routes.
 */
final class MapRoutes {
    static final String LAYERS = "/sites/{site}/layers";
    /** The largest boundary layer file taken (a zipped county of census blocks is about 60 MB). */
    static final long MAX_LAYER_BYTES = 200L << 20;

    private final Sites sites;
    private final Programme programme;
    private final BiFunction<Call, Site, RecordQuery> query;
    private final long maxUploadBytes;

    MapRoutes(Sites sites, Programme programme, BiFunction<Call, Site, RecordQuery> query, long maxUploadBytes) {
        this.sites = sites;
        this.programme = programme;
        this.query = query;
        this.maxUploadBytes = maxUploadBytes;
    }

    List<Route> routes() {
        Guard editors = Guard.site(Role.POLICE, Role.SITE_ADMIN, Role.TTA_ADMIN);
        Guard everyone = Guard.anyoneAtSite();
        Guard analysts = Guard.site(Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR);
        return List.of(
                Route.of("GET", LAYERS, everyone, null, call -> {
                    Site site = site(call);
                    return Reply.ok(Map.of("layers", mapping(site).layers(site, call.caller())));
                }),
                Route.of("POST", LAYERS, editors, "layer.save", this::upload),
                Route.of("GET", LAYERS + "/{layer}", everyone, null, call -> {
                    Site site = site(call);
                    String geojson = mapping(site).layerGeoJson(site, call.param("layer"), call.caller());
                    return Reply.raw("application/geo+json", geojson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }),
                Route.of("DELETE", LAYERS + "/{layer}", editors, "layer.delete", call -> {
                    Site site = site(call);
                    mapping(site).deleteLayer(site, call.param("layer"), call.caller());
                    return Reply.noContent();
                }),
                Route.of("GET", LAYERS + "/{layer}/counts", analysts, null, call -> {
                            Site site = site(call);
                            return Reply.ok(mapping(site)
                                    .countByPolygon(site, call.param("layer"), query.apply(call, site), call.caller()));
                        })
                        .runnable(),
                Route.of("GET", "/sites/{site}/hotspots", analysts, null, call -> {
                            Site site = site(call);
                            return geoJson(mapping(site).hotSpots(site, hotSpots(call, site), call.caller()));
                        })
                        .runnable(),
                Route.of("GET", "/sites/{site}/areas/suggested", analysts, null, this::suggest)
                        .runnable(),
                Route.of("GET", "/sites/{site}/map.png", analysts, null, this::print)
                        .runnable());
    }

    private static Reply geoJson(String body) {
        return Reply.raw("application/geo+json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Site site(Call call) {
        return sites.find(call.param("site"))
                .orElseThrow(() -> new NoSuchElementException("no site '" + call.param("site") + "'"));
    }

    private Mapping mapping(Site site) {
        return sites.plugin(site.id(), Mapping.class)
                .orElseThrow(() -> new ApiException(
                        409,
                        "No mapping plug-in",
                        "site " + site.id() + " has no mapping plug-in bound; its site IT installs one (feature"
                                + " dmi-mapping-jts) and provisions it",
                        List.of(),
                        false));
    }

    /** The file in the body; {@code ?name=} the layer's short name, {@code ?file=} the file's name, {@code ?label=}. */
    private Reply upload(Call call) {
        Site site = site(call);
        Mapping mapping = mapping(site);
        String name = call.request.query("name").orElseThrow(() -> bad("name", "give the layer a short name (beats)"));
        String fileName = call.request
                .query("file")
                .orElseThrow(() ->
                        bad("file", "give the uploaded file's name," + " ending in .geojson, .json, .kml or .zip"));
        return call.readUpload(
                Math.min(maxUploadBytes, MAX_LAYER_BYTES),
                Call.LAYER_TYPES,
                in -> Reply.created(mapping.saveLayer(
                        site,
                        new LayerFile(name, call.request.query("label").orElse(name), fileName, in),
                        call.caller())));
    }

    private HotSpotRequest hotSpots(Call call, Site site) {
        String method = call.request.query("method").orElse("gi-star");
        HotSpotRequest.Method m =
                switch (method) {
                    case "grid" -> HotSpotRequest.Method.GRID;
                    case "density" -> HotSpotRequest.Method.DENSITY;
                    case "gi-star" -> HotSpotRequest.Method.GI_STAR;
                    case "nearest-neighbour" -> HotSpotRequest.Method.NEAREST_NEIGHBOUR;
                    default -> throw bad(
                            "method", "'" + method + "' is not one of grid, density, gi-star, nearest-neighbour");
                };
        String contiguity = call.request.query("contiguity").orElse("queen");
        return new HotSpotRequest(
                query.apply(call, site),
                m,
                number(call, "cell"),
                number(call, "bandwidth"),
                call.request.query("layer").filter(l -> !l.isBlank()),
                switch (contiguity) {
                    case "queen" -> HotSpotRequest.Contiguity.QUEEN;
                    case "rook" -> HotSpotRequest.Contiguity.ROOK;
                    default -> throw bad("contiguity", "'" + contiguity + "' is not queen or rook");
                },
                integer(call, "permutations", 0, 0, 9999),
                number(call, "alpha").orElse(0.05),
                longInteger(call, "seed", 12345));
    }

    private Reply suggest(Call call) {
        Site site = site(call);
        AreaRequest request = new AreaRequest(
                query.apply(call, site),
                number(call, "cell"),
                number(call, "maxTargetKm2").orElse(0.5),
                number(call, "bufferMetres").orElse(400),
                call.request.query("comparisonLayer").filter(l -> !l.isBlank()),
                integer(call, "comparisons", 3, 1, 10),
                number(call, "alpha").orElse(0.05));
        return geoJson(mapping(site).suggestAreas(site, request, call.caller()));
    }

    /**
     * {@code ?layer=} (comma-separated) as the base map, {@code ?intervention=} to draw its areas, {@code ?hotspots=}
     * a method to shade, {@code ?title=}, {@code ?width=}, {@code ?height=}.
     */
    private Reply print(Call call) {
        Site site = site(call);
        List<String> layers = call.request
                .query("layer")
                .filter(l -> !l.isBlank())
                .map(l -> List.of(l.split(",")))
                .orElse(List.of());
        List<PrintRequest.NamedArea> areas = new ArrayList<>();
        String title = call.request.query("title").orElse("");
        Optional<String> intervention = call.request.query("intervention").filter(v -> !v.isBlank());
        if (intervention.isPresent()) {
            long id;
            try {
                id = Long.parseLong(intervention.get());
            } catch (NumberFormatException e) {
                throw bad("intervention", "'" + intervention.get() + "' is not an intervention id");
            }
            Intervention i = programme.intervention(site.id(), id);
            i.targetArea().ifPresent(a -> areas.add(new PrintRequest.NamedArea("Target area", a)));
            i.comparisonArea().ifPresent(a -> areas.add(new PrintRequest.NamedArea("Comparison area", a)));
            i.bufferArea().ifPresent(a -> areas.add(new PrintRequest.NamedArea("Displacement buffer", a)));
            if (title.isBlank()) {
                title = i.name();
            }
        }
        Optional<HotSpotRequest> hot = call.request
                .query("hotspots")
                .filter(v -> !v.isBlank())
                .map(method -> {
                    HotSpotRequest h = hotSpots(call, site);
                    HotSpotRequest.Method m =
                            switch (method) {
                                case "density" -> HotSpotRequest.Method.DENSITY;
                                case "gi-star" -> HotSpotRequest.Method.GI_STAR;
                                case "grid" -> HotSpotRequest.Method.GRID;
                                default -> throw bad(
                                        "hotspots", "'" + method + "' is not one of gi-star, density, grid");
                            };
                    return new HotSpotRequest(
                            h.query(),
                            m,
                            h.cellMetres(),
                            h.bandwidthMetres(),
                            Optional.empty(),
                            h.contiguity(),
                            0,
                            h.alpha(),
                            h.seed());
                });
        byte[] png = mapping(site)
                .printMap(
                        site,
                        new PrintRequest(
                                title,
                                layers,
                                areas,
                                hot,
                                integer(call, "width", 1400, 400, 4000),
                                integer(call, "height", 1000, 300, 4000)),
                        call.caller());
        return Reply.raw("image/png", png)
                .withHeader("Content-Disposition", "inline; filename=\"" + site.id() + "-map.png\"");
    }

    private static OptionalDouble number(Call call, String field) {
        Optional<String> v = call.request.query(field).filter(s -> !s.isBlank());
        if (v.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(v.get());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return OptionalDouble.of(d);
        } catch (NumberFormatException e) {
            throw bad(field, "'" + v.get() + "' is not a number");
        }
    }

    private static int integer(Call call, String field, int otherwise, int min, int max) {
        long v = longInteger(call, field, otherwise);
        if (v < min || v > max) {
            throw bad(field, "must be between " + min + " and " + max);
        }
        return (int) v;
    }

    private static long longInteger(Call call, String field, long otherwise) {
        Optional<String> v = call.request.query(field).filter(s -> !s.isBlank());
        if (v.isEmpty()) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.get().strip());
        } catch (NumberFormatException e) {
            throw bad(field, "'" + v.get() + "' is not a whole number");
        }
    }

    private static InvalidInputException bad(String field, String reason) {
        return new InvalidInputException(InputError.of("query", field, reason));
    }
}
