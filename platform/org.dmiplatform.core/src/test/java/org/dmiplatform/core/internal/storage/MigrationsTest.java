package org.dmiplatform.core.internal.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.dmiplatform.api.StorageUnavailableException;
import org.dmiplatform.testing.TestDatabases;
import org.junit.Test;

public class MigrationsTest {

    @Test
    public void splitsStatementsOnLineEndingSemicolonsAndDropsComments() {
        List<String> statements =
                Migrations.statements("-- about\nCREATE TABLE a (x INT);\n\n-- more\nINSERT INTO a\n VALUES (1);\n");
        assertEquals(List.of("CREATE TABLE a (x INT)", "INSERT INTO a\n VALUES (1)"), statements);
    }

    @Test
    public void shippedMigrationsApplyOnceAndReachTheLatestVersion() throws SQLException {
        try (TestDatabases.Fresh db = TestDatabases.fresh("sqlite");
                Connection c = db.dataSource().getConnection()) {
            Migrations migrations = Migrations.load(getClass().getClassLoader());
            assertTrue("at least V1 ships", migrations.latest() >= 1);
            assertEquals(migrations.latest(), migrations.apply(c, Dialect.SQLITE));
            assertEquals(migrations.latest(), migrations.apply(c, Dialect.SQLITE));
            assertEquals(migrations.latest(), count(c, "SELECT COUNT(*) FROM schema_history"));
        }
    }

    @Test
    public void refusesToStartWhenAnAppliedMigrationWasEdited() throws SQLException {
        try (TestDatabases.Fresh db = TestDatabases.fresh("sqlite");
                Connection c = db.dataSource().getConnection()) {
            new Migrations(List.of(Migrations.script(1, "-- one\nCREATE TABLE t (x INT);"))).apply(c, Dialect.SQLITE);
            Migrations edited = new Migrations(List.of(Migrations.script(1, "-- one\nCREATE TABLE t (x BIGINT);")));
            try {
                edited.apply(c, Dialect.SQLITE);
                fail("an edited migration must be refused");
            } catch (SQLException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("V1 (one) was changed after it was applied"));
            }
        }
    }

    @Test
    public void databaseReportsWhyItIsNotReadyAndRecoversWhenTheSchemaCanBeBuilt() {
        try (TestDatabases.Fresh db = TestDatabases.fresh("sqlite")) {
            db.sql("CREATE TABLE users (id INT)"); // collides with V1
            Database database = new Database();
            database.bindDataSource(db.dataSource());
            assertTrue(database.problem(), database.problem().contains("migration V1 failed"));
            try {
                database.read(c -> 1);
                fail("work on an unmigrated database must be refused");
            } catch (StorageUnavailableException expected) {
                // the platform keeps running and says why
            }
            db.sql("DROP TABLE users");
            db.sql("DROP TABLE IF EXISTS user_grants");
            db.sql("DROP TABLE IF EXISTS audit_log");
            db.sql("DROP TABLE IF EXISTS audit_head");
            db.sql("DELETE FROM schema_history");
            assertNull(database.problem());
            assertEquals(1, (int) database.read(c -> 1));
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
