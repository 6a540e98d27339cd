package org.dmiplatform.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.Runs;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Session;

/**
 * Reports and analyses asked for as runs: {@code POST /sites/{site}/runs {"request": "/sites/chicago/hotspots?…"}}
 * stores the read, the scheduler makes it on a node (as the person, through {@link Api#handleAs}: the same checks, the
 * same audit entry, the same answer), and {@code GET /sites/{site}/runs/{run}/result} fetches it. Only the person who
 * asked sees a run, and its result only while they may still make the read.
 */
final class RunRoutes {
    /** The body of a request for a run. */
    record Ask(String request) {}

    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]+)\"");
    private static final String API_PREFIX = "/api/v1";

    private final Runs runs;
    private Api api;

    RunRoutes(Runs runs) {
        this.runs = runs;
    }

    /** The API the runs' reads are checked and made by, once it is built from the routes. */
    void attach(Api built) {
        this.api = built;
    }

    List<Route> routes() {
        Guard anyone = Guard.anyoneAtSite();
        return List.of(
                Route.of("POST", "/sites/{site}/runs", anyone, "run.submit", this::submit),
                Route.of(
                        "GET",
                        "/sites/{site}/runs",
                        anyone,
                        null,
                        call -> Reply.ok(Map.of("runs", runs.runs(call.param("site"), 100, call.caller())))),
                Route.of(
                        "GET",
                        "/sites/{site}/runs/{run}",
                        anyone,
                        null,
                        call -> Reply.ok(runs.run(call.param("site"), call.idParam("run"), call.caller()))),
                Route.of("GET", "/sites/{site}/runs/{run}/result", anyone, "run.result", this::result));
    }

    private Reply submit(Call call) {
        String site = call.param("site");
        String request = normal(call.body(Ask.class).request());
        api.admitRun(read(request, call.request.remoteAddress()), site, call.session.orElseThrow());
        Runs.Run run = runs.submit(site, request, call.caller());
        return new Reply(202, run, List.of())
                .withHeader("Location", API_PREFIX + "/sites/" + site + "/runs/" + run.id());
    }

    private Reply result(Call call) {
        String site = call.param("site");
        Runs.Run run = runs.run(site, call.idParam("run"), call.caller());
        // the person may still make the read: a role taken away since takes the result away too
        api.admitRun(read(run.request(), call.request.remoteAddress()), site, call.session.orElseThrow());
        Runs.Result result = runs.result(site, run.id(), call.caller()).orElseThrow(() -> notThere(run));
        Reply reply = Reply.raw(result.mediaType(), result.content())
                .withHeader("Content-Disposition", "attachment; filename=\"" + result.fileName() + "\"");
        return result.mediaType().startsWith("text/html")
                ? reply.withHeader("Content-Security-Policy", ReportRoutes.DOCUMENT_CSP)
                : reply;
    }

    private static ApiException notThere(Runs.Run run) {
        String detail =
                switch (run.status()) {
                    case QUEUED, RUNNING -> "run " + run.id() + " is "
                            + run.status().name().toLowerCase(Locale.ROOT)
                            + "; its result is there once its status is DONE";
                    case FAILED -> "run " + run.id() + " failed: "
                            + run.problem().orElse("");
                    case DONE -> "run " + run.id() + "'s result is no longer kept (results are kept " + Runs.KEPT_DAYS
                            + " days after they are made); ask for it again";
                };
        return new ApiException(409, "No result", detail, List.of(), false);
    }

    /** Makes a run on this node: the read through the API, as the person who asked for it. */
    Runs.Result make(String site, String request, Caller caller) {
        Instant now = Instant.now();
        Session as = new Session("run", "", caller.user(), now, now);
        ApiResponse response = api.handleAs(read(request, caller.from()), as);
        if (response.status() != 200) {
            throw new Runs.Refused(reason(response));
        }
        String type = Optional.ofNullable(response.header("Content-Type")).orElse("application/octet-stream");
        return new Runs.Result(type, fileName(site, request, response, type), response.body());
    }

    /** The problem's detail, and the fields it names. */
    private static String reason(ApiResponse response) {
        try {
            JsonNode problem = Json.MAPPER.readTree(response.body());
            StringBuilder out = new StringBuilder(
                    problem.path("detail").asText(problem.path("title").asText()));
            for (JsonNode error : problem.path("errors")) {
                out.append("; ")
                        .append(error.path("field").asText())
                        .append(' ')
                        .append(error.path("reason").asText());
            }
            return out.toString();
        } catch (IOException e) {
            return "the read was refused (" + response.status() + ")";
        }
    }

    private static String fileName(String site, String request, ApiResponse response, String type) {
        String disposition =
                Optional.ofNullable(response.header("Content-Disposition")).orElse("");
        Matcher named = FILE_NAME.matcher(disposition);
        if (named.find()) {
            return named.group(1);
        }
        String path = request.contains("?") ? request.substring(0, request.indexOf('?')) : request;
        String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "-");
        String bare = type.contains(";") ? type.substring(0, type.indexOf(';')).strip() : type;
        String extension =
                switch (bare) {
                    case "application/geo+json" -> ".geojson";
                    case "application/json" -> ".json";
                    case "image/png" -> ".png";
                    case "application/pdf" -> ".pdf";
                    case "text/csv" -> ".csv";
                    case "text/html" -> ".html";
                    default -> "";
                };
        return site + "-" + (last.endsWith(extension) || extension.isEmpty() ? last : last + extension);
    }

    /** The read as asked: an API path (with or without {@code /api/v1}) and its query. */
    private static String normal(String request) {
        String text = request == null ? "" : request.strip();
        if (text.startsWith(API_PREFIX + "/")) {
            text = text.substring(API_PREFIX.length());
        }
        if (!text.startsWith("/sites/") || text.length() > 2000 || text.contains("#")) {
            throw ApiException.badRequest(
                    "give the report or analysis to make as its API path, such as"
                            + " /sites/chicago/hotspots?method=gi-star",
                    List.of(InputError.of(
                            "request body",
                            "request",
                            text.isEmpty()
                                    ? "is missing"
                                    : "is not an API path of a site's report or analysis (at most 2,000 characters)")));
        }
        return text;
    }

    /** The {@code GET} a run stands for. */
    private static ApiRequest read(String request, String from) {
        int q = request.indexOf('?');
        String path = q < 0 ? request : request.substring(0, q);
        return new ApiRequest(
                "GET",
                path,
                ApiServlet.query(q < 0 ? null : request.substring(q + 1)),
                Map.of(),
                Map.of(),
                from,
                false,
                new ByteArrayInputStream(new byte[0]));
    }
}
