package io.hallmark.core.store;

import java.util.List;
import java.util.Optional;

public interface CaRepository {

    /** Records a new CA and moves the configuration sequence. */
    void insert(CertificateAuthority ca);

    /**
     * Replaces what a rollover changes of an existing CA (its parent, certificate and profiles; never its name or
     * key) and moves the configuration sequence.
     */
    void update(CertificateAuthority ca);

    Optional<CertificateAuthority> find(String name);

    List<CertificateAuthority> all();
}
