package io.hallmark.store;

import io.hallmark.core.inventory.CertificateKeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.BoundIdentity;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.IdentityProvenance;
import io.hallmark.core.store.IssuanceRepository;
import io.hallmark.core.store.NewIdentity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class JdbcIssuanceRepository implements IssuanceRepository {

    /**
     * From this many rows on (a factory chunk), PostgreSQL gets the certificates and bindings by binary COPY. The
     * batched INSERTs they replace cost its server more CPU per row than the rows themselves (parsing and binding
     * statements of up to 1,664 parameters, docs in BENCH-NOTES.md); a single issuance keeps its one INSERT, where
     * COPY's extra round trip would be the larger cost. Package-private: the tests write both ways.
     */
    static final int COPY_FROM = 32;

    private static final String CERTIFICATE_COLUMNS =
            "serial, ca_name, profile, device_id, subject, key_id, fingerprint, not_before, not_after, issued_at, der, crl_partition, key_algorithm";
    private static final String BINDING_COLUMNS = "device_id, profile, serial, station, key_storage";

    private final Sql sql;

    JdbcIssuanceRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Map<String, BoundIdentity> identities(String profile, Collection<String> deviceIds) {
        Map<String, BoundIdentity> found = new HashMap<>();
        if (deviceIds.isEmpty()) {
            return found;
        }
        if (sql.dialect() == Dialect.POSTGRESQL) {
            // One array parameter, not an IN list of a thousand: PostgreSQL plans a prepared IN list of 1,000 keys as
            // 1,000 probes and, while the table is young and small, prefers a sequential scan; it then keeps that
            // generic plan for the pooled connection's life, and every factory chunk (twice: the reader's look-ahead
            // and the commit) read the whole table. A parameter array is planned as a few keys: the primary key index.
            sql.each(IDENTITIES + "di.device_id = ANY (?)", bound(profile), b -> found.put(b.deviceId(), b),
                    profile, sql.textArray(deviceIds));
            return found;
        }
        for (List<String> part : Sql.parts(deviceIds)) {
            Object[] args = new Object[part.size() + 1];
            args[0] = profile;
            for (int i = 0; i < part.size(); i++) {
                args[i + 1] = part.get(i);
            }
            sql.each(IDENTITIES + "di.device_id IN (" + Sql.placeholders(part.size()) + ")", bound(profile),
                    b -> found.put(b.deviceId(), b), args);
        }
        return found;
    }

    /**
     * The condition under which binding row {@code binding} (of device_identities) is the identity whose certificate is
     * row {@code certificate}: by the binding's primary key, since every binding is written from its certificate's own
     * device_id, profile and serial ({@link #record}). Migration V18 dropped the index on the serial alone.
     */
    static String bindingOf(String binding, String certificate) {
        return binding + ".device_id = " + certificate + ".device_id AND " + binding + ".profile = " + certificate + ".profile AND "
                + binding + ".serial = " + certificate + ".serial";
    }

    private static final String IDENTITIES = "SELECT di.device_id AS bound_device, c.*, r.reason, r.revoked_at, r.invalidity_date FROM device_identities di "
            + "JOIN certificates c ON c.serial = di.serial LEFT JOIN revocations r ON r.serial = c.serial WHERE di.profile = ? AND ";

    private static Sql.Row<BoundIdentity> bound(String profile) {
        return rs -> new BoundIdentity(rs.getString("bound_device"), profile, JdbcCertificateRepository.map(rs));
    }

    @Override
    public void record(List<NewIdentity> identities) {
        List<Object[]> devices = new ArrayList<>(identities.size());
        List<Object[]> certificates = new ArrayList<>(identities.size());
        List<Object[]> bindings = new ArrayList<>(identities.size());
        for (NewIdentity n : identities) {
            CertificateRecord c = n.certificate();
            if (n.device() != null) {
                devices.add(new Object[]{n.device().id(), n.device().createdAt(), n.device().hwType(), n.device().hwSerial()});
            }
            certificates.add(new Object[]{c.serial(), c.caName(), c.profile(), c.deviceId(), c.subject(), c.keyId(), c.fingerprint(),
                    c.notBefore(), c.notAfter(), c.issuedAt(), c.der(), c.crlPartition(), CertificateKeyAlgorithm.of(c.der())});
            if (n.bind()) {
                bindings.add(new Object[]{c.deviceId(), c.profile(), c.serial(), n.station(), n.keyStorage()});
            }
        }
        sql.batch("INSERT INTO devices (id, created_at, hw_type, hw_serial) VALUES (?,?,?,?) ON CONFLICT (id) DO NOTHING", devices);
        write("certificates", CERTIFICATE_COLUMNS, certificates);
        try {
            write("device_identities", BINDING_COLUMNS, bindings);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.CONFLICT) {
                throw HallmarkException.conflict("a device was given an identity concurrently: " + e.getMessage());
            }
            throw e;
        }
    }

    /** Inserts {@code rows} (values in {@code columns}' order): by COPY for a PostgreSQL chunk, else as one JDBC batch. */
    private void write(String table, String columns, List<Object[]> rows) {
        if (sql.dialect() == Dialect.POSTGRESQL && rows.size() >= COPY_FROM) {
            sql.copy(table, columns, rows);
        } else {
            sql.batch("INSERT INTO " + table + " (" + columns + ") VALUES (" + Sql.placeholders(columns.split(",").length) + ")", rows);
        }
    }

    @Override
    public Map<String, IdentityProvenance> provenance(Collection<String> serials) {
        Map<String, IdentityProvenance> found = new HashMap<>();
        for (List<String> part : Sql.parts(serials)) {
            sql.each("SELECT c.serial, di.station, di.key_storage FROM certificates c JOIN device_identities di ON " + bindingOf("di", "c")
                            + " WHERE c.serial IN (" + Sql.placeholders(part.size()) + ")",
                    rs -> java.util.Map.entry(rs.getString("serial"), new IdentityProvenance(rs.getString("station"), rs.getString("key_storage"))),
                    e -> found.put(e.getKey(), e.getValue()), part.toArray());
        }
        return found;
    }

    @Override
    public boolean unbind(String deviceId, String profile) {
        return sql.update("DELETE FROM device_identities WHERE device_id = ? AND profile = ?", deviceId, profile) > 0;
    }
}
