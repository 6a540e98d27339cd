package org.dmiplatform.adapter.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.Map;
import java.util.Optional;
import org.junit.Test;

public class JdbcUrlTest {

    @Test
    public void locationsNeverCarryCredentials() {
        Map<String, String> urls = Map.of(
                "jdbc:postgresql://rms.example.org:5432/rms?user=svc_dmi&password=S3cret&ssl=true",
                "postgresql://rms.example.org:5432/rms",
                "jdbc:mariadb://svc_dmi:S3cret@10.1.2.3:3306/rms?useSsl=true",
                "mariadb://10.1.2.3:3306/rms",
                "jdbc:mariadb:replication://db1.example.org,db2.example.org/rms",
                "mariadb:replication://db1.example.org,db2.example.org/rms",
                "jdbc:sqlserver://rms.example.org:1433;databaseName=RMS;user=svc_dmi;password=S3cret;encrypt=true",
                "sqlserver://rms.example.org:1433/RMS",
                "jdbc:oracle:thin:svc_dmi/S3cret@rms.example.org:1521:RMS",
                "oracle:thin:rms.example.org:1521:RMS",
                "jdbc:oracle:thin:svc_dmi/S3cret@//rms.example.org:1521/RMS",
                "oracle:thin://rms.example.org:1521/RMS");
        urls.forEach((url, location) -> {
            String found = JdbcUrl.location(url);
            assertEquals(url, location, found);
            assertFalse(found, found.contains("S3cret") || found.contains("svc_dmi"));
        });
    }

    @Test
    public void theUsualDriverFollowsTheUrlsPrefix() {
        assertEquals(Optional.of("org.postgresql.Driver"), JdbcUrl.driver("jdbc:postgresql://rms/rms"));
        assertEquals(Optional.of("org.mariadb.jdbc.Driver"), JdbcUrl.driver("JDBC:MariaDB://rms/rms"));
        assertEquals(Optional.of("org.mariadb.jdbc.Driver"), JdbcUrl.driver("jdbc:mariadb:replication://a,b/rms"));
        assertEquals(
                Optional.of("com.microsoft.sqlserver.jdbc.SQLServerDriver"),
                JdbcUrl.driver("jdbc:sqlserver://rms:1433;databaseName=RMS"));
        assertEquals(
                "MariaDB's driver takes MySQL only as jdbc:mariadb:",
                Optional.empty(),
                JdbcUrl.driver("jdbc:mysql://rms"));
        assertEquals(Optional.empty(), JdbcUrl.driver("postgresql://rms/rms"));
    }
}
