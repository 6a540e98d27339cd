package org.dmiplatform.directory.hsds.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.access.User;
import org.dmiplatform.api.directory.DirectoryFile;

/** The site, callers, configuration and packages the tests share; packages are zipped at run time. */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    static final Site CHICAGO = new Site(
            "chicago",
            "Chicago",
            "Chicago Police Department",
            ZoneId.of("America/Chicago"),
            List.of(),
            "",
            List.of("dmi-directory-hsds"),
            Optional.empty());

    static final Caller POLICE = caller(1, "officer", Grant.at("chicago", Role.POLICE));
    static final Caller SERVICES = caller(2, "navigator", Grant.at("chicago", Role.SERVICES));
    static final Caller COMMUNITY = caller(3, "resident", Grant.at("chicago", Role.COMMUNITY));
    static final Caller ELSEWHERE = caller(4, "visitor", Grant.at("denver", Role.SITE_ADMIN));

    private Fixtures() {}

    private static Caller caller(long id, String name, Grant grant) {
        return new Caller(new User(id, name, name, List.of(grant), true, false, Instant.EPOCH), "test");
    }

    static HsdsDirectory.Config config(String site, String categories) {
        return new HsdsDirectory.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HsdsDirectory.Config.class;
            }

            @Override
            public String dmi_site() {
                return site;
            }

            @Override
            public String categories() {
                return categories;
            }
        };
    }

    /** A folder of the test resources, under {@code hsds/}. */
    static Path resource(String path) {
        try {
            return Paths.get(Fixtures.class.getResource("/hsds/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of a folder, by name. */
    static Map<String, byte[]> files(Path folder) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> all = Files.list(folder)) {
            for (Path p : all.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The entries zipped, each under the prefix ("" or "folder/"). */
    static byte[] zip(Map<String, byte[]> entries, String prefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(prefix + e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static DirectoryFile file(String name, byte[] content) {
        return new DirectoryFile(name, new ByteArrayInputStream(content));
    }

    /** A folder of the test resources, zipped as a package. */
    static DirectoryFile zipped(String folder, String name) {
        return file(name, zip(files(resource(folder)), ""));
    }

    /**
     * A made-up HSDS 3.0 service (not a real provider): its taxonomy terms as "code|name", its places as latitude and
     * longitude pairs.
     */
    static ObjectNode service(String id, String name, String description, List<String> terms, double... places) {
        ObjectNode s = JSON.createObjectNode()
                .put("id", id)
                .put("name", name)
                .put("description", description)
                .put("status", "active");
        s.putObject("organization")
                .put("id", "org-" + id)
                .put("name", name + " Inc.")
                .put("description", "");
        ArrayNode attributes = s.putArray("attributes");
        for (String term : terms) {
            String[] parts = term.split("\\|");
            attributes
                    .addObject()
                    .put("id", id + term)
                    .putObject("taxonomy_term")
                    .put("code", parts[0])
                    .put("name", parts[1])
                    .put("taxonomy", "AIRS");
        }
        ArrayNode visits = s.putArray("service_at_locations");
        for (int i = 0; i + 1 < places.length; i += 2) {
            visits.addObject()
                    .put("id", id + "-at-" + i)
                    .putObject("location")
                    .put("id", id + "-place-" + i)
                    .put("name", name + " " + i)
                    .put("latitude", places[i])
                    .put("longitude", places[i + 1]);
        }
        return s;
    }

    static DirectoryFile services(ObjectNode... services) {
        try {
            return file(
                    "made-up.json",
                    JSON.writeValueAsBytes(JSON.createArrayNode().addAll(List.of(services))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DirectoryFile json(String path) {
        try {
            Path p = resource(path);
            return file(p.getFileName().toString(), Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
