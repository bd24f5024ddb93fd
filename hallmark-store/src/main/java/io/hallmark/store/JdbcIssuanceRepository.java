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

    private final Sql sql;

    JdbcIssuanceRepository(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Map<String, BoundIdentity> identities(String profile, Collection<String> deviceIds) {
        Map<String, BoundIdentity> found = new HashMap<>();
        for (List<String> part : Sql.parts(deviceIds)) {
            Object[] args = new Object[part.size() + 1];
            args[0] = profile;
            for (int i = 0; i < part.size(); i++) {
                args[i + 1] = part.get(i);
            }
            String in = Sql.placeholders(part.size());
            sql.each("SELECT di.device_id AS bound_device, c.*, r.reason, r.revoked_at, r.invalidity_date FROM device_identities di "
                            + "JOIN certificates c ON c.serial = di.serial LEFT JOIN revocations r ON r.serial = c.serial "
                            + "WHERE di.profile = ? AND di.device_id IN (" + in + ")",
                    rs -> {
                        CertificateRecord cert = JdbcCertificateRepository.map(rs);
                        return new BoundIdentity(rs.getString("bound_device"), profile, cert);
                    },
                    b -> found.put(b.deviceId(), b), args);
        }
        return found;
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
        sql.batch("INSERT INTO certificates (serial, ca_name, profile, device_id, subject, key_id, fingerprint, not_before, not_after, "
                + "issued_at, der, crl_partition, key_algorithm) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", certificates);
        try {
            sql.batch("INSERT INTO device_identities (device_id, profile, serial, station, key_storage) VALUES (?,?,?,?,?)", bindings);
        } catch (HallmarkException e) {
            if (e.kind() == HallmarkException.Kind.CONFLICT) {
                throw HallmarkException.conflict("a device was given an identity concurrently: " + e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public Map<String, IdentityProvenance> provenance(Collection<String> serials) {
        Map<String, IdentityProvenance> found = new HashMap<>();
        for (List<String> part : Sql.parts(serials)) {
            sql.each("SELECT serial, station, key_storage FROM device_identities WHERE serial IN (" + Sql.placeholders(part.size()) + ")",
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
