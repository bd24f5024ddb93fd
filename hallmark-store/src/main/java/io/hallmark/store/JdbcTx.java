package io.hallmark.store;

import io.hallmark.core.store.AuditLog;
import io.hallmark.core.store.CaRepository;
import io.hallmark.core.store.CertificateRepository;
import io.hallmark.core.store.ConfigRepository;
import io.hallmark.core.store.CrlRepository;
import io.hallmark.core.store.DeviceRepository;
import io.hallmark.core.store.Tx;

/** The repositories over one connection in one transaction. */
final class JdbcTx implements Tx {

    private final Sql sql;
    private final java.util.function.LongConsumer auditHeadWait;

    JdbcTx(Sql sql, java.util.function.LongConsumer auditHeadWait) {
        this.sql = sql;
        this.auditHeadWait = auditHeadWait;
    }

    /** The statements of this transaction, for work inside the store module (KeyAlgorithmBackfill). */
    Sql sql() {
        return sql;
    }

    @Override
    public io.hallmark.core.store.InventoryRepository inventory() {
        return new JdbcInventoryRepository(sql);
    }

    @Override
    public io.hallmark.core.store.MigrationPolicyRepository migrationPolicies() {
        return new JdbcMigrationPolicyRepository(sql);
    }

    @Override
    public io.hallmark.core.store.FactoryBatchRepository factoryBatches() {
        return new JdbcFactoryBatchRepository(sql);
    }

    @Override
    public CaRepository cas() {
        return new JdbcCaRepository(sql);
    }

    @Override
    public CertificateRepository certificates() {
        return new JdbcCertificateRepository(sql);
    }

    @Override
    public DeviceRepository devices() {
        return new JdbcDeviceRepository(sql);
    }

    @Override
    public AuditLog audit() {
        return new JdbcAuditLog(sql, auditHeadWait);
    }

    @Override
    public ConfigRepository config() {
        return new JdbcConfigRepository(sql);
    }

    @Override
    public io.hallmark.core.store.CredentialRepository credentials() {
        return new JdbcCredentialRepository(sql);
    }

    @Override
    public CrlRepository crls() {
        return new JdbcCrlRepository(sql);
    }

    @Override
    public io.hallmark.core.store.StationRepository stations() {
        return new JdbcStationRepository(sql);
    }

    @Override
    public io.hallmark.core.store.IssuanceRepository issuance() {
        return new JdbcIssuanceRepository(sql);
    }

    @Override
    public io.hallmark.core.store.OcspResponderRepository ocspResponders() {
        return new JdbcOcspResponderRepository(sql);
    }

    @Override
    public io.hallmark.core.store.LeaseRepository leases() {
        return new JdbcLeaseRepository(sql);
    }

    @Override
    public io.hallmark.core.store.EventRepository events() {
        return new JdbcEventRepository(sql);
    }
}
