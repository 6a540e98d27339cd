package org.dmiplatform.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * The real distribution as a Pax Exam container: the zip this build made, its own data folder, database and ports,
 * and the JDK module flags {@code bin/karaf} passes (Pax Exam does not); the container of every Pax Exam test class.
 */
final class Exam {
    static final String ADMIN = "tta-root";
    static final String PASSWORD = "violet kettle over 7 bridges";

    private Exam() {}

    static Option[] distribution(Option... more) throws IOException {
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        String karaf = "4.4.10";
        Path data = Paths.get("target", "exam-data", String.valueOf(System.nanoTime()))
                .toAbsolutePath();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        // the zip this build made, never a copy an earlier build left in the local Maven repository
                        .frameworkUrl(distributionZip().toUri().toString())
                        .name("DMI Platform")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", repo),
                // its own data folder and database: never the DMI_DATA or DMI_DB_URL of the shell running the tests
                editConfigurationFilePut("etc/custom.properties", "dmi.data", data.toString()),
                editConfigurationFilePut("etc/custom.properties", "dmi.db.driver", "org.sqlite.JDBC"),
                editConfigurationFilePut(
                        "etc/custom.properties",
                        "dmi.db.url",
                        "jdbc:sqlite:" + data.resolve("db").resolve("dmi.sqlite")),
                editConfigurationFilePut("etc/custom.properties", "dmi.http.port", String.valueOf(Launcher.freePort())),
                editConfigurationFilePut("etc/custom.properties", "dmi.ssh.port", String.valueOf(Launcher.freePort())),
                editConfigurationFilePut("etc/custom.properties", "dmi.admin.user", ADMIN),
                editConfigurationFilePut("etc/custom.properties", "dmi.admin.password", PASSWORD),
                // the platform's own iterations are too slow for a test's many log-ins
                editConfigurationFilePut("etc/org.dmiplatform.accounts.cfg", "passwordIterations", "10000"),
                systemProperty("pax.exam.service.timeout").value("30000"),
                // test files of the repository (exports of the adapters' tests), read from inside the container
                systemProperty("dmi.it.repo").value(new File("../..").getCanonicalPath()),
                when(Boolean.getBoolean("dmi.it.keep")).useOptions(keepRuntimeFolder()),
                // what bin/karaf passes on JDK 9+, which Pax Exam does not
                vmOptions(
                        "--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module",
                        "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karaf + ".jar",
                        "--patch-module",
                        "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karaf + ".jar",
                        "--add-opens",
                        "java.base/java.security=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/java.net=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "--add-opens",
                        "java.base/java.util=ALL-UNNAMED",
                        "--add-opens",
                        "java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens",
                        "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                        "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                        "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                        "-Xmx512m")));
        options.addAll(Arrays.asList(more));
        return options.toArray(new Option[0]);
    }

    /** The distribution the same build produced, from the system property failsafe passes. */
    static Path distributionZip() {
        String zip = System.getProperty("dmi.distribution.zip");
        if (zip == null || !java.nio.file.Files.isRegularFile(Paths.get(zip))) {
            throw new IllegalStateException("no distribution zip at " + zip
                    + "; build it first in the same run (mvn verify builds it before the integration tests)");
        }
        return Paths.get(zip);
    }
}
