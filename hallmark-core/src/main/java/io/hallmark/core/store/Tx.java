package io.hallmark.core.store;

/** The repositories, bound to one open transaction. Valid only inside {@link Store#inTransaction}. */
public interface Tx {

    CaRepository cas();

    CertificateRepository certificates();

    DeviceRepository devices();

    AuditLog audit();

    ConfigRepository config();

    CredentialRepository credentials();

    CrlRepository crls();

    StationRepository stations();

    IssuanceRepository issuance();

    OcspResponderRepository ocspResponders();

    EventRepository events();

    /** Factory batches and their progress. */
    FactoryBatchRepository factoryBatches();

    /** Inventory queries and the overview counts. */
    InventoryRepository inventory();

    /** Key migration policies (crypto agility). */
    MigrationPolicyRepository migrationPolicies();

    /** Leases between the nodes of one database (which node runs the work that must run once). */
    LeaseRepository leases();
}
