package io.hallmark.store.transfer;

import io.hallmark.core.audit.AuditChain;
import io.hallmark.core.audit.AuditEntry;
import io.hallmark.core.audit.AuditHead;
import io.hallmark.core.audit.AuditVerification;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.store.JdbcStore;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies a whole installation's store from one database into an empty one, SQLite or PostgreSQL either way,
 * and checks the copy before it counts.
 *
 * <p>The source is read in one snapshot (a PostgreSQL REPEATABLE READ, read-only transaction; a SQLite read
 * transaction, which WAL lets run beside a serving node's writes), so the copy is consistent even while the
 * source is in use; every table is streamed and written in chunks of {@link #CHUNK} rows, so no table is ever
 * held in memory. Rows keep their values exactly (ids, serials, sequence numbers, the heads), so the audit chain,
 * the revocation and configuration sequences, CRL numbers and OCSP responders carry over unchanged.
 *
 * <p>Before the target is committed: each table has as many rows as in the snapshot and the same content (an
 * order-independent digest of every row), the audit chain verifies and ends at the snapshot's head, and a sample
 * of certificates (random ones, the first and the last issued) is byte-identical with a matching fingerprint.
 */
public final class StoreCopy {

    public static final int CHUNK = 1000;
    static final int SAMPLE = 100;

    /** Told of progress after every chunk and at the end of each table. */
    @FunctionalInterface
    public interface Listener {
        void progress(String table, long done, long total);
    }

    private StoreCopy() {
    }

    public static CopyReport copy(Database from, Database to, Listener listener) {
        long started = System.nanoTime();
        if (from.sameAs(to)) {
            throw HallmarkException.badInput("the source and the target are the same database (" + from.describe() + ")");
        }
        requireInstallation(from);
        JdbcStore.open(from.url()).close(); // the source's schema up to this version's, as any command does at start
        CopyTarget target = CopyTarget.prepare(to);
        Connection dst = null;
        CopyReport report;
        Map<String, Long> snapshotHeads;
        try (Connection src = from.connect()) {
            dst = target.connect();
            Schema schema = Schema.read(src);
            schema.requireSameAs(Schema.read(dst), from.describe(), to.describe());
            beginSnapshot(src, from);
            target.begin(dst);
            Emptiness.require(dst, schema, to);
            if (Emptiness.firstNonEmpty(src, schema).isEmpty()) {
                throw HallmarkException.notFound("the source " + from.describe() + " holds no installation (no CA, no certificate, no audit entry)");
            }
            Map<String, TableDigest> copied = new LinkedHashMap<>();
            for (Table t : schema.tables()) {
                copied.put(t.name(), copyTable(src, dst, t, target, listener));
            }
            if (!to.sqlite()) {
                resumeIdentities(dst);
            }
            target.endWrites(dst);
            snapshotHeads = heads(src, schema);
            report = verify(src, dst, schema, copied, from, to, started);
            if (report.verified()) {
                target.commit(dst);
            }
            endSnapshot(src, from);
        } catch (SQLException e) {
            target.abandon(dst);
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "copy failed, nothing was written to " + to.describe() + ": " + firstLine(e), e);
        } catch (RuntimeException | Error e) {
            target.abandon(dst);
            throw e;
        }
        if (!report.verified()) {
            target.abandon(dst);
            return report;
        }
        try {
            dst.close();
        } catch (SQLException e) {
            target.abandon(dst);
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot close " + to.describe() + ": " + firstLine(e), e);
        }
        target.publish();
        List<String> warnings = new ArrayList<>(report.warnings());
        boolean moved = false;
        try (Connection c = from.connect()) {
            Map<String, Long> now = heads(c, Schema.read(c));
            moved = !now.equals(snapshotHeads);
        } catch (SQLException e) {
            warnings.add("could not check whether the source changed during the copy: " + firstLine(e));
        }
        return new CopyReport(report.from(), report.to(), report.schemaVersion(), report.tables(), report.audit(), report.certificates(),
                true, moved, report.problems(), List.copyOf(warnings), seconds(started));
    }

    /** A SQLite file must exist (opening would create an empty one); a PostgreSQL database must hold Hallmark's schema. */
    public static void requireInstallation(Database from) {
        if (from.sqlite()) {
            if (!Files.isRegularFile(from.sqliteFile())) {
                throw HallmarkException.notFound("no Hallmark database at " + from.sqliteFile());
            }
            return;
        }
        try (Connection c = from.connect()) {
            if (!hasTable(c, Schema.HISTORY)) {
                throw HallmarkException.notFound("no Hallmark schema in " + from.describe());
            }
        } catch (SQLException e) {
            throw HallmarkException.badInput("cannot open database " + from.describe() + ": " + firstLine(e));
        }
    }

    /**
     * Refuses a target that holds anything, without changing it: a SQLite file that exists at all, or a PostgreSQL
     * database whose Hallmark tables hold a row (a database without them is empty).
     */
    public static void requireEmptyTarget(Database to) {
        if (to.sqlite()) {
            if (Files.exists(to.sqliteFile())) {
                throw HallmarkException.conflict("target " + to.sqliteFile() + " already exists: a copy writes a new database only "
                        + "(move that one aside if it holds nothing you need)");
            }
            return;
        }
        try (Connection c = to.connect()) {
            if (hasTable(c, Schema.HISTORY)) {
                Emptiness.require(c, Schema.read(c), to);
            }
        } catch (SQLException e) {
            throw HallmarkException.badInput("cannot open database " + to.describe() + ": " + firstLine(e));
        }
    }

    private static TableDigest copyTable(Connection src, Connection dst, Table t, CopyTarget target, Listener listener) throws SQLException {
        long total = count(src, t.name());
        if (Emptiness.KEPT.contains(t.name())) {
            return copyKept(src, dst, t, listener, total);
        }
        if (Emptiness.SEEDED.containsKey(t.name())) {
            CopyTarget.exec(dst, "DELETE FROM " + Table.quote(t.name())); // the migrations' seed row, replaced by the source's
        }
        TableDigest digest = new TableDigest(t);
        int n = t.columns().size();
        try (PreparedStatement read = src.prepareStatement(CopyOrder.select(t)); PreparedStatement write = dst.prepareStatement(t.insert())) {
            read.setFetchSize(CHUNK); // PostgreSQL streams with a cursor inside the transaction; SQLite steps row by row anyway
            try (ResultSet rs = read.executeQuery()) {
                Object[] row = new Object[n];
                int inBatch = 0;
                long done = 0;
                while (rs.next()) {
                    for (int i = 0; i < n; i++) {
                        ColumnKind kind = t.columns().get(i).kind();
                        row[i] = kind.read(rs, i + 1);
                        kind.write(write, i + 1, row[i]);
                    }
                    digest.add(row);
                    write.addBatch();
                    done++;
                    if (++inBatch == CHUNK) {
                        write.executeBatch();
                        target.chunk(dst);
                        inBatch = 0;
                        listener.progress(t.name(), done, total);
                    }
                }
                if (inBatch > 0) {
                    write.executeBatch();
                }
                if (inBatch > 0 || done == 0) {
                    listener.progress(t.name(), done, total); // the end, unless the last chunk's report was it
                }
            }
        }
        return digest;
    }

    /**
     * PostgreSQL identity columns (events.id) took the source's values, which their sequences did not hand out: each
     * sequence goes on after the largest copied value, so the next row recorded there does not collide. (SQLite's
     * rowids go on from the largest by themselves.)
     */
    private static void resumeIdentities(Connection dst) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (var st = dst.createStatement(); ResultSet rs = st.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
            while (rs.next()) identities.add(new String[]{rs.getString(1), rs.getString(2)});
        }
        for (String[] c : identities) {
            String table = Table.quote(c[0]);
            try (PreparedStatement st = dst.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(" + Table.quote(c[1])
                    + "), 0) + 1, false) FROM " + table)) {
                st.setString(1, table);
                st.setString(2, c[1]);
                st.executeQuery().close();
            }
        }
    }

    /** A seeded row its trigger keeps: set to the source's values by id (moving the watermark forward from its seed, 0). */
    private static TableDigest copyKept(Connection src, Connection dst, Table t, Listener listener, long total) throws SQLException {
        TableDigest digest = new TableDigest(t);
        int n = t.columns().size();
        try (PreparedStatement read = src.prepareStatement(CopyOrder.select(t)); PreparedStatement write = dst.prepareStatement(t.updateById());
             ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[n];
                int p = 1;
                Object id = null;
                for (int i = 0; i < n; i++) {
                    ColumnKind kind = t.columns().get(i).kind();
                    row[i] = kind.read(rs, i + 1);
                    if (t.columns().get(i).name().equals("id")) id = row[i];
                    else kind.write(write, p++, row[i]);
                }
                write.setObject(p, id);
                if (write.executeUpdate() != 1) {
                    throw HallmarkException.badInput("the target's seeded " + t.name() + " row " + id + " is missing: not a database Hallmark migrated");
                }
                digest.add(row);
            }
        }
        listener.progress(t.name(), total, total);
        return digest;
    }

    private static CopyReport verify(Connection src, Connection dst, Schema schema, Map<String, TableDigest> copied,
                                     Database from, Database to, long started) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<CopyReport.TableReport> tables = new ArrayList<>();
        for (Table t : schema.tables()) {
            TableDigest source = copied.get(t.name());
            TableDigest written = new TableDigest(t);
            try (PreparedStatement st = dst.prepareStatement("SELECT " + t.columnList() + " FROM " + Table.quote(t.name()))) {
                st.setFetchSize(CHUNK);
                try (ResultSet rs = st.executeQuery()) {
                    Object[] row = new Object[t.columns().size()];
                    while (rs.next()) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = t.columns().get(i).kind().read(rs, i + 1);
                        }
                        written.add(row);
                    }
                }
            }
            boolean same = source.hex().equals(written.hex());
            if (source.rows() != written.rows()) {
                problems.add("table " + t.name() + " has " + source.rows() + " rows in the source and " + written.rows() + " in the target");
            } else if (!same) {
                problems.add("table " + t.name() + " differs between the source and the target");
            }
            tables.add(new CopyReport.TableReport(t.name(), source.rows(), written.rows(), same, written.hex()));
        }
        CopyReport.AuditReport audit = audit(src, dst);
        if (!audit.intact()) {
            problems.add("audit chain on the target: " + audit.problem());
        }
        CopyReport.SampleReport sample = sample(src, dst, problems);
        return new CopyReport(from.describe(), to.describe(), schema.version(), List.copyOf(tables), audit, sample,
                problems.isEmpty(), false, List.copyOf(problems), List.of(), seconds(started));
    }

    /** The chain walked on the target by the verifier {@code hallmark audit verify} uses, and held to the source's head. */
    private static CopyReport.AuditReport audit(Connection src, Connection dst) throws SQLException {
        Optional<AuditHead> sourceHead = auditHead(src);
        Optional<AuditHead> head = auditHead(dst);
        AuditChain.Verifier verifier = new AuditChain.Verifier(head);
        try (PreparedStatement st = dst.prepareStatement("SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq")) {
            st.setFetchSize(CHUNK);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    verifier.accept(new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        AuditVerification v = verifier.result();
        String problem = v.problem();
        if (v.intact() && !head.equals(sourceHead)) {
            problem = "the target's head " + head.map(AuditHead::toString).orElse("(none)") + " is not the source's " + sourceHead.map(AuditHead::toString).orElse("(none)");
        }
        AuditHead h = head.orElse(new AuditHead(0, AuditChain.GENESIS));
        return new CopyReport.AuditReport(v.entries(), h.seq(), h.hash(), problem == null, problem);
    }

    private static Optional<AuditHead> auditHead(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT seq, hash FROM audit_head WHERE id = 1")) {
            return rs.next() ? Optional.of(new AuditHead(rs.getLong(1), rs.getString(2))) : Optional.empty();
        }
    }

    /** Random certificates, the first and the last issued: the same DER on both sides, and the DER hashing to its recorded fingerprint. */
    private static CopyReport.SampleReport sample(Connection src, Connection dst, List<String> problems) throws SQLException {
        Set<String> serials = new LinkedHashSet<>();
        serials.addAll(strings(dst, "SELECT serial FROM certificates ORDER BY issued_at, serial LIMIT 1"));
        serials.addAll(strings(dst, "SELECT serial FROM certificates ORDER BY issued_at DESC, serial DESC LIMIT 1"));
        serials.addAll(strings(dst, "SELECT serial FROM certificates ORDER BY random() LIMIT " + SAMPLE));
        int identical = 0;
        for (String serial : serials) {
            byte[] source = der(src, serial);
            byte[] target = der(dst, serial);
            String fingerprint = strings(dst, "SELECT fingerprint FROM certificates WHERE serial = ?", serial).stream().findFirst().orElse("");
            if (source == null || target == null || !Arrays.equals(source, target)) {
                problems.add("certificate " + serial + " is not the same in the source and the target");
            } else if (!HexFormat.of().formatHex(sha256(target)).equalsIgnoreCase(fingerprint.strip())) {
                problems.add("certificate " + serial + " does not match its recorded fingerprint in the target");
            } else {
                identical++;
            }
        }
        return new CopyReport.SampleReport(serials.size(), identical);
    }

    private static byte[] der(Connection c, String serial) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT der FROM certificates WHERE serial = ?")) {
            st.setString(1, serial);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private static List<String> strings(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setString(i + 1, args[i]);
            try (ResultSet rs = st.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    /** The sequence heads (audit, revocation, configuration): what moves whenever anything is recorded. */
    static Map<String, Long> heads(Connection c, Schema schema) throws SQLException {
        Map<String, Long> heads = new LinkedHashMap<>();
        for (String table : new java.util.TreeSet<>(Emptiness.HEADS)) {
            if (schema.byName().containsKey(table)) {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT seq FROM " + Table.quote(table) + " WHERE id = 1")) {
                    heads.put(table, rs.next() ? rs.getLong(1) : -1);
                }
            }
        }
        return heads;
    }

    private static void beginSnapshot(Connection src, Database from) throws SQLException {
        if (from.sqlite()) {
            CopyTarget.exec(src, "BEGIN"); // deferred: the snapshot starts at the first read and lets writers go on
        } else {
            src.setAutoCommit(false);
            src.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            src.setReadOnly(true);
        }
    }

    private static void endSnapshot(Connection src, Database from) throws SQLException {
        if (from.sqlite()) {
            CopyTarget.exec(src, "COMMIT");
        } else {
            src.rollback();
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + Table.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean hasTable(Connection c, String table) throws SQLException {
        String schema = c.getSchema();
        try (ResultSet rs = c.getMetaData().getTables(null, schema, table, new String[]{"TABLE"})) {
            while (rs.next()) {
                // LIKE patterns: '_' matches any character, so only an exact match counts.
                if (table.equals(rs.getString("TABLE_NAME")) && (schema == null || schema.equals(rs.getString("TABLE_SCHEM")))) return true;
            }
            return false;
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    private static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e7) / 100.0;
    }
}
