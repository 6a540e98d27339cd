package org.dmiplatform.web.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.dmiplatform.api.Site;
import org.dmiplatform.api.access.Caller;
import org.dmiplatform.api.access.Grant;
import org.dmiplatform.api.access.Role;
import org.dmiplatform.api.mapping.AreaRequest;
import org.dmiplatform.api.mapping.HotSpotRequest;
import org.dmiplatform.api.mapping.Layer;
import org.dmiplatform.api.mapping.LayerFile;
import org.dmiplatform.api.mapping.Mapping;
import org.dmiplatform.api.mapping.PolygonCounts;
import org.dmiplatform.api.mapping.PrintRequest;
import org.dmiplatform.api.records.Category;
import org.dmiplatform.api.store.RecordQuery;
import org.dmiplatform.web.internal.ApiFixture.Client;
import org.dmiplatform.web.internal.ApiFixture.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The map routes: guards, parameters as the plug-in receives them, bodies and content types, no plug-in bound. */
public class MapApiTest {
    private ApiFixture f;
    private Client police;
    private final Recording mapping = new Recording();

    /** Remembers what it was asked; answers what the routes pass through. */
    static final class Recording implements Mapping {
        final List<Object> asked = new ArrayList<>();
        byte[] uploaded;

        private static Layer layer(String name) {
            return new Layer(
                    name,
                    "Police beats",
                    "beats.geojson",
                    "GeoJSON",
                    "EPSG:4326",
                    2,
                    new Site.Bounds(-87.7, 41.8, -87.6, 41.9),
                    List.of(),
                    "chi-police",
                    Instant.EPOCH);
        }

        @Override
        public Layer saveLayer(Site site, LayerFile file, Caller caller) {
            try {
                uploaded = file.content().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            asked.add(file);
            return layer(file.name());
        }

        @Override
        public List<Layer> layers(Site site, Caller caller) {
            return List.of(layer("beats"));
        }

        @Override
        public String layerGeoJson(Site site, String layer, Caller caller) {
            if (!layer.equals("beats")) {
                throw new NoSuchElementException("site " + site.id() + " has no layer '" + layer + "'");
            }
            return "{\"type\":\"FeatureCollection\",\"features\":[]}";
        }

        @Override
        public void deleteLayer(Site site, String layer, Caller caller) {
            asked.add("delete " + layer);
        }

        @Override
        public PolygonCounts countByPolygon(Site site, String layer, RecordQuery query, Caller caller) {
            asked.add(query);
            return new PolygonCounts(layer, List.of(), 0, 0, 0);
        }

        @Override
        public String hotSpots(Site site, HotSpotRequest request, Caller caller) {
            asked.add(request);
            return "{\"type\":\"FeatureCollection\",\"parameters\":{},\"features\":[]}";
        }

        @Override
        public String suggestAreas(Site site, AreaRequest request, Caller caller) {
            asked.add(request);
            return "{\"type\":\"FeatureCollection\",\"features\":[]}";
        }

        @Override
        public byte[] printMap(Site site, PrintRequest request, Caller caller) {
            asked.add(request);
            return new byte[] {(byte) 0x89, 'P', 'N', 'G'};
        }
    }

    @Before
    public void setUp() {
        f = new ApiFixture();
        f.sites.bind("chicago", Mapping.class, mapping);
        f.user("tta-lead", Grant.national(Role.TTA_ADMIN));
        f.user("chi-police", Grant.at("chicago", Role.POLICE));
        f.user("chi-community", Grant.at("chicago", Role.COMMUNITY));
        f.user("den-police", Grant.at("denver", Role.POLICE));
        police = f.logIn("chi-police");
    }

    @After
    public void tearDown() {
        f.close();
    }

    private Response upload(Client client, String path, String body, String type) {
        return f.send("POST", path, body, client, Map.of("content-type", type, "x-csrf-token", client.csrf()));
    }

    private static String header(Response r, String name) {
        return r.raw().headers().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("");
    }

    @Test
    public void aLayerIsUploadedAsItsFileAndReadBackAsGeoJson() {
        String body = "{\"type\":\"FeatureCollection\",\"features\":[]}";
        Response saved = upload(
                police,
                "/sites/chicago/layers?name=beats&file=beats.geojson&label=Police%20beats",
                body,
                "application/geo+json");
        assertEquals(saved.text(), 201, saved.status());
        assertEquals("beats", saved.json().get("name").asText());
        LayerFile file = (LayerFile) mapping.asked.get(0);
        assertEquals("beats", file.name());
        assertEquals("Police beats", file.label());
        assertEquals("beats.geojson", file.fileName());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), mapping.uploaded);
        assertEquals(1, f.audit("layer.save").size());

        Response listed = f.send("GET", "/sites/chicago/layers", null, f.logIn("chi-community"));
        assertEquals(200, listed.status());
        assertEquals("beats", listed.json().at("/layers/0/name").asText());
        Response layer = f.send("GET", "/sites/chicago/layers/beats", null, police);
        assertEquals(200, layer.status());
        assertTrue(header(layer, "Content-Type").startsWith("application/geo+json"));
        assertEquals("FeatureCollection", layer.json().get("type").asText());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/layers/nothing", null, police).status());

        assertEquals(
                204,
                f.send("DELETE", "/sites/chicago/layers/beats", null, police).status());
        assertEquals("delete beats", mapping.asked.get(1));
    }

    @Test
    public void layerUploadsAreRefusedWithTheReason() {
        Response noName = upload(police, "/sites/chicago/layers?file=beats.geojson", "{}", "application/geo+json");
        assertEquals(400, noName.status());
        assertEquals("name", noName.json().at("/errors/0/field").asText());
        Response noFile = upload(police, "/sites/chicago/layers?name=beats", "{}", "application/geo+json");
        assertEquals(400, noFile.status());
        assertEquals("file", noFile.json().at("/errors/0/field").asText());
        assertEquals(
                415,
                upload(police, "/sites/chicago/layers?name=beats&file=b.csv", "a,b", "text/csv")
                        .status());
        Client community = f.logIn("chi-community");
        assertEquals(
                403,
                upload(community, "/sites/chicago/layers?name=beats&file=b.geojson", "{}", "application/geo+json")
                        .status());
        assertEquals(
                403,
                f.send("DELETE", "/sites/chicago/layers/beats", null, community).status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/layers", null, f.logIn("den-police"))
                        .status());
        assertTrue(mapping.asked.isEmpty());
    }

    @Test
    public void aSiteWithoutAMappingPlugInSaysSo() {
        Response r = f.send("GET", "/sites/denver/layers", null, f.logIn("den-police"));
        assertEquals(409, r.status());
        assertTrue(r.text(), r.json().get("detail").asText().contains("no mapping plug-in"));
    }

    @Test
    public void hotSpotParametersReachThePlugInAsAsked() {
        Response r = f.send(
                "GET",
                "/sites/chicago/hotspots?method=density&cell=100&bandwidth=250&category=drug"
                        + "&from=2016-01-01&to=2016-01-31",
                null,
                police);
        assertEquals(r.text(), 200, r.status());
        assertTrue(header(r, "Content-Type").startsWith("application/geo+json"));
        HotSpotRequest asked = (HotSpotRequest) mapping.asked.get(0);
        assertEquals(HotSpotRequest.Method.DENSITY, asked.method());
        assertEquals(100, asked.cellMetres().getAsDouble(), 0);
        assertEquals(250, asked.bandwidthMetres().getAsDouble(), 0);
        assertEquals(Set.of(Category.DRUG), asked.query().categories());
        // dates are the site's (Chicago): midnight CST is 06:00 UTC, and a date "to" includes its day
        assertEquals(Instant.parse("2016-01-01T06:00:00Z"), asked.query().from().orElseThrow());
        assertEquals(Instant.parse("2016-02-01T06:00:00Z"), asked.query().to().orElseThrow());

        f.send(
                "GET",
                "/sites/chicago/hotspots?layer=beats&contiguity=rook&permutations=999&alpha=0.01&seed=7",
                null,
                police);
        HotSpotRequest stars = (HotSpotRequest) mapping.asked.get(1);
        assertEquals(HotSpotRequest.Method.GI_STAR, stars.method());
        assertEquals("beats", stars.layer().orElseThrow());
        assertEquals(HotSpotRequest.Contiguity.ROOK, stars.contiguity());
        assertEquals(999, stars.permutations());
        assertEquals(0.01, stars.alpha(), 0);
        assertEquals(7, stars.seed());

        for (String bad : List.of(
                "method=kriging", "alpha=lots", "contiguity=bishop", "permutations=1.5", "permutations=4294967297")) {
            Response refused = f.send("GET", "/sites/chicago/hotspots?" + bad, null, police);
            assertEquals(bad, 400, refused.status());
            assertEquals(
                    bad.substring(0, bad.indexOf('=')),
                    refused.json().at("/errors/0/field").asText());
        }
        assertEquals(
                403,
                f.send("GET", "/sites/chicago/hotspots", null, f.logIn("chi-community"))
                        .status());
        assertEquals(2, mapping.asked.size());
    }

    @Test
    public void suggestionsCountsAndThePrintableMap() {
        f.send("GET", "/sites/chicago/areas/suggested?comparisonLayer=beats&category=drug", null, police);
        AreaRequest asked = (AreaRequest) mapping.asked.get(0);
        assertEquals(0.5, asked.maxTargetKm2(), 0);
        assertEquals(400, asked.bufferMetres(), 0);
        assertEquals(3, asked.comparisons());
        assertEquals("beats", asked.comparisonLayer().orElseThrow());

        JsonNode counts = f.send("GET", "/sites/chicago/layers/beats/counts?kind=incident", null, police)
                .json();
        assertEquals("beats", counts.get("layer").asText());

        Response png = f.send(
                "GET",
                "/sites/chicago/map.png?layer=beats,districts&hotspots=gi-star&width=800&height=600" + "&title=Meeting",
                null,
                police);
        assertEquals(200, png.status());
        assertEquals("image/png", header(png, "Content-Type"));
        PrintRequest print = (PrintRequest) mapping.asked.get(2);
        assertEquals(List.of("beats", "districts"), print.layers());
        assertEquals("Meeting", print.title());
        assertEquals(800, print.widthPixels());
        assertEquals(
                HotSpotRequest.Method.GI_STAR, print.hotSpots().orElseThrow().method());
        assertEquals(
                400,
                f.send("GET", "/sites/chicago/map.png?hotspots=contours", null, police)
                        .status());
        assertEquals(
                404,
                f.send("GET", "/sites/chicago/map.png?intervention=999", null, police)
                        .status());
    }
}
