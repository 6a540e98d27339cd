package org.dmiplatform.directory.hsds.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dmiplatform.api.InputError;
import org.dmiplatform.api.directory.DirectoryQuery;
import org.dmiplatform.api.directory.DirectoryService;
import org.dmiplatform.api.directory.ImportReport;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What real packages do that the examples do not: lists that are not lists, Windows text, a quote never closed. */
public class MessyInputTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private HsdsDirectory directory;

    @Before
    public void setUp() throws Exception {
        Path data = temp.newFolder().toPath();
        directory = new HsdsDirectory(data, Clock.fixed(Fixtures.NOW, ZoneOffset.UTC));
        directory.modified(Fixtures.config("chicago", ""));
    }

    @Test
    public void jsonMembersThatShouldBeListsAreReportedNotFatal() {
        ObjectNode messy = Fixtures.service("s-1", "Detox Now (demo)", "", List.of("RX-8450|Detox"), 41.88, -87.7);
        messy.putObject("schedules").put("a", 1);
        messy.put("languages", "English");
        messy.putArray("phones").add("555-0100");
        ObjectNode fine =
                Fixtures.service("s-2", "Bus Passes (demo)", "", List.of("BT-8500|Transportation"), 41.88, -87.7);
        ImportReport report =
                directory.importPackage(Fixtures.CHICAGO, Fixtures.services(messy, fine), Fixtures.SERVICES);
        assertEquals(2, report.services());
        List<String> fields = report.rejected().stream().map(InputError::field).toList();
        assertTrue(fields.toString(), fields.contains("[0].schedules"));
        assertTrue(fields.toString(), fields.contains("languages"));
        assertTrue(fields.toString(), fields.contains("phones"));
        DirectoryService detox =
                directory.find(Fixtures.CHICAGO, "s-1", Fixtures.POLICE).orElseThrow();
        assertEquals(List.of(), detox.hours());
    }

    private static Map<String, byte[]> sample() {
        return new TreeMap<>(Fixtures.files(Fixtures.resource("hsds1.1_sample_datapackage/all_resources")));
    }

    @Test
    public void aWindowsSpreadsheetIsReadAsWindowsTextAndSaysSo() {
        Map<String, byte[]> files = sample();
        String organizations = new String(files.get("organizations.csv"), StandardCharsets.UTF_8)
                .replaceFirst("Sanctuary Example City", "Caf\u00e9 Sanctuary");
        files.put("organizations.csv", organizations.getBytes(Charset.forName("windows-1252")));
        ImportReport report = directory.importPackage(
                Fixtures.CHICAGO, Fixtures.file("windows.zip", Fixtures.zip(files, "")), Fixtures.SERVICES);
        assertTrue(
                report.notes().toString(),
                report.notes().contains("organizations.csv: not UTF-8; read as Windows-1252"));
        assertTrue(directory.search(Fixtures.CHICAGO, DirectoryQuery.all(), Fixtures.POLICE).stream()
                .anyMatch(s -> s.organization().name().equals("Caf\u00e9 Sanctuary")));
    }

    @Test
    public void aQuoteNeverClosedIsReportedWithTheLineWhereItOpened() {
        Map<String, byte[]> files = sample();
        StringBuilder services = new StringBuilder(new String(files.get("services.csv"), StandardCharsets.UTF_8));
        services.append("broken-1,org,,\"Unclosed service");
        for (int i = 0; i < 30; i++) {
            services.append("\nswallowed-")
                    .append(i)
                    .append(",org,,Row ")
                    .append(i)
                    .append(",,,,");
        }
        services.append('\n');
        files.put("services.csv", services.toString().getBytes(StandardCharsets.UTF_8));
        ImportReport report = directory.importPackage(
                Fixtures.CHICAGO, Fixtures.file("quote.zip", Fixtures.zip(files, "")), Fixtures.SERVICES);
        assertTrue(
                report.rejected().toString(),
                report.rejected().stream()
                        .anyMatch(e -> e.source().equals("services.csv")
                                && e.reason().startsWith("a quote opened on this line is never closed: the 31 lines")));
    }
}
