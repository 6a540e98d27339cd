package org.dmiplatform.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.InvalidInputException;
import org.dmiplatform.api.PluginConfiguration;
import org.dmiplatform.api.SiteDefinition;
import org.dmiplatform.api.SiteProvisioning;
import org.dmiplatform.api.access.AuditEvent;
import org.dmiplatform.api.access.AuditLog;
import org.dmiplatform.api.access.AuditOutcome;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.records.CodeLists;
import org.dmiplatform.api.records.RecordsInput;
import org.dmiplatform.api.records.RecordsProfiles;

/**
 * Onboarding a site's records without the shell: its profile files (profiles, code tables, lookup files) and plug-in
 * configurations read and changed, a profile drafted from a sample export, tried on a sample, a code table drafted
 * from the department's code list, and the whole site exported as the folder that would provision it again.
 *
 * <p>A draft or dry run shows the uploader the rows of the file they sent, and stores nothing; each is audited.
 */
final class OnboardingRoutes {
    static final String PROFILES = "/sites/{site}/profiles";
    static final String PLUGINS = "/sites/{site}/plugins";

    /** The spreadsheets a code list may be sent as, besides CSV. */
    static final Set<String> CODE_LIST_TYPES = Set.of(
            "text/csv",
            "text/plain",
            "application/octet-stream",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private static final Set<String> TEXT_TYPES =
            Set.of("text/csv", "text/plain", "application/json", "application/octet-stream");

    /** A file a site keeps to read its records is small; a sample is the first few thousand rows of an export. */
    static final long MAX_PROFILE_FILE_BYTES = 20L * 1024 * 1024;

    static final long MAX_SAMPLE_BYTES = 64L * 1024 * 1024;

    record ProfileFileView(String name, String kind, long bytes) {}

    record SetupView(List<ProfileFileView> files, List<PluginConfiguration> plugins, List<String> features) {}

    record CodeListColumns(String file, String sheet, List<String> columns, int rows) {}

    private final SiteProvisioning provisioning;
    private final RecordsProfiles profiles;
    private final Supplier<Optional<CodeLists>> codeLists;
    private final AuditLog audit;

    OnboardingRoutes(
            SiteProvisioning provisioning,
            RecordsProfiles profiles,
            Supplier<Optional<CodeLists>> codeLists,
            AuditLog audit) {
        this.provisioning = provisioning;
        this.profiles = profiles;
        this.codeLists = codeLists;
        this.audit = audit;
    }

    List<Route> routes() {
        // those who set a site up: national staff, the site's administrator, and its police analysts
        Guard setup = Guard.site(Role.TTA_ADMIN, Role.TTA_STAFF, Role.SITE_ADMIN, Role.POLICE);
        return List.of(
                Route.of("GET", PROFILES, setup, null, this::setup),
                Route.of("GET", PROFILES + "/{file}", setup, null, this::file),
                Route.of("PUT", PROFILES + "/{file}", setup, null, this::save),
                Route.of("DELETE", PROFILES + "/{file}", setup, null, this::remove),
                Route.of("POST", PROFILES + "/{file}/trial", setup, null, this::trial),
                Route.of("POST", "/sites/{site}/profile-drafts", setup, null, this::draft),
                Route.of("POST", "/sites/{site}/code-table-drafts", setup, null, this::codeTable),
                Route.of("PUT", PLUGINS + "/{plugin}", setup, null, this::configurePlugin),
                Route.of("DELETE", PLUGINS + "/{plugin}", setup, null, this::removePlugin),
                Route.of(
                        "GET",
                        "/sites/{site}/export",
                        Guard.site(Role.TTA_ADMIN, Role.TTA_STAFF, Role.SITE_ADMIN),
                        null,
                        this::export));
    }

    private Reply setup(Call call) {
        SiteDefinition site = provisioning.export(call.param("site"));
        List<ProfileFileView> files = new ArrayList<>();
        site.profiles()
                .forEach((name, text) -> files.add(new ProfileFileView(
                        name,
                        name.endsWith(".json") ? "profile" : "table",
                        text.getBytes(StandardCharsets.UTF_8).length)));
        return Reply.ok(new SetupView(files, site.plugins(), site.site().features()));
    }

    private Reply file(Call call) {
        String name = call.param("file");
        String text = provisioning.export(call.param("site")).profiles().get(name);
        if (text == null) {
            throw ApiException.notFound("site " + call.param("site") + " has no profile file '" + name + "'", false);
        }
        return Reply.raw(
                name.endsWith(".json") ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
                text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The file in the body, as text (UTF-8); a code table may also come as a spreadsheet, whose columns must then
     * be the code table's own ({@code code}, {@code category}, ...): a department's list in its own columns goes
     * through {@code code-table-drafts} first.
     */
    private Reply save(Call call) {
        String site = call.param("site");
        String name = call.param("file");
        String text;
        if (spreadsheet(call)) {
            if (!name.endsWith(".csv")) {
                throw ApiException.badRequest(
                        "a spreadsheet can be saved only as a code table (.csv)",
                        List.of(InputError.of(name, "name", "a spreadsheet is saved as a code table: name it .csv")));
            }
            CodeLists.CodeList list =
                    readCodeList(call, call.request.query("from").orElse(name));
            text = asCsv(list);
        } else {
            text = call.readUpload(MAX_PROFILE_FILE_BYTES, TEXT_TYPES, in -> utf8(name, in));
        }
        provisioning.saveProfileFile(site, name, text, call.actor());
        return Reply.ok(Map.of("saved", name, "bytes", text.getBytes(StandardCharsets.UTF_8).length));
    }

    private Reply remove(Call call) {
        provisioning.removeProfileFile(call.param("site"), call.param("file"), call.actor());
        return Reply.noContent();
    }

    private Reply configurePlugin(Call call) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = call.body(Map.class);
        Map<String, String> properties = new LinkedHashMap<>();
        body.forEach((key, value) -> properties.put(key, value == null ? null : String.valueOf(value)));
        if (properties.isEmpty()) {
            throw ApiException.badRequest(
                    "a plug-in configuration needs its settings; DELETE removes it",
                    List.of(InputError.of("request body", "", "is empty")));
        }
        provisioning.configurePlugin(call.param("site"), call.param("plugin"), properties, call.actor());
        return Reply.ok(provisioning.export(call.param("site")).plugins().stream()
                .filter(p -> p.factoryPid().equals(call.param("plugin")))
                .findFirst()
                .orElseThrow());
    }

    private Reply removePlugin(Call call) {
        provisioning.configurePlugin(call.param("site"), call.param("plugin"), Map.of(), call.actor());
        return Reply.noContent();
    }

    private Reply draft(Call call) {
        String name = sampleName(call);
        return withSample(call, name, input -> {
            Object draft = profiles.draft(call.param("site"), input);
            audited(call, "records.profile-draft", "drafted a profile from the sample " + name);
            return Reply.ok(draft);
        });
    }

    private Reply trial(Call call) {
        String name = sampleName(call);
        int show = call.request.query("show").map(OnboardingRoutes::number).orElse(20);
        return withSample(call, name, input -> {
            Object trial = profiles.trial(call.param("site"), call.param("file"), input, show);
            audited(call, "records.profile-trial", "tried " + call.param("file") + " on the sample " + name);
            return Reply.ok(trial);
        });
    }

    /**
     * Without {@code ?code=}: the list's columns, to choose from. With it: the drafted code table. The columns are
     * named by {@code code}, {@code text} and {@code nibrs}.
     */
    private Reply codeTable(Call call) {
        String name = call.request.query("name").filter(n -> !n.isBlank()).orElse("codes.csv");
        CodeLists.CodeList list = readCodeList(call, name);
        Optional<String> code = call.request.query("code").filter(c -> !c.isBlank());
        if (code.isEmpty()) {
            return Reply.ok(new CodeListColumns(
                    list.file(), list.sheet(), list.header(), list.rows().size()));
        }
        Object table = profiles.codeTable(
                list,
                code.get(),
                call.request.query("text").filter(t -> !t.isBlank()).orElse(null),
                call.request.query("nibrs").filter(t -> !t.isBlank()).orElse(null));
        audited(call, "records.code-table-draft", "drafted a code table from " + name);
        return Reply.ok(table);
    }

    private Reply export(Call call) {
        String site = call.param("site");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            provisioning.exportFolder(site, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        audited(call, "site.export", "exported the site's folder");
        return Reply.raw("application/zip", bytes.toByteArray())
                .withHeader("Content-Disposition", "attachment; filename=\"" + site + ".zip\"");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface SampleWork {
        Reply run(RecordsInput input) throws IOException;
    }

    private static Reply withSample(Call call, String name, SampleWork work) {
        Path file = call.upload(MAX_SAMPLE_BYTES);
        try {
            return work.run(RecordsInput.of(name, file));
        } catch (IOException e) {
            throw ApiException.badRequest(
                    name + " could not be read", List.of(InputError.of(name, "", "cannot be read")));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private static String sampleName(Call call) {
        return call.request.query("name").filter(n -> !n.isBlank()).orElse("sample.csv");
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "show must be a whole number", List.of(InputError.of("query", "show", "is not a whole number")));
        }
    }

    private static boolean spreadsheet(Call call) {
        String type = call.request.header("content-type").orElse("").toLowerCase(Locale.ROOT);
        return type.startsWith("application/vnd.ms-excel")
                || type.startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    private CodeLists.CodeList readCodeList(Call call, String name) {
        CodeLists reader = codeLists
                .get()
                .orElseThrow(() -> new ApiException(
                        503,
                        "Service unavailable",
                        "reading code lists needs the CSV records adapter (feature dmi-adapter-csv) installed",
                        List.of(),
                        false));
        return call.readUpload(MAX_PROFILE_FILE_BYTES, CODE_LIST_TYPES, in -> {
            try {
                return reader.read(name, in);
            } catch (IOException e) {
                throw new InvalidInputException(InputError.of(name, "", "cannot be read: " + e.getMessage()));
            }
        });
    }

    /** A code list whose columns are already a code table's, written as the table's CSV. */
    private static String asCsv(CodeLists.CodeList list) {
        StringBuilder out = new StringBuilder();
        line(out, list.header());
        list.rows().forEach(row -> line(out, row));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i) == null ? "" : cells.get(i);
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                out.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                out.append(cell);
            }
        }
        out.append('\n');
    }

    private static String utf8(String name, InputStream in) {
        try {
            byte[] bytes = in.readAllBytes();
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidInputException(InputError.of(name, "", "is not UTF-8 text: save it as UTF-8"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void audited(Call call, String action, String detail) {
        audit.record(new AuditEvent(
                call.actor().name(),
                call.param("site"),
                action,
                "site:" + call.param("site"),
                call.actor().from(),
                AuditOutcome.SUCCESS,
                detail));
    }
}
