package io.hallmark.core.store;

import java.util.List;
import java.util.Optional;

public interface CaRepository {

    /** Records a new CA and moves the configuration sequence. */
    void insert(CertificateAuthority ca);

    Optional<CertificateAuthority> find(String name);

    List<CertificateAuthority> all();
}
