package org.dmiplatform.core.internal.addons;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.Test;

public class DeploymentReportTest {
    /** As Karaf 4.4 writes it (FeaturesServiceImpl's log), after a line of its own before the report. */
    static final List<String> SWAP = List.of(
            "Adding features: dmi-adapter-csv/[0.1.1,0.1.1]",
            "Changes to perform:",
            "  Region: root",
            "    Bundles to uninstall:",
            "      org.dmiplatform.adapter.csv/0.1.0.202612011200",
            "    Bundles to install:",
            "      mvn:org.dmiplatform/org.dmiplatform.adapter.csv/0.1.1",
            "  Bundles to refresh:",
            "    org.dmiplatform.web/0.1.0.202612011200 (Wired to org.dmiplatform.adapter.csv/0.1.0 which is being"
                    + " refreshed)");

    @Test
    public void karafsReportIsReadListByList() {
        DeploymentReport report = DeploymentReport.parse(SWAP);
        assertTrue(report.read());
        assertEquals(List.of("mvn:org.dmiplatform/org.dmiplatform.adapter.csv/0.1.1"), report.install());
        assertEquals(List.of("org.dmiplatform.adapter.csv/0.1.0.202612011200"), report.uninstall());
        assertEquals(List.of(), report.update());
        assertEquals(1, report.refresh().size());
        assertEquals(SWAP.subList(1, SWAP.size()), report.lines());
    }

    @Test
    public void aRefreshOfABundleThatIsNotTheAddOnsIsRefused() {
        DeploymentReport report = DeploymentReport.parse(SWAP);
        List<String> refusals = report.refusals(Set.of("org.dmiplatform.adapter.csv"));
        assertEquals(1, refusals.size());
        assertTrue(refusals.get(0), refusals.get(0).startsWith("it would refresh org.dmiplatform.web/0.1.0"));
        assertEquals(List.of(), report.refusals(Set.of("org.dmiplatform.adapter.csv", "org.dmiplatform.web")));
    }

    @Test
    public void noChangeIsAReportAndNoLinesAreNone() {
        DeploymentReport none = DeploymentReport.parse(List.of("No deployment change."));
        assertTrue(none.read());
        assertEquals(List.of(), none.refusals(Set.of()));
        assertFalse(DeploymentReport.parse(List.of("Adding features: x/1")).read());
    }
}
