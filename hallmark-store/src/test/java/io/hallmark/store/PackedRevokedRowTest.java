package io.hallmark.store;

import io.hallmark.core.store.Revocation;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.store.RevokedEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SQLite's packed revocation column, made by SQLite and parsed back, gives the entries the column-by-column read gives. */
class PackedRevokedRowTest {

    @Test
    void everyRowShapeReadsAsItsColumns() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            c.createStatement().execute("CREATE TABLE r (serial VARCHAR(40), reason VARCHAR(32), revoked_at BIGINT, invalidity_date BIGINT, "
                    + "seq BIGINT, crl_partition INTEGER)");
            Object[][] rows = {
                    {"7fffffffffffffffffffffffffffffffffffffff", "keyCompromise", 1_765_000_000_123L, null, 1_000_000L, null},
                    {"1", "unspecified", 0L, 0L, null, 0},
                    {"abc", "superseded", -86_400_000L, 1_700_000_000_000L, Long.MAX_VALUE, 63},
                    {"de", "certificateHold", Long.MIN_VALUE, -1L, 0L, Integer.MAX_VALUE},
                    {"0f", "removeFromCRL", Long.MAX_VALUE, null, null, null},
            };
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO r VALUES (?,?,?,?,?,?)")) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) ps.setObject(i + 1, row[i]);
                    ps.executeUpdate();
                }
            }
            for (RevocationReason reason : RevocationReason.values()) {
                c.createStatement().execute("INSERT INTO r VALUES ('" + Integer.toHexString(100 + reason.code()) + "', '" + reason.name()
                        + "', 5, NULL, 7, 3)");
            }
            String packed = PackedRevokedRow.column("serial", "reason", "revoked_at", "invalidity_date", "seq", "crl_partition");
            List<RevokedEntry> fromPacked = new ArrayList<>();
            List<RevokedEntry> fromColumns = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT " + packed + ", * FROM r ORDER BY rowid")) {
                while (rs.next()) {
                    fromPacked.add(PackedRevokedRow.parse(rs.getBytes(1), "ca"));
                    long invalidity = rs.getLong(5);
                    Instant invalidityDate = rs.wasNull() ? null : Instant.ofEpochMilli(invalidity);
                    int partition = rs.getInt(7);
                    Integer crlPartition = rs.wasNull() ? null : partition;
                    fromColumns.add(new RevokedEntry(rs.getString(2), "ca", crlPartition, new Revocation(RevocationReason.valueOf(rs.getString(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), invalidityDate), rs.getLong(6)));
                }
            }
            assertEquals(rows.length + RevocationReason.values().length, fromColumns.size());
            assertEquals(fromColumns, fromPacked);
            assertEquals(Instant.EPOCH, fromPacked.get(1).revocation().invalidityDate(), "a zero invalidity date is a date, not NULL");
        }
    }

    @Test
    void aDamagedRowFailsRatherThanReadingAsAnotherEntry() {
        for (String row : new String[]{"ab|keyCompromise|5||", "ab|noSuchReason|5|||", "ab|keyCompromise|5.0|||", "ab|keyCompromise||||",
                "ab|keyCompromise|99999999999999999999|||"}) {
            assertThrows(RuntimeException.class, () -> PackedRevokedRow.parse(row.getBytes(StandardCharsets.UTF_8), "ca"), row);
        }
    }
}
