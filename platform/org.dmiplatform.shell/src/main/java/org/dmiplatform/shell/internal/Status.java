package org.dmiplatform.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.dmiplatform.api.PlatformHealth;
import org.dmiplatform.api.access.AuditLog;

@Command(
        scope = "dmi",
        name = "status",
        description = "Shows whether the platform is UP, its storage, each site's plug-ins and the audit chain")
@Service
public class Status implements Action {
    @Reference
    PlatformHealth health;

    @Reference
    AuditLog audit;

    @Override
    public Object execute() {
        PlatformHealth.Report report = health.check();
        System.out.println("DMI Platform " + report.version() + ": " + report.status());
        report.problems().forEach(p -> System.out.println("  ! " + p));
        System.out.println("Storage: " + report.storage().product() + ", schema version "
                + report.storage().schemaVersion());
        for (PlatformHealth.SiteStatus site : report.sites()) {
            System.out.println("Site " + site.id() + " (" + site.name() + "): "
                    + (site.plugins().isEmpty()
                            ? "nothing bound"
                            : site.plugins().size() + " plug-in(s) bound") + "; " + String.join(", ", site.missing()));
            site.problems().forEach(p -> System.out.println("  ! " + p));
        }
        if (report.storage().reachable()) {
            AuditLog.Verification chain = audit.verify();
            System.out.println("Audit log: " + chain.entries() + " entries, "
                    + (chain.intact()
                            ? "chain intact"
                            : "CHAIN BROKEN at entry " + chain.firstBrokenId().orElse(-1L)));
        }
        return null;
    }
}
