package org.dmiplatform.web.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.records.Imports;
import org.dmiplatform.api.records.RecordKind;

/** Imports of a site's records: upload, pull, progress, quarantine, cancel, history; and the records themselves. */
final class RecordRoutes {
    static final String IMPORTS = "/sites/{site}/imports";

    record ImportsView(List<String> adapters, List<Imports.Import> imports) {}

    private final Imports imports;
    private final long maxUploadBytes;

    RecordRoutes(Imports imports, long maxUploadBytes) {
        this.imports = imports;
        this.maxUploadBytes = maxUploadBytes;
    }

    List<Route> routes() {
        Guard importers = Guard.site(Role.POLICE, Role.SITE_ADMIN);
        Guard readers = Guard.site(Role.POLICE, Role.SITE_ADMIN, Role.RESEARCH, Role.POC, Role.PROSECUTOR);
        return List.of(
                Route.of(
                        "GET",
                        IMPORTS,
                        readers,
                        null,
                        call -> Reply.ok(new ImportsView(
                                imports.adapters(call.param("site")),
                                imports.history(call.param("site"), limit(call, 50))))),
                Route.of("POST", IMPORTS, importers, null, this::upload),
                Route.of(
                        "POST",
                        IMPORTS + "/pull",
                        importers,
                        null,
                        call -> accepted(
                                imports.pull(call.param("site"), call.request.query("adapter"), call.caller()))),
                Route.of(
                        "GET",
                        IMPORTS + "/{import}",
                        readers,
                        null,
                        call -> Reply.ok(imports.find(call.param("site"), call.idParam("import")))),
                Route.of(
                        "GET",
                        IMPORTS + "/{import}/quarantine",
                        readers,
                        null,
                        call -> Reply.ok(Map.of(
                                "rows",
                                imports.quarantine(call.param("site"), call.idParam("import"), limit(call, 1000))))),
                Route.of(
                        "DELETE",
                        IMPORTS + "/{import}",
                        importers,
                        null,
                        call -> Reply.ok(imports.cancel(call.param("site"), call.idParam("import"), call.caller()))),
                Route.of("GET", "/sites/{site}/records", readers, "records.read", this::records));
    }

    /** The export in the body; its name in {@code ?name=}, the adapter in {@code ?adapter=} when the site has several. */
    private Reply upload(Call call) {
        String name = call.request.query("name").filter(n -> !n.isBlank()).orElse("upload");
        Path file = call.upload(maxUploadBytes);
        try {
            return accepted(imports.start(
                    call.param("site"),
                    call.request.query("adapter").filter(a -> !a.isBlank()),
                    file,
                    name,
                    true,
                    call.caller()));
        } catch (RuntimeException e) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // a temporary file
            }
            throw e;
        }
    }

    private static Reply accepted(Imports.Import started) {
        return new Reply(202, started, List.of())
                .withHeader("Location", "/api/v1/sites/" + started.site() + "/imports/" + started.id());
    }

    private Reply records(Call call) {
        String kindId = call.request.query("kind").orElse("incident");
        RecordKind kind = RecordKind.byId(kindId)
                .orElseThrow(() -> ApiException.badRequest(
                        "unknown kind",
                        List.of(InputError.of(
                                "query",
                                "kind",
                                "'" + kindId + "' is not one of incident, call-for-service, field-contact"))));
        String site = call.param("site");
        return Reply.ok(
                Map.of("count", imports.count(site, kind), "records", imports.records(site, kind, limit(call, 100))));
    }

    private static int limit(Call call, int fallback) {
        Optional<String> text = call.request.query("limit");
        try {
            return text.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "limit must be a number",
                    List.of(InputError.of("query", "limit", "'" + text.get() + "' is not a number")));
        }
    }
}
